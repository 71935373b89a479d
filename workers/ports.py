"""The narrow interfaces a worker loop needs from Kafka, as httpx's transport interface.

A loop is written against these protocols; ``workers.kafka_ports`` implements them with
aiokafka, and the unit tests drive the same loop with in-memory doubles
(``tests/unit/doubles.py``). This module imports no aiokafka::

    Source      consumed batches in, offsets committed
    Publisher   records out; ``flush`` returns once every one is acknowledged, or raises
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import NamedTuple, Protocol

#: Kafka record headers: ``(name, value)`` pairs.
Headers = Sequence[tuple[str, bytes]]


class Partition(NamedTuple):
    """One partition of one topic (equal to, and hashed like, aiokafka's ``TopicPartition``)."""

    topic: str
    partition: int


class Record(Protocol):
    """What a loop reads of a consumed record (aiokafka's ``ConsumerRecord`` has it)."""

    @property
    def topic(self) -> str: ...
    @property
    def partition(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @property
    def key(self) -> bytes | None: ...
    @property
    def value(self) -> bytes | None: ...


#: A consumed batch: each partition's records, in offset order.
Batch = Mapping[Partition, Sequence[Record]]
#: Called with the partitions a rebalance takes away (before) or gives (after).
OnPartitions = Callable[[set[Partition]], Awaitable[None]]


class CommitRefused(Exception):
    """The group moved the partitions on before the commit: their new owner repeats the batch."""


class Source(Protocol):
    """A consumer group member on one topic that commits only when told to."""

    async def start(self, on_revoked: OnPartitions, on_assigned: OnPartitions) -> None:
        """Join the group; the callbacks run inside a rebalance, before fetching resumes."""

    async def stop(self) -> None:
        """Leave the group and close."""

    async def fetch(self, timeout_ms: int) -> Batch:
        """The next batch (possibly empty after ``timeout_ms``)."""

    def assignment(self) -> set[Partition]:
        """The partitions held now."""

    async def commit(self, offsets: Mapping[Partition, int]) -> None:
        """Commit the next offsets to read; ``CommitRefused`` after a rebalance took them."""

    async def lags(self) -> dict[Partition, int]:
        """Records behind the end, per held partition whose end is known."""


class Publisher(Protocol):
    """Sends records; nothing counts as delivered until ``flush`` has returned."""

    async def send(
        self, topic: str, key: bytes | None, value: bytes | None, headers: Headers | None = None
    ) -> None:
        """Queue one record (the partition follows from the key)."""

    async def flush(self) -> None:
        """Wait for every record queued since the last flush; raise the first delivery error."""
