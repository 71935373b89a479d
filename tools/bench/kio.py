"""Kafka helpers of the benchmark: bulk publishing and a read_committed collector."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from workers.kafka_io import partitions_of
from workers.settings import Settings

#: Acknowledgements awaited at once while pre-filling (bounds the memory of pending futures).
_PENDING_ACKS = 20_000


async def publish(
    settings: Settings, topic: str, records: Iterable[tuple[bytes | None, bytes | None]]
) -> int:
    """Publish ``(key, value)`` records as fast as the client allows; wait for every ack."""
    producer = AIOKafkaProducer(
        **settings.kafka_client_options(), acks="all", linger_ms=20, max_batch_size=1024 * 1024
    )
    count = 0
    try:
        await producer.start()
        pending: list[asyncio.Future[Any]] = []
        for key, value in records:
            pending.append(await producer.send(topic, value, key=key))
            count += 1
            if len(pending) >= _PENDING_ACKS:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return count


@dataclass(frozen=True, slots=True)
class Seen:
    """One record read back: its key, value, CreateTime (ms) and when it arrived here (s)."""

    key: bytes | None
    value: bytes | None
    timestamp_ms: int
    received_s: float


@dataclass
class Collector:
    """Reads a whole topic from the beginning with read_committed, in the background."""

    settings: Settings
    topic: str
    records: list[Seen] = field(default_factory=list)
    _task: asyncio.Task[None] | None = None
    _consumer: AIOKafkaConsumer | None = None

    async def __aenter__(self) -> Collector:
        consumer = AIOKafkaConsumer(
            **self.settings.kafka_client_options(),
            isolation_level="read_committed",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=50,
            max_partition_fetch_bytes=4 * 1024 * 1024,
        )
        self._consumer = consumer  # stopped by __aexit__, or below if the start fails
        try:
            await consumer.start()
            tps = await partitions_of(consumer, self.topic)
        except BaseException:
            await consumer.stop()
            raise
        consumer.assign(tps)
        for tp in tps:
            consumer.seek(tp, 0)
        self._task = asyncio.create_task(self._follow(consumer))
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._consumer is not None:
            await self._consumer.stop()

    async def _follow(self, consumer: AIOKafkaConsumer) -> None:
        while True:
            batch = await consumer.getmany(timeout_ms=100, max_records=20_000)
            now = time.time()
            for records in batch.values():
                self.records.extend(Seen(r.key, r.value, r.timestamp, now) for r in records)

    async def wait_for(
        self, count: int, *, timeout_s: float, what: str, check: Callable[[], None] | None = None
    ) -> list[Seen]:
        """Wait until ``count`` records arrived; raise TimeoutError with ``what`` otherwise.

        ``check`` runs on every poll and may raise to give up early (a worker has died).
        """
        deadline = time.monotonic() + timeout_s
        while len(self.records) < count:
            if self._task is not None and self._task.done():
                self._task.result()
            if check is not None:
                check()
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what}: {len(self.records)} of {count} after {timeout_s:.0f}s")
            await asyncio.sleep(0.02)
        return self.records


def steady_rate(seen: list[Seen], *, skip: float = 0.1) -> float:
    """Records per second between the ``skip`` quantile and the last record, by CreateTime.

    Skipping the first tenth leaves out the pipeline filling up (a worker's first fetch, the
    relay's first transaction), so the figure is the steady-state throughput.
    """
    stamps = sorted(s.timestamp_ms for s in seen)
    if len(stamps) < 2:  # noqa: PLR2004
        return 0.0
    start = min(int(len(stamps) * skip), len(stamps) - 2)
    span_s = max(stamps[-1] - stamps[start], 1) / 1000
    return (len(stamps) - 1 - start) / span_s
