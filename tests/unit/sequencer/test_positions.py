"""Positions and the commands consumer's rebalance listener, against doubles of aiokafka.

The doubles keep what these tests depend on from aiokafka 0.14 (its source, not a guess):

- the rebalance listener runs in the consumer's own coordination task, at any await of the
  loop (``GroupCoordinator._on_join_prepare`` / ``_on_join_complete``);
- ``consumer.stop()`` closes the coordinator, which awaits its coordination task: a rebalance in
  progress is finished first, ``on_partitions_assigned`` included (``GroupCoordinator.close``);
- ``seek`` and ``seek_to_beginning`` raise ``IllegalStateError`` for a partition not assigned;
- after an assignment, fetching starts from the group's committed offsets (the beginning when
  none) unless the consumer seeks.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeAlias, cast

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import IllegalStateError
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from workers.health import HealthBoard
from workers.metrics import Metrics
from workers.sequencer import command_consumer, store
from workers.sequencer.batch_loop import BatchLoop, LoopDeps, Readiness
from workers.sequencer.command_consumer import CommandConsumer
from workers.sequencer.effects import Effects
from workers.sequencer.positions import Positions, SeekToStored
from workers.sequencer.settings import SequencerSettings
from workers.settings import Settings
from workers.topics import Topics

TOPIC = "t.commands"
P0, P1, P2 = (TopicPartition(TOPIC, p) for p in range(3))
Record: TypeAlias = ConsumerRecord[bytes, bytes]


def _record(tp: TopicPartition, offset: int) -> Record:
    return ConsumerRecord(TOPIC, tp.partition, offset, 0, 0, None, b"{}", None, 2, 0, [])


class FakeConsumer:
    """The part of ``AIOKafkaConsumer`` the loop uses; each partition holds ``length`` records."""

    def __init__(self, assigned: set[TopicPartition], *, length: int = 10) -> None:
        self.listener: SeekToStored | None = None
        self._group_id = "g"
        self._assigned = set(assigned)
        self._length = length
        self._position = dict.fromkeys(assigned, 0)
        #: The group's committed offsets: where fetching starts after an assignment.
        self.committed: dict[TopicPartition, int] = {}
        #: The assignment of a rebalance whose JoinGroup is in flight.
        self._joining: set[TopicPartition] | None = None
        #: Called at the start of each ``getmany`` (a test's interleaving), with the call's number.
        self.on_fetch: Callable[[int], Awaitable[None]] | None = None
        self._fetches = 0
        #: When set, commits wait for it (a slow group coordinator).
        self.commit_gate: asyncio.Event | None = None
        self.commit_started = asyncio.Event()
        self.stopped = False

    def subscribe(self, topics: list[str], *, listener: SeekToStored) -> None:
        self.listener = listener

    async def start(self) -> None:
        """The first join: the group assigns what the double was built with."""
        await self.complete_rebalance(self.assignment())

    def assignment(self) -> set[TopicPartition]:
        return set(self._assigned)

    def seek(self, tp: TopicPartition, offset: int) -> None:
        if tp not in self._assigned:
            raise IllegalStateError(f"No current assignment for partition {tp}")
        self._position[tp] = offset

    async def seek_to_beginning(self, *tps: TopicPartition) -> None:
        await asyncio.sleep(0)
        for tp in tps:
            self.seek(tp, 0)

    async def getmany(self, *, timeout_ms: int, max_records: int | None) -> dict[Any, list[Record]]:
        self._fetches += 1
        if self.on_fetch is not None:
            await self.on_fetch(self._fetches)
        batch = {}
        for tp in sorted(self._assigned):
            start = self._position[tp]
            if start < self._length:
                batch[tp] = [_record(tp, offset) for offset in range(start, self._length)]
                self._position[tp] = self._length
        await asyncio.sleep(0)
        return batch

    def highwater(self, tp: TopicPartition) -> int | None:
        return self._length

    async def position(self, tp: TopicPartition) -> int:
        return self._position[tp]

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.commit_started.set()
        if self.commit_gate is not None:
            await self.commit_gate.wait()
        self.committed.update(offsets)

    async def begin_rebalance(self) -> None:
        """The coordination task: revoke everything, send JoinGroup (answered later)."""
        assert self.listener is not None
        await self.listener.on_partitions_revoked(self.assignment())
        self._assigned = set()

    async def complete_rebalance(self, assigned: set[TopicPartition]) -> None:
        """The coordination task: the join answered, assign, then call the listener."""
        assert self.listener is not None
        self._assigned = set(assigned)
        self._position = {tp: self.committed.get(tp, 0) for tp in assigned}
        await self.listener.on_partitions_assigned(set(assigned))

    async def rebalance(self, assigned: set[TopicPartition]) -> None:
        await self.begin_rebalance()
        await self.complete_rebalance(assigned)

    def join_answered_at_stop(self, assigned: set[TopicPartition]) -> None:
        """A JoinGroup is in flight: ``stop()`` will see it answered before it returns."""
        self._joining = assigned

    async def stop(self) -> None:
        """``GroupCoordinator.close`` awaits the coordination task: the join finishes first."""
        self.stopped = True
        if self._joining is not None:
            await self.complete_rebalance(self._joining)
            self._joining = None


class FakeConnection:
    """A pooled connection: ``load_offsets``' query and a transaction that does nothing."""

    def __init__(self, pool: FakePool) -> None:
        self._pool = pool

    async def fetch(self, query: str, topic: str) -> list[dict[str, int]]:
        assert query == store.LOAD_OFFSETS
        self._pool.reads += 1
        if self._pool.during_read is not None:
            during, self._pool.during_read = self._pool.during_read, None
            await during()
        return [{"partition": p, "next_offset": o} for p, o in self._pool.stored.items()]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        yield


