"""What the sequencer publishes: SendRequest (``sends``) and LeadStatus (``lead-status``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from schemas._base import LeadScoped
from schemas._types import Id, Timestamp
from schemas.enums import LeadStatusValue, SuppressionReason
from schemas.events import TrackingToken


class SendRequest(LeadScoped):
    """Ask the mail system to send one step to one lead; ``send_id`` is unique forever."""

    #: ``"{campaign_id}:{lead_id}:{step}"``.
    send_id: str
    campaign_id: Id
    lead_id: Id
    step: Annotated[int, Field(ge=1)]
    sender_id: Id
    template_id: str | None = None
    #: When the step fell due (adjusted to the sending window).
    due_at: Timestamp
    requested_at: Timestamp
    #: v2: the ``Message-ID`` header to give this email: ``<{token}@{LEADFLOW_MESSAGE_ID_DOMAIN}>``.
    message_id: Annotated[str, StringConstraints(pattern=r"^<[^<>@\s]+@[^<>@\s]+>$")]
    #: v2: the authenticated token of this send (the provider's ``leadflow`` variable).
    tracking_token: TrackingToken


class LeadStatus(LeadScoped):
    """The latest state of one lead (compacted topic)."""

    campaign_id: Id
    lead_id: Id
    status: LeadStatusValue
    #: The step to send next (1-based).
    next_step: Annotated[int, Field(ge=1)]
    #: When the countdown to ``next_step`` ends; set while the lead runs.
    due_at: Timestamp | None = None
    #: The frozen countdown; set while paused (or while the campaign is paused).
    remaining_seconds: Annotated[float, Field(ge=0)] | None = None
    #: When a paused lead resumes by itself.
    resume_at: Timestamp | None = None
    reason: str
    updated_at: Timestamp
    version: Annotated[int, Field(ge=0)]
    #: v2: true while the campaign-level pause freezes the lead.
    campaign_paused: bool | None = None
    #: v2: the Suppression's reason, while the lead_id is suppressed.
    suppressed: SuppressionReason | None = None
