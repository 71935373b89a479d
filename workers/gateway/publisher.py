"""The gateway's one Kafka producer: idempotent, ``acks=all``, every send awaited.

``publish`` returns only when Kafka acknowledged every record of the request, or raises
``Unavailable`` (the HTTP layer answers 503 with ``Retry-After``). The producer starts in the
background and restarts its attempts until the brokers answer, so the gateway serves (and
answers 503) even while Kafka is unreachable.

A request that times out may still have some of its records delivered later: the provider
retries, and the retry carries the same derived ``event_id``, which the fleet applies once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError, MessageSizeTooLargeError

from workers.health import Health
from workers.kafka_io import make_producer
from workers.settings import Settings

log = structlog.get_logger("leadflow.gateway")

#: Wait between two attempts to start the producer while the brokers do not answer.
_START_RETRY_S = 1.0


class Unavailable(Exception):
    """Kafka cannot take the events now (not connected, or no acknowledgement in time)."""


class RecordTooLarge(Exception):
    """An event is larger than a Kafka record may be: retrying cannot help."""


@dataclass(frozen=True, slots=True)
class Record:
    """One record to publish."""

    topic: str
    key: bytes
    value: bytes


def _consume(future: asyncio.Future[Any]) -> None:
    """Retrieve a late future's outcome so that a failure after a timeout is not reported."""
    if not future.cancelled():
        future.exception()


class Publisher:
    """Publishes each request's records and waits for all their acknowledgements."""

    def __init__(self, settings: Settings, *, timeout_s: float, linger_ms: int = 0) -> None:
        self._settings = settings
        self._timeout_s = timeout_s
        self._linger_ms = linger_ms
        self._producer: AIOKafkaProducer | None = None

    @property
    def connected(self) -> bool:
        """True once the producer has started (the brokers answered)."""
        return self._producer is not None

    async def keep_started(self, stop: asyncio.Event, health: Health) -> None:
        """Start the producer, retrying until it starts or ``stop`` is set."""
        while not stop.is_set():
            producer = make_producer(self._settings, linger_ms=self._linger_ms)
            try:
                await producer.start()
            except BaseException as error:
                # Failed, or cancelled by a stop while starting: close what start opened (its
                # connections, its metadata task), or aiokafka warns when it is collected.
                await producer.stop()
                if not isinstance(error, KafkaError | OSError):
                    raise
                health.set_ready(False, f"kafka unavailable ({type(error).__name__})")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), _START_RETRY_S)
                continue
            self._producer = producer
            health.set_ready(True)
            log.info("gateway producer started")
            return

    async def publish(self, records: Sequence[Record]) -> None:
        """Send every record; return when all are acknowledged, else raise Unavailable."""
        producer = self._producer
        if producer is None:
            raise Unavailable("kafka producer not started")
        futures: list[asyncio.Future[Any]] = []
        try:
            async with asyncio.timeout(self._timeout_s):
                # one by one, keeping what was sent if the time runs out
                for record in records:
                    sent = await producer.send(record.topic, record.value, key=record.key)
                    futures.append(sent)
                if len(futures) == 1:
                    await futures[0]
                else:
                    await asyncio.gather(*futures)
        except MessageSizeTooLargeError as error:
            for future in futures:
                future.add_done_callback(_consume)
            raise RecordTooLarge from error
        except (TimeoutError, KafkaError) as error:
            for future in futures:
                future.add_done_callback(_consume)
            raise Unavailable(type(error).__name__) from error

    async def close(self) -> None:
        """Flush and stop the producer."""
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None