class FakePool:
    """Counts what the sequencer asks of the database; refuses once closed, as asyncpg does."""

    def __init__(self, stored: dict[int, int]) -> None:
        self.stored = stored
        self.reads = 0
        self.closed = False
        #: Run once inside the next offsets read (another task's turn while the read waits).
        self.during_read: Callable[[], Awaitable[None]] | None = None

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[FakeConnection]:
        if self.closed:
            raise asyncpg.InterfaceError("pool is closing")
        await asyncio.sleep(0)
        yield FakeConnection(self)


class Applied:
    """The apply function: records what each transaction applied; fails when told to."""

    def __init__(self, *, until: int = 0) -> None:
        self.offsets: list[tuple[int, int]] = []
        self.fail_next = 0
        #: Set once ``until`` records were applied.
        self.reached = asyncio.Event()
        self._until = until

    async def __call__(self, conn: Any, records: Sequence[Record], **_: Any) -> Effects:
        if self.fail_next:
            self.fail_next -= 1
            raise store.OffsetConflict("moved elsewhere")
        self.offsets += [(r.partition, r.offset) for r in records]
        if len(self.offsets) >= self._until:
            self.reached.set()
        return Effects(topics=Topics("t."))


def _deps(pool: FakePool) -> LoopDeps:
    health = HealthBoard().register("sequencer")
    return LoopDeps(
        pool=cast(asyncpg.Pool, pool),
        settings=Settings(tracking_secret=SecretStr("unit-tracking-secret"), topic_prefix="t."),
        tuning=SequencerSettings(retry_pause_s=0.001, fetch_timeout_s=0.001),
        metrics=Metrics(CollectorRegistry()),
        health=health,
        readiness=Readiness(health, "commands"),
        timers_woken=asyncio.Event(),
    )


def _loop(consumer: FakeConsumer, pool: FakePool, apply: Applied) -> tuple[BatchLoop, Positions]:
    deps = _deps(pool)
    positions = Positions(cast(asyncpg.Pool, pool), TOPIC)
    consumer.listener = SeekToStored(positions, deps.metrics)
    loop = BatchLoop(
        "commands",
        consumer=cast(AIOKafkaConsumer, consumer),
        positions=positions,
        apply=apply,
        max_records=1000,
        deps=deps,
    )
    return loop, positions


