"""Leads and campaigns for the ops tests, with readable defaults."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from schemas import CampaignSettings, CampaignStatus, LeadStatusValue, SendingWindow, Step
from workers.core import Campaign, LeadState

#: Monday 1 June 2026, 10:00 UTC.
T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
DAY = timedelta(days=1)

#: A weekday window in Paris, 09:00-18:00 (UTC+2 in June).
PARIS = SendingWindow(
    timezone="Europe/Paris", days=["mon", "tue", "wed", "thu", "fri"], start="09:00", end="18:00"
)


def campaign(
    status: CampaignStatus = CampaignStatus.ACTIVE,
    *,
    launched: bool | None = None,
    window: SendingWindow | None = None,
) -> Campaign:
    """Campaign c-42 with the contract's three steps (0, 2 days, 4 days)."""
    settings = CampaignSettings(
        campaign_id="c-42",
        version=1,
        status=status,
        steps=[Step(delay=timedelta(0)), Step(delay=2 * DAY), Step(delay=4 * DAY)],
        sending_window=window,
        sender_id="mbx-1",
    )
    was = status is not CampaignStatus.DRAFT if launched is None else launched
    return Campaign(settings=settings, launched=was)


def lead(status: LeadStatusValue = LeadStatusValue.IN_PROGRESS, **changes: Any) -> LeadState:
    """Lead c-42/l-7 in ``status`` (step 3 next, updated at T0), with ``changes``."""
    state = LeadState(
        campaign_id="c-42",
        lead_id="l-7",
        status=status,
        next_step=3,
        due_at=None,
        remaining_s=None,
        resume_at=None,
        reason="",
        last_manual_at=None,
        version=4,
        updated_at=T0,
    )
    return replace(state, **changes)
