"""Thin aiokafka adapters every worker uses: clients, the dead-letter queue, lag metrics."""

from __future__ import annotations

import asyncio
import functools
import importlib
from collections.abc import Iterable
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.partitioner import DefaultPartitioner, murmur2

from workers.dlq import dead_letter_headers
from workers.metrics import Metrics
from workers.oversized import DEFAULT_MAX_RECORD_BYTES, OutRecord, fit
from workers.settings import Settings

#: Producer batches up to this many bytes per partition (aiokafka's default is 16 KiB).
_MAX_BATCH_BYTES = 512 * 1024
#: A fetch waits at most this long for data; aiokafka's 500 ms default adds its full value to
#: the latency of every stage that idles between records.
_FETCH_MAX_WAIT_MS = 10
#: The fetch wait of consumers off the event path (the campaign and suppression topics). The
#: broker answers a waiting fetch as soon as a record arrives; what a longer wait can delay is
#: a partition whose records were buffered while a fetch for the others was in flight (aiokafka
#: keeps one fetch per broker), and a worker's start (an empty partition's first fetch returns
#: only after the wait): at most this, once. An idle consumer with 10 ms sends ~100 empty
#: fetches a second, ~80 ms of CPU a second in aiokafka alone (~9 ms/s with 100 ms); an idle
#: fleet (replies + sequencer) used 100-106 ms/s of CPU in the sequencer instead of 156-175,
#: and 112-121 ms/s in the broker instead of 180-195.
SIDE_FETCH_MAX_WAIT_MS = 100
#: The event path's consumers (an ingest worker's events, the sequencer's commands) ask the
#: broker to hold a fetch until this much has arrived or the fetch wait (10 ms) has passed.
#: With aiokafka's default (1 byte) a stream of 1,000 events/s is fetched a few records at a
#: time, and every fetch becomes a batch downstream: a produce request, an offset commit, a
#: sequencer transaction, a relay transaction. Held, a fetch takes what 10 ms brought: at
#: most ~100 fetches (batches) a second per consumer, each at most 10 ms later than at once;
#: a backlog (more than this per fetch) is answered at once, as before.
EVENT_FETCH_MIN_BYTES = 64 * 1024


@functools.lru_cache(maxsize=1 << 16)
def _key_hash(key: bytes) -> int:
    return int(murmur2(key)) & 0x7FFFFFFF


def lead_partitioner(key: bytes | None, all_partitions: list[int], available: list[int]) -> int:
    """Kafka's default partitioner (murmur2, as the contract says), with the hash memoized.

    aiokafka's murmur2 is pure Python and costs a few microseconds per record; a lead's
    result, status and sends share one key, so most hashes are repeats.
    """
    if key is None:
        return int(DefaultPartitioner()(key, all_partitions, available))
    return all_partitions[_key_hash(key) % len(all_partitions)]


def make_producer(
    settings: Settings, *, transactional_id: str | None = None, linger_ms: int = 5
) -> AIOKafkaProducer:
    """An idempotent ``acks=all`` producer (transactional when ``transactional_id`` is set)."""
    options: dict[str, Any] = {
        **settings.kafka_client_options(),
        "acks": "all",
        "enable_idempotence": True,
        "linger_ms": linger_ms,
        "max_batch_size": _MAX_BATCH_BYTES,
        "request_timeout_ms": 30000,
        "partitioner": lead_partitioner,
        # also the wait after CONCURRENT_TRANSACTIONS between back-to-back transactions
        "retry_backoff_ms": 20,
    }
    if transactional_id is not None:
        options["transactional_id"] = transactional_id
    return AIOKafkaProducer(**options)


