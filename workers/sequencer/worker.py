"""``leadflow run sequencer``: four loops over one database pool.

- commands: the ``commands`` topic in the group ``{prefix}sequencer`` → ``commands.apply_batch``
- campaigns: every partition of ``campaigns`` → ``campaigns.apply_campaign_batch``
- suppressions: every partition of ``suppressions`` → ``suppressions.apply_suppression_batch``
- timers: due leads → ``timers.fire_due``
- relay: outbox → Kafka (``relay.Relay``)

The two consumers keep their positions in the database, written in the same transaction as
the state; on (re)assignment and after any failed transaction they seek to those positions.
Kafka offsets are committed too, after the database, only so that lag-based autoscaling
(KEDA) and ``kafka-consumer-groups`` see the group's progress.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import math
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError

from workers.health import Health
from workers.kafka_io import make_consumer, partitions_of, record_lag
from workers.metrics import Metrics
from workers.runtime import Worker, WorkerContext
from workers.sequencer import store
from workers.sequencer.campaigns import apply_campaign_batch
from workers.sequencer.commands import apply_batch
from workers.sequencer.effects import Effects
from workers.sequencer.relay import Relay
from workers.sequencer.suppressions import apply_suppression_batch
from workers.sequencer.timers import fire_due
from workers.sequencer.waiting import pause, pause_until_woken
from workers.settings import Settings
from workers.topics import Topics, group_id

log = structlog.get_logger("leadflow.sequencer").bind(worker="sequencer")

_RETRYABLE = (
    store.OffsetConflict,
    store.VersionConflict,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    OSError,
)
ApplyFn = Callable[..., Awaitable[Effects]]
#: Command ids are remembered this long: twice the commands topic's default retention.
_INBOX_DAYS = 14
_PRUNE_EVERY_S = 600.0
#: Campaign records per transaction (each may fan out to every lead of its campaign).
_CAMPAIGN_BATCH = 100
#: Suppression records per transaction (each may stop a person's leads in every campaign).
_SUPPRESSION_BATCH = 500
#: A lane that claimed nothing looks again after this long at the soonest.
_LOCKED_DUE_RETRY_S = 0.02
#: Command ids deleted per statement, between timer passes.
_PRUNE_CHUNK = 5000
#: Seconds after which a replica without partitions reports ready.
_IDLE_READY_S = 15.0


class SequencerWorker:
    """The sequencer process's loops."""

    name = "sequencer"

    def __init__(
        self,
        *,
        settings: Settings,
        metrics: Metrics,
        health: Health,
        timer_batch: int = 2000,
        command_batch: int = 10000,
        poll_s: float = 0.1,
        timer_lanes: int = 2,
    ) -> None:
        self._settings = settings
        self._topics = Topics(settings.topic_prefix)
        self._metrics = metrics
        self._health = health
        self._timer_batch = timer_batch
        self._command_batch = command_batch
        self._poll_s = poll_s
        self._timer_lanes = [_lane_name(i) for i in range(timer_lanes)]
        self._caught_up = {"commands": False, "campaigns": False, "suppressions": False}
        #: Set when this replica wrote a wake-up time: the timer loop looks again at once
        #: instead of at its next poll, so an enrolment or a launch is sent without delay.
        self._timers_woken = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        pool = await _connect(self._settings.database_url, stop, self._health)
        if pool is None:
            return
        self._health.expect("commands", "campaigns", "suppressions", *self._timer_lanes, "relay")
        relay = Relay(
            pool=pool, settings=self._settings, metrics=self._metrics, health=self._health
        )
        try:
            await _all_or_nothing(
                self._consume_commands(pool, stop),
                self._consume_campaigns(pool, stop),
                self._consume_suppressions(pool, stop),
                *(self._fire_timers(pool, stop, lane) for lane in self._timer_lanes),
                relay.run(stop),
            )
        finally:
            await pool.close()

    # --- readiness -------------------------------------------------------------------------

    def _mark(self, part: str, caught_up: bool) -> None:
        """Latch readiness: a part is ready once it has caught up after start."""
        if self._caught_up[part] or not caught_up:
            return
        self._caught_up[part] = True
        waiting = [k for k, v in self._caught_up.items() if not v]
        self._health.set_ready(not waiting, "catching up: " + ", ".join(waiting) if waiting else "")

    # --- commands ----------------------------------------------------------------------------

    async def _consume_commands(self, pool: asyncpg.Pool, stop: asyncio.Event) -> None:
        topic = self._topics.commands
        positions = _Positions(pool, topic)
        consumer = make_consumer(
            self._settings,
            group_id=group_id(self._settings.topic_prefix, "sequencer"),
            max_poll_records=None,
        )
        listener = _SeekToStored(consumer, positions, self._metrics)
        consumer.subscribe([topic], listener=listener)
        await consumer.start()
        try:
            await self._consume(consumer, positions, apply_batch, "commands", stop)
        finally:
            await positions.finish_mirroring()
            await consumer.stop()

    # --- campaigns ---------------------------------------------------------------------------

    async def _consume_campaigns(self, pool: asyncpg.Pool, stop: asyncio.Event) -> None:
        apply = functools.partial(
            apply_campaign_batch, progress=lambda: self._health.beat("campaigns")
        )
        await self._follow(
            pool, self._topics.campaigns, apply, "campaigns", stop, max_records=_CAMPAIGN_BATCH
        )

    # --- suppressions ------------------------------------------------------------------------

    async def _consume_suppressions(self, pool: asyncpg.Pool, stop: asyncio.Event) -> None:
        topic = self._topics.suppressions
        await self._follow(
            pool,
            topic,
            apply_suppression_batch,
            "suppressions",
            stop,
            max_records=_SUPPRESSION_BATCH,
        )

    async def _follow(
        self,
        pool: asyncpg.Pool,
        topic: str,
        apply: ApplyFn,
        part: str,
        stop: asyncio.Event,
        *,
        max_records: int,
    ) -> None:
        """Follow every partition of a compacted topic, positions stored in the database."""
        positions = _Positions(pool, topic)
        consumer = make_consumer(self._settings, group_id=None)
        await consumer.start()
        try:
            tps = await partitions_of(consumer, topic)
            consumer.assign(tps)
            await positions.seek_all(consumer, tps)
            await self._consume(consumer, positions, apply, part, stop, max_records=max_records)
        finally:
            await consumer.stop()

    # --- the shared consume loop -----------------------------------------------------------

    async def _consume(
        self,
        consumer: AIOKafkaConsumer,
        positions: _Positions,
        apply: ApplyFn,
        part: str,
        stop: asyncio.Event,
        *,
        max_records: int | None = None,
    ) -> None:
        # A replica with no partition (more replicas than partitions) is ready once it waited
        # out a rebalance; one with partitions, once it has caught up with them.
        idle_ready_at = time.monotonic() + _IDLE_READY_S
        while not stop.is_set():
            self._health.beat(part)
            batch = await consumer.getmany(
                timeout_ms=200, max_records=max_records or self._command_batch
            )
            records = positions.unapplied(r for tp in sorted(batch) for r in batch[tp])
            if records:
                await self._apply_or_rewind(consumer, positions, apply, records, part)
            assigned = consumer.assignment()
            lag = await record_lag(consumer, self._metrics, "sequencer", assigned)
            caught_up = (
                lag == 0
                and not records
                and all(consumer.highwater(tp) is not None for tp in assigned)
            )
            self._mark(part, (bool(assigned) and caught_up) or time.monotonic() > idle_ready_at)

    async def _apply_or_rewind(
        self,
        consumer: AIOKafkaConsumer,
        positions: _Positions,
        apply: ApplyFn,
        records: list[ConsumerRecord[bytes, bytes]],
        part: str,
    ) -> None:
        started = time.perf_counter()
        try:
            async with positions.pool.acquire() as conn, conn.transaction():
                effects = await apply(
                    conn, records, expected=positions.expected, topics=self._topics
                )
        except _RETRYABLE as exc:
            log.warning(
                "batch not applied: rewinding to stored offsets", part=part, error=repr(exc)
            )
            await asyncio.sleep(0.5)
            await positions.seek_all(consumer, list(consumer.assignment()))
            return
        positions.advance(records)
        if effects.schedules_wake:
            self._timers_woken.set()
        self._observe(part, records, effects, time.perf_counter() - started)
        positions.mirror_to_group(consumer)

    def _observe(
        self,
        part: str,
        records: Sequence[ConsumerRecord[bytes, bytes]],
        effects: Effects,
        took_s: float,
    ) -> None:
        topic = records[0].topic
        self._metrics.events_consumed.labels("sequencer", topic).inc(len(records))
        self._metrics.batch_seconds.labels("sequencer").observe(took_s)
        dead = sum(1 for r in effects.outbox if r.topic == self._topics.dlq)
        if dead:
            self._metrics.events_invalid.labels("sequencer", topic).inc(dead)
            self._metrics.dlq.labels("sequencer", topic).inc(dead)
        for outcome, count in effects.outcomes.items():
            self._metrics.commands_applied.labels(outcome).inc(count)
        self._metrics.sends.inc(len(effects.sends))
        log.debug("batch applied", part=part, records=len(records), took_s=round(took_s, 4))

    # --- timers ------------------------------------------------------------------------------

    async def _fire_timers(self, pool: asyncpg.Pool, stop: asyncio.Event, lane: str) -> None:
        """One timer lane: claim due leads, fire them, sleep until the next wake-up.

        Lanes claim disjoint leads (``SKIP LOCKED``), so while one waits for the database
        another computes; the first lane also prunes the inbox.
        """
        prune_at = 0.0 if lane == self._timer_lanes[0] else math.inf
        while not stop.is_set():
            self._health.beat(lane)
            if time.monotonic() >= prune_at:
                pruned = await _prune_inbox(pool)
                # A full chunk: more is left, delete the next one after this timer pass.
                prune_at = time.monotonic() + (0.0 if pruned >= _PRUNE_CHUNK else _PRUNE_EVERY_S)
            self._timers_woken.clear()
            try:
                async with pool.acquire() as conn, conn.transaction():
                    fired = await fire_due(conn, limit=self._timer_batch, topics=self._topics)
            except _RETRYABLE as exc:
                log.warning("timer batch failed; retrying", error=repr(exc))
                await pause(stop, 0.5)
                continue
            self._metrics.sends.inc(len(fired.effects.sends))
            for lateness in fired.lateness_s:
                self._metrics.timer_lateness.observe(max(0.0, lateness))
            if fired.claimed < self._timer_batch:
                wait_s = await self._until_next_timer(pool)
                if fired.claimed == 0:
                    # Nothing claimable although the earliest wake-up may be past: the due
                    # rows are locked by the other lane, another replica or a command batch.
                    wait_s = max(wait_s, _LOCKED_DUE_RETRY_S)
                await pause_until_woken(stop, self._timers_woken, wait_s)

    async def _until_next_timer(self, pool: asyncpg.Pool) -> float:
        """Seconds until the earliest wake-up, at most the poll interval (new timers appear)."""
        with contextlib.suppress(*_RETRYABLE):
            wait = await pool.fetchval(store.SECONDS_TO_NEXT_WAKE)
            if wait is not None:
                return float(min(max(wait, 0.0), self._poll_s))
        return self._poll_s


