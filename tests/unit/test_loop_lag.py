"""The loop-lag monitor observes how late each of its sleeps ended."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import CollectorRegistry

from workers.loop_lag import lag_s, watch_loop_lag
from workers.metrics import Metrics


class TestLagS:
    """``lag_s``: the overshoot of a sleep."""

    @pytest.mark.parametrize(
        ("expected", "started", "woke"),
        [(0.0, 10.0, 10.1), (0.25, 10.0, 10.35), (0.0, 10.0, 10.05)],
        ids=["on time", "250 ms late", "early wake-up counts as on time"],
    )
    def test_overshoot(self, expected: float, started: float, woke: float) -> None:
        """The lag is the time past ``interval_s``, never negative."""
        assert expected == pytest.approx(lag_s(started, woke, 0.1))


class FakeLoop:
    """A clock and a sleep whose wake-ups are as late as the script says; stops after it."""

    def __init__(self, lateness_s: list[float], stop: asyncio.Event) -> None:
        self.now = 100.0
        self._lateness = list(lateness_s)
        self._stop = stop

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds + self._lateness.pop(0)
        if not self._lateness:
            self._stop.set()


class TestWatchLoopLag:
    """``watch_loop_lag``: one observation per sleep until stopped."""

    async def test_observes_each_wake_ups_lateness(self) -> None:
        """Every sleep's overshoot is observed, in order."""
        stop = asyncio.Event()
        loop = FakeLoop([0.0, 0.2, 0.003], stop)
        seen: list[float] = []

        await watch_loop_lag(seen.append, stop, clock=loop.clock, sleep=loop.sleep)

        assert [0.0, 0.2, 0.003] == pytest.approx(seen)

    async def test_feeds_the_histogram(self) -> None:
        """A 300 ms stall lands in ``leadflow_event_loop_lag_seconds`` above its 250 ms bucket."""
        metrics = Metrics(CollectorRegistry())
        stop = asyncio.Event()
        loop = FakeLoop([0.001, 0.3], stop)

        await watch_loop_lag(
            metrics.event_loop_lag.observe, stop, clock=loop.clock, sleep=loop.sleep
        )

        sample = metrics.registry.get_sample_value
        assert 2.0 == sample("leadflow_event_loop_lag_seconds_count")
        assert 1.0 == sample("leadflow_event_loop_lag_seconds_bucket", {"le": "0.25"})
        assert 0.301 == pytest.approx(sample("leadflow_event_loop_lag_seconds_sum"))

    async def test_stops_when_asked(self) -> None:
        """A set ``stop`` ends the monitor before its first sleep."""
        stop = asyncio.Event()
        stop.set()
        seen: list[float] = []

        await watch_loop_lag(seen.append, stop)

        assert [] == seen
