"""Ingest workers on the real broker: every automation rule and every default."""

from __future__ import annotations

from typing import Any

import pytest

from schemas import Action, Trigger
from tests.integration.ingest_helpers import (
    campaign,
    event,
    publish,
    put_campaigns,
    ready,
    running,
    tail,
    until,
)
from workers.settings import Settings
from workers.topics import Topics

AUTO = {"Auto-Submitted": "auto-replied"}
URL = "https://example.test/offer"

#: worker, campaign automation, event fields, expected trigger, expected action
CASES: list[tuple[str, dict[str, str], dict[str, Any], Trigger, Action]] = [
    ("replies", {}, {}, Trigger.REPLY, Action.STOP),
    ("replies", {"reply": "pause"}, {}, Trigger.REPLY, Action.PAUSE),
    ("replies", {"reply": "continue"}, {}, Trigger.REPLY, Action.CONTINUE),
    ("replies", {"reply": "pause"}, {"headers": AUTO}, Trigger.AUTO_REPLY, Action.CONTINUE),
    ("clicks", {}, {"url": URL}, Trigger.LINK_CLICK, Action.CONTINUE),
    ("clicks", {"link_click": "pause"}, {"url": URL}, Trigger.LINK_CLICK, Action.PAUSE),
    ("clicks", {"link_click": "stop"}, {"url": URL}, Trigger.LINK_CLICK, Action.STOP),
    ("bookings", {}, {}, Trigger.MEETING_BOOKED, Action.STOP),
    ("bookings", {"meeting_booked": "pause"}, {}, Trigger.MEETING_BOOKED, Action.PAUSE),
    ("bookings", {"meeting_booked": "continue"}, {}, Trigger.MEETING_BOOKED, Action.CONTINUE),
    ("bookings", {}, {"status": "cancelled"}, Trigger.MEETING_BOOKED, Action.CONTINUE),
]


def topic_of(settings: Settings, worker: str) -> str:
    """The event topic of an ingest worker."""
    topics = Topics(settings.topic_prefix)
    return {"replies": topics.replies, "clicks": topics.clicks, "bookings": topics.bookings}[worker]


class TestRules:
    """Each event becomes one command, decided by its campaign's rule or the default."""

    @pytest.mark.parametrize("worker", ["replies", "clicks", "bookings"])
    async def test_rules_and_defaults(self, settings: Settings, worker: str) -> None:
        """Every case of the worker's table yields the expected trigger and action."""
        cases = [c for c in CASES if c[0] == worker]
        await put_campaigns(
            settings, *(campaign(f"c-{i}", 1, **auto) for i, (_, auto, *_) in enumerate(cases))
        )
        events = [
            (f"c-{i}:l-{i}".encode(), event(f"e-{i}", f"c-{i}", f"l-{i}", **fields))
            for i, (_, _, fields, *_) in enumerate(cases)
        ]
        commands = Topics(settings.topic_prefix).commands
        async with tail(settings, commands) as out, running(settings, worker) as run:
            await ready(run)
            await publish(settings, topic_of(settings, worker), events)
            await until(lambda: len(out.records) >= len(cases), what="every command")
        found = {c.event_id: c for c in out.commands()}
        expected = {f"e-{i}": (t, a) for i, (*_, t, a) in enumerate(cases)}
        assert expected == {e: (c.trigger, c.action) for e, c in found.items()}
        assert {r.key for r in out.records} == {k for k, _ in events}
