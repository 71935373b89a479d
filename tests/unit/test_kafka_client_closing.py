"""A Kafka client whose start fails or is cancelled is stopped all the same.

aiokafka warns from ``__del__`` (``ResourceWarning: Unclosed AIOKafkaProducer``, and for its
connections) about a client that was never stopped, whether or not its start finished; the
warning then surfaces in whichever later test the garbage collector happens to run. A
*silent broker*, a port that accepts connections and never answers, holds each start in
progress, so a stop (a cancellation) arrives in the middle of it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from tests.unit.doubles import InMemorySends
from workers import kafka_io
from workers.gateway import publisher as gateway_publisher
from workers.gateway.publisher import Publisher
from workers.health import Health
from workers.ingest import clicks, worker
from workers.ingest.campaigns import CampaignFollower
from workers.ingest.clicks import clicks_factory
from workers.ingest.resolver import Resolver
from workers.ingest.worker import INGEST_WORKERS, IngestLoop, IngestWorker
from workers.kafka_io import DeadLetters
from workers.kafka_ports import KafkaPublisher, KafkaSource
from workers.metrics import Metrics
from workers.protocol import WorkerContext
from workers.settings import Settings
from workers.topics import Topics

Client: TypeAlias = AIOKafkaProducer | AIOKafkaConsumer


@dataclass
class SilentBroker:
    """Accepts connections, reads what clients send, never answers."""

    port: int = 0
    #: Set once a client connected (its start is then under way).
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    accepted: int = 0
    #: Connections the client closed (end of stream seen).
    closed: int = 0
    _all_closed: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        self.connected.set()
        while await reader.read(65536):
            pass
        writer.close()
        async with self._all_closed:
            self.closed += 1
            self._all_closed.notify_all()

    async def every_connection_closed(self) -> None:
        """Wait until each accepted connection was closed by its client (or fail)."""
        async with asyncio.timeout(5), self._all_closed:
            await self._all_closed.wait_for(lambda: self.closed == self.accepted)

    def settings(self) -> Settings:
        return Settings(
            kafka_bootstrap_servers=f"127.0.0.1:{self.port}",
            metrics_port=0,
            tracking_secret=SecretStr("closing-test-secret"),
        )


@pytest.fixture
async def broker() -> AsyncIterator[SilentBroker]:
    silent = SilentBroker()
    server = await asyncio.start_server(silent.serve, "127.0.0.1", 0)
    silent.port = server.sockets[0].getsockname()[1]
    async with server:
        yield silent


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[Client]:
    """Every client the workers under test build (their modules' factories, recorded)."""
    clients: list[Client] = []

    def recording(factory: Callable[..., Client]) -> Callable[..., Client]:
        def build(*args: Any, **kwargs: Any) -> Client:
            clients.append(factory(*args, **kwargs))
            return clients[-1]

        return build

    for module in (gateway_publisher, worker, clicks):
        for name in ("make_producer", "make_consumer"):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, recording(getattr(kafka_io, name)))
    return clients


def _context(settings: Settings) -> WorkerContext:
    return WorkerContext(
        settings=settings, metrics=Metrics(CollectorRegistry()), health=Health("w")
    )


async def _cancel_while_starting(broker: SilentBroker, work: Awaitable[None]) -> None:
    """Run ``work`` until a client connected to the silent broker, then cancel it."""
    task = asyncio.ensure_future(work)
    connected = asyncio.ensure_future(broker.connected.wait())
    await asyncio.wait([task, connected], return_when=asyncio.FIRST_COMPLETED)
    assert not task.done(), "the start should still be waiting for the broker"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


class TestCancelledStarts:
    """Each place that starts a client stops it when the start is cancelled."""

    async def test_gateway_publisher(self, broker: SilentBroker, made: list[Client]) -> None:
        """The gateway stopped while its producer connects: the producer is closed."""
        publisher = Publisher(broker.settings(), timeout_s=1.0)
        await _cancel_while_starting(
            broker, publisher.keep_started(asyncio.Event(), Health("gateway"))
        )
        await broker.every_connection_closed()
        assert [True] == [client._closed for client in made]
        assert False is publisher.connected

    async def test_ingest_worker_producer(self, broker: SilentBroker, made: list[Client]) -> None:
        """An ingest worker cancelled while its producer starts closes the producer."""
        replies = IngestWorker(INGEST_WORKERS["replies"], _context(broker.settings()))
        await _cancel_while_starting(broker, replies.run(asyncio.Event()))
        await broker.every_connection_closed()
        assert [True] == [client._closed for client in made]

    async def test_clicks_worker_producer(self, broker: SilentBroker, made: list[Client]) -> None:
        """The clicks worker cancelled while its producer starts closes the producer."""
        clicks_worker = clicks_factory(_context(broker.settings()))
        await _cancel_while_starting(broker, clicks_worker.run(asyncio.Event()))
        await broker.every_connection_closed()
        assert [True] == [client._closed for client in made]

    async def test_campaign_follower(self, broker: SilentBroker) -> None:
        """A campaign follower cancelled while its consumer starts closes the consumer."""
        settings = broker.settings()
        consumer = kafka_io.make_consumer(settings, group_id="g-campaigns")
        producer = kafka_io.make_producer(settings)  # never started: only its methods are named
        follower = CampaignFollower(
            consumer=consumer,
            partitions_for=producer.partitions_for,
            topic="t.campaigns",
            dead_letters=DeadLetters(producer, topic="t.dlq", worker="replies"),
            metrics=Metrics(CollectorRegistry()),
            worker="replies",
        )
        await _cancel_while_starting(broker, follower.run(asyncio.Event()))
        await producer.stop()
        await broker.every_connection_closed()
        assert True is consumer._closed

    async def test_ingest_loop_source(self, broker: SilentBroker) -> None:
        """An ingest loop cancelled while its source's consumer starts closes the consumer."""
        settings = broker.settings()
        consumer = kafka_io.make_consumer(settings, group_id="g")
        producer = kafka_io.make_producer(settings)  # never started
        metrics = Metrics(CollectorRegistry())
        loop = IngestLoop(
            INGEST_WORKERS["replies"],
            topics=Topics("t."),
            source=KafkaSource(consumer, "t.events.replies"),
            publisher=KafkaPublisher(producer),
            lookup=lambda _campaign_id: None,
            sync=_never_synced,
            resolver=Resolver(
                settings.tracking_secrets(), InMemorySends({}), metrics=metrics, worker="replies"
            ),
            metrics=metrics,
            health=Health("replies"),
        )
        await _cancel_while_starting(broker, loop.run(asyncio.Event()))
        await producer.stop()
        await broker.every_connection_closed()
        assert True is consumer._closed


async def _never_synced(_timeout_s: float) -> bool:
    return False
