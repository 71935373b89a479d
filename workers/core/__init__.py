"""The pure domain core: lead state machine, sending windows and automation rules.

No I/O, no clock: time comes in as ``now``. The sequencer drives it::

    transition = apply_command(state, command, campaign, now)
    transition = on_timer(state, campaign, now)          # at wake_at(state, campaign)
    transition = on_campaign_change(state, old, new, now)
"""

from workers.core.campaigns import CampaignDecision, HeldCampaign, accept_campaign_record
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
from workers.core.timing import next_window_open

__all__ = [
    "Campaign",
    "CampaignDecision",
    "HeldCampaign",
    "LeadState",
    "Transition",
    "accept_campaign_record",
    "apply_command",
    "command_id_for",
    "decide",
    "next_campaign",
    "next_window_open",
    "on_campaign_change",
    "on_timer",
    "status_message",
    "wake_at",
]
