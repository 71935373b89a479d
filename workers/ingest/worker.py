"""The async loop of an ingest worker (replies, clicks or bookings).

Per consumed batch (``getmany``): decide every record with the pure ``decide_batch``, send every
command and dead letter without awaiting each, await all acknowledgements, then commit the
consumed offsets.  A crash can repeat a batch (the command ids are deterministic, the sequencer
deduplicates) but never lose an event.

The event consumer subscribes only once the campaign table has caught up, so no event is
decided against a partial table; the worker is ready when the table has caught up and it holds
partitions.  On ``stop`` it finishes the current batch, leaves its group and closes its clients.

Group ids: ``{prefix}-{name}`` with the topic prefix's trailing separator dropped, so the default
prefix ``leadflow.`` gives ``leadflow-replies``, ``leadflow-clicks`` and ``leadflow-bookings``.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError

from schemas import BookingEvent, ClickEvent, ReplyEvent
from workers.health import Health
from workers.ingest.batch import (
    Command,
    DeadLetter,
    EventModel,
    Output,
    Record,
    decide_batch,
    has_unknown_campaign,
    next_offsets,
)
from workers.ingest.campaigns import CampaignFollower
from workers.ingest.resolver import Resolver
from workers.kafka_io import (
    BatchPublisher,
    DeadLetters,
    PartitionCache,
    make_consumer,
    make_producer,
    record_lag,
)
from workers.runtime import WorkerContext, WorkerFactory
from workers.tokens_store import CachedSends, PgSends
from workers.topics import Topics, group_id

log = structlog.get_logger("leadflow.ingest")

#: How long one ``getmany`` waits for records; bounds how late a stop is noticed.
_FETCH_TIMEOUT_MS = 250
#: Records per batch at most (one round of acknowledgements and one commit each).
_MAX_BATCH_RECORDS = 2000
#: Heartbeat interval while the campaign table is read.
_CATCH_UP_BEAT_S = 0.1
#: How long an event naming an unknown campaign waits for the table to reach the topic's end.
_SYNC_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class IngestKind:
    """What distinguishes the three ingest workers."""

    name: str
    model: EventModel
    topic: Callable[[Topics], str]


INGEST_WORKERS: Mapping[str, IngestKind] = {
    "replies": IngestKind("replies", ReplyEvent, lambda t: t.replies),
    "clicks": IngestKind("clicks", ClickEvent, lambda t: t.clicks),
    "bookings": IngestKind("bookings", BookingEvent, lambda t: t.bookings),
}


def ingest_factory(name: str) -> WorkerFactory:
    """A factory of the ingest worker ``name`` (``replies``, ``clicks`` or ``bookings``)."""
    kind = INGEST_WORKERS[name]

    def build(context: WorkerContext) -> IngestWorker:
        return IngestWorker(kind, context)

    return build


class _Rebalances(ConsumerRebalanceListener):  # type: ignore[misc]
    """Counts assignments, lets a running batch finish before revoking, forgets revoked lag."""

    def __init__(self, worker: IngestWorker) -> None:
        self._worker = worker

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        async with self._worker.batch_lock:
            self._worker.forget_partitions(revoked)

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self._worker.on_assigned(assigned)


class IngestWorker:
    """Consumes one event topic and publishes a LeadCommand per valid event."""

    def __init__(self, kind: IngestKind, context: WorkerContext) -> None:
        self.name = kind.name
        #: Held while a batch is processed; a revocation waits for it.
        self.batch_lock = asyncio.Lock()
        self.kind = kind
        self.settings = context.settings
        self.metrics = context.metrics
        self.health = context.health
        self.topics = Topics(context.settings.topic_prefix)
        self.topic = kind.topic(self.topics)
        self.log = log.bind(worker=self.name, topic=self.topic)
        #: Fails at once (one line) when LEADFLOW_TRACKING_SECRET is missing.
        self.secrets = context.settings.tracking_secrets()

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop``; the current batch is always finished and committed first."""
        # Each batch is flushed by awaiting its acknowledgements: lingering would only add delay.
        producer = make_producer(self.settings, linger_ms=0)
        sends = PgSends(self.settings.database_url)
        await producer.start()
        try:
            await self._run_with(producer, stop, CachedSends(sends))
        finally:
            await producer.stop()
            await sends.close()
            self.health.set_ready(False, "stopped")
            self.log.info("ingest worker stopped")

    async def _run_with(
        self, producer: AIOKafkaProducer, stop: asyncio.Event, sends: CachedSends
    ) -> None:
        dead_letters = DeadLetters(producer, topic=self.topics.dlq, worker=self.name)
        follower = CampaignFollower(
            # The follower reads the whole topic every start (no subscription); its group only
            # remembers which bad settings records were already dead-lettered.
            consumer=make_consumer(
                self.settings,
                group_id=f"{group_id(self.settings.topic_prefix, self.name)}-campaigns",
            ),
            partitions_for=producer.partitions_for,
            topic=self.topics.campaigns,
            dead_letters=dead_letters,
            metrics=self.metrics,
            worker=self.name,
        )
        self.health.set_ready(False, "reading the campaign table")
        async with _running(follower) as following:
            if not await _caught_up(follower, following, stop, self.health):
                return
            resolver = Resolver(
                self.secrets, sends, metrics=self.metrics, worker=self.name, beat=self.health.beat
            )
            loop = _Loop(self, producer, dead_letters, follower, resolver)
            await loop.run(stop, following)

    def forget_partitions(self, revoked: set[TopicPartition]) -> None:
        """Drop the lag gauges of partitions this worker no longer holds."""
        for tp in revoked:
            with contextlib.suppress(KeyError):
                self.metrics.consumer_lag.remove(self.name, tp.topic, str(tp.partition))
        if revoked:
            self.log.info("partitions revoked", partitions=sorted(tp.partition for tp in revoked))

    def on_assigned(self, assigned: set[TopicPartition]) -> None:
        """Count the assignment."""
        self.metrics.rebalances.labels(self.name).inc()
        self.log.info("partitions assigned", partitions=sorted(tp.partition for tp in assigned))


