"""The outbox relay: publish outbox rows to Kafka exactly once for read_committed readers.

The outbox is split into ``relay_shards`` shards by the record key's hash (``store.shard_of``);
each shard is published by one replica at a time, the one whose leadership session holds the
shard's advisory lock (``lease.RelaySession``), so N replicas publish through up to N relays.
A replica leads at most its fair share of the shards (shards / relaying replicas, rounded up)
and hands the surplus over as soon as another replica joins.

A replica's session is one *owner* (new for each session) with one transactional producer,
id ``{prefix}relay-{owner}``, and one publish loop for every shard it leads: each Kafka
transaction carries the rows of all its shards that have new ones *and* one progress record per
such shard on the internal ``relay-progress`` topic (``progress.py``), so the output and the
positions commit atomically, and the transactions scale with replicas, not shards.

Taking a shard: its lock, then, when its last leader did not hand it over cleanly (killed,
frozen, lost its session), a fence: starting and stopping a producer with that owner's
transactional id aborts its open transaction (rows of other shards included: their progress
records were in it too) and makes its later commits fail; the id an earlier release published
the shard under (``progress.legacy_transactional_id``) is fenced as well. Then the shard's
position is read (``progress.read_progresses``) and the shard joins the publish loop. Nothing
committed is published twice, nothing is skipped, because a shard's sequence numbers are
gap-free in commit order (``store.write_outbox``), and a lead's records are all in one shard,
in order. Handing a shard over: it leaves the publish loop under the lock a transaction holds,
then it is released as led by nobody, so its next leader fences nobody. A failed transaction
(a fenced producer included) ends the session without any clean hand-over: the replica starts
over with a new owner and producer, and its shards' next leaders fence the old one. Every
delivery is awaited before the commit, and a row too large for the broker is published as a
truncated DLQ copy (``oversized.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Iterable
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
from workers.sequencer.lease import (
    LeaseLost,
    RelaySession,
    ShardLease,
    fair_share,
    relay_owner_id,
    surplus,
)
from workers.sequencer.progress import (
    legacy_transactional_id,
    progress_key,
    progress_record,
    read_progresses,
    transactional_id,
)
from workers.sequencer.settings import SequencerSettings
from workers.sequencer.waiting import pause, pause_until_woken
from workers.settings import Settings
from workers.topics import Topics

log = structlog.get_logger("leadflow.sequencer.relay")

_DB_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError)
#: Errors after which the relay session starts over (new owner, new producer).
_START_OVER = (LeaseLost, KafkaError, *_DB_ERRORS)
#: A surplus must show on two member counts this far apart before it is handed over, so a
#: replica seen for a moment (a session that opens and fails at once) takes nothing away.
_CONFIRM_S = 0.1


class _Led:
    """A shard this session publishes: its lease (epoch) and last published seq."""

    __slots__ = ("lease", "position")

    def __init__(self, lease: ShardLease, position: int) -> None:
        self.lease = lease
        self.position = position


class Relay:
    """Publishes the outbox shards this replica leads in one transaction per batch."""

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
        #: The current session's owner (a new one for each session).
        self.owner = ""
        #: Rows were written to a shard this session publishes.
        self._wake = asyncio.Event()
        #: A relay session joined or a shard was handed over: count the members again.
        self._changed = asyncio.Event()
        #: The shards this session publishes; changed only under ``_txn``, which every
        #: transaction holds from its fetch to its commit.
        self._led: dict[int, _Led] = {}
        self._txn = asyncio.Lock()
        #: A transaction of this session failed: no clean hand-over any more.
        self._broken = False
        self._partitions = PartitionCache()

    async def run(self, stop: asyncio.Event) -> None:
        """Open a leadership session and publish; on any failure, start over with a new one."""
        while not stop.is_set():
            self._health.beat(self.name)
            try:
                await self._session(stop)
            except* MessageSizeTooLargeError:
                log.error(  # noqa: TRY400 (the cause is the setting; a traceback adds nothing)
                    "relay starting over: the broker refused a record under max_record_bytes;"
                    " set it to at most the broker's message.max.bytes",
                    max_record_bytes=self._tuning.max_record_bytes,
                )
            except* _START_OVER as group:
                errors = [repr(e) for e in group.exceptions]
                log.warning("relay starting over", errors=errors, owner=self.owner)
            else:
                continue
            await pause(stop, self._tuning.relay_retry_s)

    async def _session(self, stop: asyncio.Event) -> None:
        """One owner: its session, its producer, its shards; hands them over when stopped."""
        self.owner = relay_owner_id()
        self._led, self._broken, self._partitions = {}, False, PartitionCache()
        prefix = self._settings.topic_prefix
        producer = make_producer(
            self._settings, transactional_id=transactional_id(prefix, self.owner), linger_ms=0
        )
        session: RelaySession | None = None
        try:
            session = await RelaySession.open(
                self._settings.database_url, lease_s=self._tuning.lease_s, owner=self.owner
            )
            await session.add_listener(store.OUTBOX_CHANNEL, self._on_outbox)
            await session.add_listener(store.RELAY_CHANNEL, self._on_change)
            async with self._pool.acquire() as conn:
                await store.ensure_shards(conn, self._tuning.relay_shards)
            await producer.start()
            await session.announce()
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(self._steer(stop, session))
                tasks.create_task(self._keep(stop, session))
                tasks.create_task(self._publish_loop(stop, producer))
            await producer.stop()  # every transaction is done: hand the shards over cleanly
            for shard in sorted(self._led):
                await self._hand_over(session, shard)
        finally:
            with contextlib.suppress(KafkaError):
                await producer.stop()
            if session is not None:
                with contextlib.suppress(*_DB_ERRORS):
                    await session.close()

    async def _steer(self, stop: asyncio.Event, session: RelaySession) -> None:
        """Lead the fair share: hand a confirmed surplus over, take free shards under it."""
        seen: list[int] = []
        while not stop.is_set():
            self._health.beat(self.name)
            self._changed.clear()
            fair = fair_share(self._tuning.relay_shards, await session.members())
            over = surplus(session.held, fair)
            if over and over == seen:
                for shard in over:
                    await self._hand_over(session, shard)
                over = []
            seen = over
            if len(session.held) < fair:
                await self._take_free(session, fair)
            if seen:
                await pause(stop, _CONFIRM_S)
            else:
                await pause_until_woken(stop, self._changed, self._tuning.shard_poll_s)

    async def _take_free(self, session: RelaySession, fair: int) -> None:
        """Lock free shards up to the fair share, then take them all at once."""
        locked: list[int] = []
        for shard in range(self._tuning.relay_shards):
            if len(session.held) >= fair:
                break
            if shard not in session.held and await session.try_lead(shard):
                locked.append(shard)
        if locked:
            await self._take(session, locked)

    async def _take(self, session: RelaySession, shards: list[int]) -> None:
        """Fence the shards' unclean previous owners, read their positions, publish them."""
        fences: set[str] = set()
        prefix = self._settings.topic_prefix
        for shard in shards:
            owner, clean = await session.previous(shard)
            if owner is not None and owner != self.owner:
                fences.add(transactional_id(prefix, owner))
            if not clean:
                fences.add(legacy_transactional_id(prefix, shard))
        await asyncio.gather(*(self._fence(fenced) for fenced in sorted(fences)))
        lease_s = self._tuning.lease_s
        leases = {shard: ShardLease(session, shard, lease_s=lease_s) for shard in shards}
        for lease in leases.values():
            await lease.take()
        self._health.beat(self.name)
        positions = await read_progresses(
            self._settings, self._topics, shards=shards, beat=lambda: self._health.beat(self.name)
        )
        async with self._txn:
            for shard, lease in leases.items():
                self._led[shard] = _Led(lease, positions[shard])
        self._wake.set()
        log.info(
            "relay leading",
            shards=shards,
            owner=self.owner,
            fenced=len(fences),
            positions=[positions[s] for s in shards],
        )

    async def _fence(self, fenced: str) -> None:
        """InitProducerId on ``fenced``: its open transaction is aborted, its commits fail."""
        producer = make_producer(self._settings, transactional_id=fenced, linger_ms=0)
        try:
            await producer.start()
        finally:
            with contextlib.suppress(KafkaError):
                await producer.stop()

    async def _hand_over(self, session: RelaySession, shard: int) -> None:
        """Stop publishing ``shard`` (no transaction holds it now or later), release it."""
        async with self._txn:
            if self._broken:  # its last transaction may be undecided: leave it to a fence
                raise LeaseLost(f"relay shard {shard}: a transaction failed, no clean hand-over")
            self._led.pop(shard, None)
        await session.let_go(shard)
        log.info("relay shard handed over", shard=shard, owner=self.owner)

    async def _keep(self, stop: asyncio.Event, session: RelaySession) -> None:
        """Every third of the lease: check each shard's epoch, note its position.

        It also keeps the session alive (``idle_session_timeout``) while the steering waits
        on a take: a long read of the positions must not end the session.
        """
        while not stop.is_set():
            await pause(stop, self._tuning.renew_every_s)
            if stop.is_set():
                return
            await session.members()
            for shard, led in list(self._led.items()):
                if not await session.still_holds(shard, led.lease.epoch):
                    if self._led.get(shard) is led:  # not handed over meanwhile
                        raise LeaseLost(f"relay shard {shard} taken over ({led.lease.epoch})")
                    continue
                async with self._pool.acquire() as conn:
                    await store.record_relayed(
                        conn, shard, led.position, self.owner, led.lease.epoch
                    )

    def _on_outbox(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        """Wake the publish loop when a commit wrote to a shard it publishes."""
        if any(s in self._led for s in store.notified_shards(payload, self._tuning.relay_shards)):
            self._wake.set()

    def _on_change(self, _conn: Any, _pid: int, _channel: str, _payload: str) -> None:
        """A session joined or a shard was handed over: steer at once."""
        self._changed.set()

    async def _publish_loop(self, stop: asyncio.Event, producer: AIOKafkaProducer) -> None:
        while not stop.is_set():
            self._health.beat(self.name)
            self._wake.clear()
            async with self._txn:
                published = await self._publish_next(producer)
            if not published:
                await pause_until_woken(stop, self._wake, self._tuning.renew_every_s)

    async def _publish_next(self, producer: AIOKafkaProducer) -> bool:
        """Publish the next rows of every shard led (the caller holds ``_txn``); any?"""
        if not self._led:
            return False
        positions = {shard: led.position for shard, led in self._led.items()}
        async with self._pool.acquire() as conn:
            rows = await store.fetch_outbox(conn, positions, self._tuning.relay_batch)
        if not rows:
            return False
        try:
            last = await self._publish(producer, rows)
        except BaseException:
            self._broken = True
            raise
        for shard, seq in last.items():
            self._led[shard].position = seq
        return True

    async def _publish(
        self, producer: AIOKafkaProducer, rows: list[asyncpg.Record]
    ) -> dict[int, int]:
        """Publish ``rows`` and their shards' progress records in one Kafka transaction."""
        started = time.perf_counter()
        last = last_seqs((row[0], row[-1]) for row in rows)
        async with producer.transaction():
            batches = BatchPublisher(producer, self._partitions)
            limit = self._tuning.max_record_bytes
            for _shard, topic, key, value, headers, seq in rows:
                raw_key = None if key is None else key.encode()
                if headers is None and _surely_fits(raw_key, value, limit):
                    await batches.add(topic, raw_key, value, None)
                    continue
                record = self._fitted(_out_record(topic, raw_key, value, headers), seq)
                await batches.add(record.topic, record.key, record.value, record.headers)
            for shard, seq in last.items():
                progress = progress_record(seq, self._led[shard].lease.epoch, self.owner)
                await batches.add(self._topics.relay_progress, progress_key(shard), progress, None)
            # aiokafka fails only the affected batch's future on a non-retriable error (the
            # transaction itself would commit): every delivery must succeed before the commit,
            # and any failure aborts the transaction, progress records included.
            await asyncio.gather(*await batches.flush())
        self._metrics.relayed.inc(len(rows))
        log.debug(
            "relayed",
            shards=len(last),
            rows=len(rows),
            took_s=round(time.perf_counter() - started, 4),
        )
        return last

    def _fitted(self, record: OutRecord, seq: int) -> OutRecord:
        """The record within the size limit (a truncated DLQ copy when over it)."""
        fitted = fit(record, limit=self._tuning.max_record_bytes, dlq_topic=self._topics.dlq)
        if fitted is not record:
            log.error("outbox row over the size limit: truncated to the DLQ", seq=seq)
        return fitted


def last_seqs(rows: Iterable[tuple[int, int]]) -> dict[int, int]:
    """The last seq of each shard in ``rows`` of (shard, seq), in seq order per shard."""
    return dict(rows)


#: A batch of one record without headers is its key and value plus at most this many bytes
#: (61 of batch header, the record's own varints and attributes): far below the limit, the
#: exact estimate (``oversized.record_size``, a tenth of the relay's time per row) is skipped.
_SURE_OVERHEAD = 256


def _surely_fits(key: bytes | None, value: bytes | None, limit: int) -> bool:
    return len(value or b"") + len(key or b"") + _SURE_OVERHEAD <= limit


def _out_record(topic: str, key: bytes | None, value: bytes | None, raw: str | None) -> OutRecord:
    headers = None if raw is None else [(k, v.encode()) for k, v in json.loads(raw)]
    return OutRecord(topic, key, value, headers)
