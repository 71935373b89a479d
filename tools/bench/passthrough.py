"""The raw limit: a plain aiokafka consume→produce loop with the workers' client settings.

``python -m tools.bench.passthrough SOURCE TARGET`` (broker and prefix from ``LEADFLOW_*``)
copies every record of SOURCE to TARGET unchanged: no validation and no logic, but the same
batch shape as an ingest worker (``getmany`` of up to 2,000 records, send all, await every
acknowledgement, commit), the same idempotent ``acks=all`` producer and read_committed consumer.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Mapping, Sequence

from aiokafka import AIOKafkaProducer, ConsumerRecord, TopicPartition

from workers.kafka_io import make_consumer, make_producer
from workers.settings import Settings

_MAX_BATCH_RECORDS = 2000


async def passthrough(settings: Settings, source: str, target: str, stop: asyncio.Event) -> None:
    """Copy ``source`` to ``target`` until ``stop`` is set."""
    producer = make_producer(settings)
    consumer = make_consumer(
        settings,
        group_id=f"{settings.topic_prefix}passthrough",
        max_poll_records=_MAX_BATCH_RECORDS,
    )
    consumer.subscribe([source])
    try:
        await producer.start()
        await consumer.start()
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=250)
            if batch:
                await _forward(producer, target, batch)
                await consumer.commit({tp: records[-1].offset + 1 for tp, records in batch.items()})
    finally:
        await consumer.stop()
        await producer.stop()


async def _forward(
    producer: AIOKafkaProducer,
    target: str,
    batch: Mapping[TopicPartition, Sequence[ConsumerRecord[bytes, bytes]]],
) -> None:
    acks = [
        await producer.send(target, record.value, key=record.key)
        for records in batch.values()
        for record in records
    ]
    await asyncio.gather(*acks)


async def _main(source: str, target: str) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await passthrough(Settings(), source, target, stop)


if __name__ == "__main__":
    asyncio.run(_main(sys.argv[1], sys.argv[2]))
