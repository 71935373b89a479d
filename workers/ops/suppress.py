"""``leadflow suppress add|remove`` and ``leadflow suppressions list``: the do-not-contact list.

``suppress add`` publishes a Suppression (``at`` = now) keyed by lead_id; ``suppress remove``
publishes a null value keyed by lead_id, whose Kafka timestamp (now) orders it against the
suppression it lifts (the later one wins). The sequencer applies both; ``suppressions list``
reads what it holds in force. Every failure a person can cause is one :class:`CliError` line.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from schemas import Suppression, SuppressionReason
from schemas._types import format_timestamp
from workers.errors import CliError
from workers.ops import db
from workers.ops.inputs import check_id
from workers.ops.kafka_ops import METADATA_TIMEOUT_S, kafka_errors, producing
from workers.sequencer.suppression_store import list_in_force
from workers.settings import Settings
from workers.topics import Topics

Printer = Callable[[str], None]
#: Longest note accepted on the command line (the operator's words, not a document).
NOTE_LIMIT = 1000
#: Longest note shown in the table.
NOTE_WIDTH = 40


def new_suppression(
    lead_id: str, reason: str, note: str | None, now: datetime | None = None
) -> Suppression:
    """The Suppression ``suppress add`` publishes; a CliError for a bad id, reason or note."""
    check_id("lead id", lead_id)
    try:
        why = SuppressionReason(reason)
    except ValueError:
        choices = ", ".join(r.value for r in SuppressionReason)
        raise CliError(f"--reason {reason!r} is not one of: {choices}") from None
    if note is not None and len(note) > NOTE_LIMIT:
        raise CliError(f"--note is {len(note)} characters long: at most {NOTE_LIMIT}")
    return Suppression(lead_id=lead_id, reason=why, at=now or datetime.now(UTC), note=note or None)


async def publish_record(
    settings: Settings, lead_id: str, value: bytes | None, at: datetime, timeout_s: float
) -> str:
    """One record on ``suppressions`` keyed by lead_id, stamped ``at``; the topic's name."""
    topic = Topics(settings.topic_prefix).suppressions

    async def send() -> None:
        async with kafka_errors(settings), producing(settings) as producer:
            partitions = await asyncio.wait_for(producer.partitions_for(topic), METADATA_TIMEOUT_S)
            if not partitions:
                raise CliError(f"topic {topic} not found: run `leadflow setup`")
            await producer.send_and_wait(
                topic, value, key=lead_id.encode(), timestamp_ms=int(at.timestamp() * 1000)
            )

    try:
        await asyncio.wait_for(send(), timeout_s)
    except TimeoutError:
        raise CliError(
            f"no answer from Kafka at {settings.kafka_bootstrap_servers} within {timeout_s:g}s"
        ) from None
    return topic


async def suppress_add(
    settings: Settings,
    lead_id: str,
    *,
    reason: str = "manual",
    note: str | None = None,
    timeout_s: float = 30.0,
    out: Printer = print,
) -> int:
    """Publish a Suppression of ``lead_id``: the sequencer stops it in every campaign."""
    suppression = new_suppression(lead_id, reason, note)
    value = suppression.model_dump_json().encode()
    topic = await publish_record(settings, lead_id, value, suppression.at, timeout_s)
    out(
        f"suppressed {lead_id} ({suppression.reason}, {format_timestamp(suppression.at)})"
        f" on {topic}: its leads stop in every campaign and it cannot be enrolled"
    )
    return 0


async def suppress_remove(
    settings: Settings, lead_id: str, *, timeout_s: float = 30.0, out: Printer = print
) -> int:
    """Publish the lifting of ``lead_id``'s suppression (a null value stamped now)."""
    check_id("lead id", lead_id)
    now = datetime.now(UTC)
    topic = await publish_record(settings, lead_id, None, now, timeout_s)
    out(
        f"lifted the suppression of {lead_id} ({format_timestamp(now)}) on {topic}:"
        " it can be enrolled again; stopped leads stay stopped"
    )
    return 0


async def suppressions_list(
    settings: Settings,
    *,
    reason: str | None = None,
    limit: int = 100_000,
    as_json: bool = False,
    out: Printer = print,
) -> int:
    """Print the suppressions in force: a table, or one Suppression JSON object per line."""
    async with db.connected(settings.database_url) as conn:
        found = await list_in_force(conn, reason=reason, limit=limit)
    if as_json:
        for suppression in found:
            out(suppression.model_dump_json())
        return 0
    for line in table_lines(found) if found else ["no suppressions"]:
        out(line)
    return 0


def table_lines(suppressions: Sequence[Suppression]) -> list[str]:
    """One aligned row per suppression under a header."""
    header = ("LEAD", "REASON", "SINCE", "EVENT", "NOTE")
    rows = [header] + [
        (
            s.lead_id,
            str(s.reason),
            format_timestamp(s.at),
            s.event_id or "-",
            _truncate(s.note or "-", NOTE_WIDTH),
        )
        for s in suppressions
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    return [
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    ]


def _truncate(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
