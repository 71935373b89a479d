"""The bearer-token JSON routes ``POST /v1/events/replies|clicks|bookings`` (pure part).

A platform that prefers HTTP to Kafka posts one leadflow event, or a JSON array of them, with
``Authorization: Bearer <token>`` (one of ``LEADFLOW_GATEWAY_TOKENS``). All or none: one
invalid item rejects the whole request, with a reason per invalid item.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from schemas import BookingEvent, ClickEvent, ReplyEvent
from workers.errors import describe_validation_error
from workers.gateway.core import BadBody, Event, Mapped, Topic, header, parse_json, read_raw_mail

MODELS: Mapping[Topic, type[ReplyEvent] | type[ClickEvent] | type[BookingEvent]] = {
    Topic.REPLIES: ReplyEvent,
    Topic.CLICKS: ClickEvent,
    Topic.BOOKINGS: BookingEvent,
}
#: The most events one request may carry.
MAX_ITEMS = 1000


@dataclass(frozen=True, slots=True)
class ItemError:
    """Why one item of a request was refused."""

    index: int
    reason: str


class InvalidItems(ValueError):
    """Some items are not valid events: nothing of the request is published."""

    def __init__(self, errors: list[ItemError]) -> None:
        super().__init__(f"{len(errors)} invalid event(s)")
        self.errors = errors


def authorized(headers: Mapping[str, str], tokens: Sequence[str]) -> bool:
    """True when ``Authorization: Bearer`` holds one of ``tokens`` (each compared in constant
    time, all of them compared)."""
    scheme, _, given = (header(headers, "Authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return False
    wanted = given.strip().encode()
    matches = [hmac.compare_digest(wanted, token.encode()) for token in tokens]
    return any(matches)


def parse_events(topic: Topic, raw_body: bytes) -> list[Mapped]:
    """Every event of the body, validated; BadBody or InvalidItems when any is not valid."""
    value = parse_json(raw_body)
    items = value if isinstance(value, list) else [value]
    if not items:
        raise BadBody("the array is empty")
    if len(items) > MAX_ITEMS:
        raise BadBody(f"at most {MAX_ITEMS} events per request")
    model = MODELS[topic]
    events: list[Mapped] = []
    errors: list[ItemError] = []
    for index, item in enumerate(items):
        try:
            event = model.model_validate(item)
        except ValidationError as error:
            errors.append(ItemError(index, describe_validation_error(error)))
            continue
        events.append(Mapped(event, _ref(event)))
    if errors:
        raise InvalidItems(errors)
    return events


def _ref(event: Event) -> str:
    """The tracking token, or the Message-ID reference of a raw reply, or the event id."""
    if event.tracking_token is not None:
        return event.tracking_token
    if isinstance(event, ReplyEvent) and event.raw_message is not None:
        try:
            raw = base64.b64decode(event.raw_message)
        except (ValueError, binascii.Error):  # pragma: no cover (the model validated it)
            return event.event_id
        return read_raw_mail(raw).ref or event.event_id
    return event.event_id
