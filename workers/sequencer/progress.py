"""The relay's position in Kafka: the last progress record of a committed transaction.

Each relay transaction carries, with its batch of outbox rows, a record
``{"seq": last, "epoch", "owner"}`` keyed ``relay`` on the single-partition, compacted
``{prefix}internal.relay-progress`` topic. A new leader reads it (read_committed) after its
producer fenced the previous one, and continues after it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from workers.kafka_io import make_consumer
from workers.settings import Settings
from workers.topics import Topics

PROGRESS_KEY = b"relay"
#: Records read back from the end of the progress partition to find the last position.
_PROGRESS_TAIL = 64
#: The longest a scan of the progress partition may take.
_SCAN_TIMEOUT_S = 30.0


def progress_record(seq: int, epoch: int, owner: str) -> bytes:
    """The value of a progress record."""
    return json.dumps({"seq": seq, "epoch": epoch, "owner": owner}).encode()


async def read_progress(
    settings: Settings, topics: Topics, *, beat: Callable[[], None] = lambda: None
) -> int:
    """The last outbox seq published in a committed transaction (0 when none).

    ``beat`` is called on every fetch: a long scan is progress, not a hang.
    """
    consumer: AIOKafkaConsumer = make_consumer(settings, group_id=None)
    try:
        await consumer.start()
        tp = TopicPartition(topics.relay_progress, 0)
        consumer.assign([tp])
        end = (await consumer.end_offsets([tp]))[tp]
        position = await _scan(consumer, tp, max(0, end - _PROGRESS_TAIL), end, beat)
        if position is None and end > _PROGRESS_TAIL:
            position = await _scan(consumer, tp, 0, end, beat)
        return position or 0
    finally:
        await consumer.stop()


async def _scan(
    consumer: AIOKafkaConsumer,
    tp: TopicPartition,
    start: int,
    end: int,
    beat: Callable[[], None],
) -> int | None:
    consumer.seek(tp, start)
    found: int | None = None
    deadline = asyncio.get_running_loop().time() + _SCAN_TIMEOUT_S
    while await consumer.position(tp) < end:
        if asyncio.get_running_loop().time() > deadline:
            raise KafkaError(f"relay progress unreadable up to offset {end}")
        beat()
        batch = await consumer.getmany(tp, timeout_ms=1000)
        for message in batch.get(tp, []):
            if message.key == PROGRESS_KEY and message.value:
                found = int(json.loads(message.value)["seq"])
    return found
