"""The housekeeping services on real PostgreSQL: outbox trimming and inbox pruning."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import CollectorRegistry

from tests.integration.helpers import eventually
from workers.metrics import Metrics
from workers.sequencer import store
from workers.sequencer.maintenance import InboxPruner, OutboxTrimmer
from workers.sequencer.settings import SequencerSettings
from workers.sequencer.store import OutboxRecord

pytestmark = pytest.mark.integration


async def _outbox_seqs(conn: store.Conn) -> list[int]:
    return [r["seq"] for r in await conn.fetch("SELECT seq FROM outbox ORDER BY seq")]


class TestOutboxTrimmer:
    """Published rows are deleted; rows not yet published stay."""

    async def test_trims_up_to_the_noted_position_and_reports_the_backlog(
        self, database_url: str
    ) -> None:
        """With 5 rows and position 3 noted, rows 4 and 5 stay and the backlog is 2."""
        pool = await store.connect_pool(database_url)
        metrics = Metrics(CollectorRegistry())
        try:
            async with pool.acquire() as conn:
                async with conn.transaction():
                    await store.write_outbox(
                        conn, [OutboxRecord("t.sends", "k", b"{}") for _ in range(5)]
                    )
                epoch = await store.take_shard(conn, 0, "relay")
                await store.record_relayed(conn, 0, 3, "relay", epoch)

            trimmed = await OutboxTrimmer(pool, SequencerSettings(), metrics).trim_once()

            async with pool.acquire() as conn:
                left = await _outbox_seqs(conn)
        finally:
            await pool.close()

        assert 3 == trimmed
        assert [4, 5] == left
        assert 2 == metrics.registry.get_sample_value("leadflow_outbox_backlog")


class TestInboxPruner:
    """The pruner service deletes every expired id, chunk after chunk, and keeps recent ones."""

    async def test_prunes_every_expired_chunk_without_waiting(self, database_url: str) -> None:
        """12 expired ids in chunks of 5 are all gone before the long pause; 3 recent stay."""
        pool = await store.connect_pool(database_url)
        tuning = SequencerSettings(prune_chunk=5, prune_every_s=600)
        stop = asyncio.Event()
        try:
            async with pool.acquire() as conn:
                await conn.execute(
                    "INSERT INTO inbox (command_id, processed_at) SELECT 'old-' || n,"
                    " clock_timestamp() - interval '15 days' FROM generate_series(1, 12) n"
                )
                await conn.execute(
                    "INSERT INTO inbox (command_id) SELECT 'new-' || n FROM generate_series(1, 3) n"
                )
            task = asyncio.create_task(InboxPruner(pool, tuning).run(stop))

            async def only_recent_left() -> bool:
                async with pool.acquire() as conn:
                    return bool(await conn.fetchval("SELECT count(*) = 3 FROM inbox"))

            await eventually(only_recent_left, timeout_s=10)
            stop.set()
            await asyncio.wait_for(task, 10)
        finally:
            await pool.close()
