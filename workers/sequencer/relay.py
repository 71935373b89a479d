"""The outbox relay: publishes outbox rows to Kafka exactly once for read_committed readers.

One relay publishes at a time: the holder of the lease (``lease.RelayLease``). It owns the
transactional id ``{prefix}relay``: starting its producer fences any earlier holder (a frozen
zombie's open transaction is aborted, its later commits fail). Each Kafka transaction carries
a batch of rows *and* a progress record on the internal ``relay-progress`` topic
(``progress.py``), so the output and the relay's position commit atomically. A new leader
reads that position after fencing and continues after it: nothing committed is published
twice, nothing is skipped, because outbox sequence numbers are gap-free in commit order (see
``store.write_outbox``). Every delivery is awaited before the commit, and a row too large for
the broker is published as a truncated DLQ copy (``oversized.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError, MessageSizeTooLargeError

from workers.health import Health
from workers.kafka_io import BatchPublisher, PartitionCache, make_producer
from workers.metrics import Metrics
from workers.oversized import OutRecord, fit
from workers.sequencer import store
from workers.sequencer.lease import LeaseLost, RelayLease
from workers.sequencer.progress import PROGRESS_KEY, progress_record, read_progress
from workers.sequencer.settings import SequencerSettings
from workers.sequencer.waiting import pause, pause_until_woken
from workers.settings import Settings
from workers.topics import Topics

log = structlog.get_logger("leadflow.sequencer.relay")

_DB_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError)
#: Errors after which the relay steps down, backs off and tries to lead again.
_STEP_DOWN = (LeaseLost, KafkaError, *_DB_ERRORS)


class Relay:
    """Publishes the outbox while it holds the lease; waits for it otherwise."""

    name = "relay"

    def __init__(
        self,
        *,
        pool: asyncpg.Pool,
        settings: Settings,
        metrics: Metrics,
        health: Health,
        tuning: SequencerSettings | None = None,
    ) -> None:
        self._pool = pool
        self._settings = settings
        self._tuning = tuning or SequencerSettings()
        self._topics = Topics(settings.topic_prefix)
        self._metrics = metrics
        self._health = health
        self.lease = RelayLease(pool, lease_s=self._tuning.lease_s)
        self._wake = asyncio.Event()
        self._partitions = PartitionCache()
        #: The last outbox seq this leader published (noted in the lease by its keeper).
        self._position = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Lead when the lease is free; on any failure step down, back off and try again."""
        while not stop.is_set():
            self._health.beat(self.name)
            try:
                if await self.lease.acquire():
                    await self._lead(stop)
                else:
                    await pause(stop, self._tuning.renew_every_s)
            except* MessageSizeTooLargeError:
                log.error(  # noqa: TRY400 (the cause is the setting; a traceback adds nothing)
                    "relay stepping down: the broker refused a record under max_record_bytes;"
                    " set it to at most the broker's message.max.bytes",
                    max_record_bytes=self._tuning.max_record_bytes,
                )
                await pause(stop, self._tuning.relay_retry_s)
            except* _STEP_DOWN as group:
                errors = [repr(e) for e in group.exceptions]
                log.warning("relay stepping down", errors=errors, owner=self.lease.owner)
                await pause(stop, self._tuning.relay_retry_s)
        with contextlib.suppress(*_DB_ERRORS):
            await self.lease.release()

    async def _lead(self, stop: asyncio.Event) -> None:
        """Fence the previous leader, find the position, publish until stopped or deposed."""
        producer = make_producer(
            self._settings, transactional_id=f"{self._settings.topic_prefix}relay", linger_ms=0
        )
        listener: asyncpg.Connection | None = None
        try:
            await producer.start()  # InitProducerId: fences the previous holder of the id
            self._partitions = PartitionCache()
            listener = await asyncpg.connect(self._settings.database_url)
            await listener.add_listener(store.OUTBOX_CHANNEL, self._on_notify)
            self._health.beat(self.name)
            self._position = await read_progress(
                self._settings, self._topics, beat=lambda: self._health.beat(self.name)
            )
            log.info(
                "relay leading",
                owner=self.lease.owner,
                epoch=self.lease.epoch,
                position=self._position,
            )
            # The lease is kept beside the publishing, never in its way; losing it cancels
            # the publishing (the new leader's producer fences this one anyway).
            async with asyncio.TaskGroup() as leading:
                leading.create_task(self.lease.keep(stop, lambda: self._position))
                leading.create_task(self._publish_loop(stop, producer))
        finally:
            if listener is not None:
                with contextlib.suppress(*_DB_ERRORS):
                    await listener.close()
            with contextlib.suppress(KafkaError):
                await producer.stop()

    def _on_notify(self, *_args: Any) -> None:
        self._wake.set()

    async def _publish_loop(self, stop: asyncio.Event, producer: AIOKafkaProducer) -> None:
        while not stop.is_set():
            self._health.beat(self.name)
            self._wake.clear()
            async with self._pool.acquire() as conn:
                rows = await store.fetch_outbox(conn, self._position, self._tuning.relay_batch)
            if rows:
                self._position = await self._publish(producer, rows)
            else:
                await pause_until_woken(stop, self._wake, self._tuning.renew_every_s)

    async def _publish(self, producer: AIOKafkaProducer, rows: list[asyncpg.Record]) -> int:
        """Publish ``rows`` and the new progress record in one Kafka transaction."""
        started = time.perf_counter()
        last = int(rows[-1]["seq"])
        progress = progress_record(last, self.lease.epoch, self.lease.owner)
        async with producer.transaction():
            batches = BatchPublisher(producer, self._partitions)
            for row in rows:
                record = self._fitted(row)
                await batches.add(record.topic, record.key, record.value, record.headers)
            await batches.add(self._topics.relay_progress, PROGRESS_KEY, progress, None)
            # aiokafka fails only the affected batch's future on a non-retriable error (the
            # transaction itself would commit): every delivery must succeed before the commit,
            # and any failure aborts the transaction, progress record included.
            await asyncio.gather(*await batches.flush())
        self._metrics.relayed.inc(len(rows))
        log.debug(
            "relayed", rows=len(rows), seq=last, took_s=round(time.perf_counter() - started, 4)
        )
        return last

    def _fitted(self, row: asyncpg.Record) -> OutRecord:
        """The row as a record within the size limit (a truncated DLQ copy when over it)."""
        record = _out_record(row)
        fitted = fit(record, limit=self._tuning.max_record_bytes, dlq_topic=self._topics.dlq)
        if fitted is not record:
            log.error("outbox row over the size limit: truncated to the DLQ", seq=row["seq"])
        return fitted


def _out_record(row: asyncpg.Record) -> OutRecord:
    key = row["key"].encode() if row["key"] is not None else None
    raw = row["headers"]
    headers = None if raw is None else [(k, v.encode()) for k, v in json.loads(raw)]
    return OutRecord(row["topic"], key, row["value"], headers)
