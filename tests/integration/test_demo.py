"""The help article's walkthrough (``make demo``) against an in-process fleet."""

from __future__ import annotations

from contextlib import AsyncExitStack

from tests.integration.ingest_helpers import ready, running
from tests.integration.sequencer_helpers import running_sequencer
from tools.demo import EXPECTED, play
from workers.settings import Settings


class TestDemo:
    """The demo's scenario ends as the article says, lead by lead."""

    async def test_walkthrough(self, settings: Settings) -> None:
        """Every lead ends in its expected status with its expected number of steps sent."""
        lines: list[str] = []
        async with AsyncExitStack() as stack:
            await stack.enter_async_context(running_sequencer(settings))
            for name in ("replies", "clicks", "bookings"):
                await ready(await stack.enter_async_context(running(settings, name)))
            outcome = await play(settings, out=lines.append)
        assert [] == outcome.problems, "\n".join(lines)
        assert len(EXPECTED) == sum(row.endswith("ok") for row in outcome.rows)
        assert any("lead pause skipped -> rejected: lead has not started yet" in x for x in lines)
