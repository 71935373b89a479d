"""Suppression across campaigns: which record wins, what it does to a lead, what it refuses.

A ``lead_id`` names one person in every campaign. The ``suppressions`` topic holds, per
``lead_id``, either a :class:`~schemas.Suppression` or a null value (the suppression is
lifted). Records for one person may arrive out of order (the platform, the CLI and the fleet
all write them), so the later ``at`` wins, whatever the order of arrival:

- a Suppression carries its own ``at``;
- a lifting (a null value) carries none, so its ``at`` is the Kafka record's timestamp
  (``CreateTime``, stamped by the producer when it wrote the tombstone: ``leadflow suppress
  remove`` stamps the moment the operator typed it) - see :class:`Lifting`.

On a tie the suppression wins (when in doubt, do not mail). Every function here is pure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from schemas import (
    LeadCommand,
    LeadStatus,
    LeadStatusValue,
    Source,
    Suppression,
    SuppressionReason,
    Trigger,
)
from workers.core.state import FINAL, LeadState, Transition

#: Automation triggers whose command suppresses the person in every campaign.
SUPPRESSING_TRIGGERS: dict[Trigger | None, SuppressionReason] = {
    Trigger.UNSUBSCRIBE: SuppressionReason.UNSUBSCRIBE,
    Trigger.BOUNCE: SuppressionReason.BOUNCE,
    Trigger.COMPLAINT: SuppressionReason.COMPLAINT,
}


@dataclass(frozen=True, slots=True)
class Lifting:
    """A null value on the ``suppressions`` topic: the person may be enrolled again."""

    lead_id: str
    #: The record's Kafka timestamp: a tombstone has no ``at`` of its own.
    at: datetime


#: What the latest record for one ``lead_id`` says: suppressed, or lifted.
Entry = Suppression | Lifting


def supersedes(current: Entry | None, incoming: Entry) -> bool:
    """Whether ``incoming`` replaces ``current`` (the stored record for the same lead_id).

    The later ``at`` wins; on a tie a suppression beats a lifting, and a record never
    replaces an equal-time one of its own kind (the same suppression twice is one).
    A lifting of a person never suppressed is still recorded: a suppression older than it,
    arriving later, must lose.
    """
    if current is None or incoming.at > current.at:
        return True
    if incoming.at < current.at:
        return False
    return isinstance(incoming, Suppression) and isinstance(current, Lifting)


def describe(suppression: Suppression) -> str:
    """``l-7 is suppressed (unsubscribe, 2026-06-02)``: the date is the UTC day of ``at``."""
    day = suppression.at.astimezone(UTC).date().isoformat()
    return f"{suppression.lead_id} is suppressed ({suppression.reason}, {day})"


def enroll_refusal(suppression: Suppression) -> str:
    """The contract's reason for rejecting the enrolment of a suppressed ``lead_id``."""
    return (
        f"lead {describe(suppression)}: lift it with"
        f" `leadflow suppress remove {suppression.lead_id}` first"
    )


def status_while(state: LeadState, suppression: Suppression | None) -> LeadStatus:
    """The LeadStatus of ``state``, with ``suppressed`` set while its lead_id is suppressed."""
    reason = None if suppression is None else suppression.reason
    return LeadStatus.trusted(
        campaign_id=state.campaign_id,
        lead_id=state.lead_id,
        status=state.status,
        next_step=state.next_step,
        due_at=state.due_at,
        remaining_seconds=state.remaining_s,
        resume_at=state.resume_at,
        reason=state.reason,
        updated_at=state.updated_at,
        version=state.version,
        suppressed=reason,
    )


def on_suppression(state: LeadState, suppression: Suppression, now: datetime) -> Transition:
    """Stop ``state`` (any status that is not final) because its person is suppressed.

    A final lead (stopped, completed) is left as it is: ``changed`` is False.
    """
    if state.status in FINAL:
        return Transition(state=state, changed=False, result=None, status=None, sends=())
    stopped = replace(
        state,
        status=LeadStatusValue.STOPPED,
        due_at=None,
        remaining_s=None,
        resume_at=None,
        reason=f"stopped: {describe(suppression)}",
        version=state.version + 1,
        updated_at=now,
    )
    status = status_while(stopped, suppression)
    return Transition(state=stopped, changed=True, result=None, status=status, sends=())


def suppression_of(command: LeadCommand) -> Suppression | None:
    """The Suppression an automation command implies (unsubscribe, bounce, complaint), or None.

    Its ``at`` is the event's ``occurred_at``; its note is what the fleet saw (the command's
    reason).
    """
    reason = SUPPRESSING_TRIGGERS.get(command.trigger)
    if command.source is not Source.AUTOMATION or reason is None:
        return None
    return Suppression.trusted(
        lead_id=command.lead_id,
        reason=reason,
        event_id=command.event_id,
        at=command.occurred_at,
        note=command.reason,
    )
