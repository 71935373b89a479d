"""aiokafka behind the loops' narrow interfaces (``workers.ports``): the real adapters."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError

from workers.kafka_io import BatchPublisher, PartitionCache
from workers.ports import Batch, CommitRefused, Headers, OnPartitions, Partition


def _partitions(tps: set[TopicPartition]) -> set[Partition]:
    return {Partition(tp.topic, tp.partition) for tp in tps}


class _Rebalances(ConsumerRebalanceListener):  # type: ignore[misc]
    """Hands a rebalance's partitions to the loop's callbacks."""

    def __init__(self, on_revoked: OnPartitions, on_assigned: OnPartitions) -> None:
        self._on_revoked = on_revoked
        self._on_assigned = on_assigned

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        await self._on_revoked(_partitions(revoked))

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        await self._on_assigned(_partitions(assigned))


class KafkaSource:
    """A ``Source``: an aiokafka consumer subscribed to one topic, never auto-committing."""

    def __init__(self, consumer: AIOKafkaConsumer, topic: str) -> None:
        self._consumer = consumer
        self._topic = topic

    async def start(self, on_revoked: OnPartitions, on_assigned: OnPartitions) -> None:
        self._consumer.subscribe([self._topic], listener=_Rebalances(on_revoked, on_assigned))
        await self._consumer.start()

    async def stop(self) -> None:
        await self._consumer.stop()

    async def fetch(self, timeout_ms: int) -> Batch:
        batch: Batch = await self._consumer.getmany(timeout_ms=timeout_ms)
        return batch

    def assignment(self) -> set[Partition]:
        return _partitions(self._consumer.assignment())

    async def commit(self, offsets: Mapping[Partition, int]) -> None:
        try:
            await self._consumer.commit({TopicPartition(*p): o for p, o in offsets.items()})
        except (CommitFailedError, IllegalStateError) as error:
            raise CommitRefused(str(error)) from error

    async def lags(self) -> dict[Partition, int]:
        """From the consumer's fetch metadata: partitions not fetched yet are left out."""
        lags: dict[Partition, int] = {}
        for tp in self._consumer.assignment():
            highwater = self._consumer.highwater(tp)
            if highwater is not None:
                position = await self._consumer.position(tp)
                lags[Partition(tp.topic, tp.partition)] = max(0, highwater - position)
        return lags


class KafkaPublisher:
    """A ``Publisher``: records batched per partition (``BatchPublisher``) on one producer.

    ``flush`` waits for every batch's acknowledgement, even after a failure, then raises the
    first error: no delivery error passes by, and no future is left unobserved.
    """

    def __init__(self, producer: AIOKafkaProducer) -> None:
        self._producer = producer
        self._partitions = PartitionCache()
        self._batches = BatchPublisher(producer, self._partitions)

    async def send(
        self, topic: str, key: bytes | None, value: bytes | None, headers: Headers | None = None
    ) -> None:
        await self._batches.add(topic, key, value, list(headers) if headers else None)

    async def flush(self) -> None:
        acks: list[asyncio.Future[Any]] = await self._batches.flush()
        outcomes = await asyncio.gather(*acks, return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
