"""The async loop of an ingest worker (replies, clicks or bookings).

Per consumed batch: decide every record with the pure ``decide_batch``, send every command and
dead letter without awaiting each, flush (every acknowledgement, or the first delivery error),
then hand the consumed offsets to the spaced commits (``commit_behind.SpacedCommits``): they
are committed in the background, at most once a second.  A crash can repeat the batches since
the last commit (the command ids are deterministic, the sequencer deduplicates) but never lose
an event.

``IngestLoop`` is written against the narrow ``Source`` and ``Publisher`` of ``workers.ports``;
``IngestWorker`` wires it to aiokafka (``workers.kafka_ports``) and the campaign follower, and the
unit tests drive the same loop with in-memory doubles.

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
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from structlog.contextvars import bound_contextvars

from schemas import BookingEvent, ClickEvent, ReplyEvent
from workers.dlq import dead_letter_headers
from workers.health import Health
from workers.ingest.batch import (
    Command,
    DeadLetter,
    EventModel,
    Lookup,
    Output,
    decide_batch,
    has_unknown_campaign,
    next_offsets,
)
from workers.ingest.campaigns import CampaignFollower
from workers.ingest.commit_behind import SpacedCommits
from workers.ingest.replies import ReplyClassifier
from workers.ingest.resolver import Resolver
from workers.kafka_io import (
    EVENT_FETCH_MIN_BYTES,
    SIDE_FETCH_MAX_WAIT_MS,
    DeadLetters,
    make_consumer,
    make_producer,
)
from workers.kafka_ports import KafkaPublisher, KafkaSource
from workers.metrics import Metrics
from workers.oversized import DEFAULT_MAX_RECORD_BYTES, OutRecord, fit
from workers.ports import Batch, CommitRefused, Partition, Publisher, Record, Source
from workers.protocol import WorkerContext, WorkerFactory
from workers.tokens_store import CachedSends, PgSends
from workers.topics import Topics, group_id

log = structlog.get_logger("leadflow.ingest")

#: How long one fetch waits for records; bounds how late a stop is noticed.
_FETCH_TIMEOUT_MS = 250
#: Records per batch at most (one round of acknowledgements and one commit each).
_MAX_BATCH_RECORDS = 2000
#: Heartbeat interval while the campaign table is read.
_CATCH_UP_BEAT_S = 0.1
#: Offset commits at most this often (``SpacedCommits``): a crash repeats at most the batches
#: since the last one, and the sequencer drops the repeated commands.
COMMIT_EVERY_S = 1.0
#: How long an event naming an unknown campaign waits for the table to reach the topic's end.
_SYNC_TIMEOUT_S = 5.0

#: Waits up to the given seconds for the campaign table to reach the topic's end; True if it did.
Sync = Callable[[float], Awaitable[bool]]


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


class IngestWorker:
    """Consumes one event topic and publishes a LeadCommand per valid event."""

    def __init__(self, kind: IngestKind, context: WorkerContext) -> None:
        self.name = kind.name
        self.kind = kind
        self.settings = context.settings
        self.metrics = context.metrics
        self.health = context.health
        self.topics = Topics(context.settings.topic_prefix)
        self.topic = kind.topic(self.topics)
        #: Fails at once (one line) when LEADFLOW_TRACKING_SECRET is missing.
        self.secrets = context.settings.tracking_secrets()

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop``; the current batch is always finished and committed first."""
        with bound_contextvars(worker=self.name, topic=self.topic):
            # Each batch is flushed by awaiting its acknowledgements: lingering only adds delay.
            producer = make_producer(self.settings, linger_ms=0)
            sends = PgSends(self.settings.database_url)
            try:
                await producer.start()  # in the try: a failed or cancelled start is closed too
                await self._run_with(producer, stop, CachedSends(sends))
            finally:
                await producer.stop()
                await sends.close()
                self.health.set_ready(False, "stopped")
                log.info("ingest worker stopped")

    async def _run_with(
        self, producer: AIOKafkaProducer, stop: asyncio.Event, sends: CachedSends
    ) -> None:
        follower = CampaignFollower(
            # The follower reads the whole topic every start (no subscription); its group only
            # remembers which bad settings records were already dead-lettered.
            consumer=make_consumer(
                self.settings,
                group_id=f"{group_id(self.settings.topic_prefix, self.name)}-campaigns",
                fetch_max_wait_ms=SIDE_FETCH_MAX_WAIT_MS,
            ),
            partitions_for=producer.partitions_for,
            topic=self.topics.campaigns,
            dead_letters=DeadLetters(producer, topic=self.topics.dlq, worker=self.name),
            metrics=self.metrics,
            worker=self.name,
        )
        self.health.set_ready(False, "reading the campaign table")
        async with _running(follower) as following:
            if not await _caught_up(follower, following, stop, self.health):
                return
            loop = IngestLoop(
                self.kind,
                topics=self.topics,
                source=KafkaSource(self._event_consumer(), self.topic),
                publisher=KafkaPublisher(producer),
                lookup=follower.table.get,
                sync=follower.sync,
                resolver=Resolver(
                    self.secrets,
                    sends,
                    metrics=self.metrics,
                    worker=self.name,
                    beat=self.health.beat,
                ),
                metrics=self.metrics,
                health=self.health,
            )
            await loop.run(stop, check=lambda: _raise_if_failed(following))

    def _event_consumer(self) -> AIOKafkaConsumer:
        return make_consumer(
            self.settings,
            group_id=group_id(self.settings.topic_prefix, self.name),
            max_poll_records=_MAX_BATCH_RECORDS,
            fetch_min_bytes=EVENT_FETCH_MIN_BYTES,
        )


