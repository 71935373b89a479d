"""The sequencer's services run together: all of them, and none once one fails."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import asyncpg
import pytest
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from workers.health import HealthBoard
from workers.metrics import Metrics
from workers.sequencer.worker import SequencerWorker, _run_together
from workers.settings import Settings


class _Failing:
    name = "failing"

    async def run(self, stop: asyncio.Event) -> None:
        raise ValueError("broken")


class _Waiting:
    name = "waiting"

    def __init__(self) -> None:
        self.cancelled = False

    async def run(self, stop: asyncio.Event) -> None:
        try:
            await stop.wait()
        except asyncio.CancelledError:
            self.cancelled = True
            raise


class _Stopping:
    name = "stopping"

    async def run(self, stop: asyncio.Event) -> None:
        await stop.wait()


def _worker(**overrides: Any) -> SequencerWorker:
    return SequencerWorker(
        settings=Settings(tracking_secret=SecretStr("unit-tracking-secret")),
        metrics=Metrics(CollectorRegistry()),
        health=HealthBoard().register("sequencer"),
        **overrides,
    )


class TestRunTogether:
    """``_run_together``: all or nothing."""

    async def test_first_failure_cancels_the_others_and_is_raised_as_it_is(self) -> None:
        """A failing service cancels the waiting one; its own error, not a group, is raised."""
        waiting = _Waiting()

        with pytest.raises(ValueError, match="broken"):
            await _run_together([_Failing(), waiting], asyncio.Event())

        assert waiting.cancelled

    async def test_every_service_ends_when_stopped(self) -> None:
        """With ``stop`` set, every service returns and so does the group."""
        stop = asyncio.Event()
        stop.set()

        await asyncio.wait_for(_run_together([_Stopping(), _Stopping()], stop), 5)


class TestServices:
    """``SequencerWorker.services``: the loops of one replica."""

    def test_one_service_per_loop(self) -> None:
        """Consumers, one service per timer lane, the relay and the three housekeepers."""
        pool = cast(asyncpg.Pool, object())

        names = [s.name for s in _worker(timer_lanes=3).services(pool)]

        assert [
            "commands",
            "campaigns",
            "suppressions",
            "timers",
            "timers-2",
            "timers-3",
            "relay",
            "inbox-pruner",
            "send-token-pruner",
            "outbox-trimmer",
        ] == names
