"""The contract's messages as pydantic models, and the enums they use.

Decode with ``Model.model_validate_json(raw_bytes)``; encode with ``model.model_dump_json()``.
"""

from schemas.campaign import Automation, CampaignSettings, SendingWindow, Step
from schemas.commands import CommandResult, LeadCommand
from schemas.dlq import DlqHeaders
from schemas.enums import (
    Action,
    AutomationAction,
    BookingStatus,
    CampaignStatus,
    LeadStatusValue,
    Outcome,
    OutOfOfficeAction,
    ReplyKind,
    ScannerClicks,
    Source,
    SuppressionReason,
    Trigger,
    Weekday,
)
from schemas.events import BookingEvent, ClickEvent, ReplyEvent
from schemas.outputs import LeadStatus, SendRequest
from schemas.suppression import Suppression

__all__ = [
    "Action",
    "Automation",
    "AutomationAction",
    "BookingEvent",
    "BookingStatus",
    "CampaignSettings",
    "CampaignStatus",
    "ClickEvent",
    "CommandResult",
    "DlqHeaders",
    "LeadCommand",
    "LeadStatus",
    "LeadStatusValue",
    "OutOfOfficeAction",
    "Outcome",
    "ReplyEvent",
    "ReplyKind",
    "ScannerClicks",
    "SendRequest",
    "SendingWindow",
    "Source",
    "Step",
    "Suppression",
    "SuppressionReason",
    "Trigger",
    "Weekday",
]
