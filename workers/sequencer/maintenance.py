"""Housekeeping beside the real work: forgetting old command ids and send tokens, trimming
the outbox.

Each is a loop of its own, in short statements, so none ever holds the timers or the relay
back. All are safe on every replica at once: a row two replicas try to delete is deleted once,
and the second delete finds nothing.
"""

from __future__ import annotations

import asyncio

import asyncpg
import structlog

from workers.metrics import Metrics
from workers.sequencer import store
from workers.sequencer.settings import SequencerSettings
from workers.sequencer.waiting import pause

log = structlog.get_logger("leadflow.sequencer.maintenance")

_DB_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError)


class _Pruner:
    """Deletes expired rows ``prune_chunk`` at a time: the next chunk at once while chunks come
    back full, else after ``prune_every_s``. A subclass names its rows and its delete."""

    name: str
    #: What the log lines call the rows ("inbox", "send tokens").
    rows: str

    def __init__(self, pool: asyncpg.Pool, tuning: SequencerSettings) -> None:
        self._pool = pool
        self._tuning = tuning

    async def run(self, stop: asyncio.Event) -> None:
        """Prune a chunk; the next one at once while chunks come back full, else later."""
        while not stop.is_set():
            pruned = await self.prune_once()
            if pruned < self._tuning.prune_chunk:
                await pause(stop, self._tuning.prune_every_s)
            else:
                await asyncio.sleep(0)  # let the other loops in between two chunks

    async def prune_once(self) -> int:
        """Delete one chunk of expired rows; how many (0 when the database failed)."""
        try:
            async with self._pool.acquire() as conn:
                pruned = await self._delete(conn, self._tuning.prune_chunk)
        except _DB_ERRORS as exc:
            log.warning(f"{self.rows} not pruned; trying later", error=type(exc).__name__)
            return 0
        if pruned:
            log.info(f"{self.rows} pruned", removed=pruned)
        return pruned

    async def _delete(self, conn: store.Conn, limit: int) -> int:
        raise NotImplementedError


class InboxPruner(_Pruner):
    """Forgets command ids older than ``inbox_keep_days``, ``prune_chunk`` at a time.

    The keep time must exceed the commands topic's retention: a command id still on the topic
    must be remembered, or its replay would apply it twice.
    """

    name = "inbox-pruner"
    rows = "inbox"

    async def _delete(self, conn: store.Conn, limit: int) -> int:
        return await store.prune_inbox(conn, keep_days=self._tuning.inbox_keep_days, limit=limit)


class SendTokenPruner(_Pruner):
    """Forgets sends requested more than ``send_tokens_keep_days`` ago (``send_tokens``).

    The keep time is how long a send's tracking token (and Message-ID) still resolves: replies
    and clicks can come months after an email. ``send_log`` is not pruned: it guards against a
    second request of a send, forever.
    """

    name = "send-token-pruner"
    rows = "send tokens"

    async def _delete(self, conn: store.Conn, limit: int) -> int:
        keep_days = self._tuning.send_tokens_keep_days
        return await store.prune_send_tokens(conn, keep_days=keep_days, limit=limit)


class OutboxTrimmer:
    """Deletes outbox rows published for good (at or below the relay's noted position).

    A shard's relay notes its position in ``relay_shards`` only after the Kafka transaction holding
    those rows committed, so a trimmed row is never needed again; the position read from Kafka
    by a new leader is at least the noted one.
    """

    name = "outbox-trimmer"

    def __init__(self, pool: asyncpg.Pool, tuning: SequencerSettings, metrics: Metrics) -> None:
        self._pool = pool
        self._tuning = tuning
        self._metrics = metrics

    async def run(self, stop: asyncio.Event) -> None:
        """Trim, then wait ``trim_every_s``."""
        while not stop.is_set():
            await self.trim_once()
            await pause(stop, self._tuning.trim_every_s)

    async def trim_once(self) -> int:
        """Delete the published rows, update the backlog gauge; how many rows were deleted."""
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                trimmed, backlog = await store.trim_outbox(conn)
        except _DB_ERRORS as exc:
            log.warning("outbox not trimmed; trying later", error=type(exc).__name__)
            return 0
        self._metrics.outbox_backlog.set(backlog)
        return trimmed
