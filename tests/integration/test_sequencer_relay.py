"""The outbox relay on the real broker and database: its failures are bounded and clean."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from prometheus_client import CollectorRegistry

from tests.integration.helpers import TopicReader, eventually, publish
from tests.integration.sequencer_helpers import campaign, command, running_sequencer
from workers.health import HealthBoard
from workers.kafka_io import make_producer
from workers.metrics import Metrics
from workers.sequencer import store
from workers.sequencer.progress import read_progress
from workers.sequencer.relay import Relay
from workers.sequencer.settings import SequencerSettings
from workers.sequencer.store import OutboxRecord
from workers.settings import Settings
from workers.topics import Topics

pytestmark = pytest.mark.integration


def _relay(pool: asyncpg.Pool, settings: Settings, **options: Any) -> Relay:
    board = HealthBoard()
    return Relay(
        pool=pool,
        settings=settings,
        metrics=Metrics(CollectorRegistry()),
        health=board.register("sequencer"),
        **options,
    )


def _record_producers(monkeypatch: pytest.MonkeyPatch) -> list[AIOKafkaProducer]:
    """Every producer the relay makes from now on (one per leadership attempt)."""
    made: list[AIOKafkaProducer] = []

    def recording(*args: Any, **kwargs: Any) -> AIOKafkaProducer:
        made.append(make_producer(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr("workers.sequencer.relay.make_producer", recording)
    return made


class TestFailedStart:
    """A relay whose leadership fails to start leaves nothing open behind it."""

    async def test_every_producer_is_stopped_when_the_start_fails(
        self, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Each producer a failed start created is closed again (none leaks per retry)."""
        made = _record_producers(monkeypatch)
        pool = await store.connect_pool(settings.database_url)

        async def unreadable(*_args: Any, **_kwargs: Any) -> dict[int, int]:
            raise KafkaError("progress unreadable")

        # The new leader's producer started, then the position cannot be read.
        monkeypatch.setattr("workers.sequencer.relay.read_progresses", unreadable)
        stop = asyncio.Event()
        task = asyncio.create_task(_relay(pool, settings).run(stop))
        try:
            await eventually(lambda: _at_least(made, 2), timeout_s=20)
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
            await pool.close()

        assert [True] * len(made) == [p._closed is True for p in made]


async def _at_least(items: list[Any], count: int) -> bool:
    return len(items) >= count


#: A command just under the broker's 1 MiB limit: it fits, its DLQ copy with headers does not.
_NEAR_LIMIT = 1_048_400


class TestOversizedOutput:
    """Output over the broker's size limit is published bounded, never lost or stuck."""

    async def test_dlq_copy_of_a_near_limit_command_is_published_truncated(
        self, settings: Settings
    ) -> None:
        """The DLQ copy arrives cut to fit, with the original size; the next command applies."""
        topics = Topics(settings.topic_prefix)
        big = b"x" * _NEAR_LIMIT  # not JSON: the sequencer dead-letters it
        await publish(settings, topics.campaigns, [("c1", campaign("c1"))])
        async with running_sequencer(settings):
            await publish(settings, topics.commands, [("c1:l1", big)])
            await publish(settings, topics.commands, [("c1:l1", command("c1", "l1", "enroll"))])
            async with TopicReader(settings, topics.dlq) as dlq:
                record = (await eventually(dlq.poll, timeout_s=20))[0]
            async with TopicReader(settings, topics.command_results) as results:
                applied = (await results.wait_for(1))[0]
        headers = {k: v.decode() for k, v in record.headers}

        assert str(_NEAR_LIMIT) == headers["leadflow.original-size"]
        assert "truncated" in headers["leadflow.truncated"]
        assert "not valid JSON" in headers["leadflow.error"]
        assert big.startswith(record.value)
        assert len(record.value) < _NEAR_LIMIT
        assert "applied" == applied["outcome"]

    async def test_a_failed_delivery_aborts_the_transaction_and_the_progress(
        self, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A record the broker refuses fails its transaction: no later row, no progress."""
        topics = Topics(settings.topic_prefix)
        made = _record_producers(monkeypatch)
        pool = await store.connect_pool(settings.database_url)
        async with pool.acquire() as conn, conn.transaction():
            await store.write_outbox(
                conn,
                [
                    OutboxRecord(
                        topics.dlq, "k", b"x" * _NEAR_LIMIT, (("leadflow.error", "e" * 500),)
                    ),
                    OutboxRecord(topics.command_results, "k", b"{}"),
                ],
            )
        stop = asyncio.Event()
        # A limit above the broker's: the relay lets the row through and the broker refuses it.
        relay = _relay(pool, settings, tuning=SequencerSettings(max_record_bytes=4 * _NEAR_LIMIT))
        task = asyncio.create_task(relay.run(stop))
        try:
            await eventually(lambda: _at_least(made, 2), timeout_s=20)  # stepped down once
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
            await pool.close()
        async with TopicReader(settings, topics.command_results) as results:
            published = await results.poll()

        assert 0 == await read_progress(settings, topics)
        assert [] == published
