"""The outbox on real PostgreSQL (and the relay on the real broker): numbers, wake-ups, output."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Sequence
from typing import Any

import asyncpg
import pytest
from prometheus_client import CollectorRegistry

from schemas import LeadStatusValue
from tests.integration.helpers import TopicReader, eventually
from workers.core import LeadState
from workers.health import HealthBoard
from workers.metrics import Metrics
from workers.sequencer import store
from workers.sequencer.relay import Relay
from workers.sequencer.store import OutboxRecord
from workers.settings import Settings
from workers.topics import Topics

pytestmark = pytest.mark.integration

SHARDS = 4


def _key_in(shard: int, index: int = 0) -> str:
    """The ``index``-th key ``c1:l<n>`` that falls into ``shard``."""
    keys = (f"c1:l{n}" for n in range(10_000))
    return [k for k in keys if store.shard_of(k, SHARDS) == shard][index]


def _records(topic: str, keys: Sequence[str]) -> list[OutboxRecord]:
    return [OutboxRecord(topic, key, f'{{"key": "{key}"}}'.encode()) for key in keys]


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    made = await store.connect_pool(database_url)
    async with made.acquire() as conn:
        await store.ensure_shards(conn, SHARDS)
    yield made
    await made.close()


class Listener:
    """The payloads of the outbox channel's notifications, in arrival order."""

    def __init__(self) -> None:
        self.payloads: list[str] = []

    def __call__(self, *args: Any) -> None:
        self.payloads.append(args[-1])

    async def seen(self, count: int) -> list[str]:
        await eventually(lambda: _done(len(self.payloads) >= count), timeout_s=10)
        return self.payloads


async def _done(value: bool) -> bool:
    return value


@pytest.fixture
async def listener(database_url: str) -> AsyncIterator[Listener]:
    conn = await asyncpg.connect(database_url)
    heard = Listener()
    await conn.add_listener(store.OUTBOX_CHANNEL, heard)
    yield heard
    await conn.close()


class TestWriteOutbox:
    """``store.write_outbox``: gap-free numbers per shard, a wake-up per shard written to."""

    async def test_a_commit_notifies_each_shard_it_wrote_to(
        self, pool: asyncpg.Pool, listener: Listener
    ) -> None:
        """Rows for shards 1 and 3 notify "1" and "3" once each, not the other shards."""
        keys = [_key_in(3), _key_in(1), _key_in(3, 1)]
        async with pool.acquire() as conn, conn.transaction():
            await store.write_outbox(conn, _records("t", keys))

        assert ["1", "3"] == sorted(await listener.seen(2))

    async def test_a_rolled_back_write_notifies_nobody(
        self, pool: asyncpg.Pool, listener: Listener
    ) -> None:
        """Only the committed write's shard is notified; the rolled-back one's never is."""
        async with pool.acquire() as conn:
            transaction = conn.transaction()
            await transaction.start()
            await store.write_outbox(conn, _records("t", [_key_in(2)]))
            await transaction.rollback()
        async with pool.acquire() as conn, conn.transaction():
            await store.write_outbox(conn, _records("t", [_key_in(0)]))

        assert ["0"] == await listener.seen(1)

    async def test_concurrent_writers_number_each_shard_gap_free_in_commit_order(
        self, pool: asyncpg.Pool
    ) -> None:
        """Writers sharing shards wait on each other; every shard counts 1..n in commit order."""
        first_locked = asyncio.Event()
        release_first = asyncio.Event()

        async def first() -> None:
            async with pool.acquire() as conn, conn.transaction():
                await store.write_outbox(conn, _records("first", [_key_in(1), _key_in(3)]))
                first_locked.set()
                await release_first.wait()

        async def second() -> None:
            await first_locked.wait()
            async with pool.acquire() as conn, conn.transaction():
                await store.write_outbox(conn, _records("second", [_key_in(3, 1), _key_in(2)]))

        writers = asyncio.gather(first(), second())
        await first_locked.wait()
        release_first.set()
        await writers
        async with pool.acquire() as conn:
            rows = await conn.fetch("SELECT shard, seq, topic FROM outbox ORDER BY shard, seq")

        assert [(1, 1, "first"), (2, 1, "second"), (3, 1, "first"), (3, 2, "second")] == [
            tuple(r) for r in rows
        ]

    async def test_small_and_large_writes_store_the_same_rows(self, pool: asyncpg.Pool) -> None:
        """A few rows (one statement) and many (numbers, then COPY) number every shard 1..n."""
        many = [OutboxRecord("many", f"c1:l{n}", b"v", (("error", "e"),)) for n in range(600)]
        few = [OutboxRecord("few", "c1:l1", None), OutboxRecord("few", None, b"w", (("a", "b"),))]
        async with pool.acquire() as conn, conn.transaction():
            await store.write_outbox(conn, many)
        async with pool.acquire() as conn, conn.transaction():
            await store.write_outbox(conn, few)
        async with pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT shard, seq, topic, key, value, headers FROM outbox ORDER BY shard, seq"
            )

        by_shard: dict[int, list[int]] = {}
        for row in rows:
            by_shard.setdefault(row["shard"], []).append(row["seq"])
        last = {r["topic"] + str(r["key"]): tuple(r)[3:] for r in rows if r["topic"] == "few"}
        assert (
            {s: list(range(1, len(seqs) + 1)) for s, seqs in by_shard.items()},
            {"fewc1:l1": ("c1:l1", None, None), "fewNone": (None, b"w", '[["a", "b"]]')},
            602,
        ) == (by_shard, last, len(rows))


