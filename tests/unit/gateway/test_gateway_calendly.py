"""Calendly: the t=,v1= signature with its 3-minute tolerance, and invitee events."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from schemas import BookingEvent, BookingStatus
from tests.unit.gateway.payloads import CALENDLY_KEY, TOKEN, calendly_event, calendly_signed
from workers.gateway import calendly
from workers.gateway.core import Ignored, IgnoreReason, Mapped, Result

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
BODY = json.dumps(calendly_event()).encode()


def run(body: dict[str, object]) -> list[Result]:
    return calendly.map(calendly.parse({}, json.dumps(body).encode(), NOW))


class TestVerify:
    def test_documented_signature_verifies(self) -> None:
        """v1 = hex HMAC-SHA256 of "<t>." + body verifies."""
        headers, body = calendly_signed(BODY, NOW)
        assert True is calendly.verify(headers, body, CALENDLY_KEY, NOW)

    def test_other_key_fails(self) -> None:
        """A signature made with another key does not verify."""
        headers, body = calendly_signed(BODY, NOW, key="other")
        assert False is calendly.verify(headers, body, CALENDLY_KEY, NOW)

    def test_changed_body_fails(self) -> None:
        """A changed body fails."""
        headers, _ = calendly_signed(BODY, NOW)
        assert False is calendly.verify(headers, BODY + b" ", CALENDLY_KEY, NOW)

    @pytest.mark.parametrize("offset", [timedelta(minutes=-4), timedelta(minutes=4)])
    def test_outside_three_minutes_fails(self, offset: timedelta) -> None:
        """Calendly's documented tolerance is three minutes."""
        headers, body = calendly_signed(BODY, NOW + offset)
        assert False is calendly.verify(headers, body, CALENDLY_KEY, NOW)

    def test_within_three_minutes_verifies(self) -> None:
        """A signature two minutes old is accepted."""
        headers, body = calendly_signed(BODY, NOW - timedelta(minutes=2))
        assert True is calendly.verify(headers, body, CALENDLY_KEY, NOW)

    @pytest.mark.parametrize("value", ["", "t=,v1=", "v1=abc", "t=123", "t=abc,v1=00"])
    def test_malformed_header_fails(self, value: str) -> None:
        """A header without both parts does not verify."""
        headers = {"Calendly-Webhook-Signature": value}
        assert False is calendly.verify(headers, BODY, CALENDLY_KEY, NOW)


class TestMap:
    @pytest.mark.parametrize(
        ("name", "status"),
        [("invitee.created", BookingStatus.BOOKED), ("invitee.canceled", BookingStatus.CANCELLED)],
    )
    def test_invitee_events_become_bookings(self, name: str, status: BookingStatus) -> None:
        """invitee.created → booked, invitee.canceled → cancelled, with the meeting time."""
        (result,) = run(calendly_event(name))
        assert isinstance(result, Mapped)
        event = result.event
        assert isinstance(event, BookingEvent)
        assert (status, TOKEN) == (event.status, event.tracking_token)
        assert datetime(2019, 8, 24, 14, 15, 22, 123456, tzinfo=UTC) == event.meeting_at
        assert event.event_id.startswith("calendly-")
        assert event.event_id.endswith(name)

    def test_created_and_canceled_have_different_ids(self) -> None:
        """A reschedule's two events are two events."""
        ids = {
            r.event.event_id
            for name in ("invitee.created", "invitee.canceled")
            for r in run(calendly_event(name))
            if isinstance(r, Mapped)
        }
        assert 2 == len(ids)

    def test_without_utm_content_is_unusable(self) -> None:
        """A booking without utm_content names no lead."""
        assert [Ignored(IgnoreReason.NO_LEAD, "invitee.created")] == run(calendly_event(token=None))

    def test_other_events_are_unused(self) -> None:
        """routing_form_submission.created and the like are unused."""
        body = calendly_event()
        body["event"] = "routing_form_submission.created"
        assert [Ignored(IgnoreReason.UNUSED, "routing_form_submission.created")] == run(body)
