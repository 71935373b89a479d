"""The clicks worker's loop commits behind itself: a step's commit runs while the next step runs.

The loop is driven with a consumer double whose commits wait for a gate, and a producer
double that acknowledges at once. Each record is a click that is not JSON: a dead letter, the
one output that needs no campaign table, so every step publishes something and commits after.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from aiokafka import AIOKafkaProducer, ConsumerRecord, TopicPartition
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from workers.health import HealthBoard
from workers.ingest import clicks
from workers.ingest.campaigns import CampaignFollower, CampaignTable
from workers.kafka_io import DeadLetters
from workers.metrics import Metrics
from workers.protocol import WorkerContext
from workers.scanner_data import load_known_scanners
from workers.settings import Settings

CLICKS = "t.events.clicks"
P0 = TopicPartition(CLICKS, 0)
#: Long enough for an in-memory loop to reach its next await many times over.
_STILL_WAITING_S = 0.2
#: How long a step the fix lets through may take at most (it takes microseconds).
_SOON_S = 2.0


def _not_a_click(offset: int) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(CLICKS, 0, offset, 0, 0, b"k", b"not json", None, 1, 8, [])


@dataclass
class GatedConsumer:
    """The part of ``AIOKafkaConsumer`` the clicks loop uses; commits wait for ``gate``."""

    batches: list[dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]]
    gate: asyncio.Event = field(default_factory=asyncio.Event)
    commit_started: asyncio.Event = field(default_factory=asyncio.Event)
    committed: list[dict[TopicPartition, int]] = field(default_factory=list)
    listener: Any = None
    stopped: bool = False
    _exhausted: asyncio.Event = field(default_factory=asyncio.Event)

    def subscribe(self, topics: list[str], *, listener: Any) -> None:
        self.listener = listener

    async def start(self) -> None:
        await self.listener.on_partitions_assigned({P0})

    def assignment(self) -> set[TopicPartition]:
        return {P0}

    async def getmany(self, *, timeout_ms: int) -> dict[TopicPartition, list[Any]]:
        if self.batches:
            return self.batches.pop(0)
        with contextlib.suppress(TimeoutError):  # as a fetch with nothing to return
            await asyncio.wait_for(self._exhausted.wait(), timeout_ms / 1000)
        return {}

    def highwater(self, tp: TopicPartition) -> int | None:
        return None

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.commit_started.set()
        await self.gate.wait()
        self.committed.append(dict(offsets))

    async def stop(self) -> None:
        self.stopped = True


@dataclass
class AckingProducer:
    """Acknowledges every record at once; says when it has sent ``expected`` of them."""

    expected: int
    sent: int = 0
    all_sent: asyncio.Event = field(default_factory=asyncio.Event)

    async def send(self, topic: str, value: bytes | None, **_: Any) -> asyncio.Future[None]:
        self.sent += 1
        if self.sent == self.expected:
            self.all_sent.set()
        acknowledged: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        acknowledged.set_result(None)
        return acknowledged


@dataclass
class Follower:
    """The campaign follower as the loop sees it: an (empty) table, always in sync."""

    table: CampaignTable = field(default_factory=CampaignTable)

    async def sync(self, timeout_s: float) -> bool:
        return True


async def _follow_forever() -> None:
    await asyncio.Event().wait()


@dataclass
class Harness:
    """The clicks loop over the doubles, run as a task."""

    consumer: GatedConsumer
    producer: AckingProducer
    loop: clicks._Loop
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    running: asyncio.Task[None] | None = None

    def start(self) -> asyncio.Task[None]:
        never_ends = asyncio.create_task(_follow_forever())  # the campaign follower
        self.running = asyncio.create_task(self.loop.run(self.stop, never_ends))
        self.running.add_done_callback(lambda _: never_ends.cancel())
        return self.running


@pytest.fixture
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    """A loop whose consumer returns one batch of one record per offset in ``request.param``."""
    offsets: list[int] = request.param
    settings = Settings(tracking_secret=SecretStr("unit-tracking-secret"), topic_prefix="t.")
    context = WorkerContext(
        settings=settings,
        metrics=Metrics(CollectorRegistry()),
        health=HealthBoard().register("clicks"),
    )
    worker = clicks.ClicksWorker(context, known=load_known_scanners())
    producer = AckingProducer(expected=len(offsets))
    kafka_producer = cast(AIOKafkaProducer, producer)
    loop = clicks._Loop(
        worker,
        kafka_producer,
        DeadLetters(kafka_producer, topic="t.dlq", worker="clicks"),
        cast(CampaignFollower, Follower()),
    )
    await loop.consumer.stop()  # the real consumer, never started, is replaced by the double
    consumer = GatedConsumer([{P0: [_not_a_click(o)]} for o in offsets])
    loop.consumer = cast(Any, consumer)
    made = Harness(consumer, producer, loop)
    yield made
    made.consumer.gate.set()
    made.stop.set()
    if made.running is not None:
        await asyncio.wait_for(made.running, 5)
    await worker.sends.close()


class TestClicksLoopCommitBehind:
    """A step's commit runs while the next step runs; a revocation and a stop wait for it."""

    @pytest.mark.parametrize("harness", [[0, 1]], indirect=True)
    async def test_next_step_published_while_the_commit_runs(self, harness: Harness) -> None:
        """The second step's dead letter is sent while the first step's commit is pending."""
        harness.start()

        await asyncio.wait_for(harness.producer.all_sent.wait(), _SOON_S)
        committed_while_pending = list(harness.consumer.committed)
        harness.consumer.gate.set()
        harness.stop.set()
        await asyncio.wait_for(cast(asyncio.Task[None], harness.running), 5)

        assert [] == committed_while_pending
        assert [{P0: 1}, {P0: 2}] == harness.consumer.committed

    @pytest.mark.parametrize("harness", [[0]], indirect=True)
    async def test_revocation_waits_for_the_commit(self, harness: Harness) -> None:
        """Partitions are given up only once the commit of their last step has ended."""
        harness.start()
        await harness.consumer.commit_started.wait()

        revoking = asyncio.ensure_future(harness.consumer.listener.on_partitions_revoked({P0}))
        done, _ = await asyncio.wait([revoking], timeout=_STILL_WAITING_S)
        harness.consumer.gate.set()
        await revoking

        assert (set(), [{P0: 1}]) == (done, harness.consumer.committed)

    @pytest.mark.parametrize("harness", [[0]], indirect=True)
    async def test_stop_waits_for_the_commit(self, harness: Harness) -> None:
        """A stopping loop leaves its group only after the last commit has ended."""
        running = harness.start()
        await harness.consumer.commit_started.wait()

        harness.stop.set()
        done, _ = await asyncio.wait([running], timeout=_STILL_WAITING_S)
        stopped_early = harness.consumer.stopped
        harness.consumer.gate.set()
        await running

        assert (set(), False, [{P0: 1}]) == (done, stopped_early, harness.consumer.committed)
