"""Helpers of the ingest integration tests (throughput is measured by ``make bench``)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from prometheus_client import CollectorRegistry

from schemas import LeadCommand
from tests.integration.infra import tracking_env
from workers.health import Health
from workers.ingest import ingest_factory
from workers.ingest.clicks import clicks_factory
from workers.metrics import Metrics
from workers.protocol import WorkerContext
from workers.settings import Settings
from workers.topics import Topics

ROOT = Path(__file__).resolve().parents[2]
T0 = "2026-06-01T10:00:00Z"


async def until(
    check: Callable[[], bool | Awaitable[bool]], *, timeout_s: float = 20.0, what: str = ""
) -> None:
    """Poll ``check`` every 20 ms until it is true; fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {what or check}")
        await asyncio.sleep(0.02)


def campaign(campaign_id: str = "c-42", version: int = 1, **automation: str) -> dict[str, Any]:
    """A CampaignSettings document; ``automation`` keys: reply, link_click, meeting_booked."""
    doc: dict[str, Any] = {
        "campaign_id": campaign_id,
        "version": version,
        "status": "active",
        "steps": [{"delay": "PT0S"}, {"delay": "P2D"}],
        "sender_id": "mbx-1",
    }
    if automation:
        doc["automation"] = automation
    return doc


def event(event_id: str, campaign_id: str = "c-42", lead_id: str = "l-7", **extra: Any) -> bytes:
    """An event document as bytes (add ``url`` for a click)."""
    doc = {
        "event_id": event_id,
        "campaign_id": campaign_id,
        "lead_id": lead_id,
        "occurred_at": T0,
        **extra,
    }
    return json.dumps(doc).encode()


async def publish(
    settings: Settings, topic: str, records: Iterable[tuple[bytes | None, bytes | None]]
) -> None:
    """Publish ``(key, value)`` records and wait until every one is acknowledged."""
    producer = AIOKafkaProducer(
        **settings.kafka_client_options(), acks="all", linger_ms=5, max_batch_size=512 * 1024
    )
    try:
        await producer.start()
        futures = [await producer.send(topic, value, key=key) for key, value in records]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def put_campaigns(settings: Settings, *docs: dict[str, Any]) -> None:
    """Publish CampaignSettings documents keyed by their campaign_id."""
    records = [(d["campaign_id"].encode(), json.dumps(d).encode()) for d in docs]
    await publish(settings, Topics(settings.topic_prefix).campaigns, records)


@dataclass
class Tail:
    """Everything on one topic, read from the beginning in the background (no group)."""

    records: list[Any] = field(default_factory=list)

    def commands(self) -> list[LeadCommand]:
        """The records as LeadCommands."""
        return [LeadCommand.model_validate_json(r.value) for r in self.records]

    def event_ids(self) -> set[str]:
        """The event ids of every command seen."""
        return {
            r.value.split(b'"event_id":"', 1)[1].split(b'"', 1)[0].decode() for r in self.records
        }


@contextlib.asynccontextmanager
async def tail(settings: Settings, topic: str) -> AsyncIterator[Tail]:
    """Read ``topic`` into a ``Tail`` while the block runs."""
    consumer = AIOKafkaConsumer(
        **settings.kafka_client_options(),
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
    )
    seen = Tail()
    stop = asyncio.Event()

    async def follow() -> None:
        consumer.subscribe([topic])  # no group: every partition, from the beginning
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=100)
            for records in batch.values():
                seen.records.extend(records)

    try:
        await consumer.start()
        task = asyncio.create_task(follow())
        try:
            yield seen
        finally:
            stop.set()
            await task
    finally:
        await consumer.stop()


@dataclass
class Running:
    """An ingest worker running in this process."""

    health: Health
    metrics: Metrics
    stop: asyncio.Event
    task: asyncio.Task[None]

    def sample(self, name: str, **labels: str) -> float:
        """The current value of a metric sample (0 when absent)."""
        return self.metrics.registry.get_sample_value(name, labels) or 0.0


@contextlib.asynccontextmanager
async def running(settings: Settings, name: str = "replies") -> AsyncIterator[Running]:
    """Run the ingest worker ``name`` in this process for the block, then stop it gracefully."""
    metrics = Metrics(CollectorRegistry())
    health = Health(name)
    factory = clicks_factory if name == "clicks" else ingest_factory(name)
    worker = factory(WorkerContext(settings=settings, metrics=metrics, health=health))
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        yield Running(health, metrics, stop, task)
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


async def ready(worker: Running, timeout_s: float = 30.0) -> None:
    """Wait until the worker says it is ready (or fail if it crashed)."""

    def check() -> bool:
        if worker.task.done():
            worker.task.result()
            raise AssertionError("worker stopped before it was ready")
        return worker.health.ready

    await until(check, timeout_s=timeout_s, what="the worker to be ready")


def worker_command(name: str) -> list[str]:
    """The command line that runs the ingest worker ``name`` as its own process."""
    return [sys.executable, "-m", "workers", "run", name]


def spawn(settings: Settings, name: str = "replies") -> subprocess.Popen[bytes]:
    """Start ``leadflow run NAME`` as a subprocess against ``settings``' broker and prefix."""
    env = {
        **os.environ,
        "LEADFLOW_KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "LEADFLOW_TOPIC_PREFIX": settings.topic_prefix,
        "LEADFLOW_METRICS_PORT": "0",
        "LEADFLOW_LOG_LEVEL": "warning",
        "LEADFLOW_DATABASE_URL": settings.database_url,
        **tracking_env(settings),
    }
    return subprocess.Popen(worker_command(name), env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
