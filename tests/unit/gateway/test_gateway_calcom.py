"""Cal.com: X-Cal-Signature-256 over the raw body, and booking triggers."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from schemas import BookingEvent, BookingStatus
from tests.unit.gateway.payloads import CALCOM_SECRET, TOKEN, calcom_event, calcom_signed
from workers.gateway import calcom
from workers.gateway.core import Ignored, IgnoreReason, Mapped, Result

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
BODY = json.dumps(calcom_event()).encode()


def run(body: dict[str, object]) -> list[Result]:
    return calcom.map(calcom.parse({}, json.dumps(body).encode(), NOW))


class TestVerify:
    def test_documented_signature_verifies(self) -> None:
        """The hex HMAC-SHA256 of the raw body with the secret verifies."""
        headers, body = calcom_signed(BODY)
        assert True is calcom.verify(headers, body, CALCOM_SECRET, NOW)

    def test_other_secret_fails(self) -> None:
        """A signature made with another secret fails."""
        headers, body = calcom_signed(BODY, secret="other")
        assert False is calcom.verify(headers, body, CALCOM_SECRET, NOW)

    def test_missing_header_fails(self) -> None:
        """An unsigned delivery (a webhook without a secret) is refused."""
        assert False is calcom.verify({}, BODY, CALCOM_SECRET, NOW)


class TestMap:
    @pytest.mark.parametrize(
        ("trigger", "status"),
        [
            ("BOOKING_CREATED", BookingStatus.BOOKED),
            ("BOOKING_RESCHEDULED", BookingStatus.BOOKED),
            ("BOOKING_CANCELLED", BookingStatus.CANCELLED),
        ],
    )
    def test_booking_triggers_become_bookings(self, trigger: str, status: BookingStatus) -> None:
        """Each booking trigger → BookingEvent with the status, meeting time and token."""
        (result,) = run(calcom_event(trigger))
        assert isinstance(result, Mapped)
        event = result.event
        assert isinstance(event, BookingEvent)
        assert (status, TOKEN) == (event.status, event.tracking_token)
        assert f"calcom-bFJeNb2uX8ANpT3JL5EfXw-{trigger}" == event.event_id
        assert datetime(2023, 5, 25, 9, 30, tzinfo=UTC) == event.meeting_at

    @pytest.mark.parametrize("trigger", ["PING", "MEETING_ENDED", "BOOKING_REQUESTED"])
    def test_other_triggers_are_unused(self, trigger: str) -> None:
        """Other triggers are unused."""
        assert [Ignored(IgnoreReason.UNUSED, trigger)] == run(calcom_event(trigger))

    def test_without_metadata_token_is_unusable(self) -> None:
        """A booking without metadata.leadflow names no lead."""
        assert [Ignored(IgnoreReason.NO_LEAD, "BOOKING_CREATED")] == run(calcom_event(token=None))
