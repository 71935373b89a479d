"""The commands consumer: the ``commands`` topic in the group ``{prefix}sequencer``.

Partitions are shared between replicas by the group; after every assignment the loop seeks
to the offsets stored in the database (``positions.SeekToStored`` only notes the assignment:
see ``positions``). Each batch is applied by ``commands.apply_batch`` in one transaction.
"""

from __future__ import annotations

import asyncio

from workers.kafka_io import EVENT_FETCH_MIN_BYTES, make_consumer
from workers.sequencer.batch_loop import BatchLoop, LoopDeps
from workers.sequencer.commands import apply_batch
from workers.sequencer.positions import Positions, SeekToStored
from workers.topics import group_id


class CommandConsumer:
    """Applies LeadCommands, batch by batch."""

    name = "commands"

    def __init__(self, deps: LoopDeps) -> None:
        self._deps = deps

    async def run(self, stop: asyncio.Event) -> None:
        deps = self._deps
        topic = deps.topics.commands
        positions = Positions(deps.pool, topic)
        consumer = make_consumer(
            deps.settings,
            group_id=group_id(deps.settings.topic_prefix, "sequencer"),
            max_poll_records=None,
            fetch_min_bytes=EVENT_FETCH_MIN_BYTES,
        )
        consumer.subscribe([topic], listener=SeekToStored(positions, deps.metrics))
        try:
            await consumer.start()
            loop = BatchLoop(
                self.name,
                consumer=consumer,
                positions=positions,
                apply=apply_batch,
                max_records=deps.tuning.command_batch,
                deps=deps,
            )
            await loop.run(stop)
        finally:
            try:
                await positions.finish_mirroring()
            finally:
                # Even when cancelled above: aiokafka's coordination task must not outlive us.
                await consumer.stop()
