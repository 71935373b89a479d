"""The outbox relay: publishes outbox rows to Kafka exactly once for read_committed readers.

One relay publishes at a time, chosen by a lease in ``relay_state`` (database clock).  It owns
the transactional id ``{prefix}relay``: starting its producer fences any earlier holder (a
frozen zombie's open transaction is aborted, its later commits fail).  Each Kafka transaction
carries a batch of rows *and* a progress record ``{"seq": last}`` on the internal
``relay-progress`` topic, so the output and the relay's position commit atomically.  A new
leader reads that position (read_committed) after fencing and continues after it: nothing
committed is published twice, nothing is skipped, because outbox sequence numbers are
gap-free in commit order (see ``store.write_outbox``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import time
import uuid
from collections.abc import Callable
from typing import Any

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError, MessageSizeTooLargeError

from workers.health import Health
from workers.kafka_io import BatchPublisher, PartitionCache, make_consumer, make_producer
from workers.metrics import Metrics
from workers.sequencer.oversized import DEFAULT_MAX_RECORD_BYTES, OutRecord, fit
from workers.sequencer.waiting import pause, pause_until_woken
from workers.settings import Settings
from workers.topics import Topics

log = structlog.get_logger("leadflow.sequencer.relay").bind(worker="sequencer")

_PROGRESS_KEY = b"relay"
#: Records read back from the end of the progress partition to find the last position.
_PROGRESS_TAIL = 64
_DB_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError)


class LeaseLost(RuntimeError):
    """Another relay holds the lease now."""


def relay_owner_id() -> str:
    """A name for this relay instance, unique across restarts."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class Relay:
    """Publishes the outbox while it holds the lease; waits for it otherwise."""

    def __init__(
        self,
        *,
        pool: asyncpg.Pool,
        settings: Settings,
        metrics: Metrics,
        health: Health,
        lease_s: float = 10.0,
        batch_size: int = 5000,
        max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
    ) -> None:
        self._pool = pool
        self._settings = settings
        self._topics = Topics(settings.topic_prefix)
        self._metrics = metrics
        self._health = health
        self._lease_s = lease_s
        self._batch_size = batch_size
        self._max_record_bytes = max_record_bytes
        self.owner = relay_owner_id()
        self._wake = asyncio.Event()
        self._epoch = 0
        self._partitions = PartitionCache()
        #: The last outbox seq this leader published (read by the lease keeper).
        self._position = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Lead when the lease is free; on any failure step down, back off and try again."""
        while not stop.is_set():
            self._health.beat("relay")
            try:
                if await self._acquire():
                    await self._lead(stop)
                else:
                    await pause(stop, self._lease_s / 3)
            except MessageSizeTooLargeError:
                log.error(  # noqa: TRY400 (the cause is the setting; a traceback adds nothing)
                    "relay stepping down: the broker refused a record under max_record_bytes;"
                    " set it to at most the broker's message.max.bytes",
                    max_record_bytes=self._max_record_bytes,
                )
                await pause(stop, 1.0)
            except (LeaseLost, KafkaError, *_DB_ERRORS) as exc:
                log.warning("relay stepping down", error=repr(exc), owner=self.owner)
                await pause(stop, 1.0)
        with contextlib.suppress(*_DB_ERRORS):
            await self._release()

    async def _acquire(self) -> bool:
        epoch = await self._pool.fetchval(
            "UPDATE relay_state SET owner = $1,"
            " lease_until = clock_timestamp() + make_interval(secs => $2),"
            " epoch = epoch + (owner IS DISTINCT FROM $1)::int"
            " WHERE owner IS NULL OR owner = $1 OR lease_until < clock_timestamp()"
            " RETURNING epoch",
            self.owner,
            self._lease_s,
        )
        if epoch is None:
            return False
        self._epoch = int(epoch)
        return True

    async def _renew(self) -> None:
        renewed = await self._pool.fetchval(
            "UPDATE relay_state SET lease_until = clock_timestamp() + make_interval(secs => $2)"
            " WHERE owner = $1 AND epoch = $3 RETURNING 1",
            self.owner,
            self._lease_s,
            self._epoch,
        )
        if renewed is None:
            raise LeaseLost(f"relay lease taken over (epoch {self._epoch})")

    async def _release(self) -> None:
        await self._pool.execute(
            "UPDATE relay_state SET owner = NULL, lease_until = NULL WHERE owner = $1", self.owner
        )

    async def _lead(self, stop: asyncio.Event) -> None:
        producer = make_producer(
            self._settings, transactional_id=f"{self._settings.topic_prefix}relay", linger_ms=0
        )
        listener: asyncpg.Connection | None = None
        try:
            await producer.start()  # InitProducerId: fences the previous holder of the id
            self._partitions = PartitionCache()
            listener = await asyncpg.connect(self._settings.database_url)
            await listener.add_listener("leadflow_outbox", self._on_notify)
            self._health.beat("relay")
            position = await read_progress(
                self._settings, self._topics, beat=lambda: self._health.beat("relay")
            )
            log.info("relay leading", owner=self.owner, epoch=self._epoch, position=position)
            await self._publish_loop(stop, producer, position)
        finally:
            if listener is not None:
                with contextlib.suppress(*_DB_ERRORS):
                    await listener.close()
            with contextlib.suppress(KafkaError):
                await producer.stop()

    def _on_notify(self, *_args: Any) -> None:
        self._wake.set()

    async def _publish_loop(
        self, stop: asyncio.Event, producer: AIOKafkaProducer, position: int
    ) -> None:
        self._position = position
        # Lease renewal and outbox trimming run beside the publishing, never in its way: a
        # trim of thousands of published rows would otherwise hold every new row back.
        keeper = asyncio.create_task(self._keep_lease(stop))
        keeper.add_done_callback(lambda _: self._wake.set())
        try:
            while not stop.is_set():
                if keeper.done():
                    keeper.result()  # LeaseLost or a database error: step down
                    return
                self._health.beat("relay")
                self._wake.clear()
                rows = await self._pool.fetch(
                    "SELECT seq, topic, key, value, headers FROM outbox WHERE seq > $1"
                    " ORDER BY seq LIMIT $2",
                    self._position,
                    self._batch_size,
                )
                if rows:
                    self._position = await self._publish(producer, rows)
                else:
                    await pause_until_woken(stop, self._wake, self._lease_s / 3)
        finally:
            keeper.cancel()
            await asyncio.gather(keeper, return_exceptions=True)

    async def _keep_lease(self, stop: asyncio.Event) -> None:
        """Renew the lease and note the published position every third of the lease."""
        while not stop.is_set():
            await pause(stop, self._lease_s / 3)
            if stop.is_set():
                return
            await self._renew()
            await self._record_progress(self._position)

    async def _publish(self, producer: AIOKafkaProducer, rows: list[asyncpg.Record]) -> int:
        """Publish ``rows`` and the new progress record in one Kafka transaction."""
        started = time.perf_counter()
        last = int(rows[-1]["seq"])
        progress = json.dumps({"seq": last, "epoch": self._epoch, "owner": self.owner}).encode()
        async with producer.transaction():
            batches = BatchPublisher(producer, self._partitions)
            for row in rows:
                record = fit(
                    _out_record(row), limit=self._max_record_bytes, dlq_topic=self._topics.dlq
                )
                if record.topic != row["topic"] or record.value is not row["value"]:
                    log.error(
                        "outbox row over the size limit: truncated to the DLQ", seq=row["seq"]
                    )
                await batches.add(record.topic, record.key, record.value, record.headers)
            await batches.add(self._topics.relay_progress, _PROGRESS_KEY, progress, None)
            # aiokafka fails only the affected batch's future on a non-retriable error (the
            # transaction itself would commit): every delivery must succeed before the commit,
            # and any failure aborts the transaction, progress record included.
            await asyncio.gather(*await batches.flush())
        self._metrics.relayed.inc(len(rows))
        log.debug(
            "relayed", rows=len(rows), seq=last, took_s=round(time.perf_counter() - started, 4)
        )
        return last

    async def _record_progress(self, position: int) -> None:
        """Note the position in the database (advisory) and trim rows published for good."""
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "UPDATE relay_state SET relayed_seq = $1 WHERE owner = $2", position, self.owner
            )
            await conn.execute("DELETE FROM outbox WHERE seq <= $1", position)
            last = await conn.fetchval("SELECT last_seq FROM outbox_sequence")
        self._metrics.outbox_backlog.set(max(0, int(last) - position))


def _out_record(row: asyncpg.Record) -> OutRecord:
    key = row["key"].encode() if row["key"] is not None else None
    raw = row["headers"]
    headers = None if raw is None else [(k, v.encode()) for k, v in json.loads(raw)]
    return OutRecord(row["topic"], key, row["value"], headers)


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
    deadline = asyncio.get_running_loop().time() + 30.0
    while await consumer.position(tp) < end:
        if asyncio.get_running_loop().time() > deadline:
            raise KafkaError(f"relay progress unreadable up to offset {end}")
        beat()
        batch = await consumer.getmany(tp, timeout_ms=1000)
        for message in batch.get(tp, []):
            if message.key == _PROGRESS_KEY and message.value:
                found = int(json.loads(message.value)["seq"])
    return found
