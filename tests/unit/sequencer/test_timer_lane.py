"""A timer lane's sleeps between claims: only the first lane polls at the poll interval."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import cast

import asyncpg
from prometheus_client import CollectorRegistry

from workers.core.tokens import Secrets
from workers.health import Health
from workers.metrics import Metrics
from workers.sequencer.effects import Effects
from workers.sequencer.settings import SequencerSettings
from workers.sequencer.timer_lane import TimerLane
from workers.sequencer.timers import Fired
from workers.sequencer.tracking import SendStamp
from workers.topics import Topics

TOPICS = Topics("t.")
TUNING = SequencerSettings(poll_s=0.1, timer_lanes=2, timer_batch=10, locked_due_retry_s=0.02)


def firing(claimed: list[int], stop: asyncio.Event) -> Callable[[], Coroutine[None, None, Fired]]:
    """A lane's ``_fire``: claims of these sizes, then an empty one that stops the lane."""
    claims = iter(claimed)

    async def fire() -> Fired:
        size = next(claims, None)
        if size is None:
            stop.set()
            return empty(None)
        return Fired(Effects(TOPICS), size, datetime(2026, 6, 1, tzinfo=UTC), [])

    return fire


def lane(index: int, woken: asyncio.Event | None = None) -> TimerLane:
    """Lane ``index`` of a replica with two lanes (no database: only its sleeps are asked)."""
    return TimerLane(
        f"lane-{index}",
        pool=cast(asyncpg.Pool, None),
        tuning=TUNING,
        topics=TOPICS,
        stamp=SendStamp(Secrets((b"s",)), "example.com"),
        metrics=Metrics(CollectorRegistry()),
        health=Health("sequencer"),
        woken=woken or asyncio.Event(),
        index=index,
    )


def empty(wait_s: float | None) -> Fired:
    """A claim that found nothing claimable; the next wake-up is ``wait_s`` away."""
    return Fired(Effects(TOPICS), 0, datetime(2026, 6, 1, tzinfo=UTC), [], wait_s)


class TestTimerLaneSleeps:
    """``TimerLane``'s sleep after a claim that took less than a full batch."""

    async def test_first_lane_polls_at_the_poll_interval(self) -> None:
        """No wake-up in sight: the first lane looks again after ``poll_s``."""
        assert 0.1 == await lane(0)._wait_after(empty(None), started=time.monotonic())

    async def test_other_lanes_poll_lanes_times_less_often(self) -> None:
        """No wake-up in sight: a second lane of two looks again after twice ``poll_s``."""
        assert 0.2 == await lane(1)._wait_after(empty(3600.0), started=time.monotonic())

    async def test_a_near_wake_up_is_waited_for_exactly(self) -> None:
        """A wake-up closer than the poll interval is the sleep, in every lane."""
        waits = [await lane(i)._wait_after(empty(0.05), started=time.monotonic()) for i in (0, 1)]
        assert [0.05, 0.05] == [round(w, 3) for w in waits]

    async def test_past_wake_ups_nobody_could_claim_are_retried_soon(self) -> None:
        """Due rows locked elsewhere: look again after ``locked_due_retry_s``, not at once."""
        assert 0.02 == await lane(0)._wait_after(empty(-5.0), started=time.monotonic())


class TestTimerLaneWakes:
    """A lane that claimed a full batch wakes the other lanes."""

    async def test_full_claim_wakes_a_waiting_lane(self) -> None:
        """More is due than one lane takes: a lane waiting on ``woken`` is woken."""
        woken, stop = asyncio.Event(), asyncio.Event()
        other = asyncio.create_task(woken.wait())
        fire = firing([10], stop)
        full = lane(0, woken)
        full._fire = fire  # type: ignore[method-assign]
        await asyncio.wait_for(full.run(stop), 5)

        assert await asyncio.wait_for(other, 1)

    async def test_partial_claim_wakes_nobody(self) -> None:
        """A claim below a full batch leaves the other lanes asleep."""
        woken, stop = asyncio.Event(), asyncio.Event()
        fire = firing([3], stop)
        partial = lane(0, woken)
        partial._fire = fire  # type: ignore[method-assign]
        partial._until_next_timer = _no_wait  # type: ignore[method-assign]
        await asyncio.wait_for(partial.run(stop), 5)

        assert not woken.is_set()


async def _no_wait() -> float:
    return 0.0
