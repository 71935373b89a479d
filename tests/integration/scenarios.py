"""Loads and end-state checks shared by the sequencer's fault-injection tests."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime
from typing import Any

import asyncpg

from tests.integration.helpers import TopicReader, eventually, publish
from tests.integration.sequencer_helpers import campaign, command
from workers.sequencer import store
from workers.sequencer.progress import read_positions
from workers.settings import Settings
from workers.topics import Topics


async def enroll_many(
    settings: Settings, *, leads: int, delays: list[str], campaign_id: str = "c1"
) -> int:
    """An active campaign and ``leads`` enroll commands; returns the number of sends due."""
    topics = Topics(settings.topic_prefix)
    await publish(settings, topics.campaigns, [(campaign_id, campaign(campaign_id, delays=delays))])
    await publish(
        settings,
        topics.commands,
        [
            (
                f"{campaign_id}:l{i}",
                command(campaign_id, f"l{i}", "enroll", command_id=f"enroll-{i}"),
            )
            for i in range(leads)
        ],
    )
    return leads * len(delays)


async def scalar(url: str, sql: str) -> Any:
    """One value from the database (a fresh connection: survives database restarts)."""
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


async def requested(url: str) -> int:
    """How many sends the sequencer has committed so far."""
    return int(await scalar(url, "SELECT count(*) FROM send_log"))


async def wait_until_requested(url: str, at_least: int, timeout_s: float = 60) -> int:
    """Wait until at least ``at_least`` sends are committed (tolerating database outages)."""

    async def probe() -> int | None:
        try:
            count = await requested(url)
        except (OSError, asyncpg.PostgresError):
            return None
        return count if count >= at_least else None

    return await eventually(probe, timeout_s=timeout_s, every_s=0.02)


async def shard_last_seqs(url: str) -> dict[int, int]:
    """The last outbox seq written per relay shard."""
    conn = await asyncpg.connect(url)
    try:
        return await store.shard_last_seqs(conn)
    finally:
        await conn.close()


async def drained_output(settings: Settings, timeout_s: float = 90) -> None:
    """Wait until every outbox row is published in a committed transaction."""

    async def probe() -> bool:
        try:
            written = await shard_last_seqs(settings.database_url)
            published = await read_positions(settings, Topics(settings.topic_prefix))
        except (OSError, asyncpg.PostgresError):
            return False
        return bool(written) and all(published.get(s, 0) >= n for s, n in written.items())

    await eventually(probe, timeout_s=timeout_s, every_s=0.2)


async def read_sends(settings: Settings) -> list[dict[str, Any]]:
    """Every SendRequest a read_committed consumer sees, from the beginning."""
    topics = Topics(settings.topic_prefix)
    async with TopicReader(settings, topics.sends) as reader:
        previous = -1
        while len(reader.records) != previous:
            previous = len(reader.records)
            for _ in range(5):
                await reader.poll()
        return reader.values()


def assert_exactly_once_on_time(sends: list[dict[str, Any]], expected: int) -> None:
    """Each send_id once, all ``expected`` of them, none requested before its due time."""
    counts = Counter(s["send_id"] for s in sends)
    duplicates = {k: v for k, v in counts.items() if v > 1}
    assert {} == duplicates
    assert expected == len(counts)
    early = [
        s
        for s in sends
        if datetime.fromisoformat(s["requested_at"]) < datetime.fromisoformat(s["due_at"])
    ]
    assert [] == early


async def all_completed(url: str, leads: int, timeout_s: float = 120) -> None:
    """Wait until every lead has sent its last step."""

    async def probe() -> bool:
        try:
            done = await scalar(url, "SELECT count(*) FROM leads WHERE status = 'completed'")
        except (OSError, asyncpg.PostgresError):
            return False
        return int(done) == leads

    await eventually(probe, timeout_s=timeout_s, every_s=0.1)


async def finished(settings: Settings, leads: int) -> None:
    """Wait until every lead completed and all of the output is published."""
    await all_completed(settings.database_url, leads)
    await drained_output(settings)


async def settle(seconds: float) -> None:
    """Let a fault play out for a fixed time (a chaos schedule, not a wait for a condition)."""
    await asyncio.sleep(seconds)


async def reset_group_offsets(settings: Settings, group: str) -> None:
    """Commit offset 0 for every partition of ``commands`` in ``group`` (nobody may be in it)."""
    from aiokafka import AIOKafkaConsumer  # noqa: PLC0415

    from workers.kafka_io import partitions_of  # noqa: PLC0415

    consumer = AIOKafkaConsumer(
        **settings.kafka_client_options(), group_id=group, enable_auto_commit=False
    )
    try:
        await consumer.start()
        tps = await partitions_of(consumer, Topics(settings.topic_prefix).commands)
        consumer.assign(tps)
        await consumer.commit(dict.fromkeys(tps, 0))
    finally:
        await consumer.stop()