class _Loop:
    """consume -> decide -> publish -> acknowledge -> commit, one batch at a time."""

    def __init__(
        self,
        worker: IngestWorker,
        producer: AIOKafkaProducer,
        dead_letters: DeadLetters,
        follower: CampaignFollower,
        resolver: Resolver,
    ) -> None:
        self._w = worker
        self._resolver = resolver
        self._producer = producer
        self._partitions = PartitionCache()
        self._dead_letters = dead_letters
        self._follower = follower
        self._consumer = make_consumer(
            worker.settings,
            group_id=group_id(worker.settings.topic_prefix, worker.name),
            max_poll_records=_MAX_BATCH_RECORDS,
        )
        self._log = worker.log

    async def run(self, stop: asyncio.Event, following: asyncio.Task[None]) -> None:
        self._consumer.subscribe([self._w.topic], listener=_Rebalances(self._w))
        await self._consumer.start()
        try:
            while not stop.is_set():
                if following.done():
                    following.result()  # the campaign follower failed: crash with its error
                batch = await self._consumer.getmany(timeout_ms=_FETCH_TIMEOUT_MS)
                self._w.health.beat()
                if batch:
                    await self._handle(batch)
                await self._after_batch()
        finally:
            await self._consumer.stop()  # leaves the group

    async def _handle(self, batch: Mapping[TopicPartition, Sequence[Record]]) -> None:
        started = time.perf_counter()
        async with self._w.batch_lock:
            held = self._consumer.assignment()
            batch = {tp: records for tp, records in batch.items() if tp in held}
            records = [r for records in batch.values() for r in records]
            outputs = await self._decide(records)
            await self._publish(outputs)
            await self._commit(next_offsets(batch))
        self._count_consumed(batch)
        self._w.metrics.batch_seconds.labels(self._w.name).observe(time.perf_counter() - started)

    async def _decide(self, records: list[Record]) -> list[Output]:
        kind, table, secrets = self._w.kind, self._follower.table, self._w.secrets
        decided = decide_batch(records, kind.model, table.get, secrets=secrets)
        outputs = await self._resolver.finish(decided, table.get)
        if has_unknown_campaign(outputs) and await self._follower.sync(_SYNC_TIMEOUT_S):
            decided = decide_batch(records, kind.model, table.get, secrets=secrets)
            outputs = await self._resolver.finish(decided, table.get)
        return outputs

    async def _publish(self, outputs: list[Output]) -> None:
        """Send every output without waiting, then wait for every acknowledgement."""
        commands = BatchPublisher(self._producer, self._partitions)
        acks: list[asyncio.Future[Any]] = []
        for output in outputs:
            if isinstance(output, DeadLetter):
                self._note_dead_letter(output)
                acks.append(await self._dead_letters.send(output.record, output.reason))
            else:
                await commands.add(self._w.topics.commands, output.key, output.value, None)
        acks += await commands.flush()
        await asyncio.gather(*acks)
        decisions = Counter(
            (o.command.trigger.value if o.command.trigger else "none", o.command.action.value)
            for o in outputs
            if isinstance(o, Command)
        )
        for (trigger, action), count in decisions.items():
            self._w.metrics.decisions.labels(self._w.name, trigger, action).inc(count)
        if decisions:
            published = sum(decisions.values())
            self._w.metrics.commands_published.labels(self._w.name).inc(published)

    def _note_dead_letter(self, letter: DeadLetter) -> None:
        record, metrics, name = letter.record, self._w.metrics, self._w.name
        if letter.unknown_campaign is None:
            metrics.events_invalid.labels(name, record.topic).inc()
        metrics.dlq.labels(name, record.topic).inc()
        self._log.warning(
            "event dead-lettered",
            partition=record.partition,
            offset=record.offset,
            campaign=letter.unknown_campaign,
            reason=letter.reason,
        )

    async def _commit(self, offsets: dict[TopicPartition, int]) -> None:
        if not offsets:
            return
        try:
            await self._consumer.commit(offsets)
        except (CommitFailedError, IllegalStateError) as error:
            # The partitions moved on: their new owner repeats the batch (same command ids).
            self._log.warning("commit refused after a rebalance", error=str(error))

    def _count_consumed(self, batch: Mapping[TopicPartition, Sequence[Record]]) -> None:
        count = sum(len(records) for records in batch.values())
        if count:
            self._w.metrics.events_consumed.labels(self._w.name, self._w.topic).inc(count)

    async def _after_batch(self) -> None:
        held = self._consumer.assignment()
        await record_lag(self._consumer, self._w.metrics, self._w.name, held)
        if held:
            self._w.health.set_ready(True, "ready")
        else:
            self._w.health.set_ready(False, "waiting for partitions")


@contextlib.asynccontextmanager
async def _running(follower: CampaignFollower) -> AsyncIterator[asyncio.Task[None]]:
    """Run the follower as a task for the block; stop it (and close its consumer) afterwards."""
    follower_stop = asyncio.Event()
    task = asyncio.create_task(follower.run(follower_stop), name="campaign-follower")
    try:
        yield task
    finally:
        follower_stop.set()
        await task


async def _caught_up(
    follower: CampaignFollower, following: asyncio.Task[None], stop: asyncio.Event, health: Health
) -> bool:
    """Wait for the campaign table to catch up, beating the heartbeat; False on ``stop``.

    A failure of the follower's task is raised here.
    """
    while not follower.caught_up.is_set():
        if following.done():
            following.result()
            raise RuntimeError("the campaign follower stopped before it caught up")
        if stop.is_set():
            return False
        health.beat()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(follower.caught_up.wait(), _CATCH_UP_BEAT_S)
    return not stop.is_set()
