"""Which send a tracking token names: ``send_tokens`` rows by ref, through a bounded LRU cache.

The sequencer writes one ``send_tokens`` row per send, in the send's own transaction; the
ingest workers and the gateway only read it, by primary key, one query per batch::

    sends = CachedSends(PgSends(settings.database_url))
    found = await sends.lookup({ref_1, ref_2})     # {ref: SendRef} for the refs that exist

A ref missing from the answer names no send of ours (bad input for the caller). Rows never
change, so a cached answer never goes stale; only refs that were found are cached.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import asyncpg

#: Sessions of the readers: read-only, and a query never waits long on a sick server.
_READER_SETTINGS = {
    "default_transaction_read_only": "on",
    "statement_timeout": "5000",
    "application_name": "leadflow-tokens",
}


@dataclass(frozen=True, slots=True)
class SendRef:
    """The send a ref names."""

    campaign_id: str
    lead_id: str
    step: int
    requested_at: datetime


class SendLookup(Protocol):
    """Resolves refs to sends; refs it does not know are absent from the answer."""

    async def lookup(self, refs: Collection[bytes]) -> dict[bytes, SendRef]: ...


class PgSends:
    """``send_tokens`` in the sequencer's database, through a small pool opened on first use.

    A worker that never sees a token never connects.
    """

    def __init__(self, database_url: str, *, max_size: int = 2) -> None:
        self._url = database_url
        self._max_size = max_size
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()

    async def lookup(self, refs: Collection[bytes]) -> dict[bytes, SendRef]:
        """One ``= ANY($1)`` query for every ref."""
        if not refs:
            return {}
        pool = await self._connected()
        rows = await pool.fetch(
            "SELECT ref, campaign_id, lead_id, step, requested_at FROM send_tokens"
            " WHERE ref = ANY($1::bytea[])",
            list(refs),
        )
        return {
            bytes(r["ref"]): SendRef(r["campaign_id"], r["lead_id"], r["step"], r["requested_at"])
            for r in rows
        }

    async def _connected(self) -> asyncpg.Pool:
        async with self._opening:
            if self._pool is None:
                pool = await asyncpg.create_pool(
                    self._url, min_size=0, max_size=self._max_size, server_settings=_READER_SETTINGS
                )
                assert pool is not None
                self._pool = pool
            return self._pool

    async def close(self) -> None:
        """Close the pool, if it was ever opened."""
        if self._pool is not None:
            await self._pool.close()
            self._pool = None


class CachedSends:
    """A bounded LRU cache of found refs in front of another lookup."""

    def __init__(self, inner: SendLookup, *, capacity: int = 100_000) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._inner = inner
        self._capacity = capacity
        self._cache: OrderedDict[bytes, SendRef] = OrderedDict()
        #: Lookups answered from the cache and from the inner lookup (for tests and metrics).
        self.hits = 0
        self.misses = 0

    async def lookup(self, refs: Collection[bytes]) -> dict[bytes, SendRef]:
        """The cached refs at once, the others in one call to the inner lookup."""
        found: dict[bytes, SendRef] = {}
        missing: list[bytes] = []
        for ref in set(refs):
            send = self._cache.get(ref)
            if send is None:
                missing.append(ref)
            else:
                self._cache.move_to_end(ref)
                found[ref] = send
        self.hits += len(found)
        self.misses += len(missing)
        if missing:
            fetched = await self._inner.lookup(missing)
            for ref, send in fetched.items():
                self._remember(ref, send)
            found.update(fetched)
        return found

    def _remember(self, ref: bytes, send: SendRef) -> None:
        self._cache[ref] = send
        self._cache.move_to_end(ref)
        while len(self._cache) > self._capacity:
            self._cache.popitem(last=False)

    def __len__(self) -> int:
        return len(self._cache)
