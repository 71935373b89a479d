"""The sequencer's suppression pieces that need no database: reading records, folding a batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from aiokafka import ConsumerRecord

from schemas import LeadStatusValue, Suppression, SuppressionReason
from workers.core import LeadState, Lifting
from workers.sequencer.effects import Effects
from workers.sequencer.people import People, by_person, reflect
from workers.sequencer.suppressions import parse
from workers.topics import Topics

AT = datetime(2026, 6, 2, 8, 0, tzinfo=UTC)
S = LeadStatusValue


def record(
    key: bytes | None, value: bytes | None, timestamp_ms: int = 0
) -> ConsumerRecord[bytes, bytes]:
    """A consumed record of the suppressions topic."""
    return ConsumerRecord("t.suppressions", 0, 7, timestamp_ms, 0, key, value, None, 0, 0, [])


def unsubscribed(at: datetime = AT) -> Suppression:
    return Suppression(lead_id="l-7", reason=SuppressionReason.UNSUBSCRIBE, event_id="r-9", at=at)


def lead(campaign_id: str, status: LeadStatusValue) -> LeadState:
    return LeadState(
        campaign_id=campaign_id,
        lead_id="l-7",
        status=status,
        next_step=2,
        due_at=AT + timedelta(days=1) if status is S.IN_PROGRESS else None,
        remaining_s=None,
        resume_at=None,
        reason="running",
        last_manual_at=None,
        version=3,
        updated_at=AT,
    )


class TestParse:
    """A record of the suppressions topic is a Suppression, a Lifting, or bad input."""

    def test_suppression(self) -> None:
        """A valid value keyed by its lead_id is the Suppression."""
        assert unsubscribed() == parse(record(b"l-7", unsubscribed().model_dump_json().encode()))

    def test_lifting_takes_the_record_timestamp(self) -> None:
        """A null value lifts; its time is the record's timestamp (milliseconds, UTC)."""
        ms = int(AT.timestamp() * 1000) + 250

        assert Lifting("l-7", AT + timedelta(milliseconds=250)) == parse(record(b"l-7", None, ms))

    def test_unkeyed_suppression(self) -> None:
        """A value without a key still names its person."""
        assert "l-7" == parse(record(None, unsubscribed().model_dump_json().encode())).lead_id

    @pytest.mark.parametrize(
        ("expected", "key", "value"),
        [
            ("null value without a key", None, None),
            ("key 'l-8' does not match lead_id 'l-7'", b"l-8", unsubscribed().model_dump_json()),
            (
                "reason",
                b"l-7",
                '{"lead_id": "l-7", "reason": "tired", "at": "2026-06-02T08:00:00Z"}',
            ),
            ("not valid JSON", b"l-7", "{"),
        ],
    )
    def test_bad_input(self, expected: str, key: bytes | None, value: str | None) -> None:
        """Bad records raise ValueError with a readable reason (the caller dead-letters them)."""
        with pytest.raises(ValueError, match=expected):
            parse(record(key, None if value is None else value.encode()))


class TestPeople:
    """A batch folds its records over the stored ones: the later ``at`` wins."""

    def test_offer_in_order(self) -> None:
        """A newer lifting wins, an older suppression then loses, a newer one wins again."""
        people = People({"l-7": unsubscribed()})

        assert [True, False, True] == [
            people.offer(Lifting("l-7", AT + timedelta(hours=1))),
            people.offer(unsubscribed(AT + timedelta(minutes=30))),
            people.offer(unsubscribed(AT + timedelta(hours=2))),
        ]
        assert unsubscribed(AT + timedelta(hours=2)) == people.in_force("l-7")

    def test_not_suppressed(self) -> None:
        """Nobody stored, or lifted: no suppression in force."""
        people = People({"l-8": Lifting("l-8", AT)})

        assert (None, None) == (people.in_force("l-7"), people.in_force("l-8"))


class TestReflect:
    """A winning record's effect on the person's leads, as the batch leaves them."""

    def test_suppression_stops_and_relabels(self) -> None:
        """Running leads stop; final ones keep their state but say suppressed."""
        effects = Effects(Topics("t."))
        leads = [lead("c1", S.IN_PROGRESS), lead("c2", S.COMPLETED), lead("c3", S.PAUSED)]

        after = reflect(unsubscribed(), leads, AT, effects)

        assert [S.STOPPED, S.COMPLETED, S.STOPPED] == [s.status for s in after]
        assert {("c1", "l-7"), ("c3", "l-7")} == set(effects.leads)
        assert 3 == len(effects.outbox)
        assert all(b'"suppressed":"unsubscribe"' in r.value for r in effects.outbox if r.value)

    def test_lifting_changes_no_lead(self) -> None:
        """A lifting writes no lead and re-publishes statuses without ``suppressed``."""
        effects = Effects(Topics("t."))
        leads = [lead("c1", S.STOPPED), lead("c2", S.COMPLETED)]

        after = reflect(Lifting("l-7", AT), leads, AT, effects)

        assert (leads, {}) == (after, effects.leads)
        assert all(b'"suppressed":null' in r.value for r in effects.outbox if r.value)

    def test_by_person(self) -> None:
        """Leads are grouped per person, in campaign order."""
        grouped = by_person([lead("c2", S.STOPPED), lead("c1", S.STOPPED)])

        assert {"l-7": ["c1", "c2"]} == {k: [s.campaign_id for s in v] for k, v in grouped.items()}
