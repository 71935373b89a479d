"""The loop both sequencer consumers share: fetch a batch, apply it in one transaction.

A transient failure rolls the batch back and seeks to the stored offsets (the batch is
fetched and applied again); a permanent database error bisects the batch down to the record
the database refuses, which is dead-lettered alone (``db_errors.py``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord

from workers.health import Health
from workers.kafka_io import record_lag
from workers.metrics import Metrics
from workers.sequencer import store
from workers.sequencer.commands import dead_letter_alone
from workers.sequencer.db_errors import describe, is_permanent, sqlstate
from workers.sequencer.effects import Effects
from workers.sequencer.positions import Positions
from workers.sequencer.settings import SequencerSettings
from workers.settings import Settings
from workers.topics import Topics

log = structlog.get_logger("leadflow.sequencer")

#: Errors after which a batch is rolled back and fetched again from the stored offsets.
RETRYABLE = (
    store.OffsetConflict,
    store.VersionConflict,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    OSError,
)
ApplyFn = Callable[..., Awaitable[Effects]]
Records = Sequence[ConsumerRecord[bytes, bytes]]


class Prelude(Protocol):
    """Work committed on its own before a batch's transaction (``campaigns.SendHolds``)."""

    async def before(self, pool: asyncpg.Pool, records: Records) -> None:
        """Before each attempt to apply ``records``: commits on its own."""

    async def refused(self, conn: store.Conn, records: Records) -> None:
        """Undo ``before`` for ``records`` refused for good (in the dead-letter transaction)."""


#: The stored offsets are mirrored into the Kafka group at most this often while batches
#: follow each other, and once more when the consumer falls idle: the mirror only feeds
#: lag monitoring, and one commit per batch cost the broker a request and an append each.
MIRROR_EVERY_S = 1.0


class Readiness:
    """The replica is ready once each consumer has caught up after start (latched)."""

    def __init__(self, health: Health, *parts: str) -> None:
        self._health = health
        self._caught_up = dict.fromkeys(parts, False)

    def mark(self, part: str, caught_up: bool) -> None:
        """Note that ``part`` caught up (once is enough)."""
        if self._caught_up[part] or not caught_up:
            return
        self._caught_up[part] = True
        waiting = [k for k, v in self._caught_up.items() if not v]
        self._health.set_ready(not waiting, "catching up: " + ", ".join(waiting) if waiting else "")


@dataclass(frozen=True, slots=True)
class LoopDeps:
    """What every consuming service of one sequencer replica shares."""

    pool: asyncpg.Pool
    settings: Settings
    tuning: SequencerSettings
    metrics: Metrics
    health: Health
    readiness: Readiness
    #: Set when a batch wrote a wake-up time: the timer lanes look again at once.
    timers_woken: asyncio.Event

    @property
    def topics(self) -> Topics:
        return Topics(self.settings.topic_prefix)


