"""A campaign change applied set-based gives exactly the rows and statuses of the per-lead core."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import Any

import asyncpg
import pytest
from aiokafka import ConsumerRecord

from schemas import CampaignSettings, LeadStatus, LeadStatusValue
from tools.bench import data
from workers.core import (
    Campaign,
    LeadState,
    next_campaign,
    on_campaign_change,
    status_message,
    wake_at,
)
from workers.sequencer import campaigns, store
from workers.sequencer.campaigns import apply_campaign_batch
from workers.topics import Topics

S = LeadStatusValue
TOPICS = Topics("t.")
WINDOW = {"timezone": "Europe/Paris", "days": ["mon", "tue", "wed", "thu", "fri"],
          "start": "09:00", "end": "17:00"}  # fmt: skip
LATE_WINDOW = {**WINDOW, "timezone": "America/New_York", "start": "13:30", "end": "14:00"}
Row = dict[str, Any]


def _settings(version: int, status: str, **extra: Any) -> dict[str, Any]:
    steps = [{"delay": "PT1H"}, {"delay": "P2D"}, {"delay": "PT30M"}]
    return {**data.campaign(), "version": version, "status": status, "steps": steps, **extra}


def _lead(rng: random.Random, i: int, now: datetime) -> tuple[object, ...]:
    """A lead in any status, countdowns around ``now``, wake-up right or wrong."""
    status = rng.choice([*S, S.NOT_STARTED, S.IN_PROGRESS, S.IN_PROGRESS, S.PAUSED])

    def instant() -> datetime:
        return now + timedelta(microseconds=rng.randint(-3 * 86400 * 10**6, 9 * 86400 * 10**6))

    due = instant() if status is S.IN_PROGRESS and rng.random() < 0.6 else None
    if status is S.NOT_STARTED and rng.random() < 0.02:
        due = instant()  # outside the invariant: left to the per-lead core
    remaining = rng.randint(0, 5 * 86400 * 10**6) / 10**6 if due is None else None
    resume = instant() if status is S.PAUSED and rng.random() < 0.5 else None
    wake = rng.choice([None, due, resume, instant()])
    manual = instant() if rng.random() < 0.3 else None
    step = rng.randint(1, 4)
    return (data.CAMPAIGN, f"l-{i:05d}", status.value, step, due, remaining, resume,
            "set up by the test", manual, rng.randint(1, 9), now - timedelta(days=1),
            rng.random() < 0.2, wake)  # fmt: skip


_COLUMNS = [*store.LEAD_COLUMNS.replace(" ", "").split(","), "wake_at"]


async def _rows(conn: asyncpg.Connection) -> dict[str, Row]:
    rows = await conn.fetch(f"SELECT {', '.join(_COLUMNS)} FROM leads ORDER BY lead_id")
    return {r["lead_id"]: dict(r) for r in rows}


def _as_row(state: LeadState, wake: datetime | None) -> Row:
    return {
        "campaign_id": state.campaign_id,
        "lead_id": state.lead_id,
        "status": state.status.value,
        "next_step": state.next_step,
        "due_at": state.due_at,
        "remaining_s": state.remaining_s,
        "resume_at": state.resume_at,
        "reason": state.reason,
        "last_manual_at": state.last_manual_at,
        "version": state.version,
        "updated_at": state.updated_at,
        "auto_paused": state.auto_paused,
        "wake_at": wake,
    }


def _state(row: Row) -> LeadState:
    return store.lead_from_row(row)  # type: ignore[arg-type]


def _record(offset: int, value: dict[str, Any] | None) -> ConsumerRecord[bytes, bytes]:
    body = None if value is None else json.dumps(value).encode()
    return ConsumerRecord(
        topic=TOPICS.campaigns,
        partition=0,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=data.CAMPAIGN.encode(),
        value=body,
        checksum=None,
        serialized_key_size=len(data.CAMPAIGN),
        serialized_value_size=0 if body is None else len(body),
        headers=(),
    )


class _Campaign:
    """The campaign under test: its leads, its stored settings, its changes."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.offset = 0
        self.held: Campaign | None = None

    async def change(self, *changes: dict[str, Any] | None) -> tuple[dict[str, Row], list[Row]]:
        """Apply ``changes`` in one batch: (rows the core expects, rows written)."""
        before = await _rows(self.conn)
        await self.conn.execute("DELETE FROM outbox")
        records = [_record(self.offset + i, c) for i, c in enumerate(changes)]
        async with self.conn.transaction():
            await apply_campaign_batch(self.conn, records, expected={0: self.offset}, topics=TOPICS)
        self.offset += len(changes)
        now = await self.conn.fetchval("SELECT updated_at FROM campaigns")
        expected, statuses = self._expected(before, changes, now)
        outbox = await self.conn.fetch(
            "SELECT key, value FROM outbox WHERE topic = $1 ORDER BY shard, seq",
            TOPICS.lead_status,
        )
        self._assert_statuses(statuses, outbox)
        return expected, [dict(r) for r in (await _rows(self.conn)).values()]

    def _expected(
        self, before: dict[str, Row], changes: tuple[dict[str, Any] | None, ...], now: datetime
    ) -> tuple[dict[str, Row], dict[str, list[LeadStatus]]]:
        states = {lead_id: (_state(row), row["wake_at"]) for lead_id, row in before.items()}
        statuses: dict[str, list[LeadStatus]] = {}
        for change in changes:
            old = self.held
            settings = None if change is None else CampaignSettings.model_validate(change)
            new = self.held = next_campaign(old, settings)
            for lead_id, (state, _) in states.items():
                t = on_campaign_change(state, old, new, now)
                assert t.state is not None
                states[lead_id] = (t.state, wake_at(t.state, new))
                if t.changed:
                    statuses.setdefault(f"{data.CAMPAIGN}:{lead_id}", []).append(
                        status_message(t.state)
                    )
        return {lead_id: _as_row(*sw) for lead_id, sw in states.items()}, statuses

    @staticmethod
    def _assert_statuses(
        expected: dict[str, list[LeadStatus]], outbox: list[asyncpg.Record]
    ) -> None:
        got: dict[str, list[bytes]] = {}
        for row in outbox:
            got.setdefault(row["key"], []).append(bytes(row["value"]))
        assert sorted(expected) == sorted(got)
        for key, messages in expected.items():
            assert [m.model_dump_json().encode() for m in messages] == got[key]
            assert messages == [LeadStatus.model_validate_json(v) for v in got[key]]


