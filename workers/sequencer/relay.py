"""The outbox relays: publish outbox rows to Kafka exactly once for read_committed readers.

The outbox is split into ``relay_shards`` shards by the record key's hash (``store.shard_of``);
each shard is published by one replica at a time, the one whose leadership session holds the
shard's advisory lock (``lease.RelaySession``), so N replicas publish through up to N relays.
A replica leads at most its fair share of the shards (shards / relaying replicas, rounded up)
and hands the surplus over when another replica joins.

A shard's relay owns the transactional id ``{prefix}relay-{shard}`` (``{prefix}relay`` for
shard 0): starting its producer fences any earlier holder (a frozen zombie's open transaction
is aborted, its later commits fail). Each Kafka transaction carries a batch of the shard's rows
*and* the shard's progress record on the internal ``relay-progress`` topic (``progress.py``),
so the output and the position commit atomically. A new leader reads that position after
fencing and continues after it: nothing committed is published twice, nothing is skipped,
because a shard's sequence numbers are gap-free in commit order (``store.write_outbox``), and a
lead's records are all in one shard, in order. Every delivery is awaited before the commit, and
a row too large for the broker is published as a truncated DLQ copy (``oversized.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
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
from workers.sequencer.lease import LeaseLost, RelaySession, ShardLease, relay_owner_id
from workers.sequencer.progress import (
    progress_key,
    progress_record,
    read_progress,
    transactional_id,
)
from workers.sequencer.settings import SequencerSettings
from workers.sequencer.waiting import pause, pause_until_woken
from workers.settings import Settings
from workers.topics import Topics

log = structlog.get_logger("leadflow.sequencer.relay")

_DB_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError)
#: Errors after which a shard's relay steps down, backs off and tries to lead again.
_STEP_DOWN = (LeaseLost, KafkaError, *_DB_ERRORS)


class _StepAside(Exception):
    """This replica leads more than its fair share: hand this shard over."""


class Relay:
    """Publishes the outbox shards this replica leads; looks for free ones otherwise."""

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
        self.owner = relay_owner_id()
        shards = range(self._tuning.relay_shards)
        self._wakes = {shard: asyncio.Event() for shard in shards}
        self._partitions = {shard: PartitionCache() for shard in shards}
        #: The last outbox seq published per shard this replica leads.
        self._positions = dict.fromkeys(shards, 0)
        #: How many shards this replica may lead (shards / relaying replicas, rounded up).
        self._fair = self._tuning.relay_shards

    async def run(self, stop: asyncio.Event) -> None:
        """Open a leadership session and run a loop per shard; on a lost session, start over."""
        while not stop.is_set():
            self._health.beat(self.name)
            session: RelaySession | None = None
            try:
                session = await RelaySession.open(
                    self._settings.database_url, lease_s=self._tuning.lease_s, owner=self.owner
                )
                await session.add_listener(store.OUTBOX_CHANNEL, self._on_notify)
                async with self._pool.acquire() as conn:
                    await store.ensure_shards(conn, self._tuning.relay_shards)
                async with asyncio.TaskGroup() as shards:
                    shards.create_task(self._count_members(stop, session))
                    for shard in self._wakes:
                        shards.create_task(self._shard_loop(stop, session, shard))
            except* _DB_ERRORS as group:
                errors = [repr(e) for e in group.exceptions]
                log.warning("relay session lost", errors=errors, owner=self.owner)
                await pause(stop, self._tuning.relay_retry_s)
            finally:
                if session is not None:
                    with contextlib.suppress(*_DB_ERRORS):
                        await session.close()

    async def _count_members(self, stop: asyncio.Event, session: RelaySession) -> None:
        """Keep the fair share up to date (and the session alive)."""
        while not stop.is_set():
            members = await session.members()
            self._fair = math.ceil(self._tuning.relay_shards / members)
            await pause(stop, self._tuning.shard_poll_s)

    async def _shard_loop(self, stop: asyncio.Event, session: RelaySession, shard: int) -> None:
        """Lead ``shard`` whenever its lock is free and this replica is under its share."""
        while not stop.is_set():
            self._health.beat(self.name)
            if len(session.held) >= self._fair or not await session.try_lead(shard):
                await pause(stop, self._tuning.shard_poll_s)
                continue
            retry = self._tuning.relay_retry_s
            try:
                await self._lead(stop, session, shard)
            except* _StepAside:
                log.info("relay shard handed over", shard=shard, owner=self.owner)
                retry = self._tuning.shard_poll_s
            except* MessageSizeTooLargeError:
                log.error(  # noqa: TRY400 (the cause is the setting; a traceback adds nothing)
                    "relay stepping down: the broker refused a record under max_record_bytes;"
                    " set it to at most the broker's message.max.bytes",
                    max_record_bytes=self._tuning.max_record_bytes,
                )
            except* _STEP_DOWN as group:
                errors = [repr(e) for e in group.exceptions]
                log.warning("relay stepping down", shard=shard, errors=errors, owner=self.owner)
            finally:
                with contextlib.suppress(*_DB_ERRORS):
                    await session.let_go(shard)
            await pause(stop, retry)

    async def _lead(self, stop: asyncio.Event, session: RelaySession, shard: int) -> None:
        """Fence the shard's previous leader, find its position, publish until deposed."""
        lease = ShardLease(session, shard, lease_s=self._tuning.lease_s)
        producer = make_producer(
            self._settings,
            transactional_id=transactional_id(self._settings.topic_prefix, shard),
            linger_ms=0,
        )
        try:
            await lease.take()
            await producer.start()  # InitProducerId: fences the previous holder of the id
            self._partitions[shard] = PartitionCache()
            self._health.beat(self.name)
            self._positions[shard] = await read_progress(
                self._settings,
                self._topics,
                shard=shard,
                beat=lambda: self._health.beat(self.name),
            )
            log.info(
                "relay leading",
                shard=shard,
                owner=self.owner,
                epoch=lease.epoch,
                position=self._positions[shard],
            )
            # The lease is kept beside the publishing, never in its way; losing it cancels
            # the publishing (the new leader's producer fences this one anyway).
            async with asyncio.TaskGroup() as leading:
                leading.create_task(self._keep(stop, session, lease))
                leading.create_task(self._publish_loop(stop, producer, lease))
        finally:
            with contextlib.suppress(KafkaError):
                await producer.stop()

    async def _keep(self, stop: asyncio.Event, session: RelaySession, lease: ShardLease) -> None:
        """Every third of the lease: renew, note the position, hand a surplus shard over."""
        while not stop.is_set():
            await pause(stop, self._tuning.renew_every_s)
            if stop.is_set():
                return
            await lease.renew()
            async with self._pool.acquire() as conn:
                await store.record_relayed(
                    conn, lease.shard, self._positions[lease.shard], lease.owner, lease.epoch
                )
            if len(session.held) > self._fair and lease.shard == max(session.held):
                raise _StepAside(lease.shard)

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        """Wake the relays of the shards a commit wrote to (``store.ADVANCE_OUTBOX_SHARDS``)."""
        for shard in store.notified_shards(payload, len(self._wakes)):
            self._wakes[shard].set()

    async def _publish_loop(
        self, stop: asyncio.Event, producer: AIOKafkaProducer, lease: ShardLease
    ) -> None:
        shard = lease.shard
        wake = self._wakes[shard]
        while not stop.is_set():
            self._health.beat(self.name)
            wake.clear()
            async with self._pool.acquire() as conn:
                rows = await store.fetch_outbox(
                    conn, shard, self._positions[shard], self._tuning.relay_batch
                )
            if rows:
                self._positions[shard] = await self._publish(producer, lease, rows)
            else:
                await pause_until_woken(stop, wake, self._tuning.renew_every_s)

    async def _publish(
        self, producer: AIOKafkaProducer, lease: ShardLease, rows: list[asyncpg.Record]
    ) -> int:
        """Publish ``rows`` and the shard's new progress record in one Kafka transaction."""
        started = time.perf_counter()
        last = int(rows[-1]["seq"])
        progress = progress_record(last, lease.epoch, lease.owner)
        async with producer.transaction():
            batches = BatchPublisher(producer, self._partitions[lease.shard])
            limit = self._tuning.max_record_bytes
            for topic, key, value, headers, seq in rows:
                raw_key = None if key is None else key.encode()
                if headers is None and _surely_fits(raw_key, value, limit):
                    await batches.add(topic, raw_key, value, None)
                    continue
                record = self._fitted(_out_record(topic, raw_key, value, headers), seq)
                await batches.add(record.topic, record.key, record.value, record.headers)
            await batches.add(
                self._topics.relay_progress, progress_key(lease.shard), progress, None
            )
            # aiokafka fails only the affected batch's future on a non-retriable error (the
            # transaction itself would commit): every delivery must succeed before the commit,
            # and any failure aborts the transaction, progress record included.
            await asyncio.gather(*await batches.flush())
        self._metrics.relayed.inc(len(rows))
        log.debug(
            "relayed",
            shard=lease.shard,
            rows=len(rows),
            seq=last,
            took_s=round(time.perf_counter() - started, 4),
        )
        return last

    def _fitted(self, record: OutRecord, seq: int) -> OutRecord:
        """The record within the size limit (a truncated DLQ copy when over it)."""
        fitted = fit(record, limit=self._tuning.max_record_bytes, dlq_topic=self._topics.dlq)
        if fitted is not record:
            log.error("outbox row over the size limit: truncated to the DLQ", seq=seq)
        return fitted


#: A batch of one record without headers is its key and value plus at most this many bytes
#: (61 of batch header, the record's own varints and attributes): far below the limit, the
#: exact estimate (``oversized.record_size``, a tenth of the relay's time per row) is skipped.
_SURE_OVERHEAD = 256


def _surely_fits(key: bytes | None, value: bytes | None, limit: int) -> bool:
    return len(value or b"") + len(key or b"") + _SURE_OVERHEAD <= limit


def _out_record(topic: str, key: bytes | None, value: bytes | None, raw: str | None) -> OutRecord:
    headers = None if raw is None else [(k, v.encode()) for k, v in json.loads(raw)]
    return OutRecord(topic, key, value, headers)
