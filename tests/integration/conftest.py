"""Session infrastructure and per-test isolation: a topic prefix and a database per test."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from pydantic import SecretStr

from tests.integration.infra import TRACKING_SECRET, kafka_servers, postgres_server_url
from tools.infra.kafka import LocalKafka
from tools.infra.postgres import LocalPostgres
from workers.migrate import migrate
from workers.settings import Settings
from workers.setup_cmd import SetupReport, ensure_topics
from workers.topics import TOPIC_SPECS, Topics

TEST_PARTITIONS = 3
#: Ports of the brokers and databases a test owns alone (it restarts them).
PRIVATE_KAFKA_PORT = 19192
PRIVATE_POSTGRES_PORT = 15532


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """Bootstrap servers of the session's broker."""
    with kafka_servers() as servers:
        yield servers


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """Superuser URL of the session's PostgreSQL server."""
    with postgres_server_url() as url:
        yield url


@pytest.fixture
def prefix() -> str:
    """A topic prefix of this test's own, so tests never see each other's messages."""
    return f"t{uuid.uuid4().hex[:10]}."


async def delete_topics(bootstrap: str, prefix: str) -> None:
    """Delete the topics ``ensure_topics`` created under ``prefix`` (missing ones are fine).

    The names come from ``TOPIC_SPECS``: listing a shared broker's topics takes seconds.
    """
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        await admin.start()
        await admin.delete_topics([Topics(prefix).name(spec.suffix) for spec in TOPIC_SPECS])
    finally:
        await admin.close()


@pytest.fixture(scope="session")
async def template_database(postgres_url: str) -> AsyncIterator[str]:
    """A database migrated once per session: every test's database is a copy of it.

    ``CREATE DATABASE ... TEMPLATE`` copies files, which is much faster than running the
    migrations per test; the template must have no open connection while it is copied.
    """
    name = f"tmpl_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(postgres_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        conn = await asyncpg.connect(_with_database(postgres_url, name))
        try:
            await migrate(conn)
        finally:
            await conn.close()
        yield name
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
async def database_url(postgres_url: str, template_database: str) -> AsyncIterator[str]:
    """A fresh database with the sequencer's schema (a copy of the template), dropped after."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(postgres_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
        yield _with_database(postgres_url, name)
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def _with_database(server_url: str, name: str) -> str:
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))


@pytest.fixture
async def settings(kafka_bootstrap: str, prefix: str, database_url: str) -> AsyncIterator[Settings]:
    """Settings pointing at the session's broker, this test's topics and database.

    The topics are created here and deleted from the broker after the test.
    """
    made = Settings(
        kafka_bootstrap_servers=kafka_bootstrap,
        topic_prefix=prefix,
        database_url=database_url,
        metrics_port=0,
        tracking_secret=SecretStr(TRACKING_SECRET),
    )
    await ensure_topics(made, TEST_PARTITIONS, 1, SetupReport())
    yield made
    await delete_topics(kafka_bootstrap, prefix)


@pytest.fixture
async def private_kafka_settings(
    prefix: str, database_url: str
) -> AsyncIterator[tuple[Settings, LocalKafka]]:
    """A broker of this test's own (it will be restarted), with the contract's topics."""
    broker = LocalKafka(port=PRIVATE_KAFKA_PORT)
    broker.wipe()
    broker.start()
    made = Settings(
        kafka_bootstrap_servers=broker.bootstrap_servers,
        topic_prefix=prefix,
        database_url=database_url,
        metrics_port=0,
        tracking_secret=SecretStr(TRACKING_SECRET),
    )
    await ensure_topics(made, TEST_PARTITIONS, 1, SetupReport())
    yield made, broker
    broker.wipe()


@pytest.fixture
async def private_postgres_settings(
    kafka_bootstrap: str, prefix: str
) -> AsyncIterator[tuple[Settings, LocalPostgres]]:
    """A PostgreSQL cluster of this test's own (it will be restarted), schema applied."""
    cluster = LocalPostgres(port=PRIVATE_POSTGRES_PORT, database="leadflow")
    cluster.wipe()
    cluster.start()
    conn = await asyncpg.connect(cluster.url)
    await migrate(conn)
    await conn.close()
    made = Settings(
        kafka_bootstrap_servers=kafka_bootstrap,
        topic_prefix=prefix,
        database_url=cluster.url,
        metrics_port=0,
        tracking_secret=SecretStr(TRACKING_SECRET),
    )
    await ensure_topics(made, TEST_PARTITIONS, 1, SetupReport())
    yield made, cluster
    cluster.wipe()
    await delete_topics(kafka_bootstrap, prefix)
