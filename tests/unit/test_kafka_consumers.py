"""The workers' consumers: a short fetch wait on the event path, a longer one off it."""

from __future__ import annotations

from typing import Any

from aiokafka import AIOKafkaConsumer

from workers.kafka_io import EVENT_FETCH_MIN_BYTES, SIDE_FETCH_MAX_WAIT_MS, make_consumer
from workers.settings import Settings


async def _made(**options: Any) -> AIOKafkaConsumer:
    """A consumer as ``make_consumer`` builds it, never started (its client closed again)."""
    consumer = make_consumer(
        Settings(kafka_bootstrap_servers="127.0.0.1:1"), group_id=None, **options
    )
    await consumer.stop()
    return consumer


class TestMakeConsumer:
    """``make_consumer``'s fetch wait."""

    async def test_event_path_waits_briefly(self) -> None:
        """By default a fetch waits at most 10 ms, so an idle partition delays no stage."""
        consumer = await _made()

        assert 10 == consumer._fetch_max_wait_ms

    async def test_side_consumers_wait_longer(self) -> None:
        """A consumer off the event path sends a fetch every 100 ms when idle, not every 10 ms."""
        consumer = await _made(fetch_max_wait_ms=SIDE_FETCH_MAX_WAIT_MS)

        assert 100 == consumer._fetch_max_wait_ms

    async def test_fetches_return_at_the_first_byte_by_default(self) -> None:
        """Unless asked, the broker answers a fetch as soon as anything has arrived."""
        consumer = await _made()

        assert 1 == consumer._fetch_min_bytes

    async def test_event_path_fetches_are_held_for_a_batch(self) -> None:
        """An event-path consumer's fetch waits for 64 KiB or its 10 ms, whichever is first."""
        consumer = await _made(fetch_min_bytes=EVENT_FETCH_MIN_BYTES)

        assert (65536, 10) == (consumer._fetch_min_bytes, consumer._fetch_max_wait_ms)
