"""Kafka for the CLI: publish a campaign, send one LeadCommand and await its CommandResult.

The result consumer is positioned at the end of every ``command-results`` partition before the
command is published, so the answer cannot slip past it. Broker failures become one-line
:class:`CliError` s (exit 2).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import KafkaError
from pydantic import ValidationError

from schemas import CampaignSettings, CommandResult, LeadCommand
from workers.errors import CliError
from workers.kafka_io import make_consumer, make_producer, partitions_of
from workers.preflight import check_kafka
from workers.settings import Settings
from workers.topics import Topics

T = TypeVar("T")

#: Longest wait for a topic's metadata before concluding it does not exist.
METADATA_TIMEOUT_S = 10.0


def _unreachable(settings: Settings, exc: BaseException) -> CliError:
    detail = str(exc).strip() or type(exc).__name__
    return CliError(
        f"cannot reach Kafka at {settings.kafka_bootstrap_servers}"
        f" (LEADFLOW_KAFKA_BOOTSTRAP_SERVERS): {detail}"
    )


@contextlib.asynccontextmanager
async def kafka_errors(settings: Settings) -> AsyncIterator[None]:
    """Turn broker failures inside the block into one-line CliErrors."""
    try:
        yield
    except (KafkaError, OSError) as exc:
        raise _unreachable(settings, exc) from None


@contextlib.asynccontextmanager
async def producing(settings: Settings) -> AsyncIterator[AIOKafkaProducer]:
    """A started idempotent ``acks=all`` producer."""
    producer = make_producer(settings, linger_ms=0)
    try:
        async with kafka_errors(settings):
            await producer.start()
        yield producer
    finally:
        await producer.stop()


async def _publish(settings: Settings, topic: str, key: str, value: bytes) -> None:
    async with kafka_errors(settings), producing(settings) as producer:
        partitions = await asyncio.wait_for(producer.partitions_for(topic), METADATA_TIMEOUT_S)
        if not partitions:
            raise CliError(f"topic {topic} not found: run `leadflow setup`")
        await producer.send_and_wait(topic, value, key=key.encode())


async def check_kafka_or_fail(settings: Settings) -> None:
    """Refused credentials or an untrusted certificate: one line now, not a timeout later."""
    transient = await check_kafka(settings, timeout_s=METADATA_TIMEOUT_S)
    if transient is not None:
        raise _unreachable(settings, RuntimeError(transient))


async def put_campaign(settings: Settings, campaign: CampaignSettings, timeout_s: float) -> str:
    """Publish ``campaign`` keyed by its id; return the topic it went to."""
    await check_kafka_or_fail(settings)
    topic = Topics(settings.topic_prefix).campaigns
    value = campaign.model_dump_json().encode()
    await _within(_publish(settings, topic, campaign.campaign_id, value), timeout_s, settings)
    return topic


async def _within(work: Coroutine[Any, Any, T], timeout_s: float, settings: Settings) -> T:
    """``work``'s value; a CliError when Kafka does not answer within ``timeout_s``."""
    try:
        return await asyncio.wait_for(work, timeout_s)
    except TimeoutError:
        raise CliError(
            f"no answer from Kafka at {settings.kafka_bootstrap_servers} within {timeout_s:g}s"
        ) from None


class ResultWatch:
    """A read_committed reader of ``command-results`` that starts at the current end."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._topic = Topics(settings.topic_prefix).command_results
        self._consumer: AIOKafkaConsumer = make_consumer(settings, group_id=None)

    async def start(self) -> None:
        """Connect, assign every partition and resolve the end offsets (before any publish)."""
        async with kafka_errors(self._settings):
            await self._consumer.start()
            try:
                tps = await partitions_of(self._consumer, self._topic, timeout_s=METADATA_TIMEOUT_S)
            except RuntimeError as exc:
                raise CliError(str(exc)) from None
            self._consumer.assign(tps)
            await self._consumer.seek_to_end(*tps)
            for tp in tps:  # forces the end offset to be fetched now, not at the first poll
                await self._consumer.position(tp)

    async def stop(self) -> None:
        """Close the consumer."""
        await self._consumer.stop()

    async def wait_for(self, command_id: str, timeout_s: float) -> CommandResult | None:
        """The CommandResult of ``command_id``; None when none came within ``timeout_s``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        async with kafka_errors(self._settings):
            while (left := deadline - loop.time()) > 0:
                batch = await self._consumer.getmany(timeout_ms=int(min(left, 0.5) * 1000) + 1)
                for records in batch.values():
                    for record in records:
                        found = _result_of(record.value, command_id)
                        if found is not None:
                            return found
        return None


def _result_of(value: bytes | None, command_id: str) -> CommandResult | None:
    if value is None or command_id.encode() not in value:
        return None
    try:
        result = CommandResult.model_validate_json(value)
    except ValidationError:
        return None
    return result if result.command_id == command_id else None


async def send_command(
    settings: Settings, command: LeadCommand, timeout_s: float
) -> CommandResult | None:
    """Publish ``command`` and await its CommandResult (None: no answer within ``timeout_s``)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    await check_kafka_or_fail(settings)
    watch = ResultWatch(settings)
    try:
        await _within(watch.start(), timeout_s, settings)
        topic = Topics(settings.topic_prefix).commands
        value = command.model_dump_json().encode()
        left = deadline - loop.time()
        await _within(_publish(settings, topic, command.lead_key, value), max(left, 1.0), settings)
        return await watch.wait_for(command.command_id, deadline - loop.time())
    finally:
        await watch.stop()
