"""Where each consumer continues: the offsets stored with the state, not Kafka's.

The two consumers keep their positions in the database, written in the same transaction as
the state; on (re)assignment and after any failed transaction they seek to those positions.
Kafka offsets are committed too, after the database, only so that lag-based autoscaling
(KEDA) and ``kafka-consumer-groups`` see the group's progress.

The rebalance listener does no I/O. aiokafka calls it from its own coordination task, at any
await of the loop (while a batch's transaction or a rewind's read is under way), and
``consumer.stop()`` runs it once more when a stop lands in a rebalance: the coordinator's close
finishes the join in progress and calls ``on_partitions_assigned`` after the loop has stopped.
A listener that read the stored offsets there used the pool from a task the worker does not
own, concurrently with the loop's own seeks, and during shutdown. So the listener only notes
the new assignment; the loop, in its own task, seeks to the stored offsets before it applies
anything fetched after it (``Positions.follow_assignment``), and a stopped loop reads nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable, Sequence

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError

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
        #: Set by the rebalance listener: the loop must seek before it applies what it fetched.
        self._reassigned = False

    def mirror_to_group(self, consumer: AIOKafkaConsumer) -> None:
        """Commit the stored offsets to the Kafka group in the background (one at a time)."""
        if self._mirroring is None or self._mirroring.done():
            self._mirroring = asyncio.create_task(_commit_quietly(consumer, self))

    async def finish_mirroring(self) -> None:
        """Wait for the background commit, before the consumer stops."""
        if self._mirroring is not None:
            await asyncio.gather(self._mirroring, return_exceptions=True)

    def note_assignment(self) -> None:
        """A new assignment took effect (called from aiokafka's task: no I/O here)."""
        self._reassigned = True

    async def follow_assignment(self, consumer: AIOKafkaConsumer) -> bool:
        """After a new assignment, seek every assigned partition to its stored offset.

        Returns True when it did: the records fetched meanwhile came from the group's
        committed offsets (which may be behind the stored ones) and are to be dropped; they
        are fetched again from the stored offsets.
        """
        if not self._reassigned:
            return False
        # Cleared first: an assignment arriving during the read below is followed next time.
        self._reassigned = False
        await self.seek_all(consumer, sorted(consumer.assignment()))
        return True

    async def seek_all(self, consumer: AIOKafkaConsumer, tps: Sequence[TopicPartition]) -> None:
        """Seek every partition to the offset stored with the state (the beginning when none).

        Partitions revoked while the offsets were read are skipped: the rebalance that
        revoked them noted its assignment, which the loop follows at its next fetch.
        """
        async with self.pool.acquire() as conn:
            stored = await store.load_offsets(conn, self.topic)
        assigned = consumer.assignment()
        current = [tp for tp in tps if tp in assigned]
        self.expected = {
            tp.partition: stored[tp.partition] for tp in current if tp.partition in stored
        }
        for tp in current:
            # seek_to_beginning awaits: a rebalance may revoke the partitions after it.
            with contextlib.suppress(IllegalStateError):
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
    """On every assignment, continue from the offsets the database holds.

    Both callbacks run in aiokafka's coordination task and never await: they only update
    what the loop reads in its own task (see the module's docstring).
    """

    def __init__(self, positions: Positions, metrics: Metrics) -> None:
        self._positions = positions
        self._metrics = metrics

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        for tp in revoked:
            self._positions.expected.pop(tp.partition, None)

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self._metrics.rebalances.labels("sequencer").inc()
        self._positions.note_assignment()
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
