"""The suppressions consumer: every partition of ``suppressions``, on every replica.

As the campaigns consumer: no group, offsets stored with the ``suppressions`` table, so
exactly one replica applies each record (the first to commit). Each batch is applied by
``suppressions.apply_suppression_batch``.
"""

from __future__ import annotations

import asyncio

from workers.kafka_io import SIDE_FETCH_MAX_WAIT_MS, make_consumer, partitions_of
from workers.sequencer.batch_loop import BatchLoop, LoopDeps
from workers.sequencer.positions import Positions
from workers.sequencer.suppressions import apply_suppression_batch


class SuppressionConsumer:
    """Mirrors the do-not-contact list into the database and stops suppressed people."""

    name = "suppressions"

    def __init__(self, deps: LoopDeps) -> None:
        self._deps = deps

    async def run(self, stop: asyncio.Event) -> None:
        deps = self._deps
        topic = deps.topics.suppressions
        positions = Positions(deps.pool, topic)
        consumer = make_consumer(
            deps.settings, group_id=None, fetch_max_wait_ms=SIDE_FETCH_MAX_WAIT_MS
        )
        try:
            await consumer.start()
            tps = await partitions_of(consumer, topic)
            consumer.assign(tps)
            await positions.seek_all(consumer, tps)
            loop = BatchLoop(
                self.name,
                consumer=consumer,
                positions=positions,
                apply=apply_suppression_batch,
                max_records=deps.tuning.suppression_batch,
                deps=deps,
            )
            await loop.run(stop)
        finally:
            await consumer.stop()
