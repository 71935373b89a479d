"""``leadflow setup``: create every topic and apply the database schema (idempotent)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import structlog
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from workers.migrate import migrate
from workers.settings import Settings
from workers.topics import TOPIC_SPECS, Cleanup, Topics, TopicSpec

log = structlog.get_logger("leadflow.setup")

_TOPIC_ALREADY_EXISTS = 36


@dataclass(slots=True)
class SetupReport:
    """What one run changed: an empty report means everything was already in place."""

    topics_created: list[str] = field(default_factory=list)
    topics_mismatched: list[str] = field(default_factory=list)
    migrations_applied: list[int] = field(default_factory=list)
    database_created: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.topics_created or self.migrations_applied or self.database_created)


async def setup(
    settings: Settings, *, partitions: int = 6, replication_factor: int = 1
) -> SetupReport:
    """Create the topics and apply the migrations."""
    report = SetupReport()
    await ensure_topics(settings, partitions, replication_factor, report)
    report.database_created = await ensure_database(settings.database_url)
    conn = await asyncpg.connect(settings.database_url)
    try:
        report.migrations_applied = await migrate(conn)
    finally:
        await conn.close()
    return report


async def ensure_topics(
    settings: Settings, partitions: int, replication_factor: int, report: SetupReport
) -> None:
    """Create missing topics; report existing ones whose partition count differs."""
    topics = Topics(settings.topic_prefix)
    admin = AIOKafkaAdminClient(**settings.kafka_client_options())
    try:
        await admin.start()
        # All topics' metadata, not only ours: asking for a missing topic by name would let a
        # broker with auto.create.topics.enable create it with the wrong settings.
        existing = {t["topic"]: len(t["partitions"]) for t in await admin.describe_topics()}
        wanted = [_new_topic(topics, spec, partitions, replication_factor) for spec in TOPIC_SPECS]
        missing = [t for t in wanted if t.name not in existing]
        report.topics_mismatched = [
            t.name for t in wanted if t.name in existing and existing[t.name] != t.num_partitions
        ]
        if missing:
            response = await admin.create_topics(missing)
            _raise_on_errors(response.to_object())
            report.topics_created = [t.name for t in missing]
            await await_topics(admin, report.topics_created)
    finally:
        await admin.close()


async def await_topics(admin: AIOKafkaAdminClient, names: list[str], timeout_s: float = 30) -> None:
    """Wait until the brokers' metadata shows every topic of ``names`` with partition leaders."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        described = await admin.describe_topics(names)
        ready = {
            t["topic"]
            for t in described
            if t["error_code"] == 0 and all(p["leader"] >= 0 for p in t["partitions"])
        }
        if ready.issuperset(names):
            return
        if asyncio.get_running_loop().time() > deadline:
            raise RuntimeError(f"topics not ready after {timeout_s}s: {sorted(set(names) - ready)}")
        await asyncio.sleep(0.1)


def _new_topic(topics: Topics, spec: TopicSpec, partitions: int, replication: int) -> NewTopic:
    configs = {"cleanup.policy": spec.cleanup.value}
    if spec.cleanup is Cleanup.COMPACT:
        configs["min.cleanable.dirty.ratio"] = "0.1"
    count = 1 if spec.single_partition else partitions
    return NewTopic(topics.name(spec.suffix), count, replication, topic_configs=configs)


def _raise_on_errors(response: dict[str, object]) -> None:
    errors = response.get("topic_errors") or response.get("topics") or []
    assert isinstance(errors, list)
    for entry in errors:
        code = entry.get("error_code", 0)
        if code not in (0, _TOPIC_ALREADY_EXISTS):
            raise RuntimeError(f"cannot create topic {entry.get('topic')}: {entry}")


def admin_url(url: str) -> str:
    """``url`` with the database ``postgres`` (credentials and TLS parameters kept)."""
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


async def ensure_database(url: str) -> bool:
    """Create the database named in ``url`` when it does not exist; True when created."""
    name = urlsplit(url).path.lstrip("/")
    if not name:
        return False
    conn = await asyncpg.connect(admin_url(url))
    try:
        if await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            return False
        quoted = '"' + name.replace('"', '""') + '"'
        try:
            await conn.execute(f"CREATE DATABASE {quoted}")
        except (asyncpg.DuplicateDatabaseError, asyncpg.UniqueViolationError):
            # Another setup created it between the check and the CREATE (catalog race).
            return False
        return True
    finally:
        await conn.close()