class BatchLoop:
    """Applies what one consumer fetches, batch by batch, each in one transaction."""

    def __init__(
        self,
        part: str,
        *,
        consumer: AIOKafkaConsumer,
        positions: Positions,
        apply: ApplyFn,
        max_records: int,
        deps: LoopDeps,
        prelude: Prelude | None = None,
    ) -> None:
        self.part = part
        self._prelude = prelude
        self._consumer = consumer
        self._positions = positions
        self._apply = apply
        self._max_records = max_records
        self._tuning = deps.tuning
        self._topics = deps.topics
        self._metrics = deps.metrics
        self._health = deps.health
        self._readiness = deps.readiness
        self._timers_woken = deps.timers_woken
        #: Whether offsets were applied since the last mirror into the group, and when that was.
        self._unmirrored = False
        self._mirrored_at = -MIRROR_EVERY_S

    async def run(self, stop: asyncio.Event) -> None:
        """Fetch and apply until ``stop``.

        A replica with no partition (more replicas than partitions) is ready once it waited
        out a rebalance; one with partitions, once it has caught up with them.
        """
        consumer = self._consumer
        idle_ready_at = time.monotonic() + self._tuning.idle_ready_s
        while not stop.is_set():
            self._health.beat(self.part)
            batch = await consumer.getmany(
                timeout_ms=int(self._tuning.fetch_timeout_s * 1000), max_records=self._max_records
            )
            if await self._positions.follow_assignment(consumer):
                continue  # fetched across a new assignment: again, from the stored offsets
            records = self._positions.unapplied(r for tp in sorted(batch) for r in batch[tp])
            if records:
                await self._apply_or_rewind(records)
            self._mirror(idle=not records)
            assigned = consumer.assignment()
            lag = await record_lag(consumer, self._metrics, "sequencer", assigned)
            caught_up = (
                lag == 0
                and not records
                and all(consumer.highwater(tp) is not None for tp in assigned)
            )
            ready = (bool(assigned) and caught_up) or time.monotonic() > idle_ready_at
            self._readiness.mark(self.part, ready)
        self._mirror(idle=True)

    async def _apply_or_rewind(self, records: list[ConsumerRecord[bytes, bytes]]) -> None:
        try:
            await self._apply_bisecting(self._apply, records)
        except RETRYABLE as exc:
            log.warning(
                "batch not applied: rewinding to stored offsets",
                part=self.part,
                error=type(exc).__name__,
                sqlstate=sqlstate(exc),
            )
            await asyncio.sleep(self._tuning.retry_pause_s)
            await self._positions.seek_all(self._consumer, list(self._consumer.assignment()))

    async def _apply_bisecting(
        self, apply: ApplyFn, records: list[ConsumerRecord[bytes, bytes]]
    ) -> None:
        """Apply ``records`` in one transaction; on a permanent database error, split them.

        Each half is applied on its own, down to the one record the database refuses, which
        is dead-lettered alone: a bad record costs about 2·log2(batch) transactions once,
        instead of stalling its partitions forever. Transient errors propagate (retry).
        """
        try:
            await self._apply_once(apply, records)
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OverflowError) as exc:
            if not is_permanent(exc):
                raise
            if len(records) > 1:
                middle = len(records) // 2
                await self._apply_bisecting(apply, records[:middle])
                await self._apply_bisecting(apply, records[middle:])
                return
            record = records[0]
            log.error(  # noqa: TRY400 (a traceback would print the refused value)
                "record refused for good: dead-lettered",
                part=self.part,
                partition=record.partition,
                offset=record.offset,
                error=type(exc).__name__,
                sqlstate=sqlstate(exc),
            )
            await self._apply_once(self._refusal(describe(exc)), records, prelude=False)

    def _refusal(self, reason: str) -> ApplyFn:
        """Dead-letter the records alone, undoing the prelude's work for them."""
        prelude = self._prelude

        async def refuse(
            conn: store.Conn, records: Records, *, expected: dict[int, int], topics: Topics
        ) -> Effects:
            if prelude is not None:
                await prelude.refused(conn, records)
            return await dead_letter_alone(
                conn, records, expected=expected, topics=topics, reason=reason
            )

        return refuse

    async def _apply_once(
        self, apply: ApplyFn, records: list[ConsumerRecord[bytes, bytes]], *, prelude: bool = True
    ) -> None:
        started = time.perf_counter()
        positions = self._positions
        if prelude and self._prelude is not None:
            await self._prelude.before(positions.pool, records)
        async with positions.pool.acquire() as conn, conn.transaction():
            effects = await apply(conn, records, expected=positions.expected, topics=self._topics)
        positions.advance(records)
        if effects.schedules_wake:
            self._timers_woken.set()
        self._observe(records, effects, time.perf_counter() - started)
        self._unmirrored = True

    def _mirror(self, *, idle: bool) -> None:
        """Mirror the applied offsets into the group when due (see ``MIRROR_EVERY_S``)."""
        now = time.monotonic()
        if self._unmirrored and (idle or now - self._mirrored_at >= MIRROR_EVERY_S):
            self._positions.mirror_to_group(self._consumer)
            self._unmirrored = False
            self._mirrored_at = now

    def _observe(
        self, records: Sequence[ConsumerRecord[bytes, bytes]], effects: Effects, took_s: float
    ) -> None:
        topic = records[0].topic
        self._metrics.events_consumed.labels("sequencer", topic).inc(len(records))
        self._metrics.batch_seconds.labels("sequencer").observe(took_s)
        dead = effects.flushed_dead + sum(1 for r in effects.outbox if r.topic == self._topics.dlq)
        if dead:
            self._metrics.events_invalid.labels("sequencer", topic).inc(dead)
            self._metrics.dlq.labels("sequencer", topic).inc(dead)
        for outcome, count in effects.outcomes.items():
            self._metrics.commands_applied.labels(outcome).inc(count)
        self._metrics.sends.inc(len(effects.sends))
        log.debug("batch applied", part=self.part, records=len(records), took_s=round(took_s, 4))
