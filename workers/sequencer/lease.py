"""The relay's lease: which replica publishes the outbox, and since which epoch.

One row of ``relay_state`` holds the owner and the lease's end, on the database's clock (the
one clock every replica shares). A relay leads while it holds the lease; it renews it every
third of its length and notes there how far it has published (advisory: the truth is the
progress record in Kafka). The epoch grows whenever the lease changes hands, so a relay that
lost it cannot renew it or note progress by mistake.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import Callable

import asyncpg

from workers.sequencer import store
from workers.sequencer.waiting import pause


class LeaseLost(RuntimeError):
    """Another relay holds the lease now."""


def relay_owner_id() -> str:
    """A name for this relay instance, unique across restarts."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class RelayLease:
    """This replica's claim on the relay lease."""

    def __init__(self, pool: asyncpg.Pool, *, lease_s: float, owner: str | None = None) -> None:
        self._pool = pool
        self._lease_s = lease_s
        self.owner = owner or relay_owner_id()
        #: The epoch of the lease while this replica holds it.
        self.epoch = 0

    async def acquire(self) -> bool:
        """Take the lease when it is free, expired or already ours; True when held."""
        async with self._pool.acquire() as conn:
            epoch = await store.acquire_lease(conn, self.owner, self._lease_s)
        if epoch is None:
            return False
        self.epoch = epoch
        return True

    async def renew(self) -> None:
        """Extend the lease; raise ``LeaseLost`` when another relay took it."""
        async with self._pool.acquire() as conn:
            if not await store.renew_lease(conn, self.owner, self._lease_s, self.epoch):
                raise LeaseLost(f"relay lease taken over (epoch {self.epoch})")

    async def release(self) -> None:
        """Give the lease up, so another replica can lead at once."""
        async with self._pool.acquire() as conn:
            await store.release_lease(conn, self.owner)

    async def keep(self, stop: asyncio.Event, position: Callable[[], int]) -> None:
        """While leading: renew every third of the lease and note the published ``position``.

        Runs beside the publishing, never in its way. Raises ``LeaseLost`` (or a database
        error) when the lease cannot be kept: the relay then steps down.
        """
        while not stop.is_set():
            await pause(stop, self._lease_s / 3)
            if stop.is_set():
                return
            await self.renew()
            async with self._pool.acquire() as conn:
                await store.record_relayed(conn, position(), self.owner, self.epoch)
