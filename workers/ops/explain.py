"""Why a lead is or is not sending, in plain language: a pure function of its state.

``explain(state, campaign, now)`` reads the stored lead row and its campaign (``None`` when the
sequencer has never seen the campaign) and answers in one or two sentences; ``now`` is passed in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from schemas import CampaignStatus, LeadStatusValue
from schemas._types import format_timestamp
from workers.core import Campaign, LeadState, next_window_open

S = LeadStatusValue


def span(seconds: float) -> str:
    """A short human duration: ``0.5s``, ``42s``, ``4m 10s``, ``2h 5m``, ``2d 3h``."""
    seconds = max(0.0, seconds)
    if seconds < 10:  # noqa: PLR2004 - below ten seconds a tenth matters (the demo's scale)
        return f"{seconds:.1f}s"
    whole = round(seconds)
    for unit, size, sub, sub_size in (("d", 86400, "h", 3600), ("h", 3600, "m", 60)):
        if whole >= size:
            return f"{whole // size}{unit} {whole % size // sub_size}{sub}"
    if whole >= 60:  # noqa: PLR2004
        return f"{whole // 60}m {whole % 60}s"
    return f"{whole}s"


def when(at: datetime, now: datetime) -> str:
    """``2026-06-01T10:00:00Z (in 2d 3h)`` or ``(... ago)``."""
    delta = (at - now).total_seconds()
    relative = f"in {span(delta)}" if delta >= 0 else f"{span(-delta)} ago"
    return f"{format_timestamp(at)} ({relative})"


def steps_of(campaign: Campaign | None) -> int | None:
    """How many steps the campaign has (None when it is unknown)."""
    return None if campaign is None else len(campaign.settings.steps)


def explain(state: LeadState, campaign: Campaign | None, now: datetime) -> str:
    """Why ``state`` is (not) sending at ``now``, in plain language."""
    match state.status:
        case S.NOT_STARTED:
            return _not_started(state, campaign)
        case S.SKIPPED:
            return f"skipped ({state.reason}): it never starts, nothing is ever sent to it"
        case S.STOPPED:
            sent = state.next_step - 1
            return f"stopped ({state.reason}): final, nothing more is sent ({sent} step(s) sent)"
        case S.COMPLETED:
            return f"completed: all {state.next_step - 1} steps sent"
        case S.PAUSED:
            return _paused(state, campaign, now)
        case _:
            return _in_progress(state, campaign, now)


def _unknown(campaign_id: str) -> str:
    return f"campaign {campaign_id} is not known yet (no settings published with campaign put)"


def _not_started(state: LeadState, campaign: Campaign | None) -> str:
    if campaign is None:
        return f"not started: {_unknown(state.campaign_id)}; it starts when the campaign launches"
    if not campaign.launched:
        return (
            f"not started: campaign {state.campaign_id} is a draft (not launched yet);"
            " it starts when the campaign goes active"
        )
    return "not started: waiting for the sequencer to start it (the campaign has launched)"


def _campaign_hold(state: LeadState, campaign: Campaign | None) -> str | None:
    """Why the campaign itself holds the lead back (None: the campaign is running)."""
    if campaign is None:
        return _unknown(state.campaign_id)
    if campaign.settings.status is CampaignStatus.ACTIVE:
        return None
    if campaign.settings.status is CampaignStatus.PAUSED:
        return f"campaign {state.campaign_id} is paused at the campaign level"
    return f"campaign {state.campaign_id} is back in draft (nothing sends)"


def _paused(state: LeadState, campaign: Campaign | None, now: datetime) -> str:
    text = f"{state.reason} at {format_timestamp(state.updated_at)}"
    if state.remaining_s is not None:
        text += f"; step {state.next_step} is {span(state.remaining_s)} away once resumed"
    if state.resume_at is not None:
        text += f"; auto-resumes at {when(state.resume_at, now)}"
    else:
        text += "; stays paused until someone resumes or stops it"
    hold = _campaign_hold(state, campaign)
    return f"{text} (and {hold})" if hold else text


def _in_progress(state: LeadState, campaign: Campaign | None, now: datetime) -> str:
    hold = _campaign_hold(state, campaign)
    if hold is not None or campaign is None:
        frozen = span(state.remaining_s or 0.0)
        return (
            f"in progress but not sending: {hold}; step {state.next_step} is {frozen} away"
            " once the campaign is active again"
        )
    if state.next_step > len(campaign.settings.steps):
        return f"in progress: the campaign has no step {state.next_step} any more; completes soon"
    if state.due_at is None:
        return f"in progress: step {state.next_step} is next"
    return _due(state, campaign, state.due_at, now)


def _due(state: LeadState, campaign: Campaign, due_at: datetime, now: datetime) -> str:
    window = campaign.settings.sending_window
    opening = next_window_open(window, max(due_at, now))
    step = state.next_step
    if window is not None and opening > max(due_at, now):
        local = opening.astimezone(window.tz)
        return (
            f"in progress: step {step} falls due at {when(due_at, now)}, outside the sending"
            f" window: waiting for the next opening at {local:%Y-%m-%d %H:%M} {window.timezone}"
            f" (in {span((opening - now).total_seconds())})"
        )
    if due_at <= now + timedelta(seconds=1):
        return f"in progress: step {step} is due now (being sent)"
    return f"in progress: step {step} due at {when(due_at, now)}"
