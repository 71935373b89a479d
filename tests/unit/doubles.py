"""In-memory doubles of the loops' narrow interfaces (``workers.ports``), as httpx's MockTransport.

Both write to a shared ``journal`` so a test can state the order of what happened::

    journal: list[str] = []
    source = InMemorySource([batch], journal=journal)
    publisher = InMemoryPublisher(journal=journal)
    ...
    assert ["send commands", "flush: 1 acknowledged", "commit"] == journal
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from workers.ports import Batch, CommitRefused, Headers, OnPartitions, Partition


@dataclass(frozen=True, slots=True)
class ConsumedRecord:
    """A consumed record with what a loop reads."""

    topic: str
    partition: int
    offset: int
    value: bytes | None
    key: bytes | None = None


@dataclass(frozen=True, slots=True)
class SentRecord:
    """A record handed to a publisher."""

    topic: str
    key: bytes | None
    value: bytes | None
    headers: dict[str, bytes]


@dataclass
class InMemorySource:
    """A ``Source`` that hands out ``batches`` in order, then empty batches.

    ``drained`` is set when a fetch finds no batch left; ``refuse_commits`` makes every commit
    fail as after a rebalance.
    """

    batches: list[Batch]
    held: set[Partition] = field(default_factory=set)
    journal: list[str] = field(default_factory=list)
    refuse_commits: bool = False
    committed: list[dict[Partition, int]] = field(default_factory=list)
    stopped: bool = False
    drained: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        if not self.held:
            self.held = {tp for batch in self.batches for tp in batch}

    async def start(self, on_revoked: OnPartitions, on_assigned: OnPartitions) -> None:
        await on_assigned(set(self.held))

    async def stop(self) -> None:
        self.stopped = True

    async def fetch(self, timeout_ms: int) -> Batch:
        if self.batches:
            return self.batches.pop(0)
        self.drained.set()
        await asyncio.sleep(0)  # a real fetch yields to the loop while it waits
        return {}

    def assignment(self) -> set[Partition]:
        return set(self.held)

    async def commit(self, offsets: Mapping[Partition, int]) -> None:
        if self.refuse_commits:
            self.journal.append("commit refused")
            raise CommitRefused("the group rebalanced")
        self.committed.append(dict(offsets))
        self.journal.append("commit")

    async def lags(self) -> dict[Partition, int]:
        return dict.fromkeys(self.held, 0)


@dataclass
class InMemoryPublisher:
    """A ``Publisher`` that acknowledges every record at ``flush``, or fails with ``failure``."""

    journal: list[str] = field(default_factory=list)
    failure: Exception | None = None
    pending: list[SentRecord] = field(default_factory=list)
    acknowledged: list[SentRecord] = field(default_factory=list)

    async def send(
        self, topic: str, key: bytes | None, value: bytes | None, headers: Headers | None = None
    ) -> None:
        self.pending.append(SentRecord(topic, key, value, dict(headers or ())))
        self.journal.append(f"send {topic}")

    async def flush(self) -> None:
        if self.failure is not None:
            self.journal.append("flush failed")
            raise self.failure
        self.journal.append(f"flush: {len(self.pending)} acknowledged")
        self.acknowledged += self.pending
        self.pending = []

    def topics(self) -> Sequence[str]:
        """The topics of the acknowledged records, in order."""
        return [record.topic for record in self.acknowledged]
