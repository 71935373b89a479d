"""The fleet on a broker run like a managed Kafka: SASL_SSL (SCRAM-SHA-512), TLS, and
StandardAuthorizer with one least-privilege principal per worker (``workers/acls.py``)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import TopicAuthorizationFailedError

from tests.integration.helpers import TopicReader, eventually, publish
from tests.integration.security.processes import SecureFleetProcess, leadflow
from tests.integration.sequencer_helpers import campaign
from tools.infra.secure_kafka import ADMIN, SecureKafka
from tools.infra.tls import Pki
from workers.cli import WORKER_NAMES
from workers.settings import Settings
from workers.setup_cmd import SetupReport, ensure_topics
from workers.topics import Topics

pytestmark = pytest.mark.integration

Principal = Callable[..., Settings]
CAMPAIGN = campaign(
    "c-sec",
    delays=["PT0S", "PT1H"],
    automation={"reply": "pause", "link_click": "stop", "meeting_booked": "stop"},
)


def _admin(as_principal: Principal, broker: SecureKafka) -> Settings:
    """The super user: the upstream systems' stand-in, and the test's reader."""
    return as_principal(ADMIN, password=broker.admin_password)


class TestFleetOverSaslSsl:
    """setup, every worker, the CLI and the relay's transactions, each as its own principal."""

    async def test_every_worker_runs_with_its_own_acls(
        self,
        as_principal: Principal,
        secure_kafka: SecureKafka,
        secure_prefix: str,
        tmp_path: Path,
    ) -> None:
        """Events in, commands through, sends out (transactions), statuses as the rules say."""
        topics = Topics(secure_prefix)
        setup = await leadflow(as_principal("setup"), "setup", "--partitions", "2")
        assert 0 == setup.returncode, setup.stderr
        fleet = [
            SecureFleetProcess(as_principal(name), [name], tmp_path, name) for name in WORKER_NAMES
        ]
        for process in fleet:
            process.start()
        try:
            cli = as_principal("cli")
            put = await leadflow(cli, "campaign", "put", "-", stdin=json.dumps(CAMPAIGN))
            assert 0 == put.returncode, put.stderr
            for lead in ("l-r", "l-c", "l-b"):
                done = await leadflow(cli, "lead", "enroll", "c-sec", lead, "--timeout", "120")
                assert 0 == done.returncode, done.stderr + fleet[-1].log_tail()
            admin = _admin(as_principal, secure_kafka)
            await _publish_events(admin, topics)
            statuses = await _latest_statuses(admin, topics, want=3)
            async with TopicReader(admin, topics.sends) as reader:
                sends = sorted(s["send_id"] for s in await reader.wait_for(3))
        finally:
            codes = [process.stop() for process in fleet]
        assert {"l-r": "paused", "l-c": "stopped", "l-b": "stopped"} == statuses
        assert ["c-sec:l-b:1", "c-sec:l-c:1", "c-sec:l-r:1"] == sends
        assert [0] * len(WORKER_NAMES) == codes
        logs = "".join(p.log_path.read_text() for p in fleet) + setup.stdout + setup.stderr
        for name in (*WORKER_NAMES, "setup", "cli"):
            password = as_principal(name).kafka_sasl_password
            assert password is not None
            assert password.get_secret_value() not in logs