@pytest.fixture
async def campaign(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Campaign c-bench in draft (version 1) with 3,000 leads of mixed states, in 7 chunks."""
    monkeypatch.setattr(campaigns, "_FLUSH_EVERY", 450)
    conn = await asyncpg.connect(database_url)
    try:
        under_test = _Campaign(conn)
        await under_test.change(_settings(1, "draft"))
        now = await conn.fetchval("SELECT clock_timestamp()")
        rng = random.Random(15)
        leads = [_lead(rng, i, now) for i in range(3000)]
        await conn.copy_records_to_table("leads", records=leads, columns=_COLUMNS)
        yield under_test
    finally:
        await conn.close()


class TestSetBasedFanOut:
    """Each kind of change, on leads of every state: the per-lead core's rows and statuses."""

    async def test_launch_under_a_window(self, campaign: _Campaign) -> None:
        """Not-started leads start (woken at the window), frozen ones thaw, the rest keep."""
        expected, got = await campaign.change(_settings(2, "active", sending_window=WINDOW))

        assert list(expected.values()) == got

    async def test_window_change_pause_resume_delete(self, campaign: _Campaign) -> None:
        """A window change re-wakes running leads; pause, resume and delete follow the core."""
        await campaign.change(_settings(2, "active"))
        for change in (
            _settings(3, "active", sending_window=LATE_WINDOW),
            _settings(4, "paused", sending_window=LATE_WINDOW),
            _settings(5, "active", sending_window=WINDOW),
            _settings(6, "paused"),
            _settings(7, "active"),
            None,
        ):
            expected, got = await campaign.change(change)

            assert list(expected.values()) == got

    async def test_several_changes_in_one_batch(self, campaign: _Campaign) -> None:
        """Launch, pause and resume in one transaction: each sees the one before."""
        expected, got = await campaign.change(
            _settings(2, "active"), _settings(3, "paused"), _settings(4, "active")
        )

        assert list(expected.values()) == got