def make_consumer(
    settings: Settings,
    *,
    group_id: str | None,
    isolation_level: str = "read_committed",
    fetch_max_wait_ms: int = _FETCH_MAX_WAIT_MS,
    fetch_min_bytes: int = 1,
    **extra: Any,
) -> AIOKafkaConsumer:
    """A consumer that never auto-commits: workers commit after their output is acknowledged.

    ``fetch_max_wait_ms``: ``SIDE_FETCH_MAX_WAIT_MS`` for a consumer off the event path;
    ``fetch_min_bytes``: ``EVENT_FETCH_MIN_BYTES`` for one on it.
    """
    return AIOKafkaConsumer(
        **settings.kafka_client_options(),
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level=isolation_level,
        fetch_max_wait_ms=fetch_max_wait_ms,
        fetch_min_bytes=fetch_min_bytes,
        max_partition_fetch_bytes=4 * 1024 * 1024,
        fetch_max_bytes=16 * 1024 * 1024,
        **extra,
    )


class DeadLetters:
    """Publishes bad input to the DLQ unchanged, with the contract's error headers."""

    def __init__(self, producer: AIOKafkaProducer, *, topic: str, worker: str) -> None:
        self._producer = producer
        self._topic = topic
        self._worker = worker

    async def send(self, record: ConsumerRecord[bytes, bytes], error: str) -> asyncio.Future[Any]:
        """Queue ``record`` for the DLQ; await the returned future for the acknowledgement."""
        headers = dead_letter_headers(record, error, worker=self._worker)
        copy = OutRecord(self._topic, record.key, record.value, headers)
        # A near-limit input's copy with headers may not fit: it goes truncated (oversized.py).
        fitted = fit(
            copy, limit=DEFAULT_MAX_RECORD_BYTES, dlq_topic=self._topic, worker=self._worker
        )
        future: asyncio.Future[Any] = await self._producer.send(
            self._topic, fitted.value, key=fitted.key, headers=fitted.headers
        )
        return future


async def record_lag(
    consumer: AIOKafkaConsumer, metrics: Metrics, worker: str, partitions: Iterable[TopicPartition]
) -> int:
    """Update the lag gauge of each partition from the consumer's fetch metadata; return the sum.

    Partitions not fetched yet (no high watermark known) count as unknown, not as caught up:
    the caller's readiness must not rely on them.
    """
    total = 0
    for tp in partitions:
        highwater = consumer.highwater(tp)
        if highwater is None:
            continue
        position = await consumer.position(tp)
        lag = max(0, highwater - position)
        metrics.consumer_lag.labels(worker, tp.topic, str(tp.partition)).set(lag)
        total += lag
    return total


async def partitions_of(
    consumer: AIOKafkaConsumer, topic: str, *, timeout_s: float = 30.0
) -> list[TopicPartition]:
    """Every partition of ``topic``, after refreshing the consumer's metadata if needed."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        partitions = consumer.partitions_for_topic(topic)
        if partitions:
            return [TopicPartition(topic, p) for p in sorted(partitions)]
        if asyncio.get_running_loop().time() > deadline:
            raise RuntimeError(f"topic {topic} not found: run `leadflow setup`")
        # aiokafka offers no public way to track a topic's metadata before assigning it.
        await consumer._client.add_topic(topic)
        await asyncio.sleep(0.05)


class BatchPublisher:
    """Records grouped into one aiokafka batch per topic-partition, kept in order.

    ``send_batch`` skips aiokafka's per-record future and accumulator work, which dominated
    the relay's and the ingest workers' profiles. ``flush`` returns one future per batch: all
    of them resolved means every record is acknowledged.
    """

    def __init__(self, producer: AIOKafkaProducer, partitions: PartitionCache) -> None:
        self._producer = producer
        self._partitions = partitions
        self._open: dict[tuple[str, int], Any] = {}
        self._sent: list[asyncio.Future[Any]] = []

    async def add(
        self,
        topic: str,
        key: bytes | None,
        value: bytes | None,
        headers: list[tuple[str, bytes]] | None,
    ) -> None:
        partition = lead_partitioner(key, await self._partitions.of(self._producer, topic), [])
        slot = (topic, partition)
        builder = self._open.get(slot)
        if builder is None:
            builder = self._open[slot] = self._producer.create_batch()
        if builder.append(timestamp=None, key=key, value=value, headers=headers) is None:
            self._sent.append(await self._producer.send_batch(builder, topic, partition=partition))
            builder = self._open[slot] = self._producer.create_batch()
            builder.append(timestamp=None, key=key, value=value, headers=headers)

    async def flush(self) -> list[asyncio.Future[Any]]:
        """Queue every open batch; return the futures of all batches sent since the start."""
        for (topic, partition), builder in self._open.items():
            self._sent.append(await self._producer.send_batch(builder, topic, partition=partition))
        self._open.clear()
        sent, self._sent = self._sent, []
        return sent


class PartitionCache:
    """Each topic's partitions, looked up once (a new cache after a restart or takeover)."""

    def __init__(self) -> None:
        self._known: dict[str, list[int]] = {}

    async def of(self, producer: AIOKafkaProducer, topic: str) -> list[int]:
        known = self._known.get(topic)
        if known is None:
            known = self._known[topic] = sorted(await producer.partitions_for(topic))
        return known


