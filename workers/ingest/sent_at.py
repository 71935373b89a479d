"""When was the clicked email sent: the step's ``requested_at`` from the sequencer's store.

A click that carries no ``sent_at`` but names its step is timed against the moment the
sequencer requested that step (``send_log.requested_at``, keyed by ``send_id`` =
``"{campaign_id}:{lead_id}:{step}"``). The mail system sends a little later than that, so the
30-second rule errs on the person's side.

The clicks worker takes any ``SentAtLookup``: ``SendLogSentAt`` reads the sequencer's database
(read-only, one query per batch, a bounded cache), ``NoSentAt`` knows nothing (the timing rule
then only uses the events' own ``sent_at``). A database that cannot be reached makes the lookup
answer nothing for a while, with a warning: the other rules still hold.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Protocol

import asyncpg
import structlog

log = structlog.get_logger("leadflow.ingest.sent_at")

#: ``(campaign_id, lead_id, step)``.
SendKey = tuple[str, str, int]

_QUERY = "SELECT send_id, requested_at FROM send_log WHERE send_id = ANY($1::text[])"
#: How long to wait before trying an unreachable database again.
_RETRY_S = 30.0
_CACHE_SIZE = 100_000
#: A lookup gives up after this long (the clicks it times wait for it, and held clicks are due).
_TIMEOUT_S = 1.0


class SentAtLookup(Protocol):
    """When each of some sends was requested (the ones we know)."""

    async def lookup(self, sends: Collection[SendKey]) -> Mapping[SendKey, datetime]: ...

    async def close(self) -> None: ...


class NoSentAt:
    """Knows no send: the timing rule uses only the events' own ``sent_at``."""

    async def lookup(self, sends: Collection[SendKey]) -> Mapping[SendKey, datetime]:
        return {}

    async def close(self) -> None:
        return None


def send_id(key: SendKey) -> str:
    """The contract's ``send_id`` of a send."""
    campaign_id, lead_id, step = key
    return f"{campaign_id}:{lead_id}:{step}"


class SendLogSentAt:
    """Reads ``send_log.requested_at`` from the sequencer's database, with a bounded cache."""

    def __init__(self, database_url: str, *, cache_size: int = _CACHE_SIZE) -> None:
        self._url = database_url
        self._pool: asyncpg.Pool | None = None
        self._cache: OrderedDict[SendKey, datetime] = OrderedDict()
        self._cache_size = cache_size
        self._retry_at = 0.0

    async def lookup(self, sends: Collection[SendKey]) -> Mapping[SendKey, datetime]:
        found = {key: self._cache[key] for key in sends if key in self._cache}
        missing = [key for key in sends if key not in found]
        if missing:
            found.update(await self._query(missing))
        return found

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def _query(self, keys: list[SendKey]) -> dict[SendKey, datetime]:
        if time.monotonic() < self._retry_at:
            return {}
        by_id = {send_id(key): key for key in keys}
        try:
            pool = await self._connect()
            rows = await pool.fetch(_QUERY, list(by_id), timeout=_TIMEOUT_S)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as error:
            self._retry_at = time.monotonic() + _RETRY_S
            log.warning(
                "send times unavailable: the timing rule uses events' sent_at only",
                error=type(error).__name__,
                retry_in_s=_RETRY_S,
            )
            return {}
        found = {by_id[row["send_id"]]: row["requested_at"] for row in rows}
        for key, at in found.items():
            self._remember(key, at)
        return found

    async def _connect(self) -> asyncpg.Pool:
        if self._pool is None:
            self._pool = await asyncpg.create_pool(
                self._url, min_size=0, max_size=2, timeout=_TIMEOUT_S
            )
        return self._pool

    def _remember(self, key: SendKey, at: datetime) -> None:
        self._cache[key] = at
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
