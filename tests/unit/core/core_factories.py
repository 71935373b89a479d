"""Builders for the core's tests: campaigns, leads and commands with readable defaults."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from schemas import (
    Action,
    Automation,
    CampaignSettings,
    CampaignStatus,
    LeadCommand,
    LeadStatusValue,
    SendingWindow,
    Source,
    Step,
    Trigger,
)
from workers.core import Campaign, LeadState

#: Monday 1 June 2026, 10:00 UTC: the clock every test starts from.
T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)

#: The contract's example: step 1 at once, step 2 after 2 days, step 3 after 4 days.
DELAYS = (timedelta(0), 2 * DAY, 4 * DAY)


def settings(
    status: CampaignStatus = CampaignStatus.ACTIVE,
    *,
    delays: tuple[timedelta, ...] = DELAYS,
    version: int = 1,
    window: SendingWindow | None = None,
    automation: Automation | None = None,
    templates: tuple[str | None, ...] | None = None,
) -> CampaignSettings:
    """CampaignSettings for campaign c-42 (sender mbx-1)."""
    names = templates or tuple(None for _ in delays)
    return CampaignSettings(
        campaign_id="c-42",
        version=version,
        status=status,
        steps=[Step(delay=d, template_id=t) for d, t in zip(delays, names, strict=True)],
        automation=automation or Automation(),
        sending_window=window,
        sender_id="mbx-1",
    )


def campaign(
    status: CampaignStatus = CampaignStatus.ACTIVE, *, launched: bool | None = None, **kw: Any
) -> Campaign:
    """A campaign; launched unless it is a draft (override with ``launched``)."""
    was_launched = status is not CampaignStatus.DRAFT if launched is None else launched
    return Campaign(settings=settings(status, **kw), launched=was_launched)


def window(
    timezone: str = "Europe/Paris", start: str = "09:00", end: str = "18:00", days: str = "mtwtf"
) -> SendingWindow:
    """A sending window; ``days`` is a 7-letter mask from Monday, '-' meaning closed."""
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    chosen = [n for n, flag in zip(names, days.ljust(7, "-"), strict=True) if flag != "-"]
    return SendingWindow.model_validate(
        {"timezone": timezone, "days": chosen, "start": start, "end": end}
    )


def command(
    action: Action,
    source: Source = Source.MANUAL,
    *,
    at: datetime = T0,
    command_id: str | None = None,
    **kw: Any,
) -> LeadCommand:
    """A command for lead l-7 of campaign c-42; automation ones come from reply r-1."""
    extra: dict[str, Any] = {"actor": "alice"} if source is Source.MANUAL else {}
    if source is Source.AUTOMATION:
        extra = {"trigger": Trigger.REPLY, "event_id": "r-1"}
    return LeadCommand(
        command_id=command_id or f"cmd-{action}-{source}",
        campaign_id="c-42",
        lead_id="l-7",
        action=action,
        source=source,
        occurred_at=at,
        **(extra | kw),
    )


def lead(
    status: LeadStatusValue,
    *,
    next_step: int = 2,
    due_at: datetime | None = None,
    remaining_s: float | None = None,
    resume_at: datetime | None = None,
    last_manual_at: datetime | None = None,
    version: int = 5,
) -> LeadState:
    """Lead l-7 in status ``status``; an in-progress lead defaults to step 2 due in 1 day."""
    if status is LeadStatusValue.IN_PROGRESS and due_at is None and remaining_s is None:
        due_at = T0 + DAY
    if status is LeadStatusValue.PAUSED and remaining_s is None:
        remaining_s = DAY.total_seconds()
    if status in {LeadStatusValue.NOT_STARTED, LeadStatusValue.SKIPPED}:
        next_step = 1
    return LeadState(
        campaign_id="c-42",
        lead_id="l-7",
        status=status,
        next_step=next_step,
        due_at=due_at,
        remaining_s=remaining_s,
        resume_at=resume_at,
        reason="set up by the test",
        last_manual_at=last_manual_at,
        version=version,
        updated_at=T0 - DAY,
    )
