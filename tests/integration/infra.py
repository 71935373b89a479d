"""Where the integration tests find Kafka and PostgreSQL.

In order: the environment (``LEADFLOW_TEST_KAFKA_BOOTSTRAP_SERVERS``, ``LEADFLOW_TEST_DATABASE_URL``
— a server URL; every test creates its own database), then testcontainers where a Docker engine
answers, then the project's local infrastructure (``tools.infra``) started on test ports.
Nothing here skips: a missing broker or database is a failing test, in CI and locally.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tools.infra.kafka import LocalKafka, kafka_version
from tools.infra.postgres import LocalPostgres

TEST_KAFKA_PORT = 19092
TEST_POSTGRES_PORT = 15432


def docker_answers() -> bool:
    """True when a Docker engine (not only the client) answers."""
    if shutil.which("docker") is None:
        return False
    done = subprocess.run(["docker", "info"], capture_output=True, check=False, timeout=10)
    return done.returncode == 0


def _keep() -> bool:
    return os.environ.get("LEADFLOW_TEST_KEEP_INFRA") == "1"


@contextmanager
def kafka_servers() -> Iterator[str]:
    """Bootstrap servers of a broker for this test session."""
    if env := os.environ.get("LEADFLOW_TEST_KAFKA_BOOTSTRAP_SERVERS"):
        yield env
    elif docker_answers():
        yield from _container("testcontainers.kafka", "KafkaContainer", _kafka_image(), _kafka_url)
    else:
        broker = LocalKafka(port=TEST_KAFKA_PORT)
        started = broker.pid() is None
        broker.start()
        try:
            yield broker.bootstrap_servers
        finally:
            if started and not _keep():
                broker.stop()


@contextmanager
def postgres_server_url() -> Iterator[str]:
    """A superuser URL of a PostgreSQL server for this session (database ``postgres``)."""
    if env := os.environ.get("LEADFLOW_TEST_DATABASE_URL"):
        yield env
    elif docker_answers():
        yield from _container(
            "testcontainers.postgres", "PostgresContainer", "postgres:15", _pg_url
        )
    else:
        cluster = LocalPostgres(port=TEST_POSTGRES_PORT, database="postgres")
        started = not cluster.running()
        cluster.start()
        try:
            yield cluster.admin_url()
        finally:
            if started and not _keep():
                cluster.stop()


def _kafka_image() -> str:
    return f"apache/kafka:{kafka_version()}"


def _kafka_url(container: Any) -> str:
    return str(container.get_bootstrap_server())


def _pg_url(container: Any) -> str:
    url = str(container.get_connection_url()).replace("postgresql+psycopg2://", "postgresql://")
    return url.rsplit("/", 1)[0] + "/postgres"


def _container(module: str, cls: str, image: str, url: Callable[[Any], str]) -> Iterator[str]:
    import importlib  # noqa: PLC0415

    container = getattr(importlib.import_module(module), cls)(image)
    container.start()
    try:
        yield url(container)
    finally:
        container.stop()
