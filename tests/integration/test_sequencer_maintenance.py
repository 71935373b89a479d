"""The housekeeping services on real PostgreSQL: outbox trimming, inbox and send token pruning."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import CollectorRegistry

from tests.integration.helpers import eventually
from workers.metrics import Metrics
from workers.sequencer import store
from workers.sequencer.maintenance import InboxPruner, OutboxTrimmer, SendTokenPruner
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


class TestSendTokenPruner:
    """Sends past ``send_tokens_keep_days`` are forgotten, oldest first, chunk after chunk;
    recent sends keep resolving."""

    async def test_prunes_every_expired_chunk_and_keeps_recent_sends(
        self, database_url: str
    ) -> None:
        """12 sends of 401 days ago in chunks of 5 are all gone before the long pause; the
        sends of 399 days ago and of now stay."""
        pool = await store.connect_pool(database_url)
        tuning = SequencerSettings(send_tokens_keep_days=400, prune_chunk=5, prune_every_s=600)
        stop = asyncio.Event()
        try:
            async with pool.acquire() as conn:
                await _insert_sends(conn, "old", 12, days=401)
                await _insert_sends(conn, "kept", 2, days=399)
                await _insert_sends(conn, "new", 3, days=0)
            task = asyncio.create_task(SendTokenPruner(pool, tuning).run(stop))

            async def only_recent_left() -> bool:
                async with pool.acquire() as conn:
                    return bool(await conn.fetchval("SELECT count(*) = 5 FROM send_tokens"))

            await eventually(only_recent_left, timeout_s=10)
            stop.set()
            await asyncio.wait_for(task, 10)
            async with pool.acquire() as conn:
                leads = await conn.fetch("SELECT lead_id FROM send_tokens ORDER BY lead_id")
        finally:
            await pool.close()

        assert ["kept-1", "kept-2", "new-1", "new-2", "new-3"] == [r["lead_id"] for r in leads]

    async def test_one_chunk_holds_the_oldest_sends(self, database_url: str) -> None:
        """A chunk of 5 out of 8 expired sends takes the 5 oldest and says so."""
        pool = await store.connect_pool(database_url)
        tuning = SequencerSettings(send_tokens_keep_days=30, prune_chunk=5)
        try:
            async with pool.acquire() as conn:
                for day in range(31, 39):  # one send per day, 31 to 38 days ago
                    await _insert_sends(conn, f"d{day}", 1, days=day)
            pruned = await SendTokenPruner(pool, tuning).prune_once()
            async with pool.acquire() as conn:
                left = await conn.fetch("SELECT lead_id FROM send_tokens ORDER BY lead_id")
        finally:
            await pool.close()

        assert 5 == pruned
        assert ["d31-1", "d32-1", "d33-1"] == [r["lead_id"] for r in left]

    async def test_the_delete_walks_the_requested_at_index(self, database_url: str) -> None:
        """The chunk's rows are found through ``send_tokens_requested_at``, never by a
        sequential scan of the whole table."""
        pool = await store.connect_pool(database_url)
        try:
            async with pool.acquire() as conn:
                await _insert_sends(conn, "old", 2000, days=500)
                await conn.execute("ANALYZE send_tokens")
                rows = await conn.fetch(f"EXPLAIN {store.PRUNE_SEND_TOKENS}", 400, 5000)
        finally:
            await pool.close()

        plan = "\n".join(r[0] for r in rows)
        assert "Index Scan using send_tokens_requested_at" in plan, plan
        assert "Seq Scan" not in plan, plan


async def _insert_sends(conn: store.Conn, name: str, count: int, *, days: int) -> None:
    """``count`` send_tokens rows with lead ids ``{name}-1..``, requested ``days`` ago (and
    ``n`` seconds)."""
    await conn.execute(
        "INSERT INTO send_tokens (ref, campaign_id, lead_id, step, requested_at)"
        " SELECT substr(sha256(($1 || n)::bytea), 1, 12), 'c-1', $1 || '-' || n, 1,"
        " clock_timestamp() - make_interval(days => $3, secs => n)"
        " FROM generate_series(1, $2) n",
        name,
        count,
        days,
    )
