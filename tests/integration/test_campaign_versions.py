"""The ingest workers' campaign table and the sequencer's agree on every campaigns record."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import pytest
from prometheus_client import CollectorRegistry

from tests.integration.helpers import eventually, publish
from tests.integration.sequencer_helpers import campaign, running_sequencer
from workers.ingest.campaigns import CampaignFollower
from workers.kafka_io import DeadLetters, make_consumer, make_producer
from workers.metrics import Metrics
from workers.settings import Settings
from workers.topics import Topics

pytestmark = pytest.mark.integration


@asynccontextmanager
async def following(settings: Settings) -> AsyncIterator[CampaignFollower]:
    """An ingest worker's campaign follower, reading the test's campaigns topic."""
    topics = Topics(settings.topic_prefix)
    producer = make_producer(settings)
    await producer.start()
    follower = CampaignFollower(
        consumer=make_consumer(settings, group_id=f"{settings.topic_prefix}test-campaigns"),
        partitions_for=producer.partitions_for,
        topic=topics.campaigns,
        dead_letters=DeadLetters(producer, topic=topics.dlq, worker="test"),
        metrics=Metrics(CollectorRegistry()),
        worker="test",
    )
    stop = asyncio.Event()
    task = asyncio.create_task(follower.run(stop))
    try:
        yield follower
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
        await producer.stop()


async def _sequencer_holds(settings: Settings, campaign_id: str) -> dict[str, Any] | None:
    conn = await asyncpg.connect(settings.database_url)
    try:
        row = await conn.fetchrow(
            "SELECT version, deleted FROM campaigns WHERE campaign_id = $1", campaign_id
        )
    finally:
        await conn.close()
    return dict(row) if row is not None else None


class TestDeletionThenRecreation:
    """A campaign deleted, then re-created with a lower version."""

    async def test_both_sides_hold_the_re_created_campaign(self, settings: Settings) -> None:
        """Ingest and sequencer both hold version 2 live after v5, a tombstone, then v2."""
        topics = Topics(settings.topic_prefix)
        await publish(
            settings,
            topics.campaigns,
            [("c1", campaign("c1", version=5)), ("c1", None), ("c1", campaign("c1", version=2))],
        )
        async with running_sequencer(settings), following(settings) as follower:
            await eventually(lambda: _last_offset_applied(settings, topics.campaigns, 3))
            assert await follower.sync(30)
            held = follower.table.get("c1")
            stored = await _sequencer_holds(settings, "c1")

        assert 2 == (held.version if held else None)
        assert {"version": 2, "deleted": False} == stored


async def _last_offset_applied(settings: Settings, topic: str, total: int) -> bool:
    conn = await asyncpg.connect(settings.database_url)
    try:
        done = await conn.fetchval(
            "SELECT coalesce(sum(next_offset), 0) FROM consumer_offsets WHERE topic = $1", topic
        )
    finally:
        await conn.close()
    return bool(done >= total)
