"""Decoding and deciding a consumed batch, without a broker."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as settings_
from hypothesis import strategies as st

from schemas import (
    Action,
    Automation,
    AutomationAction,
    BookingEvent,
    CampaignSettings,
    ClickEvent,
    LeadCommand,
    ReplyEvent,
    ReplyKind,
    Trigger,
)
from tests.unit.core.core_factories import settings
from workers.ingest.batch import (
    Command,
    DeadLetter,
    EventModel,
    Pending,
    decide_batch,
    decide_record,
    has_unknown_campaign,
    next_offsets,
)
from workers.ports import Partition, Record

CAMPAIGN = settings(automation=Automation(reply=AutomationAction.PAUSE))


@dataclass(frozen=True)
class FakeRecord:
    """A consumed record with only what the ingest worker reads."""

    value: bytes | None
    offset: int = 0
    partition: int = 0
    topic: str = "events.replies"
    key: bytes | None = None


def lookup(campaign_id: str) -> CampaignSettings | None:
    """Only campaign c-42 is known."""
    return CAMPAIGN if campaign_id == "c-42" else None


def event(**overrides: Any) -> bytes:
    """A reply event of lead l-7 in campaign c-42, as bytes."""
    doc: dict[str, Any] = {
        "event_id": "r-1",
        "campaign_id": "c-42",
        "lead_id": "l-7",
        "occurred_at": "2026-06-01T10:00:00Z",
        **overrides,
    }
    return json.dumps({k: v for k, v in doc.items() if v is not None}).encode()


def decided(value: bytes | None, model: EventModel = ReplyEvent) -> Command | DeadLetter | Pending:
    """The output of one record."""
    return decide_record(FakeRecord(value), model, lookup)


class TestDecideRecord:
    """``decide_record`` turns one event record into a command or a dead letter."""

    def test_command_key_and_value(self) -> None:
        """A valid reply becomes a LeadCommand keyed by the lead key."""
        output = decided(event())
        assert isinstance(output, Command)
        assert b"c-42:l-7" == output.key
        command = LeadCommand.model_validate_json(output.value)
        assert ("reply-r-1", Action.PAUSE, Trigger.REPLY, "r-1") == (
            command.command_id,
            command.action,
            command.trigger,
            command.event_id,
        )

    @pytest.mark.parametrize(
        ("model", "value", "expected"),
        [
            (ClickEvent, event(event_id="k-1", url="https://x.test/a"), "click-k-1"),
            (BookingEvent, event(event_id="b-1"), "booking-b-1"),
        ],
    )
    def test_command_id_per_topic(self, model: EventModel, value: bytes, expected: str) -> None:
        """Clicks and bookings get their own deterministic command ids."""
        output = decided(value, model)
        assert isinstance(output, Command)
        assert expected == output.command.command_id

    @pytest.mark.parametrize(
        ("value", "fragment"),
        [
            (b"not json", "not valid JSON"),
            (b'"a string"', "not a JSON object"),
            (event(lead_id=None), "campaign_id and lead_id go together"),
            (event(occurred_at="2026-06-01T10:00:00"), "occurred_at: "),
            (event(event_id="bad id!"), "event_id: String should match pattern"),
            (None, "the value is null"),
        ],
        ids=["not JSON", "not an object", "missing field", "naive timestamp", "bad id", "null"],
    )
    def test_bad_input(self, value: bytes | None, fragment: str) -> None:
        """Bad input becomes a dead letter with a readable reason."""
        output = decided(value)
        assert isinstance(output, DeadLetter)
        assert output.reason.startswith("invalid ReplyEvent: ")
        assert fragment in output.reason
        assert output.unknown_campaign is None

    def test_bad_enum(self) -> None:
        """A booking status outside the enum is bad input."""
        output = decided(event(status="maybe"), BookingEvent)
        assert isinstance(output, DeadLetter)
        assert "status: Input should be 'booked' or 'cancelled'" in output.reason

    def test_unknown_campaign(self) -> None:
        """An event of a campaign not held is refused with the campaign named."""
        output = decided(event(campaign_id="c-9"))
        assert DeadLetter(FakeRecord(event(campaign_id="c-9")), "unknown campaign c-9", "c-9") == (
            output
        )


class TestDecideBatch:
    """``decide_batch`` keeps the order and isolates bad records."""

    def test_bad_record_does_not_block(self) -> None:
        """A bad record in the middle of a batch leaves the others decided."""
        records: list[Record] = [
            FakeRecord(event(event_id="r-1"), 0),
            FakeRecord(b"{", 1),
            FakeRecord(event(event_id="r-2"), 2),
        ]
        kinds = [type(o) for o in decide_batch(records, ReplyEvent, lookup)]
        assert [Command, DeadLetter, Command] == kinds

    def test_same_event_twice_same_command_id(self) -> None:
        """A redelivered event gets the same command id."""
        records: list[Record] = [FakeRecord(event(), 0), FakeRecord(event(), 1)]
        ids = {
            o.command.command_id
            for o in decide_batch(records, ReplyEvent, lookup)
            if isinstance(o, Command)
        }
        assert {"reply-r-1"} == ids

    def test_has_unknown_campaign(self) -> None:
        """Only an unknown campaign (not bad input) asks for a table sync."""
        bad = decide_batch([FakeRecord(b"{")], ReplyEvent, lookup)
        unknown = decide_batch([FakeRecord(event(campaign_id="c-9"))], ReplyEvent, lookup)
        assert (False, True) == (has_unknown_campaign(bad), has_unknown_campaign(unknown))


class TestNextOffsets:
    """``next_offsets`` commits each partition past its last consumed record."""

    def test_last_plus_one(self) -> None:
        """The committed offset is the last record's offset + 1, per partition."""
        p0, p1, p2 = (Partition("t", n) for n in range(3))
        batch: dict[Partition, list[Record]] = {
            p0: [FakeRecord(b"", 4), FakeRecord(b"", 5)],
            p1: [FakeRecord(b"", 0)],
            p2: [],
        }
        assert {p0: 6, p1: 1} == next_offsets(batch)


class TestCommandBytes:
    """A command's key and value are what ``lead_key`` and ``model_dump_json`` give."""

    @settings_(max_examples=200, deadline=None)
    @given(
        ids=st.tuples(*[st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,40}\Z")] * 3),
        kind=st.sampled_from([None, *ReplyKind]),
        reason_text=st.text(max_size=40),
        model=st.sampled_from([ReplyEvent, ClickEvent, BookingEvent]),
    )
    def test_generated(
        self,
        ids: tuple[str, str, str],
        kind: ReplyKind | None,
        reason_text: str,
        model: EventModel,
    ) -> None:
        """Any reply, click or booking: the bytes the serializer writes are model_dump_json's."""
        event_id, campaign_id, lead_id = ids
        doc: dict[str, Any] = {
            "event_id": event_id,
            "campaign_id": campaign_id,
            "lead_id": lead_id,
            "occurred_at": "2026-06-01T12:00:00+02:00",
        }
        if model is ReplyEvent:
            doc |= {"kind": kind, "body_text": reason_text}
        elif model is ClickEvent:
            doc["url"] = "https://example.com/a"
        output = decide_record(FakeRecord(json.dumps(doc).encode()), model, lambda _: CAMPAIGN)

        assert isinstance(output, Command)
        assert (output.command.lead_key.encode(), output.command.model_dump_json().encode()) == (
            output.key,
            output.value,
        )
