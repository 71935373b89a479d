"""Store operations whose edge cases a full sequencer run does not reach, on real PostgreSQL."""

from __future__ import annotations

import json

import asyncpg
from aiokafka import ConsumerRecord

from tools.bench import data
from workers.sequencer import store
from workers.sequencer.campaigns import apply_campaign_batch
from workers.topics import Topics


async def _inbox(conn: asyncpg.Connection, prefix: str, count: int, age_days: int) -> None:
    await conn.execute(
        "INSERT INTO inbox (command_id, processed_at)"
        " SELECT $1 || n, clock_timestamp() - make_interval(days => $2)"
        " FROM generate_series(1, $3) AS n",
        prefix,
        age_days,
        count,
    )


class TestInboxPruning:
    """Expired command ids are forgotten in bounded chunks; recent ones are kept."""

    async def test_prunes_in_chunks_and_keeps_recent_ids(self, database_url: str) -> None:
        conn = await asyncpg.connect(database_url)
        try:
            await _inbox(conn, "old-", 12, age_days=15)
            await _inbox(conn, "new-", 3, age_days=13)

            removed = [await store.prune_inbox(conn, keep_days=14, limit=5) for _ in range(4)]
            kept = await conn.fetch("SELECT command_id FROM inbox ORDER BY command_id")
        finally:
            await conn.close()

        assert [5, 5, 2, 0] == removed
        assert ["new-1", "new-2", "new-3"] == [r["command_id"] for r in kept]


def _record(topic: str, offset: int, key: str, value: bytes) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(
        topic=topic,
        partition=0,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=key.encode(),
        value=value,
        checksum=None,
        serialized_key_size=len(key),
        serialized_value_size=len(value),
        headers=(),
    )


class TestCampaignFanOutProgress:
    """A campaign change over many leads reports progress chunk by chunk (for the heartbeat)."""

    async def test_pause_of_a_large_campaign_reports_every_chunk(self, database_url: str) -> None:
        """12,000 leads paused in 3 chunks, each reported and written before the next is read."""
        topics = Topics("t.")
        active = data.campaign(delay="P1D")
        paused = {**active, "version": active["version"] + 1, "status": "paused"}
        conn = await asyncpg.connect(database_url)
        calls: list[int] = []
        try:
            await data.insert_campaign(conn, active)
            later = await conn.fetchval("SELECT clock_timestamp() + interval '1 day'")
            await data.insert_running_leads(conn, 12_000, later)
            async with conn.transaction():
                effects = await apply_campaign_batch(
                    conn,
                    [_record(topics.campaigns, 0, data.CAMPAIGN, json.dumps(paused).encode())],
                    expected={},
                    topics=topics,
                    progress=lambda: calls.append(1),
                )
            paused_leads = await conn.fetchval(
                "SELECT count(*) FROM leads WHERE wake_at IS NULL AND remaining_s > 0"
            )
        finally:
            await conn.close()

        assert 3 == len(calls)  # 5,000 + 5,000 + 2,000 leads
        assert 12_000 == paused_leads
        assert {} == effects.leads  # written chunk by chunk: memory bounded by the chunk
