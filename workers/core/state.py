"""The values the core works on: a lead's state, a campaign, and a transition."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeGuard

from schemas import (
    CampaignSettings,
    CampaignStatus,
    CommandResult,
    LeadStatus,
    LeadStatusValue,
    SendRequest,
)

#: Statuses a lead never leaves.
FINAL = frozenset({LeadStatusValue.STOPPED, LeadStatusValue.COMPLETED})


@dataclass(frozen=True, slots=True)
class LeadState:
    """One lead in one campaign, as the sequencer stores it.

    The countdown to ``next_step`` is held in one of two forms: ``due_at`` (an
    instant) while the lead runs, ``remaining_s`` (frozen seconds) while it does
    not run: the lead is paused, or it is in progress under a campaign that is not
    active. Never both.
    """

    campaign_id: str
    lead_id: str
    status: LeadStatusValue
    #: 1-based number of the step to send next.
    next_step: int
    #: Countdown end; set iff status is in_progress and the campaign is active.
    due_at: datetime | None
    #: Frozen countdown in seconds; set while paused, or in progress under a non-active campaign.
    remaining_s: float | None
    #: Auto-resume time of a pause.
    resume_at: datetime | None
    #: Plain-language why, e.g. "paused by reply automation (event r-1)".
    reason: str
    #: occurred_at of the last manual or system command applied (staleness guard).
    last_manual_at: datetime | None
    #: +1 on every change.
    version: int
    updated_at: datetime
    #: The pause came from automation (with ``resume_at``: an out-of-office pause, which still
    #: reacts to automation).
    auto_paused: bool = False

    @property
    def lead_key(self) -> str:
        """``"{campaign_id}:{lead_id}"``."""
        return f"{self.campaign_id}:{self.lead_id}"


@dataclass(frozen=True, slots=True)
class Campaign:
    """The settings of a campaign and whether it has ever been launched."""

    settings: CampaignSettings
    #: Has been active at least once (the first move to active is the launch).
    launched: bool

    @property
    def running(self) -> bool:
        """Sending: the campaign is active (a launched campaign back in draft counts as paused)."""
        return self.settings.status is CampaignStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class Transition:
    """What one input did to one lead."""

    #: The lead's new state (None: no lead exists, e.g. a rejected command for an unknown lead).
    state: LeadState | None
    #: The state differs from the input (then ``status`` is set).
    changed: bool
    #: For commands only.
    result: CommandResult | None
    #: The new LeadStatus message when changed.
    status: LeadStatus | None
    sends: tuple[SendRequest, ...]


def is_running(campaign: Campaign | None) -> TypeGuard[Campaign]:
    """True when ``campaign`` exists and is active."""
    return campaign is not None and campaign.running
