"""The relay's position in Kafka: the last progress record of a committed transaction.

Each relay transaction carries, with its batch of outbox rows, a record
``{"seq": last, "epoch", "owner"}`` keyed by its relay shard (``relay`` for shard 0,
``relay-{n}`` for shard n) on the single-partition, compacted ``{prefix}internal.relay-progress``
topic. A shard's new leader reads its record (read_committed) after fencing the previous
leader's producer, and continues after it. A transaction may span shards: it then holds one
progress record per shard it published rows of.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Collection

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from workers.kafka_io import make_consumer
from workers.settings import Settings
from workers.topics import Topics

PROGRESS_KEY = b"relay"
#: Records read back from the end of the progress partition to find the last position (the
#: shards' records interleave; a shard not found there is looked for from the beginning).
_PROGRESS_TAIL = 256


def progress_key(shard: int) -> bytes:
    """The key of a shard's progress records (shard 0 keeps the single relay's key)."""
    return PROGRESS_KEY if shard == 0 else f"relay-{shard}".encode()


def transactional_id(prefix: str, owner: str) -> str:
    """The Kafka transactional id of a relay session (``lease.relay_owner_id``)."""
    return f"{prefix}relay-{owner}"


def legacy_transactional_id(prefix: str, shard: int) -> str:
    """The id an earlier release's relay published ``shard`` under (0: the single relay's)."""
    return f"{prefix}relay" if shard == 0 else f"{prefix}relay-{shard}"


#: The longest a scan of the progress partition may take.
_SCAN_TIMEOUT_S = 30.0


def progress_record(seq: int, epoch: int, owner: str) -> bytes:
    """The value of a progress record."""
    return json.dumps({"seq": seq, "epoch": epoch, "owner": owner}).encode()


async def read_progress(
    settings: Settings,
    topics: Topics,
    *,
    shard: int = 0,
    beat: Callable[[], None] = lambda: None,
) -> int:
    """The last seq of ``shard`` published in a committed transaction (0 when none)."""
    return (await read_progresses(settings, topics, shards=[shard], beat=beat))[shard]


async def read_progresses(
    settings: Settings,
    topics: Topics,
    *,
    shards: Collection[int],
    beat: Callable[[], None] = lambda: None,
) -> dict[int, int]:
    """The last seq of each of ``shards`` published in a committed transaction (0 when none).

    The scan (read_committed) goes up to the partition's high watermark, not to its last
    stable offset: it waits until every transaction with records before it has ended. A
    transaction whose commit was acknowledged may still be without its markers for a moment (a
    cleanly handed-over shard's last one, whose producer nobody fences); read up to the last
    stable offset, its progress record would be missed and its rows published again.
    ``beat`` is called on every fetch: a long scan is progress, not a hang.
    """
    tp = TopicPartition(topics.relay_progress, 0)
    end = await _high_watermark(settings, tp)
    consumer: AIOKafkaConsumer = make_consumer(settings, group_id=None)
    try:
        await consumer.start()
        consumer.assign([tp])
        # (also the metadata the scan needs; a committed end is never past the watermark)
        end = max(end, (await consumer.end_offsets([tp]))[tp])
        keys = {progress_key(shard) for shard in shards}
        found = await _scan(consumer, tp, max(0, end - _PROGRESS_TAIL), end, beat)
        if not keys <= found.keys() and end > _PROGRESS_TAIL:
            found = await _scan(consumer, tp, 0, end, beat)
        return {shard: found.get(progress_key(shard), 0) for shard in shards}
    finally:
        await consumer.stop()


async def _high_watermark(settings: Settings, tp: TopicPartition) -> int:
    """The partition's end offset for read_uncommitted readers (open transactions included)."""
    consumer: AIOKafkaConsumer = make_consumer(
        settings, group_id=None, isolation_level="read_uncommitted"
    )
    try:
        await consumer.start()
        consumer.assign([tp])
        return int((await consumer.end_offsets([tp]))[tp])
    finally:
        await consumer.stop()


async def read_positions(settings: Settings, topics: Topics) -> dict[int, int]:
    """Every shard's last published seq, from the whole progress partition."""
    consumer: AIOKafkaConsumer = make_consumer(settings, group_id=None)
    try:
        await consumer.start()
        tp = TopicPartition(topics.relay_progress, 0)
        consumer.assign([tp])
        end = (await consumer.end_offsets([tp]))[tp]
        found = await _scan(consumer, tp, 0, end, lambda: None)
        return {_shard_of_key(key): seq for key, seq in found.items()}
    finally:
        await consumer.stop()


async def _scan(
    consumer: AIOKafkaConsumer,
    tp: TopicPartition,
    start: int,
    end: int,
    beat: Callable[[], None],
) -> dict[bytes, int]:
    consumer.seek(tp, start)
    found: dict[bytes, int] = {}
    deadline = asyncio.get_running_loop().time() + _SCAN_TIMEOUT_S
    while await consumer.position(tp) < end:
        if asyncio.get_running_loop().time() > deadline:
            raise KafkaError(f"relay progress unreadable up to offset {end}")
        beat()
        batch = await consumer.getmany(tp, timeout_ms=1000)
        for message in batch.get(tp, []):
            if message.key is not None and message.value:
                found[message.key] = int(json.loads(message.value)["seq"])
    return found


def _shard_of_key(key: bytes) -> int:
    return 0 if key == PROGRESS_KEY else int(key.decode().rsplit("-", 1)[1])
