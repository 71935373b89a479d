"""Events published upstream: replies, link clicks, meeting bookings."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from schemas._base import LeadScoped
from schemas._types import Id, Timestamp
from schemas.enums import BookingStatus


class _Event(LeadScoped):
    event_id: Id
    campaign_id: Id
    lead_id: Id
    occurred_at: Timestamp


class ReplyEvent(_Event):
    """A lead replied (topic ``events.replies``)."""

    subject: str | None = None
    body_text: str | None = None
    #: Mail headers, e.g. ``Auto-Submitted`` (names compared case-insensitively by the rules).
    headers: dict[str, str] = Field(default_factory=dict)
    message_id: str | None = None

    def header(self, name: str) -> str | None:
        """The value of header ``name``, looked up case-insensitively."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


class ClickEvent(_Event):
    """A lead clicked a tracked link (topic ``events.clicks``)."""

    url: str
    step: Annotated[int, Field(ge=1)] | None = None
    user_agent: str | None = None
    ip: str | None = None


class BookingEvent(_Event):
    """A lead booked or cancelled a meeting (topic ``events.bookings``)."""

    meeting_at: Timestamp | None = None
    status: BookingStatus = BookingStatus.BOOKED