class _Positions:
    """The stored next offset per partition of one topic, as this replica last knew it."""

    def __init__(self, pool: asyncpg.Pool, topic: str) -> None:
        self.pool = pool
        self.topic = topic
        self.expected: dict[int, int] = {}
        self._mirroring: asyncio.Task[None] | None = None

    def mirror_to_group(self, consumer: AIOKafkaConsumer) -> None:
        """Commit the stored offsets to the Kafka group in the background (one at a time)."""
        if self._mirroring is None or self._mirroring.done():
            self._mirroring = asyncio.create_task(_commit_quietly(consumer, self))

    async def finish_mirroring(self) -> None:
        """Wait for the background commit, before the consumer stops."""
        if self._mirroring is not None:
            await asyncio.gather(self._mirroring, return_exceptions=True)

    async def seek_all(self, consumer: AIOKafkaConsumer, tps: Sequence[TopicPartition]) -> None:
        """Seek every partition to the offset stored with the state (the beginning when none)."""
        async with self.pool.acquire() as conn:
            stored = await store.load_offsets(conn, self.topic)
        self.expected = {tp.partition: stored[tp.partition] for tp in tps if tp.partition in stored}
        for tp in tps:
            if tp.partition in stored:
                consumer.seek(tp, stored[tp.partition])
            else:
                await consumer.seek_to_beginning(tp)

    def unapplied(
        self, records: Iterable[ConsumerRecord[bytes, bytes]]
    ) -> list[ConsumerRecord[bytes, bytes]]:
        """Drop records below the stored offsets (fetched before a seek took effect)."""
        return [r for r in records if r.offset >= self.expected.get(r.partition, 0)]

    def advance(self, records: Sequence[ConsumerRecord[bytes, bytes]]) -> None:
        for record in records:
            self.expected[record.partition] = record.offset + 1


