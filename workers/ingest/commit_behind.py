"""Offset commits that run behind the loop: one at a time, in order, while the next batch runs.

An ingest loop commits a batch's offsets only once every output of the batch is acknowledged;
from then on the commit can no longer lose an event, so nothing needs to wait for it but the
next commit, a revocation and a stop. Awaiting it held every batch for a round trip to the group
coordinator, ~5 ms of which is its append linger (``group.coordinator.append.linger.ms``):
7 ms p50, 22 ms p99 per batch on a local broker.

Used by ``worker.IngestLoop`` (replies, bookings) and the clicks worker's loop::

    await commits.settle()      # the previous commit has ended (its error is raised here)
    commits.start(offsets)      # this one runs while the caller goes on
    ...
    await commits.settle()      # on revocation and stop: wait for it
    await commits.abandon()     # after a failure: let it end, ignore its error
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Offsets = TypeVar("Offsets")


class CommitBehind(Generic[Offsets]):
    """At most one commit running at a time; its error surfaces at the next ``settle``."""

    def __init__(self, commit: Callable[[Offsets], Awaitable[None]]) -> None:
        """``commit`` commits the offsets and handles the errors it may ignore."""
        self._commit = commit
        self._running: asyncio.Future[None] | None = None

    @property
    def running(self) -> bool:
        """Whether a commit was started and not yet settled."""
        return self._running is not None

    def start(self, offsets: Offsets) -> None:
        """Start committing ``offsets``; do not wait. The previous commit must be settled."""
        if self._running is not None:
            raise RuntimeError("a commit is still running: settle it first (commits stay in order)")
        self._running = asyncio.ensure_future(self._commit(offsets))

    async def settle(self) -> None:
        """Wait for the running commit, if any, and raise its error."""
        running, self._running = self._running, None
        if running is not None:
            await running

    async def abandon(self) -> None:
        """After a failure: let the running commit end; its own error no longer matters."""
        running, self._running = self._running, None
        if running is not None:
            await asyncio.gather(running, return_exceptions=True)
