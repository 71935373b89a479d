"""aiokafka against the pinned broker: every client feature the fleet relies on."""

from __future__ import annotations

import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import ProducerFenced

from tools.infra.kafka import kafka_version
from workers.settings import Settings
from workers.setup_cmd import await_topics


async def _topic(settings: Settings, partitions: int = 1) -> str:
    name = f"{settings.topic_prefix}compat-{uuid.uuid4().hex[:6]}"
    admin = AIOKafkaAdminClient(**settings.kafka_client_options())
    try:
        await admin.start()
        await admin.create_topics([NewTopic(name, partitions, 1)])
        await await_topics(admin, [name])
        assert name in await admin.list_topics()
    finally:
        await admin.close()
    return name


async def _read_all(settings: Settings, topic: str, isolation: str) -> list[bytes]:
    consumer = AIOKafkaConsumer(
        **settings.kafka_client_options(),
        isolation_level=isolation,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    try:
        await consumer.start()
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        end = (await consumer.end_offsets([tp]))[tp]
        values: list[bytes] = []
        while await consumer.position(tp) < end:
            batch = await consumer.getmany(tp, timeout_ms=1000)
            values += [m.value for m in batch.get(tp, []) if m.value is not None]
        return values
    finally:
        await consumer.stop()


class TestPinnedBroker:
    """The broker version and aiokafka release pinned by the project work together."""

    def test_pinned_version_is_kafka_4(self) -> None:
        """The pinned broker is a Kafka 4.x release (KRaft only)."""
        assert kafka_version().startswith("4.")

    async def test_idempotent_producer_and_group_commit(self, settings: Settings) -> None:
        """An idempotent acks=all producer's records are read by a group that commits."""
        topic = await _topic(settings, partitions=2)
        producer = AIOKafkaProducer(
            **settings.kafka_client_options(), enable_idempotence=True, acks="all"
        )
        await producer.start()
        for i in range(10):
            await producer.send_and_wait(topic, f"v{i}".encode(), key=f"k{i}".encode())
        await producer.stop()
        group = f"g-{uuid.uuid4().hex[:6]}"
        consumer = AIOKafkaConsumer(
            topic,
            **settings.kafka_client_options(),
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )
        await consumer.start()
        seen: list[bytes] = []
        while len(seen) < 10:
            batch = await consumer.getmany(timeout_ms=1000)
            seen += [m.value for msgs in batch.values() for m in msgs if m.value]
        await consumer.commit()
        committed = [await consumer.committed(tp) for tp in consumer.assignment()]
        await consumer.stop()
        assert sorted(seen) == sorted(f"v{i}".encode() for i in range(10))
        assert sum(c or 0 for c in committed) == 10

    async def test_transactions_hide_aborted_records(self, settings: Settings) -> None:
        """A read_committed consumer sees committed transactions and never aborted ones."""
        topic = await _topic(settings)
        producer = AIOKafkaProducer(
            **settings.kafka_client_options(), transactional_id=f"tx-{uuid.uuid4().hex[:6]}"
        )
        await producer.start()
        async with producer.transaction():
            await producer.send_and_wait(topic, b"committed")
        await producer.begin_transaction()
        await producer.send_and_wait(topic, b"aborted")
        await producer.abort_transaction()
        await producer.stop()
        assert await _read_all(settings, topic, "read_committed") == [b"committed"]
        assert await _read_all(settings, topic, "read_uncommitted") == [b"committed", b"aborted"]

    async def test_new_producer_fences_zombie(self, settings: Settings) -> None:
        """A second producer with the same transactional id fences the first one's transaction."""
        topic = await _topic(settings)
        txid = f"tx-{uuid.uuid4().hex[:6]}"
        zombie = AIOKafkaProducer(**settings.kafka_client_options(), transactional_id=txid)
        await zombie.start()
        await zombie.begin_transaction()
        await zombie.send_and_wait(topic, b"zombie")
        successor = AIOKafkaProducer(**settings.kafka_client_options(), transactional_id=txid)
        await successor.start()
        async with successor.transaction():
            await successor.send_and_wait(topic, b"successor")
        with pytest.raises(ProducerFenced):
            await zombie.commit_transaction()
        await successor.stop()
        await zombie.stop()
        assert await _read_all(settings, topic, "read_committed") == [b"successor"]
