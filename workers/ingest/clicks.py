"""The clicks worker: scanner clicks filtered, bursts met by lead, held clicks never lost.

Two loops in one process, each its own consumer group::

    events.clicks (any key) --[route]--> internal.clicks-by-lead (lead key) --[decide]--> commands
      group leadflow-clicks                  group leadflow-clicks-by-lead

``route`` validates each click (bad input and unknown campaigns to the DLQ, as every ingest
worker does), re-publishes it unchanged keyed by its lead, awaits the acknowledgements, then
commits. It always re-keys, whatever key upstream used: a click keyed by its lead on
``events.clicks`` would land on the same partition number only when both topics have the same
partition count, and clicks named by a tracking token know their lead only once resolved. One
code path, one extra hop (a few milliseconds), and one lead's clicks always meet in one place.

``decide`` reads the re-keyed clicks, classifies each (``core.scanner.classify``), and offers it
to the burst hold (``core.hold.ClickHold``): a click already known as a scanner's, or one that
completes a burst, is settled at once; a lone click waits until 5 s after its arrival. Each
settled click becomes a LeadCommand (``click-{event_id}``). Offsets are committed only below the
oldest click still held or remembered in its partition, so a crash, a stop or a rebalance
replays those clicks; a click already published is published again with the same command id,
which the sequencer applies once.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError

from schemas import ScannerClicks
from workers.core.hold import ClickHold, Released
from workers.core.scanner import KnownScanners, Verdict
from workers.ingest.batch import DeadLetter, Record
from workers.ingest.campaigns import CampaignFollower
from workers.ingest.clicks_batch import (
    Forward,
    Pending,
    command_for,
    read_forwarded,
    route_record,
    sends_wanted,
    to_hold,
)
from workers.ingest.sent_at import NoSentAt, SendLogSentAt, SentAtLookup
from workers.kafka_io import (
    BatchPublisher,
    DeadLetters,
    PartitionCache,
    make_consumer,
    make_producer,
    record_lag,
)
from workers.runtime import WorkerContext
from workers.scanner_data import load_known_scanners
from workers.topics import Topics, group_id

log = structlog.get_logger("leadflow.ingest.clicks")

NAME = "clicks"
#: Longest wait of one fetch: bounds how late a stop or a due click is noticed.
_FETCH_TIMEOUT_MS = 250
_MAX_BATCH_RECORDS = 2000
#: How long a click naming an unknown campaign waits for the table to reach the topic's end.
_SYNC_TIMEOUT_S = 5.0
_CATCH_UP_BEAT_S = 0.1
_ROUTE, _DECIDE = "route", "decide"


def clicks_factory(context: WorkerContext) -> ClicksWorker:
    """The clicks worker, with the known scanners and the send-time lookup of its settings."""
    settings = context.settings
    return ClicksWorker(
        context,
        known=load_known_scanners(settings.scanner_networks_file),
        sent_at=SendLogSentAt(settings.database_url),
    )


class ClicksWorker:
    """Routes clicks by lead, then classifies, holds and decides them (see the module doc)."""

    def __init__(
        self,
        context: WorkerContext,
        *,
        known: KnownScanners,
        sent_at: SentAtLookup | None = None,
    ) -> None:
        self.name = NAME
        self.settings = context.settings
        self.metrics = context.metrics
        self.health = context.health
        self.known = known
        self.sent_at: SentAtLookup = sent_at or NoSentAt()
        self.topics = Topics(context.settings.topic_prefix)
        self.group = group_id(context.settings.topic_prefix, NAME)
        self.log = log.bind(worker=NAME)

    async def run(self, stop: asyncio.Event) -> None:
        """Run both loops until ``stop``; each finishes and commits its current step first."""
        producer = make_producer(self.settings, linger_ms=0)
        await producer.start()
        try:
            await self._run_with(producer, stop)
        finally:
            await producer.stop()
            await self.sent_at.close()
            self.health.set_ready(False, "stopped")
            self.log.info("clicks worker stopped")

    async def _run_with(self, producer: AIOKafkaProducer, stop: asyncio.Event) -> None:
        dead_letters = DeadLetters(producer, topic=self.topics.dlq, worker=NAME)
        follower = CampaignFollower(
            consumer=make_consumer(self.settings, group_id=f"{self.group}-campaigns"),
            partitions_for=producer.partitions_for,
            topic=self.topics.campaigns,
            dead_letters=dead_letters,
            metrics=self.metrics,
            worker=NAME,
        )
        self.health.set_ready(False, "reading the campaign table")
        follower_stop = asyncio.Event()
        following = asyncio.create_task(follower.run(follower_stop), name="clicks-campaigns")
        try:
            if not await self._caught_up(follower, following, stop):
                return
            self.health.expect(_ROUTE, _DECIDE)
            route = _Route(self, producer, dead_letters, follower)
            decide = _Decide(self, producer, dead_letters, follower)
            async with asyncio.TaskGroup() as group:
                group.create_task(route.run(stop, following))
                group.create_task(decide.run(stop))
                group.create_task(self._readiness(stop, route, decide))
        finally:
            follower_stop.set()
            await following

    async def _caught_up(
        self, follower: CampaignFollower, following: asyncio.Task[None], stop: asyncio.Event
    ) -> bool:
        while not follower.caught_up.is_set():
            if following.done():
                following.result()
                raise RuntimeError("the campaign follower stopped before it caught up")
            if stop.is_set():
                return False
            self.health.beat()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(follower.caught_up.wait(), _CATCH_UP_BEAT_S)
        return not stop.is_set()

    async def _readiness(self, stop: asyncio.Event, route: _Route, decide: _Decide) -> None:
        """Ready while both loops hold partitions."""
        while not stop.is_set():
            if route.consumer.assignment() and decide.consumer.assignment():
                self.health.set_ready(True, "ready")
            else:
                self.health.set_ready(False, "waiting for partitions")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.1)


class _Commits:
    """Commits offsets, tolerating a rebalance that moved the partitions away."""

    def __init__(self, consumer: AIOKafkaConsumer, worker_log: Any) -> None:
        self._consumer = consumer
        self._log = worker_log

    async def commit(self, offsets: Mapping[TopicPartition, int]) -> bool:
        if not offsets:
            return True
        try:
            await self._consumer.commit(dict(offsets))
        except (CommitFailedError, IllegalStateError) as error:
            # The partitions moved on: their new owner repeats what was not committed.
            self._log.warning("commit refused after a rebalance", error=str(error))
            return False
        return True


def _note_dead_letter(worker: ClicksWorker, letter: DeadLetter) -> None:
    record = letter.record
    if letter.unknown_campaign is None:
        worker.metrics.events_invalid.labels(NAME, record.topic).inc()
    worker.metrics.dlq.labels(NAME, record.topic).inc()
    worker.log.warning(
        "click dead-lettered",
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        campaign=letter.unknown_campaign,
        reason=letter.reason,
    )


def _unknown_campaign(outputs: Iterable[Forward | DeadLetter]) -> bool:
    return any(isinstance(o, DeadLetter) and o.unknown_campaign is not None for o in outputs)


class _Route:
    """events.clicks -> internal.clicks-by-lead, keyed by lead; bad input to the DLQ."""

    def __init__(
        self,
        worker: ClicksWorker,
        producer: AIOKafkaProducer,
        dead_letters: DeadLetters,
        follower: CampaignFollower,
    ) -> None:
        self._w = worker
        self._producer = producer
        self._partitions = PartitionCache()
        self._dead_letters = dead_letters
        self._follower = follower
        self.consumer = make_consumer(
            worker.settings, group_id=worker.group, max_poll_records=_MAX_BATCH_RECORDS
        )
        self._commits = _Commits(self.consumer, worker.log)
        self._lock = asyncio.Lock()

    async def run(self, stop: asyncio.Event, following: asyncio.Task[None]) -> None:
        self.consumer.subscribe([self._w.topics.clicks], listener=_Revocations(self._lock))
        await self.consumer.start()
        try:
            while not stop.is_set():
                if following.done():
                    following.result()  # the campaign follower failed: crash with its error
                batch = await self.consumer.getmany(timeout_ms=_FETCH_TIMEOUT_MS)
                self._w.health.beat(_ROUTE)
                if batch:
                    await self._handle(batch)
                held = self.consumer.assignment()
                await record_lag(self.consumer, self._w.metrics, NAME, held)
        finally:
            await self.consumer.stop()

    async def _handle(self, batch: Mapping[TopicPartition, Sequence[Record]]) -> None:
        async with self._lock:
            assigned = self.consumer.assignment()
            batch = {tp: records for tp, records in batch.items() if tp in assigned}
            records = [r for records in batch.values() for r in records]
            outputs = await self._route(records)
            await self._publish(outputs)
            await self._commits.commit({tp: rs[-1].offset + 1 for tp, rs in batch.items() if rs})
        count = len(records)
        if count:
            self._w.metrics.events_consumed.labels(NAME, self._w.topics.clicks).inc(count)

    async def _route(self, records: list[Record]) -> list[Forward | DeadLetter]:
        table = self._follower.table
        outputs = [route_record(r, table.get) for r in records]
        if _unknown_campaign(outputs) and await self._follower.sync(_SYNC_TIMEOUT_S):
            outputs = [route_record(r, table.get) for r in records]
        return outputs

    async def _publish(self, outputs: Iterable[Forward | DeadLetter]) -> None:
        forwards = BatchPublisher(self._producer, self._partitions)
        acks: list[asyncio.Future[Any]] = []
        for output in outputs:
            if isinstance(output, DeadLetter):
                _note_dead_letter(self._w, output)
                acks.append(await self._dead_letters.send(output.record, output.reason))
            else:
                await forwards.add(self._w.topics.clicks_by_lead, output.key, output.value, None)
        acks += await forwards.flush()
        await asyncio.gather(*acks)


class _Revocations(ConsumerRebalanceListener):  # type: ignore[misc]
    """Lets the running step finish before partitions are revoked."""

    def __init__(self, lock: asyncio.Lock, on_revoked: Any = None) -> None:
        self._lock = lock
        self._on_revoked = on_revoked

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        async with self._lock:
            if self._on_revoked is not None:
                await self._on_revoked(revoked)

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        return None


class _Decide:
    """internal.clicks-by-lead -> classify, hold, decide -> commands; commits below the hold."""

    def __init__(
        self,
        worker: ClicksWorker,
        producer: AIOKafkaProducer,
        dead_letters: DeadLetters,
        follower: CampaignFollower,
    ) -> None:
        self._w = worker
        self._producer = producer
        self._partitions = PartitionCache()
        self._dead_letters = dead_letters
        self._follower = follower
        self._hold: ClickHold[Pending] = ClickHold()
        self._topic = worker.topics.clicks_by_lead
        self.consumer = make_consumer(
            worker.settings, group_id=f"{worker.group}-by-lead", max_poll_records=_MAX_BATCH_RECORDS
        )
        self._commits = _Commits(self.consumer, worker.log)
        self._lock = asyncio.Lock()
        #: Per partition: the offset after the last record consumed, and the last committed.
        self._next: dict[int, int] = {}
        self._committed: dict[int, int] = {}

    async def run(self, stop: asyncio.Event) -> None:
        listener = _Revocations(self._lock, self._revoked)
        self.consumer.subscribe([self._topic], listener=listener)
        await self.consumer.start()
        try:
            while not stop.is_set():
                batch = await self.consumer.getmany(timeout_ms=self._fetch_timeout_ms())
                self._w.health.beat(_DECIDE)
                async with self._lock:
                    await self._step(batch)
                await record_lag(self.consumer, self._w.metrics, NAME, self.consumer.assignment())
            async with self._lock:
                await self._commit_floors()
        finally:
            await self.consumer.stop()

    def _fetch_timeout_ms(self) -> int:
        """Wake up in time for the next held click's deadline."""
        next_due = self._hold.next_due()
        if next_due is None:
            return _FETCH_TIMEOUT_MS
        wait_ms = int((next_due - time.monotonic()) * 1000) + 1
        return max(0, min(_FETCH_TIMEOUT_MS, wait_ms))

    async def _step(self, batch: Mapping[TopicPartition, Sequence[Record]]) -> None:
        assigned = self.consumer.assignment()
        records = [r for tp, rs in batch.items() if tp in assigned for r in rs]
        # What is due first: a slow send-time lookup must not hold a lone click past its 5 s.
        outputs: list[Any] = list(self._hold.due(time.monotonic()))
        if records:
            outputs += await self._accept(records)
        if outputs:
            await self._publish(outputs)
        self._w.metrics.clicks_held.set(self._hold.held)
        await self._commit_floors()

    async def _accept(self, records: list[Record]) -> list[Released[Pending] | DeadLetter]:
        """Read, classify and hold the batch's clicks; returns what is settled already."""
        table = self._follower.table
        out: list[Released[Pending] | DeadLetter] = []
        pendings: list[Pending] = []
        for record in records:
            self._next[record.partition] = record.offset + 1
            read = read_forwarded(record, table.get)
            if isinstance(read, DeadLetter):
                out.append(read)
            else:
                pendings.append(read)
        sent = await self._w.sent_at.lookup(sends_wanted(pendings)) if pendings else {}
        arrived = time.monotonic()
        for pending in pendings:
            click = to_hold(pending, self._w.known, sent)
            if pending.settings.automation.scanner_clicks is ScannerClicks.COUNT:
                out.append(Released(click, click.evidence, arrived, arrived))
            else:
                out += self._hold.add(click, arrived)
        self._w.metrics.events_consumed.labels(NAME, self._topic).inc(len(records))
        return out

    async def _publish(self, outputs: list[Released[Pending] | DeadLetter]) -> None:
        commands = BatchPublisher(self._producer, self._partitions)
        acks: list[asyncio.Future[Any]] = []
        counts: Counter[tuple[str, str]] = Counter()
        for output in outputs:
            if isinstance(output, DeadLetter):
                _note_dead_letter(self._w, output)
                acks.append(await self._dead_letters.send(output.record, output.reason))
                continue
            command = command_for(output)
            await commands.add(self._w.topics.commands, command.key, command.value, None)
            self._count(output, command.command.action.value, counts)
        acks += await commands.flush()
        await asyncio.gather(*acks)
        self._publish_counts(counts)

    def _count(
        self, released: Released[Pending], action: str, counts: Counter[tuple[str, str]]
    ) -> None:
        """Count one settled click in ``counts`` (the metrics are moved once per batch)."""
        verdict = released.verdict
        counts["verdict", verdict.value] += 1
        counts["action", action] += 1
        if verdict is Verdict.SCANNER:
            for kind in {e.kind for e in released.evidence}:
                counts["evidence", kind.value] += 1
        self._w.metrics.click_hold_seconds.observe(released.held_s)

    def _publish_counts(self, counts: Counter[tuple[str, str]]) -> None:
        metrics = self._w.metrics
        for (what, label), count in counts.items():
            if what == "verdict":
                metrics.clicks.labels(label).inc(count)
            elif what == "evidence":
                metrics.click_evidence.labels(label).inc(count)
            else:
                metrics.decisions.labels(NAME, "link_click", label).inc(count)
                metrics.commands_published.labels(NAME).inc(count)

    def _floors(self, partitions: Iterable[int]) -> dict[TopicPartition, int]:
        """Per partition: below its oldest open click, else after its last consumed record."""
        floors: dict[TopicPartition, int] = {}
        for partition in partitions:
            oldest = self._hold.oldest_offset(partition)
            floor = self._next[partition] if oldest is None else oldest
            if floor > self._committed.get(partition, -1):
                floors[TopicPartition(self._topic, partition)] = floor
        return floors

    async def _commit_floors(self, partitions: Iterable[int] | None = None) -> None:
        floors = self._floors(self._next if partitions is None else partitions)
        if floors and await self._commits.commit(floors):
            self._committed.update({tp.partition: offset for tp, offset in floors.items()})

    async def _revoked(self, revoked: set[TopicPartition]) -> None:
        """Commit what is settled, then drop the revoked partitions' clicks: replayed later."""
        numbers = {tp.partition for tp in revoked if tp.partition in self._next}
        with contextlib.suppress(KafkaError):
            await self._commit_floors(numbers)
        dropped = self._hold.forget(numbers)
        for number in numbers:
            self._next.pop(number, None)
            self._committed.pop(number, None)
        self._w.metrics.clicks_held.set(self._hold.held)
        if revoked:
            self._w.log.info("partitions revoked", partitions=sorted(numbers), held_dropped=dropped)
