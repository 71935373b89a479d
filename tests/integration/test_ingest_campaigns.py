"""The campaign table of an ingest worker on the real broker: versions, changes, readiness."""

from __future__ import annotations

import asyncio

from schemas import Action
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


class TestVersions:
    """Settings older than the ones held are ignored."""

    async def test_older_version_ignored(self, settings: Settings) -> None:
        """Version 3 then version 2: the worker keeps deciding with version 3's rule."""
        topics = Topics(settings.topic_prefix)
        await put_campaigns(
            settings, campaign("c-42", 3, reply="pause"), campaign("c-42", 2, reply="continue")
        )
        async with tail(settings, topics.commands) as out, running(settings) as run:
            await ready(run)
            await put_campaigns(settings, campaign("c-42", 1, reply="stop"))
            await publish(settings, topics.replies, [(b"c-42:l-7", event("r-1"))])
            await until(lambda: bool(out.records), what="the reply's command")
        assert [Action.PAUSE] == [c.action for c in out.commands()]


class TestRuleChange:
    """A campaign's rule changed while events flow applies to the events after its arrival."""

    async def test_events_after_change_follow_new_rule(self, settings: Settings) -> None:
        """Commands of one lead switch from pause to stop once, and never switch back."""
        topics = Topics(settings.topic_prefix)
        await put_campaigns(settings, campaign("c-42", 1, reply="pause"))
        key = b"c-42:l-7"  # one lead: one partition, decided in publication order
        async with tail(settings, topics.commands) as out, running(settings) as run:
            await ready(run)
            for i in range(40):
                if i == 20:
                    await until(lambda: bool(out.records), what="a command under the old rule")
                    await put_campaigns(settings, campaign("c-42", 2, reply="stop"))
                await publish(settings, topics.replies, [(key, event(f"r-{i}"))])
                await asyncio.sleep(0.01)  # a steady flow, not a condition to wait for
            await until(lambda: len(out.records) >= 40, what="every command")
            changed_seen = len(out.records)
            await publish(settings, topics.replies, [(key, event("r-late"))])
            await until(lambda: len(out.records) > changed_seen, what="the late reply's command")
        ordered = [c.action for c in out.commands()]  # one partition: the log's order
        first_stop = ordered.index(Action.STOP)
        assert first_stop > 0
        assert [Action.PAUSE] * first_stop == ordered[:first_stop]
        assert [Action.STOP] * (len(ordered) - first_stop) == ordered[first_stop:]


class TestReadiness:
    """The worker reports ready only once its campaign table has caught up."""

    async def test_ready_after_table_caught_up(self, settings: Settings) -> None:
        """While the table is read the worker is not ready; once ready it holds every campaign."""
        count = 3000
        await put_campaigns(settings, *(campaign(f"c-{i}") for i in range(count)))
        topics = Topics(settings.topic_prefix)
        await publish(settings, topics.replies, [(None, event("r-1", f"c-{count - 1}"))])
        samples: list[tuple[bool, float]] = []
        async with tail(settings, topics.commands) as out, running(settings) as run:

            def observe() -> bool:
                samples.append(
                    (run.health.ready, run.sample("leadflow_campaigns_held", worker="replies"))
                )
                return run.health.ready

            await until(observe, what="readiness")
            await until(lambda: bool(out.records), what="the reply's command")
        assert not samples[0][0]
        assert all(held == count for is_ready, held in samples if is_ready)
        assert ["r-1"] == [c.event_id for c in out.commands()]
