"""Where each consumer continues: the offsets stored with the state, not Kafka's.

The two consumers keep their positions in the database, written in the same transaction as
the state; on (re)assignment and after any failed transaction they seek to those positions.
Kafka offsets are committed too, after the database, only so that lag-based autoscaling
(KEDA) and ``kafka-consumer-groups`` see the group's progress.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable, Sequence

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError

from workers.metrics import Metrics
from workers.sequencer import store

log = structlog.get_logger("leadflow.sequencer")


class Positions:
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
        """Note that ``records`` were applied (their offsets are stored now)."""
        for record in records:
            self.expected[record.partition] = record.offset + 1


class SeekToStored(ConsumerRebalanceListener):  # type: ignore[misc]
    """On every assignment, continue from the offsets the database holds."""

    def __init__(self, consumer: AIOKafkaConsumer, positions: Positions, metrics: Metrics) -> None:
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


async def _commit_quietly(consumer: AIOKafkaConsumer, positions: Positions) -> None:
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