class IngestLoop:
    """consume -> decide -> publish -> flush -> commit, one batch at a time.

    Offsets are committed only after ``Publisher.flush`` returned: a delivery error raises out
    of the loop before the commit, so the batch is consumed again after the restart. Commits
    run while the next batches are fetched and decided, at most one every ``commit_every_s``;
    a revocation and a stop commit what waits and wait for it.
    """

    def __init__(
        self,
        kind: IngestKind,
        *,
        topics: Topics,
        source: Source,
        publisher: Publisher,
        lookup: Lookup,
        sync: Sync,
        resolver: Resolver,
        metrics: Metrics,
        health: Health,
        commit_every_s: float = COMMIT_EVERY_S,
    ) -> None:
        self._kind = kind
        self._name = kind.name
        self._topic = kind.topic(topics)
        self._topics = topics
        self._source = source
        self._publisher = publisher
        self._lookup = lookup
        self._sync = sync
        self._resolver = resolver
        self._metrics = metrics
        self._health = health
        #: Replies are classified (out of office, bounce, ...) before their rule applies.
        self._classify = ReplyClassifier(metrics) if kind.model is ReplyEvent else None
        #: Held while a batch is processed; a revocation waits for it.
        self._batch_lock = asyncio.Lock()
        #: Acknowledged offsets, committed behind the loop at most every ``commit_every_s``.
        self._commits: SpacedCommits[Partition] = SpacedCommits(
            self._commit, every_s=commit_every_s
        )

    async def run(self, stop: asyncio.Event, check: Callable[[], None] = lambda: None) -> None:
        """Process batches until ``stop``; ``check`` raises when a companion task failed."""
        try:
            await self._source.start(self._on_revoked, self._on_assigned)
            while not stop.is_set():
                check()
                batch = await self._source.fetch(_FETCH_TIMEOUT_MS)
                self._health.beat()
                if batch:
                    await self.handle(batch)
                await self._after_batch()
            await self._commits.flush()
        finally:
            await self._commits.abandon()
            await self._source.stop()  # leaves the group

    async def handle(self, batch: Batch) -> None:
        """Decide, publish, flush and commit one batch (of the partitions still held)."""
        started = time.perf_counter()
        async with self._batch_lock:
            held = self._source.assignment()
            batch = {tp: records for tp, records in batch.items() if tp in held}
            records = [r for records in batch.values() for r in records]
            outputs = await self._decide(records)
            await self._publish(outputs)
            await self._commit_behind(next_offsets(batch))
        self._count_consumed(batch)
        self._metrics.batch_seconds.labels(self._name).observe(time.perf_counter() - started)

    async def _decide(self, records: list[Record]) -> list[Output]:
        outputs = await self._decide_once(records)
        if has_unknown_campaign(outputs) and await self._sync(_SYNC_TIMEOUT_S):
            outputs = await self._decide_once(records, again=True)
        return outputs

    async def _decide_once(self, records: list[Record], *, again: bool = False) -> list[Output]:
        """Validate and decide; events naming no lead are resolved through ``send_tokens``."""
        secrets = self._resolver.secrets
        classify = self._classify
        decided = decide_batch(
            records, self._kind.model, self._lookup, secrets=secrets, classify=classify
        )
        return await self._resolver.finish(
            decided, self._lookup, count=not again, classify=classify
        )

    async def _publish(self, outputs: list[Output]) -> None:
        """Send every output without waiting, then wait for every acknowledgement."""
        for output in outputs:
            if isinstance(output, DeadLetter):
                self._note_dead_letter(output)
                copy = self._dead_letter_copy(output)
                await self._publisher.send(copy.topic, copy.key, copy.value, copy.headers)
            else:
                await self._publisher.send(self._topics.commands, output.key, output.value)
        await self._publisher.flush()
        self._count_decisions(outputs)

    def _dead_letter_copy(self, letter: DeadLetter) -> OutRecord:
        """The DLQ copy: original key and bytes, the contract's headers; cut when over the limit.

        A near-limit input's copy with its headers may not fit the broker's record limit: it
        goes truncated, with headers saying so (``workers/oversized.py``), never not at all.
        """
        record = letter.record
        headers = dead_letter_headers(record, letter.reason, worker=self._name)
        copy = OutRecord(self._topics.dlq, record.key, record.value, headers)
        dlq = self._topics.dlq
        return fit(copy, limit=DEFAULT_MAX_RECORD_BYTES, dlq_topic=dlq, worker=self._name)

    def _count_decisions(self, outputs: list[Output]) -> None:
        decisions = Counter(
            (o.command.trigger.value if o.command.trigger else "none", o.command.action.value)
            for o in outputs
            if isinstance(o, Command)
        )
        for (trigger, action), count in decisions.items():
            self._metrics.decisions.labels(self._name, trigger, action).inc(count)
        if decisions:
            published = sum(decisions.values())
            self._metrics.commands_published.labels(self._name).inc(published)

    def _note_dead_letter(self, letter: DeadLetter) -> None:
        record, metrics, name = letter.record, self._metrics, self._name
        if letter.unknown_campaign is None:
            metrics.events_invalid.labels(name, record.topic).inc()
        metrics.dlq.labels(name, record.topic).inc()
        log.warning(
            "event dead-lettered",
            partition=record.partition,
            offset=record.offset,
            campaign=letter.unknown_campaign,
            reason=letter.reason,
        )

    async def _commit_behind(self, offsets: dict[Partition, int]) -> None:
        """Hand ``offsets`` to the spaced commits; do not wait for their commit.

        Every output of the batch is acknowledged already (``commit_behind``); commits stay
        in order, one at a time; one that fails raises at the next batch.
        """
        if offsets:
            await self._commits.offer(offsets)

    async def _commit(self, offsets: dict[Partition, int]) -> None:
        try:
            await self._source.commit(offsets)
        except CommitRefused as error:
            # The partitions moved on: their new owner repeats the batch (same command ids).
            log.warning("commit refused after a rebalance", error=str(error))

    def _count_consumed(self, batch: Batch) -> None:
        count = sum(len(records) for records in batch.values())
        if count:
            self._metrics.events_consumed.labels(self._name, self._topic).inc(count)

    async def _after_batch(self) -> None:
        await self._commits.tick()
        for tp, lag in (await self._source.lags()).items():
            self._metrics.consumer_lag.labels(self._name, tp.topic, str(tp.partition)).set(lag)
        if self._source.assignment():
            self._health.set_ready(True, "ready")
        else:
            self._health.set_ready(False, "waiting for partitions")

    async def _on_revoked(self, revoked: set[Partition]) -> None:
        """Let a running batch finish and commit what waits, then drop the revoked gauges."""
        async with self._batch_lock:
            await self._commits.flush()
            for tp in revoked:
                with contextlib.suppress(KeyError):
                    self._metrics.consumer_lag.remove(self._name, tp.topic, str(tp.partition))
        if revoked:
            log.info("partitions revoked", partitions=sorted(tp.partition for tp in revoked))

    async def _on_assigned(self, assigned: set[Partition]) -> None:
        self._metrics.rebalances.labels(self._name).inc()
        log.info("partitions assigned", partitions=sorted(tp.partition for tp in assigned))


def _raise_if_failed(task: asyncio.Task[None]) -> None:
    """Raise the error of ``task`` if it has ended (the campaign follower must not end)."""
    if task.done():
        task.result()


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