class _SeekToStored(ConsumerRebalanceListener):  # type: ignore[misc]
    """On every assignment, continue from the offsets the database holds."""

    def __init__(self, consumer: AIOKafkaConsumer, positions: _Positions, metrics: Metrics) -> None:
        self._consumer = consumer
        self._positions = positions
        self._metrics = metrics

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        for tp in revoked:
            self._positions.expected.pop(tp.partition, None)

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self._metrics.rebalances.labels("sequencer").inc()
        await self._positions.seek_all(self._consumer, sorted(assigned))
        log.info("partitions assigned", partitions=sorted(tp.partition for tp in assigned))


async def _commit_quietly(consumer: AIOKafkaConsumer, positions: _Positions) -> None:
    """Mirror the stored offsets into the group (for lag monitoring); failure is harmless."""
    if consumer._group_id is None:
        return
    offsets = {
        TopicPartition(positions.topic, p): o
        for p, o in positions.expected.items()
        if TopicPartition(positions.topic, p) in consumer.assignment()
    }
    with contextlib.suppress(CommitFailedError, KafkaError):
        await consumer.commit(offsets)


def _lane_name(index: int) -> str:
    return "timers" if index == 0 else f"timers-{index + 1}"


async def _prune_inbox(pool: asyncpg.Pool) -> int:
    """Delete one chunk of expired command ids (0 when the database is unavailable)."""
    with contextlib.suppress(*_RETRYABLE):
        async with pool.acquire() as conn:
            pruned = await store.prune_inbox(conn, keep_days=_INBOX_DAYS, limit=_PRUNE_CHUNK)
        if pruned:
            log.info("inbox pruned", removed=pruned)
        return pruned
    return 0


async def _connect(url: str, stop: asyncio.Event, health: Health) -> asyncpg.Pool | None:
    delay = 0.5
    while not stop.is_set():
        health.beat()
        try:
            return await store.connect_pool(url)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("database unreachable; retrying", error=repr(exc))
            await pause(stop, delay)
            delay = min(delay * 2, 5.0)
    return None


async def _all_or_nothing(*loops: Awaitable[None]) -> None:
    """Run loops together; the first to fail cancels the others and raises."""
    tasks = [asyncio.ensure_future(loop) for loop in loops]
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def sequencer_factory(ctx: WorkerContext) -> Worker:
    return SequencerWorker(settings=ctx.settings, metrics=ctx.metrics, health=ctx.health)
