"""Infrastructure of the security suites: a test PKI, PostgreSQL with TLS only, Kafka with
SASL_SSL and ACLs. Each is started once per session on its own ports and wiped afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tools.infra._proc import cache_dir
from tools.infra.secure_postgres import SecurePostgres
from tools.infra.tls import Pki, make_pki

pytestmark = pytest.mark.integration

#: Ports no other test uses (the shared infrastructure is on 19092/15432, private on 19192/15532).
SECURE_POSTGRES_PORT = 15632


@pytest.fixture(scope="session")
def pki() -> Pki:
    """The CA every client trusts and the servers' certificate for localhost/127.0.0.1."""
    return make_pki(cache_dir() / "run" / "security-pki" / "trusted")


@pytest.fixture(scope="session")
def untrusted_pki() -> Pki:
    """Another CA, which signed nothing the servers present."""
    return make_pki(cache_dir() / "run" / "security-pki" / "untrusted", name="somebody else")


@pytest.fixture(scope="session")
def secure_postgres(pki: Pki) -> Iterator[SecurePostgres]:
    """A PostgreSQL cluster that accepts only TLS + scram-sha-256, wiped after the session."""
    cluster = SecurePostgres(port=SECURE_POSTGRES_PORT, database="leadflow", pki=pki)
    cluster.wipe()
    cluster.start(timeout_s=60)
    yield cluster
    cluster.wipe()
