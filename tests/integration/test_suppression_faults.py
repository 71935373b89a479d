"""Suppression under faults and races, with real ``leadflow run sequencer`` processes.

- the send-time guard: two replicas fire a person's steps in many campaigns while their
  suppression arrives; no SendRequest for that person commits after the suppression's commit;
- kill -9 while a suppression is being applied: after the restart it is applied exactly once.

Commit order is read from the outbox sequence (equal to commit order, see
``docs/architecture.md``): a trigger the test installs copies every outbox row to an audit
table before the relay deletes it.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.integration.fleet import FleetProcess
from tests.integration.helpers import TopicReader, eventually
from tests.integration.scenarios import drained_output, read_sends
from tests.integration.suppression_helpers import (
    enroll_everywhere,
    publish_suppression,
    suppression,
    suppression_row,
    wait_statuses,
)
from workers.sequencer.suppression_store import LOCK_CLASS
from workers.settings import Settings
from workers.topics import Topics

pytestmark = pytest.mark.integration

AT = datetime(2026, 6, 2, 8, 0, tzinfo=UTC)

#: Every outbox row in the order it was written, across relay shards (their own ``seq`` is per
#: shard). A suppression locks the person's rows before it writes, and a timer that sends holds
#: them until it commits, so write order here is the order that matters.
AUDIT = """
CREATE TABLE outbox_audit (seq bigserial PRIMARY KEY, topic text, key text, value bytea);
CREATE FUNCTION audit_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox_audit (topic, key, value) VALUES (NEW.topic, NEW.key, NEW.value);
  RETURN NULL;
END $$;
CREATE TRIGGER audit_outbox AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION audit_outbox();
"""


async def _sql(url: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


async def _execute(url: str, script: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(script)
    finally:
        await conn.close()


async def _sends_of(url: str, lead_id: str) -> int:
    rows = await _sql(
        url, "SELECT count(*) AS n FROM send_log WHERE send_id LIKE '%:' || $1 || ':%'", lead_id
    )
    return int(rows[0]["n"])


async def _sent_at_least(url: str, lead_id: str, wanted: int) -> bool:
    return await _sends_of(url, lead_id) >= wanted


async def _audit(url: str, topics: Topics, lead_id: str) -> tuple[list[int], list[int]]:
    """Outbox sequence numbers of the person's sends, and of the statuses that say suppressed."""
    rows = await _sql(
        url,
        "SELECT seq, topic, value FROM outbox_audit WHERE key LIKE '%:' || $1 ORDER BY seq",
        lead_id,
    )
    sends = [r["seq"] for r in rows if r["topic"] == topics.sends]
    marked = b'"suppressed":"unsubscribe"'
    suppressed = [
        r["seq"] for r in rows if r["topic"] == topics.lead_status and marked in r["value"]
    ]
    return sends, suppressed


class TestSendTimeGuard:
    """No SendRequest for a suppressed person commits after the suppression's transaction."""

    async def test_two_replicas_fire_while_the_suppression_arrives(
        self, settings: Settings, tmp_path: Path
    ) -> None:
        """A person in 100 campaigns, steps due every 0.25 s, two replicas, suppressed mid-way."""
        url, topics = settings.database_url, Topics(settings.topic_prefix)
        campaigns = [f"c{i}" for i in range(100)]
        await _execute(url, AUDIT)
        await enroll_everywhere(settings, "l-7", campaigns, delays=["PT0S"] + ["PT0.25S"] * 15)
        replicas = [FleetProcess(settings, ["sequencer"], tmp_path, n).start() for n in "ab"]
        try:
            await eventually(lambda: _sent_at_least(url, "l-7", 300), timeout_s=90, every_s=0.01)
            await publish_suppression(settings, "l-7", suppression("l-7", AT))
            await wait_statuses(url, "l-7", len(campaigns), "stopped", timeout_s=60)
            await drained_output(settings)
        finally:
            for replica in replicas:
                replica.stop()
        sends, suppressed = await _audit(url, topics, "l-7")
        committed = [s["send_id"] for s in await read_sends(settings) if s["lead_id"] == "l-7"]
        steps = await _sql(url, "SELECT next_step FROM leads WHERE lead_id = 'l-7'")
        first_stop = min(suppressed)
        assert [] == [seq for seq in sends if seq > first_stop]
        assert len(sends) == len(committed) == len(set(committed))
        # the suppression arrived while the steps were falling due, not before or after them
        assert 300 <= len(committed) < len(campaigns) * 16
        assert {row["next_step"] for row in steps} <= set(range(2, 17))


async def _suppression_in_flight(url: str) -> bool:
    """True while a transaction holds a person's bucket lock exclusively (applying one)."""
    rows = await _sql(
        url,
        "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = $1"
        " AND mode = 'ExclusiveLock' AND granted AND database ="
        " (SELECT oid FROM pg_database WHERE datname = current_database())",
        LOCK_CLASS,
    )
    return bool(rows[0]["n"])


class TestKilledWhileApplying:
    """kill -9 in the middle of a suppression's transaction: applied once after the restart."""

    async def test_kill9_mid_suppression(self, settings: Settings, tmp_path: Path) -> None:
        """Three people in 500 campaigns each; the sequencer is killed inside each suppression."""
        url, topics = settings.database_url, Topics(settings.topic_prefix)
        campaigns = [f"c{i}" for i in range(500)]
        people = ["p-1", "p-2", "p-3"]
        for person in people:
            await enroll_everywhere(settings, person, campaigns, delays=["PT0S", "P1D"])
        process = FleetProcess(settings, ["sequencer"], tmp_path, "sequencer").start()
        rolled_back = []
        try:
            for person in people:
                await wait_statuses(url, person, len(campaigns), "in_progress", timeout_s=120)
            for person in people:
                await publish_suppression(settings, person, suppression(person, AT))
                await eventually(lambda: _suppression_in_flight(url), timeout_s=30, every_s=0.002)
                process.kill()
                rolled_back.append(await suppression_row(url, person) is None)
                process.start()
                await wait_statuses(url, person, len(campaigns), "stopped", timeout_s=60)
            await drained_output(settings)
        finally:
            process.stop()
        stops = await _stopped_statuses(settings, topics)
        assert {(c, p): 1 for c in campaigns for p in people} == dict(stops)
        assert True in rolled_back
        assert len(campaigns) * len(people) == len(await read_sends(settings))


async def _stopped_statuses(settings: Settings, topics: Topics) -> Counter[tuple[str, str]]:
    """How many times each lead was published stopped (read_committed, from the beginning)."""
    async with TopicReader(settings, topics.lead_status) as reader:
        previous = -1
        while len(reader.records) != previous:
            previous = len(reader.records)
            for _ in range(5):
                await reader.poll()
        return Counter(
            (s["campaign_id"], s["lead_id"]) for s in reader.values() if s["status"] == "stopped"
        )
