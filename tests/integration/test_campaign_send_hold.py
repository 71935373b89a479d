"""A campaign change: a stopping one holds its sends first; its statuses are numbered at its end."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any

import asyncpg
import pytest
from aiokafka import ConsumerRecord

from schemas import CampaignStatus
from tools.bench import data
from workers.core import next_campaign
from workers.core.tokens import Secrets
from workers.sequencer import store
from workers.sequencer.campaigns import SendHolds, apply_campaign_batch, parse
from workers.sequencer.timers import fire_due
from workers.sequencer.tracking import SendStamp
from workers.topics import Topics

pytestmark = pytest.mark.integration

TOPICS = Topics("t.")
STAMP = SendStamp(Secrets((b"integration-tracking-secret",)), "leadflow.invalid")
C = data.CAMPAIGN


def _settings(version: int, status: str) -> dict[str, Any]:
    return {**data.campaign(delay="PT0S"), "version": version, "status": status}


def _record(offset: int, value: dict[str, Any] | None) -> ConsumerRecord[bytes, bytes]:
    body = None if value is None else json.dumps(value).encode()
    return ConsumerRecord(TOPICS.campaigns, 0, offset, 0, 0, C.encode(), body, None, 0, 0, [])


def _bad_record(offset: int) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(TOPICS.campaigns, 0, offset, 0, 0, C.encode(), b"{", None, 0, 0, [])


async def _held(conn: asyncpg.Connection) -> bool:
    return bool(await conn.fetchval("SELECT sends_held_at IS NOT NULL FROM campaigns"))


@pytest.fixture
async def conn(database_url: str) -> Any:
    connection = await asyncpg.connect(database_url)
    try:
        yield connection
    finally:
        await connection.close()


async def _running(conn: asyncpg.Connection, leads: int) -> datetime:
    """The active campaign (version 1) and ``leads`` leads due a second ago; returns that time."""
    await data.insert_campaign(conn, _settings(1, "active"))
    past: datetime = await conn.fetchval("SELECT clock_timestamp() - interval '1 second'")
    await data.insert_running_leads(conn, leads, past)
    return past


class TestHoldSends:
    """``store.hold_sends`` marks only a live, active campaign older than the change."""

    async def test_newer_stopping_change(self, conn: asyncpg.Connection) -> None:
        """An active campaign at version 1 is held for a change to version 2."""
        await data.insert_campaign(conn, _settings(1, "active"))
        assert (True, True) == (await store.hold_sends(conn, C, 2), await _held(conn))

    async def test_deletion(self, conn: asyncpg.Connection) -> None:
        """A deletion (no version) holds an active campaign."""
        await data.insert_campaign(conn, _settings(1, "active"))
        assert (True, True) == (await store.hold_sends(conn, C, None), await _held(conn))

    async def test_change_already_applied(self, conn: asyncpg.Connection) -> None:
        """A change whose version is already stored (another replica applied it) holds nothing."""
        await data.insert_campaign(conn, _settings(2, "active"))
        assert (False, False) == (await store.hold_sends(conn, C, 2), await _held(conn))

    async def test_campaign_not_sending(self, conn: asyncpg.Connection) -> None:
        """A paused campaign is not held (nothing sends anyway)."""
        await data.insert_campaign(conn, _settings(1, "paused"))
        assert (False, False) == (await store.hold_sends(conn, C, 2), await _held(conn))

    async def test_saving_the_change_clears_it(self, conn: asyncpg.Connection) -> None:
        """Saving the campaign's new settings (the fan-out's end) lifts the hold."""
        await data.insert_campaign(conn, _settings(1, "active"))
        await store.hold_sends(conn, C, 2)
        paused = parse(_record(0, _settings(2, "paused")))[1]
        now = await store.db_now(conn)
        await store.save_campaign(conn, C, 2, next_campaign(None, paused), now)
        assert not await _held(conn)

    async def test_sending_view_is_paused(self, conn: asyncpg.Connection) -> None:
        """The timers read a held campaign as paused; every other reader as it is stored."""
        await data.insert_campaign(conn, _settings(1, "active"))
        await store.hold_sends(conn, C, 2)
        sending = await store.load_campaigns(conn, [C], sending=True)
        stored = await store.load_campaigns(conn, [C])
        assert (CampaignStatus.PAUSED, CampaignStatus.ACTIVE) == (
            sending[C].settings.status,
            stored[C].settings.status,
        )


class TestTimersUnderAHold:
    """No lead of a held campaign is sent; the fan-out then freezes it as a pause does."""

    async def test_not_held_sends(self, conn: asyncpg.Connection) -> None:
        """Without a hold, the three due leads are sent (the control of the next test)."""
        await _running(conn, 3)
        async with conn.transaction():
            fired = await fire_due(conn, limit=10, topics=TOPICS, stamp=STAMP)
        assert 3 == len(fired.effects.sends)

    async def test_held_sends_nothing(self, conn: asyncpg.Connection) -> None:
        """Held: the due leads are claimed, nothing is sent, and they are not claimed again."""
        await _running(conn, 3)
        await store.hold_sends(conn, C, 2)
        async with conn.transaction():
            fired = await fire_due(conn, limit=10, topics=TOPICS, stamp=STAMP)
        async with conn.transaction():
            again = await fire_due(conn, limit=10, topics=TOPICS, stamp=STAMP)
        sent = await conn.fetchval("SELECT count(*) FROM send_log")
        assert (3, 0, 0, 0) == (fired.claimed, len(fired.effects.sends), again.claimed, sent)

    async def test_pause_fans_out_after_the_hold(self, conn: asyncpg.Connection) -> None:
        """The pause's fan-out freezes the held leads (nothing left to wait) and lifts the hold."""
        await _running(conn, 3)
        await store.hold_sends(conn, C, 2)
        async with conn.transaction():
            await fire_due(conn, limit=10, topics=TOPICS, stamp=STAMP)
        async with conn.transaction():
            await apply_campaign_batch(
                conn, [_record(0, _settings(2, "paused"))], expected={}, topics=TOPICS
            )
        rows = await conn.fetch("SELECT status, due_at, remaining_s, wake_at FROM leads")
        assert [("in_progress", None, 0.0, None)] * 3 == [tuple(r) for r in rows]
        assert not await _held(conn)


