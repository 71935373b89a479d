"""The campaigns consumer: every partition of ``campaigns``, on every replica.

No group: each replica reads every partition from the offsets stored with the campaigns
table, so exactly one replica applies each record (the first to commit; the others' offset
guard fails and they seek on). Each batch is applied by ``campaigns.apply_campaign_batch``.
"""

from __future__ import annotations

import asyncio
import functools

from workers.kafka_io import SIDE_FETCH_MAX_WAIT_MS, make_consumer, partitions_of
from workers.sequencer.batch_loop import BatchLoop, LoopDeps
from workers.sequencer.campaigns import SendHolds, apply_campaign_batch
from workers.sequencer.positions import Positions


class CampaignConsumer:
    """Mirrors campaign settings into the database and fans each change out to its leads."""

    name = "campaigns"

    def __init__(self, deps: LoopDeps) -> None:
        self._deps = deps

    async def run(self, stop: asyncio.Event) -> None:
        deps = self._deps
        topic = deps.topics.campaigns
        positions = Positions(deps.pool, topic)
        consumer = make_consumer(
            deps.settings, group_id=None, fetch_max_wait_ms=SIDE_FETCH_MAX_WAIT_MS
        )
        try:
            await consumer.start()
            tps = await partitions_of(consumer, topic)
            consumer.assign(tps)
            await positions.seek_all(consumer, tps)
            # A change to a campaign of millions of leads is one long transaction: its
            # progress beats the health, so it is not mistaken for a hang.
            apply = functools.partial(
                apply_campaign_batch, progress=lambda: deps.health.beat(self.name)
            )
            loop = BatchLoop(
                self.name,
                consumer=consumer,
                positions=positions,
                apply=apply,
                max_records=deps.tuning.campaign_batch,
                deps=deps,
                prelude=SendHolds(),
            )
            await loop.run(stop)
        finally:
            await consumer.stop()
