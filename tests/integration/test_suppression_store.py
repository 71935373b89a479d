"""The suppression's SQL on real PostgreSQL, without Kafka: the timer's re-check, the enrolment
check against a large list, and the locks a suppression and an enrolment take."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import asyncpg
import pytest
from aiokafka import ConsumerRecord

from schemas import Suppression, SuppressionReason
from tests.integration.helpers import eventually
from tools.bench import data
from workers.core.tokens import Secrets
from workers.sequencer.commands import apply_batch
from workers.sequencer.effects import Effects
from workers.sequencer.people import apply_entries
from workers.sequencer.suppression_store import in_force, lock_people
from workers.sequencer.timers import fire_due
from workers.sequencer.tracking import SendStamp
from workers.topics import Topics

pytestmark = pytest.mark.integration

TOPICS = Topics("t.")
STAMP = SendStamp(Secrets((b"integration-tracking-secret",)), "leadflow.invalid")
AT = datetime(2026, 6, 2, 8, 0, tzinfo=UTC)


def _enroll(lead_id: str, offset: int) -> ConsumerRecord[bytes, bytes]:
    body = {
        "command_id": f"enroll-{lead_id}",
        "campaign_id": data.CAMPAIGN,
        "lead_id": lead_id,
        "action": "enroll",
        "source": "manual",
        "actor": "tester",
        "occurred_at": "2026-06-01T10:00:00Z",
    }
    value = json.dumps(body).encode()
    key = f"{data.CAMPAIGN}:{lead_id}".encode()
    return ConsumerRecord(TOPICS.commands, 0, offset, 0, 0, key, value, None, 0, 0, [])


async def _suppress_directly(conn: asyncpg.Connection, lead_id: str) -> None:
    """A suppression row written without the apply path (as a bug or a manual fix might)."""
    await conn.execute(
        "INSERT INTO suppressions (lead_id, reason, at) VALUES ($1, 'bounce', $2)", lead_id, AT
    )


class TestTimerReCheck:
    """A due lead of a suppressed person is stopped by the timer, never sent."""

    async def test_due_lead_of_suppressed_person(self, database_url: str) -> None:
        """The claim re-reads the table: the lead is stopped naming the suppression, no send."""
        conn = await asyncpg.connect(database_url)
        try:
            await data.insert_campaign(conn, data.campaign(delay="PT0S"))
            past = await conn.fetchval("SELECT clock_timestamp() - interval '1 second'")
            await data.insert_running_leads(conn, 3, past)
            await _suppress_directly(conn, "l-1")
            async with conn.transaction():
                fired = await fire_due(conn, limit=10, topics=TOPICS, stamp=STAMP)
            rows = await conn.fetch("SELECT lead_id, status, reason, wake_at FROM leads")
        finally:
            await conn.close()
        by_lead = {r["lead_id"]: r for r in rows}
        assert ["c-bench:l-0:1", "c-bench:l-2:1"] == sorted(s.send_id for s in fired.effects.sends)
        assert ("stopped", "stopped: l-1 is suppressed (bounce, 2026-06-02)", None) == (
            by_lead["l-1"]["status"],
            by_lead["l-1"]["reason"],
            by_lead["l-1"]["wake_at"],
        )


class TestEnrolmentAgainstTheList:
    """Enrolments look their people up in the list: suppressed ones are rejected."""

    async def test_large_list(self, database_url: str) -> None:
        """With 100,000 people on the list, the suppressed id is rejected, the others enrolled."""
        conn = await asyncpg.connect(database_url)
        try:
            await data.insert_campaign(conn, data.campaign(delay="P1D"))
            await conn.execute(
                "INSERT INTO suppressions (lead_id, reason, at)"
                " SELECT 's-' || g, 'manual', $1 FROM generate_series(1, 100000) AS g",
                AT,
            )
            records = [_enroll(lead_id, i) for i, lead_id in enumerate(["n-1", "s-77", "n-2"])]
            async with conn.transaction():
                effects = await apply_batch(conn, records, expected={}, topics=TOPICS)
            enrolled = await conn.fetch("SELECT lead_id FROM leads ORDER BY lead_id")
        finally:
            await conn.close()
        assert ["n-1", "n-2"] == [r["lead_id"] for r in enrolled]
        assert {"applied": 2, "rejected": 1} == +effects.outcomes


class TestLocks:
    """An enrolment waits for a suppression of the same person in flight, and sees it."""

    async def test_enrolment_waits_for_the_suppression(self, database_url: str) -> None:
        """The enrolment blocks on the person's bucket until the suppression commits: rejected."""
        first = await asyncpg.connect(database_url)
        second = await asyncpg.connect(database_url)
        try:
            await data.insert_campaign(first, data.campaign(delay="P1D"))
            suppressing = first.transaction()
            await suppressing.start()
            effects = Effects(TOPICS)
            now = await first.fetchval("SELECT clock_timestamp()")
            suppression = _unsubscribe("l-7")
            await apply_entries(first, [suppression], effects, now)

            async def enroll() -> Effects:
                async with second.transaction():
                    return await apply_batch(
                        second, [_enroll("l-7", 0)], expected={}, topics=TOPICS
                    )

            waiting = asyncio.create_task(enroll())
            await _until_blocked(first, second)
            await effects.write(first)
            await suppressing.commit()
            enrolled = await waiting
            suppressed = await in_force(first, ["l-7"])
        finally:
            await first.close()
            await second.close()
        assert {"rejected": 1} == +enrolled.outcomes
        assert ["l-7"] == list(suppressed)

    async def test_enrolments_share_a_bucket(self, database_url: str) -> None:
        """Two batches enrolling the same people do not wait for each other."""
        first = await asyncpg.connect(database_url)
        second = await asyncpg.connect(database_url)
        try:
            async with first.transaction(), second.transaction():
                await lock_people(first, shared=["a", "b"])
                await lock_people(second, shared=["a", "b"])  # does not wait
                modes = await first.fetch(
                    "SELECT mode, count(*) AS n FROM pg_locks WHERE locktype = 'advisory'"
                    " AND database = (SELECT oid FROM pg_database"
                    " WHERE datname = current_database()) GROUP BY mode"
                )
        finally:
            await first.close()
            await second.close()
        assert {"ShareLock"} == {r["mode"] for r in modes}


def _unsubscribe(lead_id: str) -> Suppression:
    return Suppression(lead_id=lead_id, reason=SuppressionReason.UNSUBSCRIBE, at=AT)


async def _until_blocked(observer: asyncpg.Connection, blocked: asyncpg.Connection) -> None:
    """Wait until ``blocked``'s backend waits for a lock."""
    pid = blocked.get_server_pid()

    async def waits() -> bool:
        return bool(
            await observer.fetchval(
                "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = $1", pid
            )
        )

    await eventually(waits, timeout_s=10, every_s=0.01)
