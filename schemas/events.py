"""Events published upstream: replies, link clicks, meeting bookings.

v2: an event may leave ``campaign_id`` and ``lead_id`` out when it carries a ``tracking_token``
(or, for a reply, a raw message whose ``In-Reply-To`` / ``References`` holds a leadflow
Message-ID); the ingest worker resolves the lead from them. ``names_lead`` tells which.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator, Field, StringConstraints, model_validator

from schemas._base import Message
from schemas._types import Id, Timestamp
from schemas.enums import BookingStatus, ReplyKind

TRACKING_TOKEN_PATTERN = r"^[A-Za-z0-9_-]{1,80}$"  # noqa: S105 (a pattern, not a secret)

TrackingToken = Annotated[str, StringConstraints(pattern=TRACKING_TOKEN_PATTERN)]
"""v2: an opaque URL-safe token naming one send (``[A-Za-z0-9_-]``, at most 80 characters)."""


class _Event(Message):
    event_id: Id
    #: v2: may be left out (with ``lead_id``) when the event carries a ``tracking_token``.
    campaign_id: Id | None = None
    lead_id: Id | None = None
    occurred_at: Timestamp
    #: v2: the token of the send the event answers (names the lead and the step).
    tracking_token: TrackingToken | None = None

    @model_validator(mode="after")
    def _lead_named(self) -> _Event:
        if (self.campaign_id is None) != (self.lead_id is None):
            raise ValueError(
                "campaign_id and lead_id go together: give both, or neither and a tracking_token"
            )
        if self.campaign_id is None and not self._can_resolve():
            raise ValueError(
                "the event names no lead: give campaign_id and lead_id, or a tracking_token"
            )
        return self

    def _can_resolve(self) -> bool:
        return self.tracking_token is not None

    @property
    def names_lead(self) -> bool:
        """True when the event names its lead itself (``campaign_id`` and ``lead_id``)."""
        return self.campaign_id is not None and self.lead_id is not None

    @property
    def lead_key(self) -> str:
        """``"{campaign_id}:{lead_id}"``; only for an event that names its lead."""
        if self.campaign_id is None or self.lead_id is None:
            raise ValueError("the event does not name its lead: resolve it first")
        return f"{self.campaign_id}:{self.lead_id}"


def _base64_text(value: object) -> object:
    if isinstance(value, str):
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as error:
            raise ValueError(
                "raw_message is not base64 (of the message's RFC 5322 bytes)"
            ) from error
    return value


class ReplyEvent(_Event):
    """A lead replied (topic ``events.replies``)."""

    subject: str | None = None
    body_text: str | None = None
    #: Mail headers, e.g. ``Auto-Submitted`` (names compared case-insensitively by the rules).
    headers: dict[str, str] = Field(default_factory=dict)
    message_id: str | None = None
    #: v2: the whole RFC 5322 message as received, base64 of its bytes.
    raw_message: Annotated[str, BeforeValidator(_base64_text)] | None = None
    #: v2: a trusted upstream's own classification; when present the fleet does not classify.
    kind: ReplyKind | None = None
    #: v2: the return date of an out-of-office notice (with ``kind: out_of_office``).
    return_date: date | None = None

    @model_validator(mode="after")
    def _return_date_with_ooo(self) -> ReplyEvent:
        if self.return_date is not None and self.kind is not ReplyKind.OUT_OF_OFFICE:
            raise ValueError("return_date goes only with kind out_of_office")
        return self

    def _can_resolve(self) -> bool:
        return self.tracking_token is not None or self.raw_message is not None

    def raw_bytes(self) -> bytes | None:
        """The raw message's bytes, when the event carries one."""
        return None if self.raw_message is None else base64.b64decode(self.raw_message)

    def header(self, name: str) -> str | None:
        """The value of header ``name``, looked up case-insensitively."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


def _bot_hint(value: object) -> object:
    """Providers flag bots as text (Mailgun ``client-info.bot``: "generic") or as a boolean."""
    if value is True:
        return "true"
    if value is False or value == "":
        return None
    return value


class ClickEvent(_Event):
    """A lead clicked a tracked link (topic ``events.clicks``)."""

    url: str
    step: Annotated[int, Field(ge=1)] | None = None
    user_agent: str | None = None
    ip: str | None = None
    #: v2: the HTTP method of the click (scanners often send HEAD).
    method: Annotated[str, StringConstraints(to_upper=True, min_length=1, max_length=16)] = "GET"
    #: v2: when the clicked email was sent.
    sent_at: Timestamp | None = None
    #: v2: true when the link is one no person can see.
    honeypot: bool = False
    #: v2: the provider's own bot flag (e.g. Mailgun's ``client-info.bot``).
    bot_hint: Annotated[str | None, BeforeValidator(_bot_hint)] = None


class BookingEvent(_Event):
    """A lead booked or cancelled a meeting (topic ``events.bookings``)."""

    meeting_at: Timestamp | None = None
    status: BookingStatus = BookingStatus.BOOKED
