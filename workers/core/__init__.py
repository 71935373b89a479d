"""The pure domain core: lead state machine, sending windows and automation rules.

No I/O, no clock: time comes in as ``now``. The sequencer drives it::

    transition = apply_command(state, command, campaign, now)
    transition = on_timer(state, campaign, now)          # at wake_at(state, campaign)
    transition = on_campaign_change(state, old, new, now)
    transition = on_suppression(state, suppression, now)  # the person is suppressed
"""

from workers.core.campaigns import CampaignDecision, HeldCampaign, accept_campaign_record
from workers.core.fan_out import (
    FanOutPlan,
    LeadKind,
    apply_plan,
    campaign_fan_out_plan,
    freeze_remaining_s,
    thaw_due_at,
)
from workers.core.machine import (
    apply_command,
    next_campaign,
    on_campaign_change,
    on_timer,
    status_message,
    wake_at,
)
from workers.core.rules import command_id_for, decide
from workers.core.state import Campaign, LeadState, Transition
from workers.core.suppression import (
    Entry,
    Lifting,
    describe,
    enroll_refusal,
    on_suppression,
    status_while,
    supersedes,
    suppression_of,
)
from workers.core.timing import next_window_open

__all__ = [
    "Campaign",
    "CampaignDecision",
    "Entry",
    "FanOutPlan",
    "HeldCampaign",
    "LeadKind",
    "LeadState",
    "Lifting",
    "Transition",
    "accept_campaign_record",
    "apply_command",
    "apply_plan",
    "campaign_fan_out_plan",
    "command_id_for",
    "decide",
    "describe",
    "enroll_refusal",
    "freeze_remaining_s",
    "next_campaign",
    "next_window_open",
    "on_campaign_change",
    "on_suppression",
    "on_timer",
    "status_message",
    "status_while",
    "supersedes",
    "suppression_of",
    "thaw_due_at",
    "wake_at",
]
