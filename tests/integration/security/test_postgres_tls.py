"""The sequencer's database over TLS (``sslmode=verify-full``) with a scram-sha-256 password."""

from __future__ import annotations

import json
from pathlib import Path

import asyncpg
import pytest

from tests.integration.helpers import TopicReader
from tests.integration.security.processes import SecureFleetProcess, leadflow
from tests.integration.sequencer_helpers import campaign
from tools.infra.secure_postgres import SecurePostgres
from tools.infra.tls import Pki
from workers.settings import Settings
from workers.topics import Topics

pytestmark = pytest.mark.integration


@pytest.fixture
def tls_settings(kafka_bootstrap: str, prefix: str, secure_postgres: SecurePostgres) -> Settings:
    """The shared broker, this test's topics, and the TLS database (verify-full, test CA)."""
    return Settings(
        kafka_bootstrap_servers=kafka_bootstrap,
        topic_prefix=prefix,
        database_url=secure_postgres.tls_url(),
        metrics_port=0,
    )


class TestVerifyFull:
    """Setup, the sequencer and the CLI use the database over verified TLS."""

    async def test_the_fleet_runs_over_tls(self, tls_settings: Settings, tmp_path: Path) -> None:
        """setup, an enrolment through the sequencer and `lead show` all work, and every
        connection of the leadflow role is encrypted."""
        assert 0 == (await leadflow(tls_settings, "setup", "--partitions", "2")).returncode
        sequencer = SecureFleetProcess(tls_settings, ["sequencer"], tmp_path, "sequencer")
        sequencer.start()
        try:
            doc = json.dumps(campaign("c-tls", delays=["PT0S", "PT1H"]))
            put = await leadflow(tls_settings, "campaign", "put", "-", stdin=doc)
            assert 0 == put.returncode, put.stderr
            enrolled = await leadflow(tls_settings, "lead", "enroll", "c-tls", "l-1")
            assert 0 == enrolled.returncode, enrolled.stderr + sequencer.log_tail()
            async with TopicReader(tls_settings, Topics(tls_settings.topic_prefix).sends) as sends:
                assert ["c-tls:l-1:1"] == [s["send_id"] for s in await sends.wait_for(1)]
            encrypted = await _ssl_of_role_connections(tls_settings.database_url)
            shown = await leadflow(tls_settings, "lead", "show", "c-tls", "l-1")
        finally:
            sequencer.stop()
        assert 0 == shown.returncode, shown.stderr
        assert {True} == set(encrypted)

    async def test_plaintext_is_refused(self, secure_postgres: SecurePostgres) -> None:
        """A connection without TLS finds no pg_hba entry."""
        url = secure_postgres.tls_url(sslmode="disable")
        with pytest.raises(asyncpg.InvalidAuthorizationSpecificationError, match="no encryption"):
            await asyncpg.connect(url, timeout=10)


class TestRefusals:
    """A wrong CA or a wrong password gives one line and exit status 2, in bounded time."""

    @pytest.mark.parametrize(
        ("argv", "expected"),
        [
            (["leads", "list"], "certificate verify failed"),
            (["run", "sequencer"], "is not trusted by the sslrootcert of LEADFLOW_DATABASE_URL"),
            (["setup"], "is not trusted by the sslrootcert of LEADFLOW_DATABASE_URL"),
        ],
    )
    async def test_untrusted_certificate(
        self,
        tls_settings: Settings,
        secure_postgres: SecurePostgres,
        untrusted_pki: Pki,
        argv: list[str],
        expected: str,
    ) -> None:
        """The server's certificate is not signed by the CA in sslrootcert."""
        url = secure_postgres.tls_url(ca=str(untrusted_pki.ca_file))
        done = await leadflow(tls_settings.model_copy(update={"database_url": url}), *argv)
        assert (2, 1, "") == (done.returncode, len(done.error_lines), done.stdout), done.stderr
        assert expected in done.error_lines[0]
        assert done.took_s < 30

    async def test_wrong_password(
        self, tls_settings: Settings, secure_postgres: SecurePostgres
    ) -> None:
        """A refused password stops the sequencer at once, without the password in the line."""
        url = tls_settings.database_url.replace(secure_postgres.password, "not-the-password")
        done = await leadflow(
            tls_settings.model_copy(update={"database_url": url}), "run", "sequencer"
        )
        assert (2, 1) == (done.returncode, len(done.error_lines)), done.stderr
        assert 'password authentication failed for user "leadflow"' in done.error_lines[0]
        assert "not-the-password" not in done.stderr + done.stdout


async def _ssl_of_role_connections(url: str) -> list[bool]:
    """pg_stat_ssl.ssl of every backend of the leadflow role (this one included)."""
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)"
            " WHERE a.usename = current_user"
        )
    finally:
        await conn.close()
    assert len(rows) > 1  # the sequencer's pool, not only this connection
    return [bool(r["ssl"]) for r in rows]
