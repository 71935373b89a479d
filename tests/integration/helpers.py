"""Helpers of the integration tests: publish, read back (read_committed) and await conditions."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from workers.kafka_io import partitions_of
from workers.settings import Settings

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T | None]], *, timeout_s: float = 30.0, every_s: float = 0.05
) -> T:
    """Await ``probe`` until it returns something truthy; fail at the deadline."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    last: T | None = None
    while asyncio.get_running_loop().time() < deadline:
        last = await probe()
        if last:
            return last
        await asyncio.sleep(every_s)
    raise AssertionError(f"condition not met within {timeout_s}s; last value: {last!r}")


async def publish(settings: Settings, topic: str, items: Sequence[tuple[str | None, Any]]) -> None:
    """Publish (key, value) pairs; a dict value is JSON-encoded, bytes go as they are."""
    producer = AIOKafkaProducer(
        **settings.kafka_client_options(), acks="all", enable_idempotence=True
    )
    try:
        await producer.start()
        futures = []
        for key, value in items:
            raw = value if isinstance(value, bytes) or value is None else json.dumps(value).encode()
            futures.append(await producer.send(topic, raw, key=key.encode() if key else None))
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


class TopicReader:
    """Reads a whole topic from the beginning with read_committed, keeping what it saw."""

    def __init__(self, settings: Settings, topic: str) -> None:
        self.topic = topic
        self.records: list[Any] = []
        self._consumer = AIOKafkaConsumer(
            **settings.kafka_client_options(),
            isolation_level="read_committed",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )

    async def __aenter__(self) -> TopicReader:
        try:
            await self._consumer.start()
            tps = await partitions_of(self._consumer, self.topic)
        except BaseException:  # __aexit__ is not called when __aenter__ fails
            await self._consumer.stop()
            raise
        self._consumer.assign(tps)
        for tp in tps:  # an explicit offset needs no ListOffsets round trip (no reset races)
            self._consumer.seek(tp, 0)
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._consumer.stop()

    async def poll(self) -> list[Any]:
        """Fetch what is new; return everything seen so far."""
        batch = await self._consumer.getmany(timeout_ms=100, max_records=10000)
        for records in batch.values():
            self.records.extend(records)
        return self.records

    def values(self) -> list[dict[str, Any]]:
        return [json.loads(r.value) for r in self.records if r.value is not None]

    async def wait_for(self, count: int, *, timeout_s: float = 30.0) -> list[dict[str, Any]]:
        """Poll until at least ``count`` records arrived; return their decoded values."""

        async def enough() -> list[dict[str, Any]] | None:
            await self.poll()
            return self.values() if len(self.records) >= count else None

        return await eventually(enough, timeout_s=timeout_s, every_s=0.0)
