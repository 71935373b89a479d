"""Run the gateway in the test's event loop, post to it over real HTTP, read what it published."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiokafka import AIOKafkaConsumer
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from tests.unit.gateway.payloads import (
    CALCOM_SECRET,
    CALENDLY_KEY,
    MAILGUN_KEY,
    POSTMARK_PASSWORD,
    POSTMARK_USER,
    SENDGRID_PUBLIC,
)
from workers.gateway.service import GatewayWorker
from workers.health import Health
from workers.kafka_io import partitions_of
from workers.metrics import Metrics
from workers.protocol import WorkerContext
from workers.settings import Settings

BEARER = "test-bearer-token"


def secrets() -> dict[str, SecretStr]:
    """Every provider's test secret, as the settings take them."""
    return {
        "gateway_tokens": SecretStr(f"other-token,{BEARER}"),
        "mailgun_signing_key": SecretStr(MAILGUN_KEY),
        "sendgrid_public_key": SecretStr(SENDGRID_PUBLIC),
        "postmark_webhook_user": SecretStr(POSTMARK_USER),
        "postmark_webhook_password": SecretStr(POSTMARK_PASSWORD),
        "calendly_signing_key": SecretStr(CALENDLY_KEY),
        "calcom_secret": SecretStr(CALCOM_SECRET),
    }


def configured(**base: Any) -> Settings:
    """Settings with ``base`` and every provider's test secret."""
    return Settings.model_validate({**base, **secrets()})


@dataclass
class RunningGateway:
    """A gateway serving on a free port of this host."""

    worker: GatewayWorker
    health: Health
    metrics: Metrics
    session: aiohttp.ClientSession

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.worker.port}"

    async def post(
        self, path: str, body: bytes, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """POST ``body``; the status, the JSON answer and the response headers."""
        # a file-like body: aiohttp warns that large raw bytes could block its event loop
        data = io.BytesIO(body)
        async with self.session.post(self.url + path, data=data, headers=headers or {}) as reply:
            answer = await reply.json(content_type=None)
            return reply.status, answer, dict(reply.headers)

    async def send(
        self, path: str, signed: tuple[dict[str, str], bytes]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """POST a (headers, body) pair as the payload signers return it."""
        headers, body = signed
        return await self.post(path, body, headers)

    def sample(self, name: str, **labels: str) -> float:
        return self.metrics.registry.get_sample_value(name, labels) or 0.0


@contextlib.asynccontextmanager
async def running_gateway(
    settings: Settings, *, wait_ready: bool = True, **worker_options: float
) -> AsyncIterator[RunningGateway]:
    """Run the gateway for the block (port 0), then stop it gracefully."""
    metrics = Metrics(CollectorRegistry())
    health = Health("gateway")
    context = WorkerContext(settings=settings, metrics=metrics, health=health)
    worker = GatewayWorker(context, **worker_options)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    connector = aiohttp.TCPConnector(limit=200)
    session = aiohttp.ClientSession(connector=connector)
    try:
        await asyncio.wait_for(worker.listening.wait(), 30)
        if wait_ready:
            await _ready(health, task)
        yield RunningGateway(worker, health, metrics, session)
    finally:
        await session.close()
        stop.set()
        await asyncio.wait_for(task, 30)


async def _ready(health: Health, task: asyncio.Task[None]) -> None:
    for _ in range(600):
        if task.done():
            task.result()
        if health.ready:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"gateway not ready: {health.detail}")


@contextlib.asynccontextmanager
async def reading(settings: Settings, topic: str) -> AsyncIterator[Reader]:
    """A reader of ``topic`` from its beginning, for the block."""
    reader = Reader(settings, topic)
    try:
        await reader.start()
        yield reader
    finally:
        await reader.stop()


class Reader:
    """Everything published on one topic: keys and JSON values."""

    def __init__(self, settings: Settings, topic: str) -> None:
        self.topic = topic
        self.records: list[tuple[bytes | None, dict[str, Any]]] = []
        self._consumer = AIOKafkaConsumer(
            **settings.kafka_client_options(),
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )

    async def start(self) -> None:
        await self._consumer.start()
        partitions = await partitions_of(self._consumer, self.topic)
        self._consumer.assign(partitions)
        for tp in partitions:
            self._consumer.seek(tp, 0)

    async def stop(self) -> None:
        await self._consumer.stop()

    async def wait_for(self, count: int, *, timeout_s: float = 30.0) -> list[dict[str, Any]]:
        """At least ``count`` values (all seen so far), or fail at the deadline."""
        deadline = asyncio.get_running_loop().time() + timeout_s
        while len(self.records) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{len(self.records)} of {count} records on {self.topic}")
            batch = await self._consumer.getmany(timeout_ms=200, max_records=20000)
            for records in batch.values():
                self.records.extend((r.key, json.loads(r.value)) for r in records)
        return [value for _, value in self.records]

    async def settle(self, *, quiet_s: float = 0.5) -> list[dict[str, Any]]:
        """Everything that arrives until nothing more comes for ``quiet_s``."""
        while True:
            batch = await self._consumer.getmany(timeout_ms=int(quiet_s * 1000))
            if not batch:
                return [value for _, value in self.records]
            for records in batch.values():
                self.records.extend((r.key, json.loads(r.value)) for r in records)
