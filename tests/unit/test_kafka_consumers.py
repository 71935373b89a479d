"""The workers' consumers: a short fetch wait on the event path, a longer one off it."""

from __future__ import annotations

from workers.kafka_io import EVENT_FETCH_MIN_BYTES, SIDE_FETCH_MAX_WAIT_MS, make_consumer
from workers.settings import Settings


class TestMakeConsumer:
    """``make_consumer``'s fetch wait."""

    async def test_event_path_waits_briefly(self) -> None:
        """By default a fetch waits at most 10 ms, so an idle partition delays no stage."""
        consumer = make_consumer(Settings(kafka_bootstrap_servers="127.0.0.1:1"), group_id=None)
        await consumer.stop()  # never started: closes the client it holds

        assert 10 == consumer._fetch_max_wait_ms

    async def test_side_consumers_wait_longer(self) -> None:
        """A consumer off the event path sends a fetch every 100 ms when idle, not every 10 ms."""
        consumer = make_consumer(
            Settings(kafka_bootstrap_servers="127.0.0.1:1"),
            group_id=None,
            fetch_max_wait_ms=SIDE_FETCH_MAX_WAIT_MS,
        )
        await consumer.stop()  # never started: closes the client it holds

        assert 100 == consumer._fetch_max_wait_ms

    async def test_fetches_return_at_the_first_byte_by_default(self) -> None:
        """Unless asked, the broker answers a fetch as soon as anything has arrived."""
        consumer = make_consumer(Settings(kafka_bootstrap_servers="127.0.0.1:1"), group_id=None)
        await consumer.stop()  # never started: closes the client it holds

        assert 1 == consumer._fetch_min_bytes

    async def test_event_path_fetches_are_held_for_a_batch(self) -> None:
        """An event-path consumer's fetch waits for 64 KiB or its 10 ms, whichever is first."""
        consumer = make_consumer(
            Settings(kafka_bootstrap_servers="127.0.0.1:1"),
            group_id=None,
            fetch_min_bytes=EVENT_FETCH_MIN_BYTES,
        )
        await consumer.stop()  # never started: closes the client it holds

        assert (65536, 10) == (consumer._fetch_min_bytes, consumer._fetch_max_wait_ms)
