"""Relay leadership: one database session per replica, an advisory lock per shard it leads.

A replica's relay keeps one connection of its own (``RelaySession``). On it, it holds

- a *member* lock (``pg_try_advisory_lock(MEMBER_LOCK_CLASS, n)``): the count of member locks
  in the database is how many replicas relay, so each leads at most its fair share of shards;
- a *shard* lock for each shard it leads. Only the session holding a shard's lock may lead it.

Session locks are released the moment the session ends: a replica killed with SIGKILL loses its
connection, the server its locks, and another replica takes the shard at its next poll (about
a second). A replica frozen with SIGSTOP keeps its TCP connection, so the session carries
``idle_session_timeout`` = the lease length: the server ends a session that sent nothing for
that long (the holder pings it every third of it) and the frozen replica's locks are released.
Leading a shard bumps its epoch in ``relay_shards`` (``ShardLease``): a deposed leader notices it
at its next renewal (and its Kafka producer is fenced by the new leader anyway), and cannot
note a position by mistake.

A session is one *owner* (``relay_owner_id``, new for every session): the relay's Kafka
transactional id is ``{prefix}relay-{owner}`` (``relay.Relay``). A shard handed over cleanly
(``let_go``) is recorded as led by nobody; one whose session ended otherwise still names its
owner, and its next leader fences that owner's producer before reading the shard's position.
Joining and handing over are announced on ``store.RELAY_CHANNEL``, so the other sessions act
at once instead of at their next poll.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import uuid
from collections.abc import Iterable
from typing import Any

import asyncpg

from workers.sequencer import store


def fair_share(shards: int, members: int) -> int:
    """How many shards one of ``members`` relaying replicas may lead (rounded up)."""
    return -(-shards // max(1, members))


def surplus(held: Iterable[int], fair: int) -> list[int]:
    """The shards to hand over to lead ``fair`` of ``held``: the highest ones, descending."""
    ordered = sorted(held, reverse=True)
    return ordered[: max(0, len(ordered) - fair)]


class LeaseLost(RuntimeError):
    """Another relay leads the shard now (or this replica's session ended)."""


def relay_owner_id() -> str:
    """A name for this relay instance, unique across restarts."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class RelaySession:
    """This replica's leadership connection: member lock, shard locks, notifications.

    asyncpg runs one statement at a time per connection: every use goes through one lock.
    """

    def __init__(self, conn: asyncpg.Connection, owner: str) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self.owner = owner
        #: The shards this session holds the lock of.
        self.held: set[int] = set()

    @classmethod
    async def open(cls, url: str, *, lease_s: float, owner: str) -> RelaySession:
        """Connect, with the idle timeout that frees a frozen replica's locks."""
        conn = await asyncpg.connect(
            url,
            server_settings={
                **store.SERVER_SETTINGS,
                "idle_session_timeout": str(int(lease_s * 1000)),
            },
        )
        session = cls(conn, owner)
        try:
            while not await store.try_lock(conn, store.MEMBER_LOCK_CLASS, random.getrandbits(31)):
                pass  # the same random member key held by another replica: draw again
        except BaseException:
            await conn.close()
            raise
        return session

    async def add_listener(self, channel: str, callback: Any) -> None:
        await self._conn.add_listener(channel, callback)

    async def announce(self) -> None:
        """Tell the other sessions this one is ready to lead (they count members at once)."""
        async with self._lock:
            await store.announce_member(self._conn)

    async def members(self) -> int:
        """How many replicas relay now (this one included); also keeps the session alive."""
        async with self._lock:
            return max(1, await store.count_members(self._conn))

    async def try_lead(self, shard: int) -> bool:
        """Take the shard's lock when free; True when this session holds it now."""
        async with self._lock:
            if not await store.try_lock(self._conn, store.SHARD_LOCK_CLASS, shard):
                return False
        self.held.add(shard)
        return True

    async def let_go(self, shard: int) -> None:
        """Hand the shard over cleanly: led by nobody, lock released, the others told.

        Only after the last transaction that held the shard's rows committed: its next leader
        fences nobody.
        """
        self.held.discard(shard)
        async with self._lock:
            await store.release_shard(self._conn, shard, self.owner)

    async def previous(self, shard: int) -> tuple[str | None, bool]:
        """The shard's recorded owner before this session takes it, and whether it was
        released cleanly (``store.shard_owner``)."""
        async with self._lock:
            return await store.shard_owner(self._conn, shard)

    async def take(self, shard: int) -> int:
        """Record this replica as the shard's relay; the new epoch."""
        async with self._lock:
            return await store.take_shard(self._conn, shard, self.owner)

    async def still_holds(self, shard: int, epoch: int) -> bool:
        async with self._lock:
            return await store.holds_shard(self._conn, shard, self.owner, epoch)

    async def close(self) -> None:
        """End the session: every lock it holds is released by the server."""
        self.held.clear()
        await self._conn.close()


class ShardLease:
    """This replica's leadership of one shard, at one epoch."""

    def __init__(self, session: RelaySession, shard: int, *, lease_s: float) -> None:
        self._session = session
        self.shard = shard
        self._lease_s = lease_s
        self.owner = session.owner
        self.epoch = 0

    async def take(self) -> None:
        """Start leading (the caller holds the shard's lock): the epoch grows by one."""
        self.epoch = await self._session.take(self.shard)

    async def renew(self) -> None:
        """Raise ``LeaseLost`` when another relay took the shard since (or the session died)."""
        if not await self._session.still_holds(self.shard, self.epoch):
            raise LeaseLost(f"relay shard {self.shard} taken over (epoch {self.epoch})")
