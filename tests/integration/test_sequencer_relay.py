"""The outbox relay on the real broker and database: its failures are bounded and clean."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from prometheus_client import CollectorRegistry

from tests.integration.helpers import eventually
from workers.health import HealthBoard
from workers.kafka_io import make_producer
from workers.metrics import Metrics
from workers.sequencer import store
from workers.sequencer.relay import Relay
from workers.settings import Settings

pytestmark = pytest.mark.integration


def _relay(pool: asyncpg.Pool, settings: Settings) -> Relay:
    board = HealthBoard()
    return Relay(
        pool=pool,
        settings=settings,
        metrics=Metrics(CollectorRegistry()),
        health=board.register("sequencer"),
    )


class TestFailedStart:
    """A relay whose leadership fails to start leaves nothing open behind it."""

    async def test_every_producer_is_stopped_when_the_start_fails(
        self, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Each producer a failed start created is closed again (none leaks per retry)."""
        made: list[AIOKafkaProducer] = []

        def recording(*args: Any, **kwargs: Any) -> AIOKafkaProducer:
            made.append(make_producer(*args, **kwargs))
            return made[-1]

        monkeypatch.setattr("workers.sequencer.relay.make_producer", recording)
        pool = await store.connect_pool(settings.database_url)
        # The outbox listener's own connection fails: its database does not exist.
        broken = settings.model_copy(update={"database_url": settings.database_url + "_missing"})
        stop = asyncio.Event()
        task = asyncio.create_task(_relay(pool, broken).run(stop))
        try:
            await eventually(lambda: _at_least(made, 2), timeout_s=20)
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
            await pool.close()

        assert [True] * len(made) == [p._closed is True for p in made]


async def _at_least(items: list[Any], count: int) -> bool:
    return len(items) >= count
