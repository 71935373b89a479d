"""Cal.com: ``BOOKING_CREATED``, ``BOOKING_RESCHEDULED`` and ``BOOKING_CANCELLED`` webhooks.

Signature (Cal.com, "Webhooks": "Verifying the authenticity of the received payload"): the
header ``X-Cal-Signature-256`` holds the hex HMAC-SHA256 of the raw body, keyed with the
webhook's secret. Cal.com signs no timestamp, so there is none to check; a replayed booking
has one effect (the event id is derived from the booking's ``uid`` and the trigger).

Events: ``BOOKING_CREATED`` and ``BOOKING_RESCHEDULED`` → booking ``booked``;
``BOOKING_CANCELLED`` → booking ``cancelled``; every other trigger (``PING``,
``MEETING_ENDED``, ...) is unused. The lead: ``payload.metadata.leadflow`` (open the booking
page with ``?metadata[leadflow]=<token>``); the meeting time: ``payload.startTime``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from schemas import BookingEvent, BookingStatus
from workers.gateway.core import (
    BadBody,
    Ignored,
    IgnoreReason,
    Mapped,
    Result,
    derive_event_id,
    from_iso,
    header,
    json_object,
    token_result,
)

NAME = "calcom"
SIGNATURE_HEADER = "X-Cal-Signature-256"

_STATUSES = {
    "BOOKING_CREATED": BookingStatus.BOOKED,
    "BOOKING_RESCHEDULED": BookingStatus.BOOKED,
    "BOOKING_CANCELLED": BookingStatus.CANCELLED,
}


@dataclass(frozen=True, slots=True)
class Payload:
    """A verified Cal.com request: one webhook event."""

    received_at: datetime
    body: dict[str, Any]


def verify(headers: Mapping[str, str], raw_body: bytes, secret: str, now: datetime) -> bool:
    """True when ``X-Cal-Signature-256`` is the HMAC of this body with ``secret``."""
    del now  # Cal.com signs no time
    given = header(headers, SIGNATURE_HEADER)
    if not given:
        return False
    digest = hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest().encode()
    return hmac.compare_digest(digest, given.strip().lower().encode())


def parse(headers: Mapping[str, str], raw_body: bytes, received_at: datetime) -> Payload:
    """The event of a verified body, or BadBody with the reason."""
    del headers
    return Payload(received_at=received_at, body=json_object(raw_body))


def map(payload: Payload) -> list[Result]:
    """Our booking for one verified Cal.com event (one at most)."""
    body = payload.body
    trigger = str(body.get("triggerEvent", ""))
    status = _STATUSES.get(trigger)
    if status is None:
        return [Ignored(IgnoreReason.UNUSED, trigger or "unnamed")]
    booking = body.get("payload")
    if not isinstance(booking, dict):
        raise BadBody("payload is missing or not an object")
    metadata = booking.get("metadata")
    token = token_result(metadata.get("leadflow") if isinstance(metadata, dict) else None)
    if isinstance(token, IgnoreReason):
        return [Ignored(token, trigger)]
    uid = booking.get("uid")
    if not isinstance(uid, str) or not uid:
        raise BadBody("payload.uid (the booking) is missing")
    start = booking.get("startTime")
    event = BookingEvent(
        event_id=derive_event_id(NAME, uid, trigger),
        occurred_at=from_iso(body.get("createdAt"), "createdAt"),
        tracking_token=token,
        status=status,
        meeting_at=from_iso(start, "payload.startTime") if start else None,
    )
    return [Mapped(event, token)]
