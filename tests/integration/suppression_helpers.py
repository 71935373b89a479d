"""Building and publishing suppressions, and reading a person's state back from the database."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer

from tests.integration.helpers import eventually, publish
from tests.integration.sequencer_helpers import campaign, command
from workers.settings import Settings
from workers.topics import Topics


def suppression(lead_id: str, at: datetime, reason: str = "unsubscribe", **extra: Any) -> bytes:
    """A Suppression record's value."""
    body = {"lead_id": lead_id, "reason": reason, "event_id": "r-9", "at": at.isoformat(), **extra}
    return json.dumps(body).encode()


async def publish_suppression(
    settings: Settings, lead_id: str, value: bytes | None, *, timestamp: datetime | None = None
) -> None:
    """One record on ``suppressions`` keyed by lead_id (None lifts), stamped ``timestamp``."""
    producer = AIOKafkaProducer(
        **settings.kafka_client_options(), acks="all", enable_idempotence=True
    )
    try:
        await producer.start()
        ms = None if timestamp is None else int(timestamp.timestamp() * 1000)
        await producer.send_and_wait(
            Topics(settings.topic_prefix).suppressions,
            value,
            key=lead_id.encode(),
            timestamp_ms=ms,
        )
    finally:
        await producer.stop()


async def enroll_everywhere(
    settings: Settings, lead_id: str, campaign_ids: list[str], *, delays: list[str]
) -> None:
    """Active campaigns, and ``lead_id`` enrolled in each of them."""
    topics = Topics(settings.topic_prefix)
    await publish(
        settings, topics.campaigns, [(c, campaign(c, delays=delays)) for c in campaign_ids]
    )
    await publish(
        settings,
        topics.commands,
        [(f"{c}:{lead_id}", command(c, lead_id, "enroll")) for c in campaign_ids],
    )


async def statuses(url: str, lead_id: str) -> dict[str, tuple[str, str]]:
    """Per campaign: (status, reason) of the person's lead rows."""
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT campaign_id, status, reason FROM leads WHERE lead_id = $1", lead_id
        )
    finally:
        await conn.close()
    return {r["campaign_id"]: (r["status"], r["reason"]) for r in rows}


async def wait_statuses(
    url: str, lead_id: str, campaigns: int, wanted: str, *, timeout_s: float = 30.0
) -> dict[str, tuple[str, str]]:
    """Await ``campaigns`` lead rows of the person, all in status ``wanted``."""

    async def probe() -> dict[str, tuple[str, str]] | None:
        found = await statuses(url, lead_id)
        ok = len(found) == campaigns and all(s == wanted for s, _ in found.values())
        return found if ok else None

    return await eventually(probe, timeout_s=timeout_s)


async def suppression_row(url: str, lead_id: str) -> dict[str, Any] | None:
    """The person's row of the suppressions table, as a dict (None: no row)."""
    conn = await asyncpg.connect(url)
    try:
        row = await conn.fetchrow("SELECT * FROM suppressions WHERE lead_id = $1", lead_id)
    finally:
        await conn.close()
    return None if row is None else dict(row)
