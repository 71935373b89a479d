"""Automation rules: an upstream event and the campaign's settings in, a LeadCommand out."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

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
    ScannerClicks,
    Source,
    Trigger,
)
from workers.core.replies.result import Classification
from workers.core.reply_rules import ReplyDecision, decide_reply
from workers.core.scanner import Evidence, reason_of

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


def _click_rule(settings: CampaignSettings, scanner: Sequence[Evidence]) -> ReplyDecision:
    """A scanner's click triggers nothing unless the campaign counts scanner clicks."""
    automation = settings.automation
    action = _ACTIONS[automation.link_click]
    reason = f"{Trigger.LINK_CLICK} automation: {action}"
    if not scanner:
        return ReplyDecision(Trigger.LINK_CLICK, action, reason)
    evidence = reason_of(scanner)
    if automation.scanner_clicks is ScannerClicks.COUNT:
        return ReplyDecision(
            Trigger.LINK_CLICK, action, f"{reason} (scanner clicks count: {evidence})"
        )
    return ReplyDecision(
        Trigger.LINK_CLICK, Action.CONTINUE, f"scanner click ({evidence}): continue"
    )


def _rule(
    event: ClickEvent | BookingEvent, settings: CampaignSettings, scanner: Sequence[Evidence]
) -> ReplyDecision:
    """The trigger, the action and the reason for a click or a booking."""
    automation = settings.automation
    if isinstance(event, ClickEvent):
        return _click_rule(settings, scanner)
    if event.status is BookingStatus.CANCELLED:
        return ReplyDecision(Trigger.MEETING_BOOKED, Action.CONTINUE, "booking cancelled")
    trigger, action = Trigger.MEETING_BOOKED, _ACTIONS[automation.meeting_booked]
    return ReplyDecision(trigger, action, f"{trigger} automation: {action}")


def decide(
    event: Event,
    settings: CampaignSettings,
    reply: Classification | None = None,
    *,
    scanner: Sequence[Evidence] = (),
) -> LeadCommand:
    """The automation command for ``event`` (its lead resolved) under the campaign settings.

    ``reply`` is the classifier's verdict on a reply (None: :func:`upstream_classification`);
    ``scanner``, for a click, the evidence that a mail-security scanner made it (empty: a
    person's click).
    """
    if event.campaign_id is None or event.lead_id is None:
        raise ValueError("resolve the event's lead before deciding its command")
    if isinstance(event, ReplyEvent):
        verdict = reply or upstream_classification(event)
        decision = decide_reply(verdict, settings, event.occurred_at)
    else:
        decision = _rule(event, settings, scanner)
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
