"""The benchmark's infrastructure and a fresh environment (topics + database) per measurement."""

from __future__ import annotations

import contextlib
import os
import platform
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient
from pydantic import SecretStr

from tools.infra._proc import repo_root
from tools.infra.kafka import LocalKafka, kafka_version
from tools.infra.postgres import LocalPostgres
from workers.migrate import migrate
from workers.settings import Settings
from workers.setup_cmd import SetupReport, ensure_topics
from workers.topics import TOPIC_SPECS, Topics

#: Dedicated ports, so a benchmark never shares a broker with tests or a local fleet.
BENCH_KAFKA_PORT = 39092
BENCH_POSTGRES_PORT = 35432
PARTITIONS = 6


@dataclass(frozen=True, slots=True)
class Servers:
    """Where the benchmark's broker and PostgreSQL server (superuser URL) are."""

    bootstrap: str
    postgres_url: str


@contextlib.contextmanager
def local_servers(
    kafka_port: int = BENCH_KAFKA_PORT, postgres_port: int = BENCH_POSTGRES_PORT
) -> Iterator[Servers]:
    """Start the local broker and PostgreSQL on the bench ports; stop what was started here."""
    kafka = LocalKafka(port=kafka_port)
    postgres = LocalPostgres(port=postgres_port, database="postgres")
    kafka_started = kafka.pid() is None
    postgres_started = not postgres.running()
    kafka.start()
    postgres.start()
    try:
        yield Servers(kafka.bootstrap_servers, postgres.admin_url())
    finally:
        if kafka_started:
            kafka.stop()
        if postgres_started:
            postgres.stop()


async def machine(servers: Servers) -> dict[str, Any]:
    """The machine's figures: cpus, python, kafka and postgres versions."""
    conn = await asyncpg.connect(servers.postgres_url)
    try:
        pg_version = str(await conn.fetchval("SHOW server_version")).split()[0]
    finally:
        await conn.close()
    return {
        "cpus": os.cpu_count() or 0,
        "python": platform.python_version(),
        "kafka": kafka_version(),
        "postgres": pg_version,
        "platform": platform.platform(),
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
        "commit": _commit(),
    }


def _commit() -> str:
    """The measured code's commit, with ``+dirty`` when workers/ or schemas/ have local edits.

    ``LEADFLOW_BENCH_COMMIT`` overrides it (a benchmark of an exported tree has no git).
    """
    if override := os.environ.get("LEADFLOW_BENCH_COMMIT"):
        return override
    head = _git("rev-parse", "--short", "HEAD")
    if not head:
        return "unknown"
    return head + ("+dirty" if _git("status", "--porcelain", "--", "workers", "schemas") else "")


def _git(*args: str) -> str:
    done = subprocess.run(  # noqa: S603
        ["git", "-C", str(repo_root()), *args],  # noqa: S607
        check=False,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() if done.returncode == 0 else ""


@contextlib.asynccontextmanager
async def fresh(servers: Servers) -> AsyncIterator[Settings]:
    """Settings for a new topic prefix and a new database; both are deleted afterwards."""
    tag = uuid.uuid4().hex[:10]
    name = f"bench_{tag}"
    admin = await asyncpg.connect(servers.postgres_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(servers.postgres_url)._replace(path=f"/{name}"))
    settings = Settings(
        kafka_bootstrap_servers=servers.bootstrap,
        topic_prefix=f"bench{tag}.",
        database_url=url,
        metrics_port=0,
        log_level="warning",
        tracking_secret=SecretStr("bench-tracking-secret"),
    )
    try:
        conn = await asyncpg.connect(url)
        try:
            await migrate(conn)
        finally:
            await conn.close()
        await ensure_topics(settings, PARTITIONS, 1, SetupReport())
        yield settings
    finally:
        await _delete_topics(settings)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def _delete_topics(settings: Settings) -> None:
    topics = Topics(settings.topic_prefix)
    admin = AIOKafkaAdminClient(**settings.kafka_client_options())
    try:
        await admin.start()
        with contextlib.suppress(Exception):
            await admin.delete_topics([topics.name(spec.suffix) for spec in TOPIC_SPECS])
    finally:
        await admin.close()
