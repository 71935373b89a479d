"""CampaignSettings (topic ``campaigns``) and its parts."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, field_validator, model_validator

from schemas._base import Message
from schemas._types import ClockTime, Duration, Id
from schemas.enums import (
    AutomationAction,
    CampaignStatus,
    OutOfOfficeAction,
    ScannerClicks,
    Weekday,
)

#: The longest delay a campaign may set (a step, a buffer, a fallback): ten years.
MAX_DELAY = timedelta(days=3650)


def _bounded(value: timedelta) -> timedelta:
    if value > MAX_DELAY:
        raise ValueError(f"duration {value.days} days is longer than the 3650 days allowed")
    return value


BoundedDuration = Annotated[Duration, AfterValidator(_bounded)]


class Step(Message):
    """One step of a sequence: wait ``delay`` after the previous step, then send."""

    #: Wait after the previous step was sent (step 1: after the lead started); at most 10 years.
    delay: BoundedDuration
    #: The template the mail system renders; None lets it choose.
    template_id: str | None = None


class Automation(Message):
    """What happens to a running lead when it clicks, replies or books a meeting."""

    link_click: AutomationAction = AutomationAction.CONTINUE
    #: Applies to replies classified ``human``.
    reply: AutomationAction = AutomationAction.STOP
    meeting_booked: AutomationAction = AutomationAction.STOP
    #: v2: what an out-of-office notice does.
    out_of_office: OutOfOfficeAction = OutOfOfficeAction.PAUSE_UNTIL_RETURN
    #: v2: added to the return date (``pause_until_return``).
    out_of_office_buffer: BoundedDuration = timedelta(days=1)
    #: v2: how long to pause when the notice gives no usable return date.
    out_of_office_fallback: BoundedDuration = timedelta(days=7)
    #: v2: what any other automatic answer does.
    auto_reply: AutomationAction = AutomationAction.CONTINUE
    #: v2: whether clicks that look like a security scanner's trigger ``link_click``.
    scanner_clicks: ScannerClicks = ScannerClicks.IGNORE


class SendingWindow(Message):
    """When steps may be sent, in the window's own timezone; ``end`` is exclusive."""

    #: IANA timezone name, e.g. ``Europe/Paris``.
    timezone: str
    days: Annotated[list[Weekday], Field(min_length=1)]
    start: ClockTime
    end: ClockTime

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(
                f"unknown timezone {name!r}: use an IANA name such as Europe/Paris"
            ) from error
        return name

    @model_validator(mode="after")
    def _start_before_end(self) -> SendingWindow:
        if self.start >= self.end:
            raise ValueError(
                f"sending window start {self.start:%H:%M} must be before end {self.end:%H:%M}"
                " (windows do not cross midnight)"
            )
        return self

    @property
    def tz(self) -> ZoneInfo:
        """The window's timezone."""
        return ZoneInfo(self.timezone)


class CampaignSettings(Message):
    """A campaign's settings; the latest ``version`` wins."""

    campaign_id: Id
    version: Annotated[int, Field(ge=0)]
    status: CampaignStatus
    steps: Annotated[list[Step], Field(min_length=1)]
    automation: Automation = Automation()
    sending_window: SendingWindow | None = None
    sender_id: Id

    def delay_of(self, step: int) -> timedelta:
        """The delay before ``step`` (1-based)."""
        return self.steps[step - 1].delay
