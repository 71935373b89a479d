"""Automation rules: an upstream event and the campaign's settings in, a LeadCommand out."""

from __future__ import annotations

import hashlib

from schemas import (
    Action,
    AutomationAction,
    BookingEvent,
    BookingStatus,
    CampaignSettings,
    ClickEvent,
    LeadCommand,
    ReplyEvent,
    ReplyKind,
    Source,
    Trigger,
)
from workers.core.replies.result import Classification
from workers.core.reply_rules import ReplyDecision, decide_reply

Event = ReplyEvent | ClickEvent | BookingEvent

_MAX_ID = 128
_PREFIXES: dict[type[Event], str] = {
    ReplyEvent: "reply",
    ClickEvent: "click",
    BookingEvent: "booking",
}
_ACTIONS = {
    AutomationAction.CONTINUE: Action.CONTINUE,
    AutomationAction.PAUSE: Action.PAUSE,
    AutomationAction.STOP: Action.STOP,
}


def command_id_for(event: Event) -> str:
    """The command id for an event, the same on every delivery: ``reply-{event_id}``, ...

    An id that would exceed 128 characters becomes ``{prefix}-{sha256(event_id)[:40]}``.
    """
    prefix = _PREFIXES[type(event)]
    command_id = f"{prefix}-{event.event_id}"
    if len(command_id) <= _MAX_ID:
        return command_id
    return f"{prefix}-{hashlib.sha256(event.event_id.encode()).hexdigest()[:40]}"


def auto_reply_reason(event: ReplyEvent) -> str | None:
    """Why a reply is an automatic one (RFC 3834 and common vendor headers), or None.

    Auto-Submitted present and not ``no``; X-Autoreply or X-Autorespond present;
    Precedence ``auto_reply``, ``bulk`` or ``junk``.
    """
    if not event.headers:
        return None
    headers = {k.lower(): v for k, v in event.headers.items()}
    submitted = headers.get("auto-submitted")
    if submitted is not None and submitted.split(";")[0].strip().lower() != "no":
        return f"Auto-Submitted: {submitted}"
    for name in ("X-Autoreply", "X-Autorespond"):
        if name.lower() in headers:
            return f"{name} header"
    precedence = headers.get("precedence")
    if precedence is not None and precedence.strip().lower() in {"auto_reply", "bulk", "junk"}:
        return f"Precedence: {precedence}"
    return None


def upstream_classification(event: ReplyEvent) -> Classification:
    """The class of a reply without the classifier: upstream's ``kind``, else its headers.

    The replies worker classifies every reply it can read; this is what remains when it
    is given only a ``kind`` (trusted upstream) or headers.
    """
    if event.kind is not None:
        return Classification(event.kind, event.return_date, "und", "classified upstream")
    auto = auto_reply_reason(event)
    if auto is not None:
        return Classification(ReplyKind.AUTO_REPLY, None, "und", auto)
    return Classification(ReplyKind.HUMAN, None, "und", "no automation marker")


def _rule(event: ClickEvent | BookingEvent, settings: CampaignSettings) -> ReplyDecision:
    """The trigger, the action and the reason for a click or a booking."""
    automation = settings.automation
    if isinstance(event, ClickEvent):
        trigger, action = Trigger.LINK_CLICK, _ACTIONS[automation.link_click]
    elif event.status is BookingStatus.CANCELLED:
        return ReplyDecision(Trigger.MEETING_BOOKED, Action.CONTINUE, "booking cancelled")
    else:
        trigger, action = Trigger.MEETING_BOOKED, _ACTIONS[automation.meeting_booked]
    return ReplyDecision(trigger, action, f"{trigger} automation: {action}")


def decide(
    event: Event, settings: CampaignSettings, reply: Classification | None = None
) -> LeadCommand:
    """The automation command for ``event`` (its lead resolved) under the campaign settings.

    ``reply`` is the classifier's verdict on a reply (None: :func:`upstream_classification`).
    """
    if event.campaign_id is None or event.lead_id is None:
        raise ValueError("resolve the event's lead before deciding its command")
    if isinstance(event, ReplyEvent):
        verdict = reply or upstream_classification(event)
        decision = decide_reply(verdict, settings, event.occurred_at)
    else:
        decision = _rule(event, settings)
    return LeadCommand(
        command_id=command_id_for(event),
        campaign_id=event.campaign_id,
        lead_id=event.lead_id,
        action=decision.action,
        source=Source.AUTOMATION,
        trigger=decision.trigger,
        event_id=event.event_id,
        occurred_at=event.occurred_at,
        resume_at=decision.resume_at,
        reason=decision.reason,
    )
