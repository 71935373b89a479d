"""A timer lane: claim due leads, fire them, sleep until the next wake-up.

A replica runs ``timer_lanes`` of them. Lanes claim disjoint leads (``SKIP LOCKED``), so
while one waits for the database another computes. Between claims a lane sleeps until the
earliest wake-up (at most ``poll_s``), or less when this replica wrote a wake-up time
(``woken``): an enrolment or a launch is sent at once, not at the next poll.

Only the first lane polls every ``poll_s`` (for wake-ups another replica wrote); the others
at most every ``poll_s`` times the count of lanes. A lane that claimed a full batch wakes the
others at once: more is due than one lane takes. An idle replica's lanes cost a claim
(4 round trips) every ``poll_s``, plus one per extra lane every ``lanes * poll_s``.
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
        index: int = 0,
    ) -> None:
        """``index``: the lane's number (0: the first, which polls every ``poll_s``)."""
        self.name = name
        self._pool = pool
        self._tuning = tuning
        self._topics = topics
        self._stamp = stamp
        self._metrics = metrics
        self._health = health
        self._woken = woken
        #: The longest sleep between claims (see the module's docstring).
        self._poll_s = tuning.poll_s * (1 if index == 0 else tuning.timer_lanes)

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
            if fired.claimed >= self._tuning.timer_batch:
                self._woken.set()  # more is due than one lane takes: the others claim too
                continue
            await pause_until_woken(stop, self._woken, await self._wait_after(fired, started))

    async def _wait_after(self, fired: Fired, started: float) -> float:
        """How long to sleep after a claim that took less than a full batch."""
        if fired.claimed:
            return await self._until_next_timer()
        # Nothing claimable although the earliest wake-up may be past: the due rows are
        # locked by the other lane, another replica or a command batch, or their campaign is
        # being changed, and then the claim walked all of them (a second with a million):
        # look again after a multiple of that walk, not at once, so the lanes leave the
        # change the machine's cores.
        wait_s = max(self._capped(fired.wait_s), self._tuning.locked_due_retry_s)
        walked_s = time.monotonic() - started
        if walked_s >= _SLOW_EMPTY_CLAIM_S:
            backoff_s = _EMPTY_CLAIM_BACKOFF * walked_s
            wait_s = max(wait_s, min(backoff_s, _EMPTY_CLAIM_BACKOFF_MAX_S))
        return wait_s

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
        with contextlib.suppress(*RETRYABLE):
            async with self._pool.acquire() as conn:
                return self._capped(await store.seconds_to_next_wake(conn))
        return self._poll_s

    def _capped(self, wait_s: float | None) -> float:
        """``wait_s`` (None: no wake-up scheduled) within 0 and the poll interval."""
        return self._poll_s if wait_s is None else min(max(wait_s, 0.0), self._poll_s)