class TestRefusals:
    """Wrong credentials or an untrusted broker: one line, exit status 2, in bounded time."""

    @pytest.mark.parametrize(
        "argv",
        [
            ["lead", "enroll", "c-sec", "l-1"],
            ["campaign", "put", "-"],
            ["setup"],
            ["run", "clicks"],
            ["run", "sequencer"],
        ],
    )
    async def test_wrong_password(
        self, as_principal: Principal, secure_kafka: SecureKafka, argv: list[str]
    ) -> None:
        """The broker refuses the SCRAM credentials; the line says whose and where."""
        settings = as_principal("clicks", password="not-the-password")
        done = await leadflow(settings, *argv, stdin=json.dumps(CAMPAIGN), timeout_s=60)
        assert (2, 1) == (done.returncode, len(done.error_lines)), done.stderr + done.stdout
        assert (
            f"Kafka at {secure_kafka.bootstrap_servers} refused the credentials of 'clicks'"
            " (SCRAM-SHA-512" in done.error_lines[0]
        )
        assert "not-the-password" not in done.stderr + done.stdout
        assert done.took_s < 45

    @pytest.mark.parametrize("argv", [["lead", "pause", "c-sec", "l-1"], ["run", "replies"]])
    async def test_untrusted_certificate(
        self, as_principal: Principal, untrusted_pki: Pki, argv: list[str]
    ) -> None:
        """The broker's certificate is not signed by LEADFLOW_KAFKA_SSL_CAFILE."""
        settings = as_principal("replies", cafile=str(untrusted_pki.ca_file))
        done = await leadflow(settings, *argv, timeout_s=60)
        assert (2, 1) == (done.returncode, len(done.error_lines)), done.stderr + done.stdout
        assert "is not trusted by" in done.error_lines[0]
        assert done.took_s < 45


class TestLeastPrivilege:
    """A principal can write only what its worker writes."""

    @pytest.mark.parametrize(
        ("principal", "topic"),
        [
            ("clicks", "sends"),
            ("replies", "lead-status"),
            ("bookings", "campaigns"),
            ("cli", "sends"),
            ("sequencer", "events.replies"),
        ],
    )
    async def test_produce_outside_its_acls_is_refused(
        self, as_principal: Principal, secure_prefix: str, principal: str, topic: str
    ) -> None:
        """The broker answers TOPIC_AUTHORIZATION_FAILED; nothing is written."""
        await ensure_topics(as_principal("setup"), 1, 1, SetupReport())  # as setup, with its ACLs
        options = as_principal(principal).kafka_client_options()
        producer = AIOKafkaProducer(**options, acks="all", enable_idempotence=True)
        try:
            await producer.start()
            with pytest.raises(TopicAuthorizationFailedError):
                await asyncio.wait_for(
                    producer.send_and_wait(Topics(secure_prefix).name(topic), b"{}"), 30
                )
        finally:
            await producer.stop()


async def _publish_events(admin: Settings, topics: Topics) -> None:
    # after the enrolments: an event older than a lead's last manual command is stale
    base = {"campaign_id": "c-sec", "occurred_at": datetime.now(UTC).isoformat()}
    reply = {**base, "event_id": "r-1", "lead_id": "l-r", "body_text": "Thanks, interested."}
    click = {
        **base,
        "event_id": "k-1",
        "lead_id": "l-c",
        "url": "https://example.com/pricing",
        "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0",
        "ip": "198.51.100.7",
    }
    booking = {**base, "event_id": "b-1", "lead_id": "l-b"}
    await publish(admin, topics.replies, [("c-sec:l-r", reply)])
    # keyed by its event, not its lead: the clicks worker repartitions it through its internal
    # topic (its Read and Write ACLs on clicks-by-lead are exercised)
    await publish(admin, topics.clicks, [("k-1", click)])
    await publish(admin, topics.bookings, [("c-sec:l-b", booking)])


async def _latest_statuses(admin: Settings, topics: Topics, *, want: int) -> dict[str, str]:
    """The latest lead-status of each lead once every lead has left in_progress."""
    async with TopicReader(admin, topics.lead_status) as reader:

        async def settled() -> dict[str, str] | None:
            await reader.poll()
            latest = {v["lead_id"]: v["status"] for v in reader.values()}
            done = {k: v for k, v in latest.items() if v != "in_progress"}
            return done if len(done) == want else None

        try:
            return await eventually(settled, timeout_s=90)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; topics: {await _contents(admin, topics)}") from None


async def _contents(admin: Settings, topics: Topics) -> dict[str, list[object]]:
    """What each topic holds (for a failure's message)."""
    found: dict[str, list[object]] = {}
    for name in ("events.replies", "commands", "command-results", "lead-status", "dlq"):
        async with TopicReader(admin, topics.name(name)) as reader:
            await reader.poll()
            await reader.poll()
            found[name] = [r.value[:200] if r.value else None for r in reader.records]
    return found
