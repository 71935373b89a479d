"""The aiokafka adapters keep the ports' promises (with stand-ins for aiokafka's clients)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiokafka import TopicPartition
from aiokafka.errors import CommitFailedError, KafkaTimeoutError

from workers.kafka_ports import KafkaPublisher, KafkaSource
from workers.ports import CommitRefused, Partition


class Builder:
    """A record batch builder that takes any number of records."""

    def __init__(self) -> None:
        self.records: list[bytes | None] = []

    def append(
        self, *, timestamp: None, key: bytes | None, value: bytes | None, headers: Any
    ) -> object:
        self.records.append(value)
        return object()


class Producer:
    """Answers the batches it is sent with ``acks``, in order (the test resolves them)."""

    def __init__(self, batches: int) -> None:
        loop = asyncio.get_running_loop()
        self.acks: list[asyncio.Future[None]] = [loop.create_future() for _ in range(batches)]
        self.sent = 0

    async def partitions_for(self, topic: str) -> set[int]:
        return {0, 1}

    def create_batch(self) -> Builder:
        return Builder()

    async def send_batch(
        self, builder: Builder, topic: str, *, partition: int
    ) -> asyncio.Future[None]:
        self.sent += 1
        return self.acks[self.sent - 1]


class TestKafkaPublisher:
    async def test_flush_raises_the_first_delivery_error(self) -> None:
        """One failed batch among acknowledged ones makes ``flush`` raise it."""
        producer = Producer(batches=2)
        publisher = KafkaPublisher(producer)
        await publisher.send("t.commands", b"c-42:l-7", b"{}")
        await publisher.send("t.dlq", None, b"bad")
        producer.acks[0].set_exception(KafkaTimeoutError())
        producer.acks[1].set_result(None)
        with pytest.raises(KafkaTimeoutError):
            await publisher.flush()

    async def test_flush_waits_for_every_batch_after_a_failure(self) -> None:
        """A failed batch does not end the wait while another batch is still unanswered."""
        producer = Producer(batches=2)
        publisher = KafkaPublisher(producer)
        await publisher.send("t.commands", b"c-42:l-7", b"{}")
        await publisher.send("t.dlq", None, b"bad")
        producer.acks[0].set_exception(KafkaTimeoutError())
        flushing = asyncio.create_task(publisher.flush())
        done, _ = await asyncio.wait({flushing}, timeout=0.05)
        producer.acks[1].set_result(None)
        with pytest.raises(KafkaTimeoutError):
            await flushing
        assert set() == done

    async def test_flush_returns_when_every_batch_is_acknowledged(self) -> None:
        """``flush`` returns once every batch is acknowledged, and sends each batch once."""
        producer = Producer(batches=2)
        publisher = KafkaPublisher(producer)
        await publisher.send("t.commands", b"c-42:l-7", b"{}")
        await publisher.send("t.dlq", None, b"bad")
        for ack in producer.acks:
            ack.set_result(None)
        await publisher.flush()
        assert 2 == producer.sent


class Consumer:
    """Refuses every commit as after a rebalance."""

    def __init__(self) -> None:
        self.offsets: dict[TopicPartition, int] = {}

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.offsets = offsets
        raise CommitFailedError("rebalanced")


class TestKafkaSource:
    async def test_refused_commit_becomes_commit_refused(self) -> None:
        """aiokafka's CommitFailedError reaches the loop as the port's ``CommitRefused``."""
        consumer = Consumer()
        source = KafkaSource(consumer, "t.events.replies")
        with pytest.raises(CommitRefused):
            await source.commit({Partition("t.events.replies", 2): 8})
        assert {TopicPartition("t.events.replies", 2): 8} == consumer.offsets
