"""Automation rules: which command an event turns into."""

from __future__ import annotations

import hashlib

import pytest

from schemas import (
    Action,
    Automation,
    AutomationAction,
    BookingEvent,
    BookingStatus,
    ClickEvent,
    LeadCommand,
    ReplyEvent,
    Source,
    Trigger,
)
from tests.unit.core.core_factories import T0, settings
from workers.core import command_id_for, decide

RULES = settings(
    automation=Automation(
        link_click=AutomationAction.CONTINUE,
        reply=AutomationAction.PAUSE,
        meeting_booked=AutomationAction.STOP,
    )
)


def reply(headers: dict[str, str] | None = None, event_id: str = "r-1") -> ReplyEvent:
    """A reply from lead l-7."""
    return ReplyEvent(
        event_id=event_id,
        campaign_id="c-42",
        lead_id="l-7",
        occurred_at=T0,
        headers=headers or {},
    )


def click() -> ClickEvent:
    """A click by lead l-7."""
    return ClickEvent(
        event_id="k-1", campaign_id="c-42", lead_id="l-7", occurred_at=T0, url="https://x.test"
    )


def booking(status: BookingStatus = BookingStatus.BOOKED) -> BookingEvent:
    """A booking by lead l-7."""
    return BookingEvent(
        event_id="b-1", campaign_id="c-42", lead_id="l-7", occurred_at=T0, status=status
    )


class TestDecide:
    """decide(event, settings) -> the automation LeadCommand."""

    def test_reply_follows_reply_rule(self) -> None:
        """A reply becomes the campaign's reply action, traced to its event."""
        assert LeadCommand(
            command_id="reply-r-1",
            campaign_id="c-42",
            lead_id="l-7",
            action=Action.PAUSE,
            source=Source.AUTOMATION,
            trigger=Trigger.REPLY,
            event_id="r-1",
            occurred_at=T0,
            reason="reply automation: pause",
        ) == decide(reply(), RULES)

    @pytest.mark.parametrize(
        ("event", "trigger", "action", "command_id"),
        [
            (click(), Trigger.LINK_CLICK, Action.CONTINUE, "click-k-1"),
            (booking(), Trigger.MEETING_BOOKED, Action.STOP, "booking-b-1"),
        ],
        ids=["click", "booking"],
    )
    def test_click_and_booking_follow_their_rules(
        self, event: ClickEvent | BookingEvent, trigger: Trigger, action: Action, command_id: str
    ) -> None:
        """A click and a booking become the campaign's link_click and meeting_booked actions."""
        cmd = decide(event, RULES)

        assert (trigger, action, command_id, f"{trigger} automation: {action}") == (
            cmd.trigger,
            cmd.action,
            cmd.command_id,
            cmd.reason,
        )

    def test_defaults_stop_on_reply(self) -> None:
        """Without automation settings, a reply stops the lead."""
        assert Action.STOP == decide(reply(), settings()).action

    def test_cancelled_booking_continues(self) -> None:
        """A cancelled booking does nothing, and says so."""
        cmd = decide(booking(BookingStatus.CANCELLED), RULES)

        assert (Action.CONTINUE, "booking cancelled") == (cmd.action, cmd.reason)

    @pytest.mark.parametrize(
        ("headers", "words"),
        [
            ({"Auto-Submitted": "auto-replied"}, "Auto-Submitted: auto-replied"),
            ({"auto-submitted": "auto-generated; foo=bar"}, "Auto-Submitted"),
            ({"X-Autoreply": "yes"}, "X-Autoreply header"),
            ({"X-Autorespond": ""}, "X-Autorespond header"),
            ({"Precedence": "Auto_Reply"}, "Precedence: Auto_Reply"),
            ({"Precedence": "bulk"}, "Precedence: bulk"),
            ({"Precedence": "junk"}, "Precedence: junk"),
        ],
    )
    def test_marked_reply_is_an_auto_reply(self, headers: dict[str, str], words: str) -> None:
        """A reply marked automatic by its headers follows the auto_reply rule, not reply."""
        cmd = decide(reply(headers), RULES)

        assert (Trigger.AUTO_REPLY, Action.CONTINUE) == (cmd.trigger, cmd.action)
        assert cmd.reason is not None
        assert words in cmd.reason

    @pytest.mark.parametrize(
        "headers",
        [
            {},
            {"Auto-Submitted": "no"},
            {"Auto-Submitted": " No "},
            {"X-Auto-Response-Suppress": "All"},
        ],
        ids=["none", "no", "No spaced", "suppress is a request"],
    )
    def test_human_reply_is_a_reply(self, headers: dict[str, str]) -> None:
        """A reply without auto-reply markers follows the reply rule."""
        assert Trigger.REPLY == decide(reply(headers), RULES).trigger


class TestCommandIdFor:
    """command ids are derived from the event, the same on every delivery."""

    def test_same_event_same_id(self) -> None:
        """Two deliveries of one event yield one command id."""
        assert command_id_for(reply()) == command_id_for(reply())

    def test_long_event_id_is_hashed(self) -> None:
        """An id that would pass 128 characters becomes prefix and 40 hex of its sha256."""
        long_id = "r" * 127
        digest = hashlib.sha256(long_id.encode()).hexdigest()[:40]

        assert f"reply-{digest}" == command_id_for(reply(event_id=long_id))

    def test_longest_fitting_id_is_kept(self) -> None:
        """An id of exactly 128 characters is kept as it is."""
        event_id = "r" * 122

        assert f"reply-{event_id}" == command_id_for(reply(event_id=event_id))
