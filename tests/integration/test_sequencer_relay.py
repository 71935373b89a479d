"""The outbox relay on the real broker and database: its failures are bounded and clean."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from prometheus_client import CollectorRegistry

from tests.integration.helpers import TopicReader, eventually, publish
from tests.integration.sequencer_helpers import campaign, command, running_sequencer
from workers.health import HealthBoard
from workers.kafka_io import make_producer
from workers.metrics import Metrics
from workers.sequencer import store
from workers.sequencer.progress import (
    progress_key,
    progress_record,
    read_positions,
    read_progress,
    transactional_id,
)
from workers.sequencer.relay import Relay
from workers.sequencer.settings import SequencerSettings
from workers.sequencer.store import OutboxRecord
from workers.settings import Settings
from workers.topics import Topics

pytestmark = pytest.mark.integration

SHARDS = 4
#: A lease long enough that no renewal falls within a test: what happens, happens without it.
_NO_RENEWAL = SequencerSettings(lease_s=60)


def _relay(pool: asyncpg.Pool, settings: Settings, **options: Any) -> Relay:
    board = HealthBoard()
    return Relay(
        pool=pool,
        settings=settings,
        metrics=Metrics(CollectorRegistry()),
        health=board.register("sequencer"),
        **options,
    )


def _record_producers(monkeypatch: pytest.MonkeyPatch) -> list[AIOKafkaProducer]:
    """Every producer the relay makes from now on (one per leadership attempt)."""
    made: list[AIOKafkaProducer] = []

    def recording(*args: Any, **kwargs: Any) -> AIOKafkaProducer:
        made.append(make_producer(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr("workers.sequencer.relay.make_producer", recording)
    return made


class TestFailedStart:
    """A relay whose leadership fails to start leaves nothing open behind it."""

    async def test_every_producer_is_stopped_when_the_start_fails(
        self, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Each producer a failed start created is closed again (none leaks per retry)."""
        made = _record_producers(monkeypatch)
        pool = await store.connect_pool(settings.database_url)

        async def unreadable(*_args: Any, **_kwargs: Any) -> dict[int, int]:
            raise KafkaError("progress unreadable")

        # The new leader's producer started, then the position cannot be read.
        monkeypatch.setattr("workers.sequencer.relay.read_progresses", unreadable)
        stop = asyncio.Event()
        task = asyncio.create_task(_relay(pool, settings).run(stop))
        try:
            await eventually(lambda: _at_least(made, 2), timeout_s=20)
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
            await pool.close()

        assert [True] * len(made) == [p._closed is True for p in made]


async def _at_least(items: list[Any], count: int) -> bool:
    return len(items) >= count


#: A command just under the broker's 1 MiB limit: it fits, its DLQ copy with headers does not.
_NEAR_LIMIT = 1_048_400


