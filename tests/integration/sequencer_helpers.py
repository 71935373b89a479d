"""Running a sequencer in the test's event loop, and building its inputs."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry

from workers.health import HealthBoard
from workers.metrics import Metrics
from workers.sequencer.worker import SequencerWorker
from workers.settings import Settings


@asynccontextmanager
async def running_sequencer(settings: Settings, **options: Any) -> AsyncIterator[SequencerWorker]:
    """A sequencer running as a task until the block ends (then stopped gracefully)."""
    board = HealthBoard()
    worker = SequencerWorker(
        settings=settings,
        metrics=Metrics(CollectorRegistry()),
        health=board.register("sequencer"),
        **options,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        yield worker
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


def campaign(
    campaign_id: str,
    *,
    version: int = 1,
    status: str = "active",
    delays: list[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """CampaignSettings as a dict."""
    return {
        "campaign_id": campaign_id,
        "version": version,
        "status": status,
        "steps": [{"delay": d} for d in (delays or ["PT0S"])],
        "sender_id": "mbx-1",
        **extra,
    }


def command(campaign_id: str, lead_id: str, action: str, **extra: Any) -> dict[str, Any]:
    """A manual LeadCommand as a dict (unique command_id unless given)."""
    return {
        "command_id": extra.pop("command_id", f"cmd-{uuid.uuid4().hex[:12]}"),
        "campaign_id": campaign_id,
        "lead_id": lead_id,
        "action": action,
        "source": extra.pop("source", "manual"),
        "actor": extra.pop("actor", "tester"),
        "occurred_at": extra.pop("occurred_at", datetime.now(UTC).isoformat()),
        **extra,
    }