#: aiokafka modules that import ``get_running_loop`` from ``aiokafka.util`` by name: patching
#: ``aiokafka.util`` alone leaves their own reference to the slow lookup.
_LOOP_LOOKUP_MODULES = (
    "aiokafka.util",
    "aiokafka.client",
    "aiokafka.conn",
    "aiokafka.consumer.consumer",
    "aiokafka.consumer.subscription_state",
    "aiokafka.producer.message_accumulator",
    "aiokafka.producer.producer",
)

#: The wait before retrying a transaction's start when the last one is still completing.
TRANSACTION_RETRY_S = 0.002


def install_aiokafka_patches() -> None:
    """Adjust two aiokafka internals; called once at start-up, before any client is made.

    Idempotent. Raises RuntimeError when aiokafka no longer has what is patched, so an
    upgrade that moves them fails loudly instead of silently losing the effect.
    """
    _fast_running_loop()
    _short_wait_between_transactions()


def _fast_running_loop() -> None:
    """Make aiokafka find the running loop with ``asyncio.get_running_loop``.

    aiokafka's ``util.get_running_loop`` goes through ``asyncio.get_event_loop`` and a check,
    and it runs for every future aiokafka creates: one per produced record batch append. In a
    profile of the sequencer it was 7.5% of all samples. The replacement has the same contract
    (the running loop, RuntimeError outside one). Every module that imported the function by
    name gets the replacement too.
    """
    for name in _LOOP_LOOKUP_MODULES:
        module = importlib.import_module(name)
        if not hasattr(module, "get_running_loop"):
            raise RuntimeError(f"{name}.get_running_loop is gone: review install_aiokafka_patches")
        module.get_running_loop = asyncio.get_running_loop  # type: ignore[attr-defined]


def _short_wait_between_transactions(seconds: float = TRANSACTION_RETRY_S) -> None:
    """Retry sooner when a transaction starts before the last one's markers are written.

    After a commit the coordinator writes the transaction markers; a new transaction's
    AddPartitionsToTxn sent before they are written gets CONCURRENT_TRANSACTIONS, and aiokafka
    then sleeps a fixed ``sender.BACKOFF_OVERRIDE`` (20 ms) before it retries. The relay runs
    transactions back to back whenever output waits, so many of them paid those 20 ms:
    300 back-to-back transactions of 5 records took p90 22.6 ms each with it, 4.1 ms with 2 ms
    (local broker). The retry is one small request to the coordinator; aiokafka reads the
    module's global at each response, so setting it takes effect at once.
    """
    sender = importlib.import_module("aiokafka.producer.sender")
    if not hasattr(sender, "BACKOFF_OVERRIDE"):
        raise RuntimeError("aiokafka.producer.sender.BACKOFF_OVERRIDE is gone")
    sender.BACKOFF_OVERRIDE = seconds  # type: ignore[attr-defined]
