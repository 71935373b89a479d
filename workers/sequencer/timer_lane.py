"""A timer lane: claim due leads, fire them, sleep until the next wake-up.

A replica runs ``timer_lanes`` of them. Lanes claim disjoint leads (``SKIP LOCKED``), so
while one waits for the database another computes. Between claims a lane sleeps until the
earliest wake-up (at most ``poll_s``), or less when this replica wrote a wake-up time
(``woken``): an enrolment or a launch is sent at once, not at the next poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import asyncpg
import structlog

from workers.health import Health
from workers.metrics import Metrics
from workers.sequencer import store
from workers.sequencer.settings import SequencerSettings
from workers.sequencer.timers import Fired, fire_due
from workers.sequencer.tracking import SendStamp
from workers.sequencer.waiting import pause, pause_until_woken
from workers.topics import Topics

log = structlog.get_logger("leadflow.sequencer.timers")

#: Errors after which a lane retries its claim (the transaction rolled back: nothing fired).
RETRYABLE = (
    store.VersionConflict,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    OSError,
)


#: A claim (with its look at the next wake-up) this slow that found nothing claimable walked the
#: due leads of a campaign being changed (an empty claim otherwise takes milliseconds)...
_SLOW_EMPTY_CLAIM_S = 0.1
#: ...and the lane waits this many times as long before the next one...
_EMPTY_CLAIM_BACKOFF = 8.0
#: ...up to this long: the most other campaigns' sends that fall due meanwhile are delayed,
#: only while a change to a campaign of a million leads runs (its claims take 1 to 2 s).
_EMPTY_CLAIM_BACKOFF_MAX_S = 10.0


def lane_name(index: int) -> str:
    """``timers``, ``timers-2``, ...: the lane's name in health and logs."""
    return "timers" if index == 0 else f"timers-{index + 1}"


class TimerLane:
    """One lane of due-timer firing."""

    def __init__(
        self,
        name: str,
        *,
        pool: asyncpg.Pool,
        tuning: SequencerSettings,
        topics: Topics,
        stamp: SendStamp,
        metrics: Metrics,
        health: Health,
        woken: asyncio.Event,
    ) -> None:
        self.name = name
        self._pool = pool
        self._tuning = tuning
        self._topics = topics
        self._stamp = stamp
        self._metrics = metrics
        self._health = health
        self._woken = woken

    async def run(self, stop: asyncio.Event) -> None:
        """Claim and fire until ``stop``; a failed claim is retried after a pause."""
        while not stop.is_set():
            self._health.beat(self.name)
            self._woken.clear()
            started = time.monotonic()
            try:
                fired = await self._fire()
            except RETRYABLE as exc:
                log.warning("timer batch failed; retrying", error=type(exc).__name__)
                await pause(stop, self._tuning.retry_pause_s)
                continue
            self._observe(fired)
            if fired.claimed < self._tuning.timer_batch:
                wait_s = await self._until_next_timer()
                if fired.claimed == 0:
                    # Nothing claimable although the earliest wake-up may be past: the due
                    # rows are locked by the other lane, another replica or a command batch,
                    # or their campaign is being changed, and then the claim walked all of
                    # them (a second with a million): look again after a multiple of that
                    # walk, not at once, so the lanes leave the change the machine's cores.
                    wait_s = max(wait_s, self._tuning.locked_due_retry_s)
                    walked_s = time.monotonic() - started
                    if walked_s >= _SLOW_EMPTY_CLAIM_S:
                        backoff_s = _EMPTY_CLAIM_BACKOFF * walked_s
                        wait_s = max(wait_s, min(backoff_s, _EMPTY_CLAIM_BACKOFF_MAX_S))
                await pause_until_woken(stop, self._woken, wait_s)

    async def _fire(self) -> Fired:
        async with self._pool.acquire() as conn, conn.transaction():
            return await fire_due(
                conn, limit=self._tuning.timer_batch, topics=self._topics, stamp=self._stamp
            )

    def _observe(self, fired: Fired) -> None:
        self._metrics.sends.inc(len(fired.effects.sends))
        for lateness in fired.lateness_s:
            self._metrics.timer_lateness.observe(max(0.0, lateness))

    async def _until_next_timer(self) -> float:
        """Seconds until the earliest wake-up, at most the poll interval (new timers appear)."""
        poll_s = self._tuning.poll_s
        with contextlib.suppress(*RETRYABLE):
            async with self._pool.acquire() as conn:
                wait = await store.seconds_to_next_wake(conn)
            if wait is not None:
                return min(max(wait, 0.0), poll_s)
        return poll_s
