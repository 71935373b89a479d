"""The clicks worker: scanner clicks filtered, bursts met by lead, held clicks never lost.

One consumer in the contract's group (``leadflow-clicks``) reads two topics, co-partitioned
(range assignment: partition *p* of both goes to the same member)::

    events.clicks (any key) ──┬─ keyed by its lead, on its lead's partition p ──► hold (here)
                              └─ any other key ─► internal.clicks-by-lead (lead key) ─┐
    internal.clicks-by-lead partition p ◄──────────────────────────────────────────────┘
        ──► classify ──► ClickHold ──► decide ──► commands (click-{event_id})

A lead's clicks must meet in one hold. A click is decided where it was read only when it
sits on events.clicks partition *p*, *p* is its lead key's partition of the internal topic,
and this member holds internal partition *p* too; every other click (keyed by anything else,
or the topics' partition counts differ, or ownership is split during a rebalance) is
re-published unchanged, keyed by its lead, to ``{prefix}internal.clicks-by-lead``, whose
partition *p* is read by the same member. Either way all clicks of a lead end in the hold of the
owner of internal partition *p*. Upstream that keys clicks by lead costs no extra hop; any
other key (the gateway's tracking tokens, for one) costs one produce and one fetch
(milliseconds against a 5 s hold).

Each click is validated (bad input and unknown campaigns to the DLQ), classified
(``core.scanner.classify``; the send time from the event or ``send_log``), and offered to
``core.hold.ClickHold``: a click with evidence of its own, or one that completes a burst, is
settled at once; a lone click 5 s after its arrival. Each settled click becomes a LeadCommand.

Offsets: a re-published click's offset is done once the internal topic acknowledged it; a click
decided here stays open until the hold forgets it (5 s after its arrival). Each partition is
committed only below its oldest open click, so a crash, a stop or a rebalance replays every
held click and those it could pair with; a click already published is published again with the
same command id, which the sequencer applies once. A step's commit starts once every output of
the step is acknowledged and runs while the next step is fetched and processed
(``commit_behind``, as the other ingest workers); a revocation and a stop wait for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.coordinator.assignors.range import RangePartitionAssignor
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError

from schemas import ClickEvent, ScannerClicks
from workers.core.hold import ClickHold, Released
from workers.core.scanner import KnownScanners, Verdict
from workers.ingest.batch import DeadLetter
from workers.ingest.campaigns import CampaignFollower
from workers.ingest.clicks_batch import (
    Forward,
    Pending,
    Unnamed,
    command_for,
    read_click,
    read_forwarded,
    route_click,
    sends_wanted,
    to_hold,
)
from workers.ingest.commit_behind import CommitBehind
from workers.ingest.resolve import Outcome
from workers.ingest.resolver import Resolver
from workers.ingest.sent_at import NoSentAt, SendLogSentAt, SentAtLookup
from workers.kafka_io import (
    SIDE_FETCH_MAX_WAIT_MS,
    BatchPublisher,
    DeadLetters,
    PartitionCache,
    lead_partitioner,
    make_consumer,
    make_producer,
    record_lag,
)
from workers.ports import Record
from workers.protocol import WorkerContext
from workers.scanner_data import load_known_scanners
from workers.tokens_store import CachedSends, PgSends, SendRef
from workers.topics import Topics, group_id

log = structlog.get_logger("leadflow.ingest.clicks")

NAME = "clicks"
#: Longest wait of one fetch: bounds how late a stop is noticed (due clicks wake it earlier).
_FETCH_TIMEOUT_MS = 250
_MAX_BATCH_RECORDS = 2000
#: How long a click naming an unknown campaign waits for the table to reach the topic's end.
_SYNC_TIMEOUT_S = 5.0
_CATCH_UP_BEAT_S = 0.1

Output = Forward | Released[Pending] | DeadLetter


def clicks_factory(context: WorkerContext) -> ClicksWorker:
    """The clicks worker, with the known scanners and the send-time lookup of its settings.

    Send times are read from the sequencer's database when ``LEADFLOW_DATABASE_URL`` is set;
    without it, only the events' own ``sent_at`` times a click.
    """
    settings = context.settings
    sent_at: SentAtLookup = NoSentAt()
    if "database_url" in settings.model_fields_set:
        sent_at = SendLogSentAt(settings.database_url)
    else:
        log.info("send times from events only: LEADFLOW_DATABASE_URL is not set", worker=NAME)
    return ClicksWorker(
        context, known=load_known_scanners(settings.scanner_networks_file), sent_at=sent_at
    )


class ClicksWorker:
    """Consumes clicks and publishes a LeadCommand per valid click (see the module doc)."""

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
        #: Clicks naming no lead are resolved by token (``send_tokens``) when the secret is set;
        #: ``leadflow run`` refuses to start without it, so only tests run without.
        settings = context.settings
        self.secrets = settings.tracking_secrets() if settings.tracking_secret else None
        self.sends = PgSends(settings.database_url)
        self.resolver = (
            None
            if self.secrets is None
            else Resolver(
                self.secrets,
                CachedSends(self.sends),
                metrics=context.metrics,
                worker=NAME,
                beat=context.health.beat,
            )
        )
        self.topics = Topics(context.settings.topic_prefix)
        self.group = group_id(context.settings.topic_prefix, NAME)
        self.log = log.bind(worker=NAME)

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop``; the current step is finished and committed first."""
        producer = make_producer(self.settings, linger_ms=0)
        try:
            await producer.start()  # in the try: a failed or cancelled start is closed too
            await self._run_with(producer, stop)
        finally:
            await producer.stop()
            await self.sent_at.close()
            await self.sends.close()
            self.health.set_ready(False, "stopped")
            self.log.info("clicks worker stopped")

    async def _run_with(self, producer: AIOKafkaProducer, stop: asyncio.Event) -> None:
        dead_letters = DeadLetters(producer, topic=self.topics.dlq, worker=NAME)
        follower = CampaignFollower(
            consumer=make_consumer(
                self.settings,
                group_id=f"{self.group}-campaigns",
                fetch_max_wait_ms=SIDE_FETCH_MAX_WAIT_MS,
            ),
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
            if await self._caught_up(follower, following, stop):
                await _Loop(self, producer, dead_letters, follower).run(stop, following)
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


class _Revocations(ConsumerRebalanceListener):  # type: ignore[misc]
    """Lets the running step finish, then settles the revoked partitions."""

    def __init__(self, loop: _Loop) -> None:
        self._loop = loop

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        async with self._loop.lock:
            await self._loop.revoked(revoked)

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self._loop.assigned(assigned)


class _Loop:
    """consume both topics -> route / classify / hold -> publish -> commit below the hold."""

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
        self._internal = worker.topics.clicks_by_lead
        self.consumer = make_consumer(
            worker.settings,
            group_id=worker.group,
            max_poll_records=_MAX_BATCH_RECORDS,
            partition_assignment_strategy=(RangePartitionAssignor,),
        )
        #: Held while a step runs; a revocation waits for it.
        self.lock = asyncio.Lock()
        #: Per partition: the offset after the last record read, and the last one committed.
        self._next: dict[TopicPartition, int] = {}
        self._committed: dict[TopicPartition, int] = {}
        #: The last step's commit, running while the next step is fetched and processed.
        self._commits: CommitBehind[dict[TopicPartition, int]] = CommitBehind(self._commit)

    async def run(self, stop: asyncio.Event, following: asyncio.Task[None]) -> None:
        topics = [self._w.topics.clicks, self._internal]
        self.consumer.subscribe(topics, listener=_Revocations(self))
        try:
            await self.consumer.start()
            while not stop.is_set():
                if following.done():
                    following.result()  # the campaign follower failed: crash with its error
                batch = await self.consumer.getmany(timeout_ms=self._fetch_timeout_ms())
                self._w.health.beat()
                async with self.lock:
                    await self._step(batch)
                await self._after_step()
            async with self.lock:
                await self._commit_floors(self._next)
        finally:
            await self._commits.abandon()
            await self.consumer.stop()  # leaves the group

    def _fetch_timeout_ms(self) -> int:
        """Wake up in time for the next held click's deadline."""
        next_due = self._hold.next_due()
        if next_due is None:
            return _FETCH_TIMEOUT_MS
        wait_ms = int((next_due - time.monotonic()) * 1000) + 1
        return max(0, min(_FETCH_TIMEOUT_MS, wait_ms))

    async def _step(self, batch: Mapping[TopicPartition, Sequence[Record]]) -> None:
        assigned = self.consumer.assignment()
        batch = {tp: records for tp, records in batch.items() if tp in assigned and records}
        # What is due first: a slow send-time lookup must not hold a lone click past its 5 s.
        outputs: list[Output] = list(self._hold.due(time.monotonic()))
        if batch:
            outputs += await self._accept(batch)
        if outputs:
            await self._publish(outputs)
        self._w.metrics.clicks_held.set(self._hold.held)
        await self._commit_behind(self._next)

    async def _accept(self, batch: Mapping[TopicPartition, Sequence[Record]]) -> list[Output]:
        """Route, read, classify and hold the batch's clicks; returns what is settled already."""
        out: list[Output] = []
        pendings: list[Pending] = []
        for tp, records in batch.items():
            self._next[tp] = records[-1].offset + 1
            self._w.metrics.events_consumed.labels(NAME, tp.topic).inc(len(records))
        for item in await self._read(batch):
            if isinstance(item, Pending):
                pendings.append(item)
            else:
                out.append(item)
        sent = await self._w.sent_at.lookup(sends_wanted(pendings)) if pendings else {}
        arrived = time.monotonic()
        for pending in pendings:
            click = to_hold(pending, self._w.known, sent)
            if pending.settings.automation.scanner_clicks is ScannerClicks.COUNT:
                out.append(Released(click, click.evidence, arrived, arrived))
            else:
                out += self._hold.add(click, arrived)
        return out

    async def _read(
        self, batch: Mapping[TopicPartition, Sequence[Record]]
    ) -> list[Pending | Forward | DeadLetter]:
        """Each record as a click to decide here, one to re-publish, or a dead letter."""
        read = await self._read_all(batch)
        unknown = any(isinstance(r, DeadLetter) and r.unknown_campaign for r in read)
        if unknown and await self._follower.sync(_SYNC_TIMEOUT_S):
            read = await self._read_all(batch)
        return read

    async def _read_all(
        self, batch: Mapping[TopicPartition, Sequence[Record]]
    ) -> list[Pending | Forward | DeadLetter]:
        table = self._follower.table
        read: list[Pending | Forward | DeadLetter] = []
        for tp, records in batch.items():
            if tp.topic == self._internal:
                read += [read_forwarded(r, table.get) for r in records]
                continue
            reads = [read_click(record, self._w.secrets) for record in records]
            sends = await self._sends(reads)
            for record, item in zip(records, reads, strict=True):
                routed = route_click(record, item, sends, table.get)
                if isinstance(routed, Forward) and await self._here(routed, tp):
                    read.append(routed.pending())
                else:
                    read.append(routed)
        return read

    async def _sends(self, reads: list[ClickEvent | Unnamed | DeadLetter]) -> dict[bytes, SendRef]:
        """The sends the token-only clicks name: one send_tokens lookup for the batch."""
        unnamed = [r for r in reads if isinstance(r, Unnamed)]
        resolver = self._w.resolver
        if not unnamed or resolver is None:
            return {}
        sends = await resolver.sends({r.located.ref for r in unnamed})
        for r in unnamed:
            known = r.located.ref in sends
            resolver.note(r.located.via.value, Outcome.RESOLVED if known else Outcome.UNKNOWN_SEND)
        return sends

    async def _here(self, forward: Forward, tp: TopicPartition) -> bool:
        """True when the click's lead belongs to this member's hold without a hop."""
        if forward.record.key != forward.key:
            return False
        partitions = await self._partitions.of(self._producer, self._internal)
        home = lead_partitioner(forward.key, partitions, partitions)
        return home == tp.partition and TopicPartition(self._internal, home) in self._assigned

    async def _publish(self, outputs: list[Output]) -> None:
        """Send every output without waiting, then wait for every acknowledgement."""
        batch = BatchPublisher(self._producer, self._partitions)
        acks: list[asyncio.Future[Any]] = []
        counts: Counter[tuple[str, str]] = Counter()
        for output in outputs:
            if isinstance(output, DeadLetter):
                self._note_dead_letter(output)
                acks.append(await self._dead_letters.send(output.record, output.reason))
            elif isinstance(output, Forward):
                await batch.add(self._internal, output.key, output.value, None)
            else:
                command = command_for(output)
                await batch.add(self._w.topics.commands, command.key, command.value, None)
                self._count(output, command.command.action.value, counts)
        acks += await batch.flush()
        await asyncio.gather(*acks)
        self._publish_counts(counts)

    def _count(
        self, released: Released[Pending], action: str, counts: Counter[tuple[str, str]]
    ) -> None:
        """Count one settled click in ``counts`` (the metrics are moved once per step)."""
        verdict = released.verdict
        counts["verdict", verdict.value] += 1
        counts["action", action] += 1
        if verdict is Verdict.SCANNER:
            for kind in {e.kind for e in released.evidence}:
                counts["evidence", kind.value] += 1
        if released.held_s > 0:
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

    def _note_dead_letter(self, letter: DeadLetter) -> None:
        record, metrics = letter.record, self._w.metrics
        if letter.unknown_campaign is None:
            metrics.events_invalid.labels(NAME, record.topic).inc()
        metrics.dlq.labels(NAME, record.topic).inc()
        self._w.log.warning(
            "click dead-lettered",
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            campaign=letter.unknown_campaign,
            reason=letter.reason,
        )

    def _floors(self, partitions: Iterable[TopicPartition]) -> dict[TopicPartition, int]:
        """Per partition: below its oldest open click, else after its last record read."""
        floors: dict[TopicPartition, int] = {}
        for tp in partitions:
            oldest = self._hold.oldest_offset(tp)
            floor = self._next[tp] if oldest is None else oldest
            if floor > self._committed.get(tp, -1):
                floors[tp] = floor
        return floors

    async def _commit_behind(self, partitions: Iterable[TopicPartition]) -> None:
        """Once the last commit has ended, start committing the floors; do not wait for it.

        Floors are taken after that commit, so ``_committed`` is current; a commit that
        failed raises here, at the next step.
        """
        await self._commits.settle()
        floors = self._floors(partitions)
        if floors:
            self._commits.start(floors)

    async def _commit_floors(self, partitions: Iterable[TopicPartition]) -> None:
        """Commit the floors and wait (a revocation, a stop), after the commit running behind."""
        await self._commit_behind(partitions)
        await self._commits.settle()

    async def _commit(self, floors: dict[TopicPartition, int]) -> None:
        try:
            await self.consumer.commit(floors)
        except (CommitFailedError, IllegalStateError) as error:
            # The partitions moved on: their new owner repeats what was not committed.
            self._w.log.warning("commit refused after a rebalance", error=str(error))
            return
        self._committed.update(floors)

    @property
    def _assigned(self) -> set[TopicPartition]:
        return set(self.consumer.assignment())

    def assigned(self, assigned: set[TopicPartition]) -> None:
        """Count the assignment."""
        self._w.metrics.rebalances.labels(NAME).inc()
        self._w.log.info("partitions assigned", partitions=len(assigned))

    async def revoked(self, revoked: set[TopicPartition]) -> None:
        """Commit what is settled, then drop the revoked partitions' clicks: replayed later."""
        ours = {tp for tp in revoked if tp in self._next}
        with contextlib.suppress(KafkaError):
            await self._commit_floors(ours)
        dropped = self._hold.forget(revoked)
        for tp in revoked:
            self._next.pop(tp, None)
            self._committed.pop(tp, None)
            with contextlib.suppress(KeyError):
                self._w.metrics.consumer_lag.remove(NAME, tp.topic, str(tp.partition))
        self._w.metrics.clicks_held.set(self._hold.held)
        self._w.log.info("partitions revoked", partitions=len(revoked), held_dropped=dropped)

    async def _after_step(self) -> None:
        held = self.consumer.assignment()
        await record_lag(self.consumer, self._w.metrics, NAME, held)
        if held:
            self._w.health.set_ready(True, "ready")
        else:
            self._w.health.set_ready(False, "waiting for partitions")