async def _lead(conn: asyncpg.pool.PoolConnectionProxy[Any], lead_id: str) -> LeadState:
    """A running lead ``c1:<lead_id>``, inserted, as the sequencer reads it."""
    await conn.execute(
        "INSERT INTO leads (campaign_id, lead_id, status, next_step, reason, version, updated_at)"
        " VALUES ('c1', $1, 'in_progress', 1, 'started', 1, clock_timestamp())",
        lead_id,
    )
    row = await conn.fetchrow(f"SELECT {store.LEAD_COLUMNS} FROM leads WHERE lead_id = $1", lead_id)
    assert row is not None
    return store.lead_from_row(row)


class TestSaveLeadsWriteOutbox:
    """``store.save_leads_write_outbox``: a batch's leads and output in one statement."""

    async def test_writes_the_leads_and_numbers_the_rows(
        self, pool: asyncpg.Pool, listener: Listener
    ) -> None:
        """The lead's new version is stored; its rows are numbered 1..n in their shard."""
        async with pool.acquire() as conn, conn.transaction():
            lead = await _lead(conn, "l1")
            paused = dataclasses.replace(lead, status=LeadStatusValue.PAUSED, version=2)
            records = _records("status", ["c1:l1", "c1:l1"])
            await store.save_leads_write_outbox(conn, [(paused, None)], records, shards=SHARDS)
        async with pool.acquire() as conn:
            version = await conn.fetchval("SELECT version FROM leads WHERE lead_id = 'l1'")
            seqs = await conn.fetch("SELECT shard, seq FROM outbox ORDER BY seq")

        shard = store.shard_of("c1:l1", SHARDS)
        assert (2, [(shard, 1), (shard, 2)], [str(shard)]) == (
            version,
            [tuple(r) for r in seqs],
            await listener.seen(1),
        )

    async def test_an_older_version_is_a_conflict_and_writes_nothing(
        self, pool: asyncpg.Pool
    ) -> None:
        """A lead row newer than the batch's raises ``VersionConflict``; nothing is written."""
        async with pool.acquire() as conn:
            async with conn.transaction():
                lead = await _lead(conn, "l1")
                await conn.execute("UPDATE leads SET version = 5 WHERE lead_id = 'l1'")
            stale = dataclasses.replace(lead, version=2)
            with pytest.raises(store.VersionConflict):
                async with conn.transaction():
                    await store.save_leads_write_outbox(
                        conn, [(stale, None)], _records("status", ["c1:l1"]), shards=SHARDS
                    )
            count = await conn.fetchval("SELECT count(*) FROM outbox")

        assert 0 == count

    async def test_shards_are_not_locked_while_a_lead_row_is_waited_for(
        self, pool: asyncpg.Pool
    ) -> None:
        """A writer waiting for a lead row another holds leaves its shard to other writers."""
        async with pool.acquire() as conn, conn.transaction():
            lead = await _lead(conn, "l1")
        paused = dataclasses.replace(lead, status=LeadStatusValue.PAUSED, version=2)
        key = "c1:l1"
        async with pool.acquire() as holder, holder.transaction():
            await holder.execute("SELECT 1 FROM leads WHERE lead_id = 'l1' FOR UPDATE")

            async def waiting_writer() -> None:
                async with pool.acquire() as conn, conn.transaction():
                    await store.save_leads_write_outbox(
                        conn, [(paused, None)], _records("waiting", [key]), shards=SHARDS
                    )

            waiting = asyncio.create_task(waiting_writer())
            await asyncio.sleep(0.3)  # the writer is blocked on the lead row by now
            async with pool.acquire() as conn, conn.transaction():
                await asyncio.wait_for(
                    store.write_outbox(conn, _records("other", [key]), shards=SHARDS), 5
                )
        await waiting
        async with pool.acquire() as conn:
            rows = await conn.fetch("SELECT seq, topic FROM outbox ORDER BY seq")

        assert [(1, "other"), (2, "waiting")] == [tuple(r) for r in rows]


class TestRelayWakes:
    """A relay woken per shard still publishes every row exactly once, in order per key."""

    async def test_rows_of_separate_commits_to_some_shards_are_published_once_in_order(
        self, settings: Settings, pool: asyncpg.Pool
    ) -> None:
        """Commits waking one shard, then each: every key's rows arrive once, in order."""
        topics = Topics(settings.topic_prefix)
        board = HealthBoard()
        relay = Relay(
            pool=pool,
            settings=settings,
            metrics=Metrics(CollectorRegistry()),
            health=board.register("sequencer"),
        )
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        keys = [_key_in(shard) for shard in range(SHARDS)]
        expected: list[tuple[str, bytes]] = []
        try:
            for round_ in range(3):
                for key in [*keys[round_ : round_ + 1], *keys]:
                    value = f'{{"key": "{key}", "n": {len(expected)}}}'.encode()
                    expected.append((key, value))
                    async with pool.acquire() as conn, conn.transaction():
                        await store.write_outbox(
                            conn, [OutboxRecord(topics.command_results, key, value)]
                        )
            async with TopicReader(settings, topics.command_results) as reader:
                await eventually(lambda: _read_at_least(reader, len(expected)), timeout_s=30)
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
        seen = [(r.key.decode(), r.value) for r in reader.records]

        assert len(expected) == len(seen)
        for key in keys:
            assert [v for k, v in expected if k == key] == [v for k, v in seen if k == key]


async def _read_at_least(reader: TopicReader, count: int) -> bool:
    return len(await reader.poll()) >= count
