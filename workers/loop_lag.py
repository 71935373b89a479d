"""How late the event loop runs: a task that sleeps a fixed interval and measures the overshoot.

A coroutine that runs for 200 ms without awaiting (a large batch decided in one go, a slow
regex, a burst of log lines) holds back every other task of the process: fetches, heartbeats,
acknowledgements. Such a stall shows up here as a sleep that ended ~200 ms late, observed in
``leadflow_event_loop_lag_seconds`` (a histogram: its ``_count`` is the number of samples,
``_sum`` the total lateness, its buckets how often the loop was late by more than each bound).
A process with several workers has one loop, so one monitor per process.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

#: The monitor's sleep: ten samples a second cost nothing and resolve stalls of ~100 ms.
LAG_INTERVAL_S = 0.1


def lag_s(started: float, woke: float, interval_s: float) -> float:
    """How much later than ``interval_s`` after ``started`` the loop ran again (never < 0)."""
    return max(0.0, woke - started - interval_s)


async def watch_loop_lag(
    observe: Callable[[float], None],
    stop: asyncio.Event,
    *,
    interval_s: float = LAG_INTERVAL_S,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Until ``stop``: sleep ``interval_s``, then ``observe`` how late the wake-up was (s).

    ``clock`` defaults to the running loop's clock (monotonic), the one its timers use.
    """
    now = clock or asyncio.get_running_loop().time
    while not stop.is_set():
        started = now()
        await sleep(interval_s)
        observe(lag_s(started, now(), interval_s))
