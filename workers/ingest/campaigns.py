"""The campaign settings table every ingest worker holds in memory.

The compacted ``campaigns`` topic is read from the beginning by a consumer of its own (no group,
every partition assigned, ``read_committed``).  Each record is first *classified* by the pure
function ``classify`` against the settings held, then applied:

- versions follow the core's one rule (``workers.core.accept_campaign_record``), the same as
  the sequencer's: settings newer than the ones held, or for a new or deleted campaign, are
  stored; settings of an older or equal version are ignored (the held ones stay); a null
  value (tombstone) deletes the campaign, and its version is forgotten;
- a bad record (not JSON, schema violation, key different from ``campaign_id``) goes to the DLQ
  with a reason, and the settings held for that campaign stay untouched.

``CampaignFollower`` drives the consumer: ``caught_up`` is set once every partition has been
read to the end it had when the follower started, and it keeps following afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import KafkaError
from pydantic import ValidationError

from schemas import CampaignSettings
from workers.core import CampaignDecision, HeldCampaign, accept_campaign_record
from workers.errors import describe_validation_error
from workers.kafka_io import DeadLetters
from workers.metrics import Metrics

log = structlog.get_logger("leadflow.ingest.campaigns")

#: How long one fetch of the follower waits for new settings.
_FETCH_TIMEOUT_MS = 200


class ChangeKind(StrEnum):
    """What a campaigns record does to the table."""

    STORED = "stored"  #: new campaign, or a newer version: the table now holds it
    DELETED = "deleted"  #: tombstone: the campaign is gone
    STALE = "stale"  #: older or equal version: the held settings stay
    INVALID = "invalid"  #: bad record: to the DLQ, the held settings stay


@dataclass(frozen=True, slots=True)
class Change:
    """The outcome of one campaigns record."""

    kind: ChangeKind
    #: The campaign the record is about (from its key); None when the key is unreadable.
    campaign_id: str | None
    #: The settings to store (``STORED`` only).
    settings: CampaignSettings | None = None
    #: Why the record was ignored or refused (``STALE``, ``INVALID``).
    reason: str | None = None


def _key_text(key: bytes | None) -> str | None:
    if key is None:
        return None
    try:
        return key.decode()
    except UnicodeDecodeError:
        return None


def classify(
    held: Mapping[str, CampaignSettings], key: bytes | None, value: bytes | None
) -> Change:
    """What the record ``key``/``value`` of the campaigns topic does to the ``held`` table."""
    campaign_id = _key_text(key)
    if campaign_id is None:
        reason = "campaign record has no key" if key is None else "campaign key is not UTF-8"
        return Change(ChangeKind.INVALID, None, reason=reason)
    if value is None:  # the core's rule: a tombstone always deletes
        return Change(ChangeKind.DELETED, campaign_id)
    try:
        settings = CampaignSettings.model_validate_json(value)
    except ValidationError as error:
        reason = f"invalid CampaignSettings: {describe_validation_error(error)}"
        return Change(ChangeKind.INVALID, campaign_id, reason=reason)
    if settings.campaign_id != campaign_id:
        reason = f"key {campaign_id!r} does not match campaign_id {settings.campaign_id!r}"
        return Change(ChangeKind.INVALID, campaign_id, reason=reason)
    current = held.get(campaign_id)
    # A deleted campaign is not held here: the core's rule accepts any version after a
    # deletion, so forgetting it is the same as remembering it deleted.
    mine = HeldCampaign(current.version) if current is not None else None
    if accept_campaign_record(mine, settings.version) is CampaignDecision.STALE:
        assert current is not None
        reason = f"version {settings.version} is not newer than held version {current.version}"
        return Change(ChangeKind.STALE, campaign_id, reason=reason)
    return Change(ChangeKind.STORED, campaign_id, settings=settings)


class CampaignTable:
    """Campaign settings by ``campaign_id``; changed only through ``apply``."""

    def __init__(self, settings: Iterable[CampaignSettings] = ()) -> None:
        self._held: dict[str, CampaignSettings] = {s.campaign_id: s for s in settings}

    def get(self, campaign_id: str) -> CampaignSettings | None:
        """The settings held for ``campaign_id``, or None."""
        return self._held.get(campaign_id)

    def __len__(self) -> int:
        return len(self._held)

    def apply(self, key: bytes | None, value: bytes | None) -> Change:
        """Classify one campaigns record and apply it; return what it did."""
        change = classify(self._held, key, value)
        if change.kind is ChangeKind.STORED:
            assert change.settings is not None
            self._held[change.settings.campaign_id] = change.settings
        elif change.kind is ChangeKind.DELETED:
            assert change.campaign_id is not None
            self._held.pop(change.campaign_id, None)
        return change


class CampaignFollower:
    """Reads the campaigns topic into a ``CampaignTable`` and keeps following it."""

    def __init__(
        self,
        *,
        consumer: AIOKafkaConsumer,
        partitions_for: Callable[[str], Awaitable[set[int]]],
        topic: str,
        dead_letters: DeadLetters,
        metrics: Metrics,
        worker: str,
        table: CampaignTable | None = None,
    ) -> None:
        self.table = table if table is not None else CampaignTable()
        #: Set once every partition was read to its end as of the start.
        self.caught_up = asyncio.Event()
        self._consumer = consumer
        self._partitions_for = partitions_for
        self._topic = topic
        self._dead_letters = dead_letters
        self._metrics = metrics
        self._worker = worker
        self._partitions: list[TopicPartition] = []
        self._positions: dict[TopicPartition, int] = {}
        #: Per partition, every invalid record below this offset is already in the DLQ
        #: (committed in the follower's own consumer group after the DLQ acknowledged it).
        self._dead_lettered: dict[TopicPartition, int] = {}
        self._moved = asyncio.Condition()
        self._log = log.bind(worker=worker, topic=topic)

    async def run(self, stop: asyncio.Event) -> None:
        """Start the consumer, read every partition from the beginning, follow until ``stop``."""
        try:
            await self._consumer.start()  # in the try: a failed or cancelled start is closed too
            await self._follow(stop)
        finally:
            await self._consumer.stop()

    async def _follow(self, stop: asyncio.Event) -> None:
        targets = await self._assign_all()
        while not stop.is_set():
            batch = await self._consumer.getmany(timeout_ms=_FETCH_TIMEOUT_MS)
            await self._apply_batch(batch)
            await self._note_positions()
            if not self.caught_up.is_set() and self._reached(targets):
                self.caught_up.set()
                self._log.info("campaign table caught up", campaigns=len(self.table))

    async def sync(self, timeout_s: float) -> bool:
        """Wait until the table holds every settings record published before this call.

        Returns False when ``timeout_s`` passed first.
        """
        targets = await self._consumer.end_offsets(self._partitions)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout_s), self._moved:
                await self._moved.wait_for(lambda: self._reached(targets))
                return True
        return False

    async def _assign_all(self) -> dict[TopicPartition, int]:
        if self._topic not in await self._consumer.topics():
            raise RuntimeError(f"topic {self._topic} does not exist: run `leadflow setup` first")
        numbers = await self._partitions_for(self._topic)
        self._partitions = [TopicPartition(self._topic, n) for n in sorted(numbers)]
        self._consumer.assign(self._partitions)
        await self._consumer.seek_to_beginning(*self._partitions)
        for tp in self._partitions:
            self._dead_lettered[tp] = await self._consumer.committed(tp) or 0
        targets: dict[TopicPartition, int] = await self._consumer.end_offsets(self._partitions)
        self._log.info("reading campaign table", records_to_read=sum(targets.values()))
        return targets

    async def _apply_batch(
        self, batch: Mapping[TopicPartition, list[ConsumerRecord[Any, Any]]]
    ) -> None:
        acks = []
        done: dict[TopicPartition, int] = {}
        for tp, records in batch.items():
            for record in records:
                change = self.table.apply(record.key, record.value)
                if change.kind is not ChangeKind.INVALID:
                    continue
                if record.offset < self._dead_lettered.get(tp, 0):
                    continue  # dead-lettered by an earlier run of this worker
                acks.append(await self._dead_letter(record, change))
                done[tp] = record.offset + 1
        if acks:
            await asyncio.gather(*acks)
            await self._remember_dead_lettered(done)
        self._metrics.campaigns_held.labels(self._worker).set(len(self.table))

    async def _remember_dead_lettered(self, done: dict[TopicPartition, int]) -> None:
        """Commit how far this worker dead-lettered, so a restart does not do it again."""
        self._dead_lettered.update(done)
        try:
            await self._consumer.commit(done)
        except KafkaError as error:  # a repeat after a restart is the cost, not a loss
            self._log.warning("could not record dead-lettered campaign records", error=str(error))

    async def _dead_letter(
        self, record: ConsumerRecord[Any, Any], change: Change
    ) -> asyncio.Future[Any]:
        reason = change.reason or "invalid campaign record"
        self._log.warning(
            "campaign settings refused",
            campaign=change.campaign_id,
            partition=record.partition,
            offset=record.offset,
            reason=reason,
        )
        self._metrics.events_invalid.labels(self._worker, record.topic).inc()
        self._metrics.dlq.labels(self._worker, record.topic).inc()
        return await self._dead_letters.send(record, reason)

    async def _note_positions(self) -> None:
        positions = {tp: await self._consumer.position(tp) for tp in self._partitions}
        async with self._moved:
            self._positions = positions
            self._moved.notify_all()

    def _reached(self, targets: Mapping[TopicPartition, int]) -> bool:
        return all(self._positions.get(tp, -1) >= end for tp, end in targets.items())
