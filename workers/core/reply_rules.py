"""What a classified reply does to its lead, under the campaign's automation settings.

The contract's table (v2 "Reply classification"):

============== ======================================================================
class          command
============== ======================================================================
human          the ``reply`` rule (trigger ``reply``)
out_of_office  the ``out_of_office`` rule; ``pause_until_return`` pauses with ``resume_at``
auto_reply     the ``auto_reply`` rule
unsubscribe    stop (and the sequencer suppresses the ``lead_id``)
bounce         stop (and suppress)
complaint      stop (and suppress)
soft_bounce    continue (recorded only)
============== ======================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from schemas import (
    Action,
    AutomationAction,
    CampaignSettings,
    OutOfOfficeAction,
    ReplyKind,
    Trigger,
)
from schemas._types import format_duration
from workers.core.replies.result import Classification

#: A return date further than this after the reply is not believed (the fallback applies).
MAX_RETURN_AHEAD = timedelta(days=365)

_ACTIONS = {
    AutomationAction.CONTINUE: Action.CONTINUE,
    AutomationAction.PAUSE: Action.PAUSE,
    AutomationAction.STOP: Action.STOP,
}
_OOO_ACTIONS = {
    OutOfOfficeAction.CONTINUE: Action.CONTINUE,
    OutOfOfficeAction.PAUSE: Action.PAUSE,
    OutOfOfficeAction.STOP: Action.STOP,
}
_SUPPRESSING = {
    ReplyKind.UNSUBSCRIBE: Trigger.UNSUBSCRIBE,
    ReplyKind.BOUNCE: Trigger.BOUNCE,
    ReplyKind.COMPLAINT: Trigger.COMPLAINT,
}


@dataclass(frozen=True, slots=True)
class ReplyDecision:
    """The command a reply leads to (``resume_at`` only with an out-of-office pause)."""

    trigger: Trigger
    action: Action
    reason: str
    resume_at: datetime | None = None


def decide_reply(
    reply: Classification, settings: CampaignSettings, occurred_at: datetime
) -> ReplyDecision:
    """The command for a reply of class ``reply.kind`` received at ``occurred_at``."""
    automation = settings.automation
    seen = f"{reply.kind.replace('_', ' ')} ({reply.evidence})"
    match reply.kind:
        case ReplyKind.HUMAN:
            action = _ACTIONS[automation.reply]
            return ReplyDecision(Trigger.REPLY, action, f"reply automation: {action}")
        case ReplyKind.OUT_OF_OFFICE:
            return _out_of_office(reply, settings, occurred_at)
        case ReplyKind.AUTO_REPLY:
            action = _ACTIONS[automation.auto_reply]
            return ReplyDecision(
                Trigger.AUTO_REPLY, action, f"{seen}: auto_reply rule says {action}"
            )
        case ReplyKind.SOFT_BOUNCE:
            return ReplyDecision(
                Trigger.SOFT_BOUNCE, Action.CONTINUE, f"{seen}: temporary, nothing changes"
            )
        case _:
            trigger = _SUPPRESSING[reply.kind]
            return ReplyDecision(trigger, Action.STOP, f"{seen}: stopped and suppressed")


def _out_of_office(
    reply: Classification, settings: CampaignSettings, occurred_at: datetime
) -> ReplyDecision:
    rule = settings.automation.out_of_office
    if rule is not OutOfOfficeAction.PAUSE_UNTIL_RETURN:
        action = _OOO_ACTIONS[rule]
        until = f" until {reply.return_date}" if reply.return_date else ""
        return ReplyDecision(
            Trigger.OUT_OF_OFFICE,
            action,
            f"out of office{until} ({reply.evidence}): out_of_office rule says {action}",
        )
    window = settings.sending_window
    zone: tzinfo = window.tz if window else UTC
    zone_name = window.timezone if window else "UTC"
    returns = usable_return_date(reply.return_date, occurred_at, zone)
    if returns is None:
        fallback = settings.automation.out_of_office_fallback
        resume_at = occurred_at + fallback
        said = f"return date {reply.return_date} not usable" if reply.return_date else "no date"
        reason = (
            f"out of office, {said} ({reply.evidence}), resumes"
            f" {_local(resume_at, zone)} {zone_name} after the {format_duration(fallback)} fallback"
        )
    else:
        resume_at = resume_time(returns, settings.automation.out_of_office_buffer, zone)
        reason = (
            f"out of office until {returns} ({reply.evidence}),"
            f" resumes {_local(resume_at, zone)} {zone_name}"
        )
    return ReplyDecision(Trigger.OUT_OF_OFFICE, Action.PAUSE, reason, resume_at)


def usable_return_date(returns: date | None, occurred_at: datetime, zone: tzinfo) -> date | None:
    """``returns`` when it is after the reply's own date and at most 365 days after it."""
    if returns is None:
        return None
    replied = occurred_at.astimezone(zone).date()
    if returns <= replied or returns - replied > MAX_RETURN_AHEAD:
        return None
    return returns


def resume_time(returns: date, buffer: timedelta, zone: tzinfo) -> datetime:
    """00:00 of ``returns`` in ``zone``, plus ``buffer`` on the wall clock, as a UTC instant."""
    wall = datetime.combine(returns, time(0)) + buffer
    return wall.replace(tzinfo=zone).astimezone(UTC)


def _local(instant: datetime, zone: tzinfo) -> str:
    return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M")
