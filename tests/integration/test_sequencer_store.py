"""Store operations whose edge cases a full sequencer run does not reach, on real PostgreSQL."""

from __future__ import annotations

import asyncpg
import pytest

from workers.sequencer import store

pytestmark = pytest.mark.integration


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