async def _run_until(loop: BatchLoop, stop: asyncio.Event, done: asyncio.Event) -> None:
    """Run the loop until ``done`` is set (or it ends), then stop it and wait for it to return."""
    task = asyncio.create_task(loop.run(stop))
    waiting = asyncio.create_task(done.wait())
    await asyncio.wait([task, waiting], timeout=5, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    stop.set()
    await asyncio.wait_for(task, 5)


class TestSeekToStored:
    """``SeekToStored``: the listener aiokafka calls from its coordination task."""

    async def test_an_assignment_is_noted_without_touching_the_database(self) -> None:
        """The listener reads nothing: the loop seeks at its next fetch, in its own task."""
        pool = FakePool({0: 4})
        pool.closed = True
        positions = Positions(cast(asyncpg.Pool, pool), TOPIC)
        listener = SeekToStored(positions, Metrics(CollectorRegistry()))

        await listener.on_partitions_assigned({P0})

        assert 0 == pool.reads

    async def test_a_revocation_forgets_the_revoked_positions(self) -> None:
        """Revoked partitions leave ``expected``; the others keep theirs."""
        positions = Positions(cast(asyncpg.Pool, FakePool({})), TOPIC)
        positions.expected = {0: 4, 1: 7}
        listener = SeekToStored(positions, Metrics(CollectorRegistry()))

        await listener.on_partitions_revoked({P0})

        assert {1: 7} == positions.expected


class TestFollowAssignment:
    """``Positions.follow_assignment``: seek after a new assignment, in the loop's task."""

    async def test_nothing_to_do_without_a_new_assignment(self) -> None:
        """Without an assignment noted, no read and no seek."""
        pool = FakePool({0: 4})
        positions = Positions(cast(asyncpg.Pool, pool), TOPIC)

        followed = await positions.follow_assignment(cast(AIOKafkaConsumer, FakeConsumer({P0})))

        assert (False, 0) == (followed, pool.reads)

    async def test_seeks_every_assigned_partition_to_its_stored_offset(self) -> None:
        """Stored offsets where the database has them, the beginning elsewhere."""
        consumer = FakeConsumer({P0, P1}, length=10)
        positions = Positions(cast(asyncpg.Pool, FakePool({0: 4})), TOPIC)
        positions.note_assignment()

        followed = await positions.follow_assignment(cast(AIOKafkaConsumer, consumer))

        assert (True, {0: 4}) == (followed, positions.expected)
        assert [4, 0] == [await consumer.position(tp) for tp in (P0, P1)]


class TestBatchLoopAcrossRebalances:
    """``BatchLoop`` with the commands consumer's listener while the group rebalances."""

    async def test_records_fetched_across_an_assignment_are_applied_from_the_stored_offsets(
        self,
    ) -> None:
        """What was fetched from the group's committed offsets is fetched again from the stored."""
        consumer = FakeConsumer({P0}, length=6)
        pool = FakePool({0: 4, 1: 2})
        apply = Applied(until=6)
        loop, _ = _loop(consumer, pool, apply)

        async def rebalance_at_first_fetch(n: int) -> None:
            if n == 1:
                await consumer.rebalance({P0, P1})

        consumer.on_fetch = rebalance_at_first_fetch
        await _run_until(loop, asyncio.Event(), apply.reached)

        assert [(0, 4), (0, 5), (1, 2), (1, 3), (1, 4), (1, 5)] == apply.offsets

    async def test_a_rebalance_during_a_rewind_seeks_no_revoked_partition(self) -> None:
        """A rewind whose offsets read outlasts a rebalance seeks only what is still assigned."""
        consumer = FakeConsumer({P0, P1, P2}, length=3)
        pool = FakePool({0: 1, 1: 1, 2: 1})
        apply = Applied(until=2)
        apply.fail_next = 1  # the first batch is rolled back: the loop rewinds
        loop, _ = _loop(consumer, pool, apply)

        async def first_fetch_only_then_rebalance_during_the_rewind(n: int) -> None:
            if n == 1:
                # aiokafka's coordination task runs while the rewind waits for the database
                pool.during_read = lambda: asyncio.create_task(consumer.rebalance({P0}))

        consumer.on_fetch = first_fetch_only_then_rebalance_during_the_rewind
        await _run_until(loop, asyncio.Event(), apply.reached)

        assert [(0, 1), (0, 2)] == apply.offsets

    async def test_a_stop_during_a_rebalance_reads_nothing_after_the_loop(self) -> None:
        """SIGTERM while a join is in flight: the listener run by ``stop()`` reads nothing."""
        consumer = FakeConsumer({P0}, length=3)
        pool = FakePool({0: 1})
        apply = Applied()
        loop, _ = _loop(consumer, pool, apply)
        stop = asyncio.Event()

        async def sigterm_while_joining(n: int) -> None:
            if n == 2:
                await consumer.begin_rebalance()
                consumer.join_answered_at_stop({P0, P1})
                stop.set()

        consumer.on_fetch = sigterm_while_joining
        await _run_until(loop, stop, stop)
        reads_when_the_loop_ended = pool.reads
        pool.closed = True  # from here on the pool belongs to nobody (the worker closes it)

        await consumer.stop()  # as CommandConsumer.run does after its loop

        assert reads_when_the_loop_ended == pool.reads


class TestCommandConsumer:
    """``CommandConsumer.run``: its consumer is stopped however the run ends."""

    async def test_a_cancelled_drain_still_stops_the_consumer(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Cancelled while its last group commit drains, it still stops the consumer.

        Otherwise aiokafka's coordination task (and any rebalance it finishes) outlives the
        worker and its database pool.
        """
        consumer = FakeConsumer({P0}, length=1)
        consumer.commit_gate = asyncio.Event()
        apply = Applied(until=1)
        monkeypatch.setattr(command_consumer, "make_consumer", lambda *_, **__: consumer)
        monkeypatch.setattr(command_consumer, "apply_batch", apply)
        draining = asyncio.Event()
        finish_mirroring = Positions.finish_mirroring

        async def noting_the_drain(self: Positions) -> None:
            draining.set()
            await finish_mirroring(self)

        monkeypatch.setattr(Positions, "finish_mirroring", noting_the_drain)
        stop = asyncio.Event()
        running = asyncio.create_task(CommandConsumer(_deps(FakePool({}))).run(stop))
        await consumer.commit_started.wait()  # a batch applied; its group commit is pending

        stop.set()
        await draining.wait()
        running.cancel()  # e.g. another service of the replica failed meanwhile
        with contextlib.suppress(asyncio.CancelledError):
            await running

        assert (True, [(0, 0)]) == (consumer.stopped, apply.offsets)
