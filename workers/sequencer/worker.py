"""``leadflow run sequencer``: the sequencer's services over one database pool.

Each service is a loop of its own file, run together in one ``asyncio.TaskGroup``: the first
to fail stops the others, and its error ends the worker (the runtime restarts the process).

- ``command_consumer.CommandConsumer``: ``commands`` → ``commands.apply_batch``
- ``campaign_consumer.CampaignConsumer``: ``campaigns`` → ``campaigns.apply_campaign_batch``
- ``suppression_consumer.SuppressionConsumer``: ``suppressions`` →
  ``suppressions.apply_suppression_batch``
- ``timer_lane.TimerLane`` (``timer_lanes`` of them): due leads → ``timers.fire_due``
- ``relay.Relay``: outbox shards → Kafka, each while this replica holds its advisory lock
- ``maintenance.InboxPruner``, ``SendTokenPruner`` and ``OutboxTrimmer``: housekeeping

Tuning values come from one validated ``settings.SequencerSettings``.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

import asyncpg
import structlog

from workers.health import Health
from workers.metrics import Metrics
from workers.protocol import Worker, WorkerContext
from workers.sequencer import store
from workers.sequencer.batch_loop import LoopDeps, Readiness
from workers.sequencer.campaign_consumer import CampaignConsumer
from workers.sequencer.command_consumer import CommandConsumer
from workers.sequencer.maintenance import InboxPruner, OutboxTrimmer, SendTokenPruner
from workers.sequencer.relay import Relay
from workers.sequencer.settings import SequencerSettings
from workers.sequencer.suppression_consumer import SuppressionConsumer
from workers.sequencer.timer_lane import TimerLane, lane_name
from workers.sequencer.tracking import SendStamp
from workers.sequencer.waiting import pause
from workers.settings import Settings
from workers.topics import Topics

log = structlog.get_logger("leadflow.sequencer")


class Service(Protocol):
    """A loop of the sequencer: runs until ``stop`` is set, raises when it cannot go on."""

    name: str

    async def run(self, stop: asyncio.Event) -> None: ...


class SequencerWorker:
    """One sequencer replica."""

    name = "sequencer"

    def __init__(
        self,
        *,
        settings: Settings,
        metrics: Metrics,
        health: Health,
        tuning: SequencerSettings | None = None,
        **overrides: Any,
    ) -> None:
        """``overrides`` change single tuning values (``poll_s=120``), validated."""
        base = tuning or SequencerSettings()
        self._tuning = base.model_validate({**base.model_dump(), **overrides})
        self._settings = settings
        #: Signs every send; fails at once (one line) when LEADFLOW_TRACKING_SECRET is missing.
        self._stamp = SendStamp(settings.tracking_secrets(), settings.message_id_domain)
        self._metrics = metrics
        self._health = health

    async def run(self, stop: asyncio.Event) -> None:
        pool = await _connect(self._settings.database_url, stop, self._health)
        if pool is None:
            return
        try:
            services = self.services(pool)
            self._health.expect(*(s.name for s in services if s.name not in _UNWATCHED))
            await _run_together(services, stop)
        finally:
            await pool.close()

    def services(self, pool: asyncpg.Pool) -> list[Service]:
        """Every loop of this replica."""
        tuning = self._tuning
        deps = LoopDeps(
            pool=pool,
            settings=self._settings,
            tuning=tuning,
            metrics=self._metrics,
            health=self._health,
            readiness=Readiness(
                self._health,
                CommandConsumer.name,
                CampaignConsumer.name,
                SuppressionConsumer.name,
            ),
            timers_woken=asyncio.Event(),
        )
        lanes = [
            TimerLane(
                lane_name(i),
                pool=pool,
                tuning=tuning,
                topics=Topics(self._settings.topic_prefix),
                stamp=self._stamp,
                metrics=self._metrics,
                health=self._health,
                woken=deps.timers_woken,
                index=i,
            )
            for i in range(tuning.timer_lanes)
        ]
        relay = Relay(
            pool=pool,
            settings=self._settings,
            metrics=self._metrics,
            health=self._health,
            tuning=tuning,
        )
        return [
            CommandConsumer(deps),
            CampaignConsumer(deps),
            SuppressionConsumer(deps),
            *lanes,
            relay,
            InboxPruner(pool, tuning),
            SendTokenPruner(pool, tuning),
            OutboxTrimmer(pool, tuning, self._metrics),
        ]


#: Services that sleep for long stretches by design: not part of the liveness check.
_UNWATCHED = frozenset({InboxPruner.name, SendTokenPruner.name, OutboxTrimmer.name})


async def _run_together(services: list[Service], stop: asyncio.Event) -> None:
    """Run every service; the first to fail cancels the others and its error is raised."""
    try:
        async with asyncio.TaskGroup() as group:
            for service in services:
                group.create_task(service.run(stop), name=service.name)
    except BaseExceptionGroup as failed:
        # One service failed and the group cancelled the rest: raise that error as it is.
        raise failed.exceptions[0] from None


async def _connect(url: str, stop: asyncio.Event, health: Health) -> asyncpg.Pool | None:
    delay = 0.5
    while not stop.is_set():
        health.beat()
        try:
            return await store.connect_pool(url)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("database unreachable; retrying", error=type(exc).__name__)
            await pause(stop, delay)
            delay = min(delay * 2, 5.0)
    return None


def sequencer_factory(ctx: WorkerContext) -> Worker:
    return SequencerWorker(settings=ctx.settings, metrics=ctx.metrics, health=ctx.health)