class TestOversizedOutput:
    """Output over the broker's size limit is published bounded, never lost or stuck."""

    async def test_dlq_copy_of_a_near_limit_command_is_published_truncated(
        self, settings: Settings
    ) -> None:
        """The DLQ copy arrives cut to fit, with the original size; the next command applies."""
        topics = Topics(settings.topic_prefix)
        big = b"x" * _NEAR_LIMIT  # not JSON: the sequencer dead-letters it
        await publish(settings, topics.campaigns, [("c1", campaign("c1"))])
        async with running_sequencer(settings):
            await publish(settings, topics.commands, [("c1:l1", big)])
            await publish(settings, topics.commands, [("c1:l1", command("c1", "l1", "enroll"))])
            async with TopicReader(settings, topics.dlq) as dlq:
                record = (await eventually(dlq.poll, timeout_s=20))[0]
            async with TopicReader(settings, topics.command_results) as results:
                applied = (await results.wait_for(1))[0]
        headers = {k: v.decode() for k, v in record.headers}

        assert str(_NEAR_LIMIT) == headers["leadflow.original-size"]
        assert "truncated" in headers["leadflow.truncated"]
        assert "not valid JSON" in headers["leadflow.error"]
        assert big.startswith(record.value)
        assert len(record.value) < _NEAR_LIMIT
        assert "applied" == applied["outcome"]

    async def test_a_failed_delivery_aborts_the_transaction_and_the_progress(
        self, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A record the broker refuses fails its transaction: no later row, no progress."""
        topics = Topics(settings.topic_prefix)
        made = _record_producers(monkeypatch)
        pool = await store.connect_pool(settings.database_url)
        async with pool.acquire() as conn, conn.transaction():
            await store.write_outbox(
                conn,
                [
                    OutboxRecord(
                        topics.dlq, "k", b"x" * _NEAR_LIMIT, (("leadflow.error", "e" * 500),)
                    ),
                    OutboxRecord(topics.command_results, "k", b"{}"),
                ],
            )
        stop = asyncio.Event()
        # A limit above the broker's: the relay lets the row through and the broker refuses it.
        relay = _relay(pool, settings, tuning=SequencerSettings(max_record_bytes=4 * _NEAR_LIMIT))
        task = asyncio.create_task(relay.run(stop))
        try:
            await eventually(lambda: _at_least(made, 2), timeout_s=20)  # stepped down once
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
            await pool.close()
        async with TopicReader(settings, topics.command_results) as results:
            published = await results.poll()

        assert 0 == await read_progress(settings, topics)
        assert [] == published


def _key_in(shard: int, index: int = 0) -> str:
    """The ``index``-th key ``c1:l<n>`` that falls into ``shard``."""
    keys = (f"c1:l{n}" for n in range(10_000))
    return [k for k in keys if store.shard_of(k, SHARDS) == shard][index]


async def _write(pool: asyncpg.Pool, topic: str, keys: list[str], tag: str) -> list[bytes]:
    """One outbox row per key, in one commit; their values."""
    values = [f'{{"key": "{key}", "tag": "{tag}"}}'.encode() for key in keys]
    async with pool.acquire() as conn, conn.transaction():
        await store.write_outbox(
            conn, [OutboxRecord(topic, k, v) for k, v in zip(keys, values, strict=True)]
        )
    return values


async def _published(settings: Settings, topic: str, count: int) -> list[bytes]:
    """The values on ``topic`` for read_committed readers, once at least ``count`` are there."""
    async with TopicReader(settings, topic) as reader:
        await eventually(lambda: _read_at_least(reader, count), timeout_s=30)
        await asyncio.sleep(0.5)  # anything published twice would show by now
        return [r.value for r in await reader.poll()]


async def _read_at_least(reader: TopicReader, count: int) -> bool:
    return len(await reader.poll()) >= count


async def _led_by(pool: asyncpg.Pool, owner: str) -> list[int]:
    rows = await pool.fetch("SELECT shard FROM relay_shards WHERE owner = $1 ORDER BY shard", owner)
    return [r["shard"] for r in rows]


async def _leads(pool: asyncpg.Pool, relay: Relay, count: int) -> list[int] | None:
    led = await _led_by(pool, relay.owner) if relay.owner else []
    return led if len(led) == count else None


def _count_transactions(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many transactions each transactional id began from now on."""
    begun: dict[str, int] = {}
    original = AIOKafkaProducer.begin_transaction

    async def counting(self: AIOKafkaProducer) -> None:
        tid = self._txn_manager.transactional_id
        begun[tid] = begun.get(tid, 0) + 1
        await original(self)

    monkeypatch.setattr(AIOKafkaProducer, "begin_transaction", counting)
    return begun


class TestOneTransactionPerReplica:
    """A replica publishes every shard it leads through one producer, in shared transactions."""

    async def test_rows_of_every_shard_go_out_in_one_transaction(
        self, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Rows waiting in all 4 shards: 1 transaction publishes them and all 4 positions."""
        topics = Topics(settings.topic_prefix)
        begun = _count_transactions(monkeypatch)
        pool = await store.connect_pool(settings.database_url)
        keys = [_key_in(shard) for shard in range(SHARDS)]
        stop = asyncio.Event()
        relay = _relay(pool, settings)
        try:
            async with pool.acquire() as conn:
                await store.ensure_shards(conn, SHARDS)
            values = await _write(pool, topics.command_results, keys, "all")
            task = asyncio.create_task(relay.run(stop))
            published = await _published(settings, topics.command_results, SHARDS)
            owner = relay.owner
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
            await pool.close()
        positions = await read_positions(settings, topics)

        assert sorted(values) == sorted(published)
        assert {0: 1, 1: 1, 2: 1, 3: 1} == positions
        assert {transactional_id(settings.topic_prefix, owner): 1} == begun


class TestFencing:
    """Taking a shard from an owner that did not hand it over fences that owner's producer."""

    async def test_a_dead_owners_open_transaction_is_aborted_and_its_commit_fails(
        self, settings: Settings
    ) -> None:
        """The dead owner's rows never show; the new leader publishes each row once."""
        topics = Topics(settings.topic_prefix)
        prefix = settings.topic_prefix
        pool = await store.connect_pool(settings.database_url)
        key = _key_in(1)
        async with pool.acquire() as conn:
            await store.ensure_shards(conn, SHARDS)
            await store.take_shard(conn, 1, "dead-owner")  # its session is gone: no lock
        values = await _write(pool, topics.command_results, [key, key], "dead")
        zombie = make_producer(settings, transactional_id=transactional_id(prefix, "dead-owner"))
        await zombie.start()
        # the dead owner had published both rows and shard 1's position, but not committed
        await zombie.begin_transaction()
        for value in values:
            await zombie.send_and_wait(topics.command_results, value, key=key.encode())
        await zombie.send_and_wait(
            topics.relay_progress, progress_record(2, 1, "dead-owner"), key=progress_key(1)
        )
        stop = asyncio.Event()
        task = asyncio.create_task(_relay(pool, settings, tuning=_NO_RENEWAL).run(stop))
        try:
            published = await _published(settings, topics.command_results, 2)
            with pytest.raises(KafkaError):
                await asyncio.wait_for(zombie.commit_transaction(), 20)
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
            await pool.close()
            with contextlib.suppress(KafkaError):
                await zombie.stop()

        assert values == published
        assert 2 == await read_progress(settings, topics, shard=1)

    async def test_a_fenced_live_replica_starts_over_with_a_new_owner(
        self, settings: Settings
    ) -> None:
        """Its next transaction fails; a new session publishes the rows once."""
        topics = Topics(settings.topic_prefix)
        pool = await store.connect_pool(settings.database_url)
        relay = _relay(pool, settings, tuning=_NO_RENEWAL)
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        try:
            await eventually(lambda: _leads(pool, relay, SHARDS), timeout_s=20)
            first = relay.owner
            fence = make_producer(
                settings, transactional_id=transactional_id(settings.topic_prefix, first)
            )
            await fence.start()  # what a new leader of its shards does
            await fence.stop()
            values = await _write(pool, topics.command_results, [_key_in(2)], "after")
            published = await _published(settings, topics.command_results, 1)
            second = relay.owner
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
            await pool.close()

        assert values == published
        assert first != second
        assert 1 == await read_progress(settings, topics, shard=2)


class TestHandOver:
    """A second replica gets its share at once, from clean hand-overs that fence nobody."""

    async def test_surplus_goes_to_a_new_replica_without_a_renewal_and_unfenced(
        self, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Within 3 s of the second replica joining each leads 2; no fence; rows once."""
        topics = Topics(settings.topic_prefix)
        made = _record_producers(monkeypatch)
        pool = await store.connect_pool(settings.database_url)
        first, second = (
            _relay(pool, settings, tuning=_NO_RENEWAL),
            _relay(pool, settings, tuning=_NO_RENEWAL),
        )
        keys = [_key_in(shard) for shard in range(SHARDS)]
        stop = asyncio.Event()
        tasks = [asyncio.create_task(first.run(stop))]
        try:
            await eventually(lambda: _leads(pool, first, SHARDS), timeout_s=20)
            owner = first.owner
            before = await _write(pool, topics.command_results, keys, "before")
            made_before = len(made)
            tasks.append(asyncio.create_task(second.run(stop)))
            await eventually(lambda: _leads(pool, second, 2), timeout_s=3)
            kept = await _led_by(pool, first.owner)
            after = await _write(pool, topics.command_results, keys, "after")
            published = await _published(settings, topics.command_results, 2 * SHARDS)
        finally:
            stop.set()
            await asyncio.wait_for(asyncio.gather(*tasks), 30)
            await pool.close()
        fences = [
            p
            for p in made[made_before:]
            if p._txn_manager.transactional_id
            != (transactional_id(settings.topic_prefix, second.owner))
        ]

        assert [0, 1] == kept
        assert owner == first.owner
        assert [] == fences
        assert sorted(before + after) == sorted(published)