class TestSendHoldsPrelude:
    """The campaign consumer's prelude holds what a batch stops and lifts refused records."""

    async def test_holds_only_stopping_records(
        self, conn: asyncpg.Connection, database_url: str
    ) -> None:
        """An unreadable record and one keeping the campaign active hold nothing; a pause does."""
        await data.insert_campaign(conn, _settings(1, "active"))
        pool = await asyncpg.create_pool(database_url, min_size=1, max_size=1)
        try:
            await SendHolds().before(pool, [_bad_record(0), _record(1, _settings(2, "active"))])
            before_pause = await _held(conn)
            await SendHolds().before(pool, [_record(2, _settings(3, "paused"))])
        finally:
            await pool.close()
        assert (False, True) == (before_pause, await _held(conn))

    async def test_refused_record_lifts_its_hold(self, conn: asyncpg.Connection) -> None:
        """A stopping record refused for good (dead-lettered) does not hold the campaign forever."""
        await data.insert_campaign(conn, _settings(1, "active"))
        await store.hold_sends(conn, C, None)
        await SendHolds().refused(conn, [_record(0, None)])
        assert not await _held(conn)


def _other(i: int) -> store.OutboxRecord:
    return store.OutboxRecord(TOPICS.lead_status, f"c-other:l-{i}", b"{}")


def _fanned(i: int) -> store.OutboxRecord:
    return store.OutboxRecord(TOPICS.lead_status, f"{C}:l-{i}", b"{}")


class TestStagedOutbox:
    """A campaign change's statuses take their outbox numbers at its end, not as they come."""

    async def test_other_writers_go_on_while_a_change_stages(
        self, conn: asyncpg.Connection, database_url: str
    ) -> None:
        """While statuses are staged, another transaction writes to every shard at once."""
        await store.ensure_shards(conn, 4)
        other = await asyncpg.connect(database_url)
        try:
            async with conn.transaction():
                await store.start_staging(conn)
                await store.stage_outbox(conn, [_fanned(i) for i in range(1000)])
                async with other.transaction():
                    write = store.write_outbox(other, [_other(i) for i in range(40)])
                    await asyncio.wait_for(write, timeout=10)
                moved = await store.publish_staged(conn)
        finally:
            await other.close()
        rows = await conn.fetch("SELECT shard, seq, key FROM outbox ORDER BY shard, seq")
        shards: dict[int, list[tuple[int, str]]] = {}
        for row in rows:
            shards.setdefault(row["shard"], []).append((row["seq"], row["key"]))
        # Per shard: numbers 1..n, the other writer's records first, the staged ones in order.
        seqs = [[seq for seq, _ in rs] for rs in shards.values()]
        keys = [[key for _, key in rs] for rs in shards.values()]
        others_first = [ks == sorted(ks, key=lambda k: not k.startswith("c-other")) for ks in keys]
        staged = [[int(k.rsplit("-", 1)[1]) for k in ks if k.startswith(C)] for ks in keys]
        assert (1000, 1040) == (moved, len(rows))
        assert [list(range(1, len(s) + 1)) for s in seqs] == seqs
        assert [True] * 4 == others_first
        assert [sorted(s) for s in staged] == staged

    async def test_nothing_staged(self, conn: asyncpg.Connection) -> None:
        """A change that staged nothing moves nothing (and notifies no relay)."""
        await store.ensure_shards(conn, 4)
        async with conn.transaction():
            await store.start_staging(conn)
            moved = await store.publish_staged(conn)
        assert (0, 0) == (moved, await conn.fetchval("SELECT count(*) FROM outbox"))
