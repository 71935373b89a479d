"""Infrastructure of the security suites: a test PKI, PostgreSQL with TLS only, Kafka with
SASL_SSL and ACLs. Each is started once per session on its own ports and wiped afterwards."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from tools.infra._proc import cache_dir
from tools.infra.secure_kafka import SecureKafka
from tools.infra.secure_postgres import SecurePostgres
from tools.infra.tls import Pki, make_pki
from workers.acls import PRINCIPALS, grants
from workers.settings import SecurityProtocol, Settings

pytestmark = pytest.mark.integration

#: Ports no other test uses (the shared infrastructure is on 19092/15432, private on 19192/15532).
SECURE_POSTGRES_PORT = 15632


@pytest.fixture(scope="session")
def pki_folder() -> Iterator[Path]:
    """Where the session's certificates and keys live; deleted afterwards."""
    folder = cache_dir() / "run" / "security-pki"
    shutil.rmtree(folder, ignore_errors=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pki(pki_folder: Path) -> Pki:
    """The CA every client trusts and the servers' certificate for localhost/127.0.0.1."""
    return make_pki(pki_folder / "trusted")


@pytest.fixture(scope="session")
def untrusted_pki(pki_folder: Path) -> Pki:
    """Another CA, which signed nothing the servers present."""
    return make_pki(pki_folder / "untrusted", name="somebody else")


@pytest.fixture(scope="session")
def secure_postgres(pki: Pki) -> Iterator[SecurePostgres]:
    """A PostgreSQL cluster that accepts only TLS + scram-sha-256, wiped after the session."""
    cluster = SecurePostgres(port=SECURE_POSTGRES_PORT, database="leadflow", pki=pki)
    cluster.wipe()
    try:
        cluster.start(timeout_s=60)
        yield cluster
    finally:
        cluster.wipe()


#: The SASL_SSL listener (clients and inter-broker) and, on the next port, the controller's.
SECURE_KAFKA_PORT = 19392
#: Every principal's password is derived from its name (a test broker).
PASSWORD_SUFFIX = "-Secr3t!pw"


@pytest.fixture(scope="session")
def secure_kafka(pki: Pki) -> Iterator[SecureKafka]:
    """A broker with SASL_SSL, SCRAM users for every principal and StandardAuthorizer."""
    users = tuple((name, f"{name}{PASSWORD_SUFFIX}") for name in PRINCIPALS)
    broker = SecureKafka(port=SECURE_KAFKA_PORT, pki=pki, users=users, heap_mb=512)
    broker.wipe()
    try:
        broker.start(timeout_s=180)
        yield broker
    finally:
        broker.wipe()


@pytest.fixture
async def secure_prefix(secure_kafka: SecureKafka, prefix: str) -> str:
    """This test's topic prefix, with every principal's ACLs granted under it."""
    await secure_kafka.allow({name: grants(name, prefix) for name in PRINCIPALS})
    return prefix


@pytest.fixture
def as_principal(
    secure_kafka: SecureKafka, pki: Pki, prefix: str, database_url: str
) -> Callable[..., Settings]:
    """Settings of one principal: ``as_principal("clicks")`` (``password=`` to get it wrong)."""

    def settings(name: str, *, password: str | None = None, cafile: str | None = None) -> Settings:
        return Settings(
            kafka_bootstrap_servers=secure_kafka.bootstrap_servers,
            topic_prefix=prefix,
            database_url=database_url,
            metrics_port=0,
            kafka_security_protocol=SecurityProtocol.SASL_SSL,
            kafka_sasl_mechanism="SCRAM-SHA-512",
            kafka_sasl_username=name,
            kafka_sasl_password=SecretStr(password or f"{name}{PASSWORD_SUFFIX}"),
            kafka_ssl_cafile=cafile or str(pki.ca_file),
        )

    return settings
