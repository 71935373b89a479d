"""LeadCommand (topic ``commands``) and CommandResult (topic ``command-results``)."""

from __future__ import annotations

from pydantic import model_validator

from schemas._base import LeadScoped
from schemas._types import Id, Timestamp
from schemas.enums import Action, LeadStatusValue, Outcome, Source, Trigger


class LeadCommand(LeadScoped):
    """Something to do to one lead: enroll, pause, resume, stop, skip or continue.

    An automation command names the ``trigger`` and ``event_id`` behind it;
    ``resume_at`` goes only with ``pause`` (the lead resumes by itself then).
    """

    command_id: Id
    campaign_id: Id
    lead_id: Id
    action: Action
    source: Source
    trigger: Trigger | None = None
    event_id: Id | None = None
    occurred_at: Timestamp
    resume_at: Timestamp | None = None
    #: The person behind a manual command.
    actor: str | None = None
    #: Free text explaining the command, shown in the lead's status.
    reason: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> LeadCommand:
        if self.source is Source.AUTOMATION and (self.trigger is None or self.event_id is None):
            raise ValueError(
                "an automation command needs both trigger and event_id (the event that caused it)"
            )
        if self.resume_at is not None and self.action is not Action.PAUSE:
            raise ValueError(
                f"resume_at goes only with action pause, not {self.action}:"
                " drop resume_at or send a pause"
            )
        return self


class CommandResult(LeadScoped):
    """What became of a LeadCommand, and the lead's status afterwards."""

    command_id: Id
    campaign_id: Id
    lead_id: Id
    action: Action
    outcome: Outcome
    #: Why, in plain language; for ``rejected`` also what to do instead.
    reason: str
    #: The lead's status after the command; None when the lead is not enrolled.
    status: LeadStatusValue | None
    at: Timestamp
