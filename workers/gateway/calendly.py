"""Calendly: ``invitee.created`` and ``invitee.canceled`` webhooks (JSON).

Signature (Calendly, "Webhook Signatures"): ``Calendly-Webhook-Signature: t=<unix>,v1=<hex>``,
where ``v1`` is the hex HMAC-SHA256, keyed with the subscription's signing key, of
``"<t>." + raw body``. Calendly's own verification example rejects a ``t`` more than three
minutes old, so we use that tolerance (Calendly signs every delivery attempt anew).

Events: ``invitee.created`` → booking ``booked``; ``invitee.canceled`` → booking
``cancelled`` (a reschedule sends both: the new booking, and the old one cancelled). The lead:
``payload.tracking.utm_content`` (put the tracking token in the booking link's
``utm_content``); the meeting time: ``payload.scheduled_event.start_time``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
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
    parse_unix,
    short_hash,
    token_result,
    within,
)

NAME = "calendly"
SIGNATURE_HEADER = "Calendly-Webhook-Signature"
#: Calendly's documented tolerance, both ways.
TOLERANCE = timedelta(minutes=3)

_STATUSES = {
    "invitee.created": BookingStatus.BOOKED,
    "invitee.canceled": BookingStatus.CANCELLED,
}


@dataclass(frozen=True, slots=True)
class Payload:
    """A verified Calendly request: one webhook event."""

    received_at: datetime
    body: dict[str, Any]


def _signature_parts(value: str) -> tuple[str | None, list[str]]:
    timestamp: str | None = None
    signatures: list[str] = []
    for item in value.split(","):
        key, _, part = item.strip().partition("=")
        if key == "t":
            timestamp = part
        elif key == "v1":
            signatures.append(part)
    return timestamp, signatures


def verify(headers: Mapping[str, str], raw_body: bytes, secret: str, now: datetime) -> bool:
    """True when ``Calendly-Webhook-Signature`` signs this body with ``secret``, recently."""
    timestamp, signatures = _signature_parts(header(headers, SIGNATURE_HEADER) or "")
    signed_at = parse_unix(timestamp)
    if timestamp is None or signed_at is None or not signatures:
        return False
    if not within(signed_at, now, past=TOLERANCE, future=TOLERANCE):
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + raw_body, hashlib.sha256)
    digest = expected.hexdigest().encode()
    matches = [hmac.compare_digest(digest, given.encode()) for given in signatures]
    return any(matches)


def parse(headers: Mapping[str, str], raw_body: bytes, received_at: datetime) -> Payload:
    """The event of a verified body, or BadBody with the reason."""
    del headers
    return Payload(received_at=received_at, body=json_object(raw_body))


def map(payload: Payload) -> list[Result]:
    """Our booking for one verified Calendly event (one at most)."""
    body = payload.body
    name = str(body.get("event", ""))
    status = _STATUSES.get(name)
    if status is None:
        return [Ignored(IgnoreReason.UNUSED, name or "unnamed")]
    invitee = body.get("payload")
    if not isinstance(invitee, dict):
        raise BadBody("payload is missing or not an object")
    tracking = invitee.get("tracking")
    token = token_result(tracking.get("utm_content") if isinstance(tracking, dict) else None)
    if isinstance(token, IgnoreReason):
        return [Ignored(token, name)]
    uri = invitee.get("uri")
    if not isinstance(uri, str) or not uri:
        raise BadBody("payload.uri (the invitee) is missing")
    scheduled = invitee.get("scheduled_event")
    start = scheduled.get("start_time") if isinstance(scheduled, dict) else None
    event = BookingEvent(
        event_id=derive_event_id(NAME, short_hash(uri), name),
        occurred_at=from_iso(body.get("created_at"), "created_at"),
        tracking_token=token,
        status=status,
        meeting_at=from_iso(start, "payload.scheduled_event.start_time") if start else None,
    )
    return [Mapped(event, token)]
