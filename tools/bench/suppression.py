"""Suppression figures: applying one person's suppression across 1,000 campaigns, and the cost
of a large do-not-contact list to enrolment.

Both measure the sequencer's own database work (the transaction a consumed batch runs), not
Kafka: the suppression path and the enrolment check are the SQL this issue added.

- ``suppression_apply_ms``: one person in ``campaigns`` campaigns, every lead running; the
  time of the whole transaction that applies their Suppression (bucket lock, the person's rows
  ``FOR UPDATE``, the stops, the table row, the outbox), commit included; p50/p99 over
  ``people`` people.
- ``enroll_per_s_with_1m_suppressed``: enrolments applied per second by ``apply_batch`` (batches
  of 10,000, as the sequencer consumes them) with ``suppressed`` lead_ids in the table, against
  the same run with an empty table (a warm-up batch first); both enroll people who are not
  suppressed, then a batch of suppressed ids checks they are all rejected.

``make bench`` runs both (steps ``suppression_apply`` and ``enroll_suppressed``, sized by the
mode: see ``MODE_SIZES``). Run alone::

    python -m tools.bench.suppression --postgres-url URL [--campaigns N] [--people N]
        [--suppressed N] [--enrolls N]

(a superuser URL; a database of its own is created and dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from aiokafka import ConsumerRecord

from schemas import Suppression, SuppressionReason
from tools.bench import data
from tools.bench.env import Servers
from tools.bench.observe import percentile
from tools.bench.sizes import Sizes
from workers.migrate import migrate
from workers.sequencer.commands import apply_batch
from workers.sequencer.effects import Effects
from workers.sequencer.people import apply_entries
from workers.topics import Topics

Result = dict[str, Any]
_TOPICS = Topics("bench.")
_BATCH = 10_000
_LEAD_COLUMNS = [
    "campaign_id",
    "lead_id",
    "status",
    "next_step",
    "due_at",
    "remaining_s",
    "resume_at",
    "reason",
    "last_manual_at",
    "version",
    "updated_at",
    "wake_at",
]


@asynccontextmanager
async def _database(postgres_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A migrated database of its own, dropped afterwards."""
    name = f"bench_supp_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(postgres_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))
    conn = await asyncpg.connect(url)
    try:
        await migrate(conn)
        yield conn
    finally:
        await conn.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def _campaigns(conn: asyncpg.Connection, count: int) -> list[str]:
    ids = [f"c-{i}" for i in range(count)]
    for campaign_id in ids:
        await data.insert_campaign(conn, {**data.campaign(), "campaign_id": campaign_id})
    return ids


async def suppression_apply_ms(
    servers: Servers, *, campaigns: int = 1000, people: int = 50
) -> Result:
    """p50/p99 of the transaction applying one person's Suppression over ``campaigns``."""
    async with _database(servers.postgres_url) as conn:
        ids = await _campaigns(conn, campaigns)
        now = await conn.fetchval("SELECT clock_timestamp()")
        due = now + timedelta(days=1)
        rows = (
            (c, f"p-{p}", "in_progress", 2, due, None, None, "running", None, 3, now, due)
            for p in range(people)
            for c in ids
        )
        await conn.copy_records_to_table("leads", records=rows, columns=_LEAD_COLUMNS)
        await conn.execute("ANALYZE leads")
        took_ms = [await _apply_one(conn, f"p-{p}") for p in range(people)]
        stopped = await conn.fetchval("SELECT count(*) FROM leads WHERE status = 'stopped'")
    return {
        "p50_ms": percentile(took_ms, 50),
        "p99_ms": percentile(took_ms, 99),
        "campaigns": campaigns,
        "people": people,
        "stopped": stopped,
    }


async def _apply_one(conn: asyncpg.Connection, lead_id: str) -> float:
    suppression = Suppression(
        lead_id=lead_id, reason=SuppressionReason.UNSUBSCRIBE, at=datetime.now(UTC)
    )
    started = time.perf_counter()
    async with conn.transaction():
        effects = Effects(_TOPICS)
        now = await conn.fetchval("SELECT clock_timestamp()")
        await apply_entries(conn, [suppression], effects, now)
        await effects.write(conn)
    return (time.perf_counter() - started) * 1000


def _enroll_records(lead_ids: list[str], first_offset: int) -> list[ConsumerRecord[bytes, bytes]]:
    records = []
    for i, lead_id in enumerate(lead_ids):
        body = {
            "command_id": f"enroll-{lead_id}",
            "campaign_id": data.CAMPAIGN,
            "lead_id": lead_id,
            "action": "enroll",
            "source": "manual",
            "actor": "bench",
            "occurred_at": "2026-06-01T10:00:00Z",
        }
        value = json.dumps(body).encode()
        key = f"{data.CAMPAIGN}:{lead_id}".encode()
        records.append(
            ConsumerRecord(
                _TOPICS.commands,
                0,
                first_offset + i,
                0,
                0,
                key,
                value,
                None,
                len(key),
                len(value),
                [],
            )
        )
    return records


class _Enroller:
    """Enrols through ``apply_batch`` on one database, timing each batch's transaction."""

    def __init__(self, conn: asyncpg.Connection, prefix: str) -> None:
        self.conn = conn
        self.prefix = prefix
        self.offset = 0
        self.took_s = 0.0
        self.enrolled = 0

    async def batch(self, lead_ids: list[str]) -> None:
        """One batch (one transaction), as the sequencer applies a consumed batch."""
        records = _enroll_records(lead_ids, self.offset)
        expected = {0: self.offset} if self.offset else {}
        started = time.perf_counter()
        async with self.conn.transaction():
            await apply_batch(self.conn, records, expected=expected, topics=_TOPICS)
        self.took_s += time.perf_counter() - started
        self.enrolled += len(records)
        self.offset += len(records)

    @property
    def per_s(self) -> float:
        return self.enrolled / self.took_s


async def enroll_per_s_with_1m_suppressed(
    servers: Servers, *, suppressed: int = 1_000_000, enrolls: int = 50_000
) -> Result:
    """Enrolments/s of new people with ``suppressed`` lead_ids in the table, against none.

    Two databases, one with the list and one without, take batches of 10,000 enrolments of
    people who are not suppressed in turn (so a change of the machine's load hits both alike),
    after one warm-up batch each; then a batch of suppressed ids checks they are rejected.
    """
    async with _database(servers.postgres_url) as plain, _database(servers.postgres_url) as big:
        for conn in (plain, big):
            await data.insert_campaign(conn, data.campaign(delay="P1D"))
        await big.execute(
            "INSERT INTO suppressions (lead_id, reason, at)"
            " SELECT 's-' || g, 'manual', clock_timestamp() FROM generate_series(1, $1) AS g",
            suppressed,
        )
        await big.execute("ANALYZE suppressions")
        sides = [_Enroller(plain, "a"), _Enroller(big, "b")]
        for side in sides:  # warm-up, not counted
            await side.batch([f"w-{i}" for i in range(min(_BATCH, enrolls))])
            side.took_s, side.enrolled = 0.0, 0
        for start in range(0, enrolls, _BATCH):
            size = min(_BATCH, enrolls - start)
            for side in sides:
                await side.batch([f"{side.prefix}-{start + i}" for i in range(size)])
        baseline, rate = sides[0].per_s, sides[1].per_s
        probes = [f"s-{i}" for i in range(1, suppressed + 1, max(1, suppressed // 1000))]
        await sides[1].batch(probes)
        enrolled = await big.fetchval("SELECT count(*) FROM leads WHERE lead_id LIKE 's-%'")
    return {
        "per_s": rate,
        "baseline_per_s": baseline,
        "ratio": rate / baseline,
        "suppressed": suppressed,
        "enrolls": enrolls,
        "suppressed_ids_rejected": len(probes) - enrolled,
        "suppressed_ids_tried": len(probes),
    }


#: Per bench mode: (campaigns, people) of the apply run, (suppressed, enrolls) of the enrol run.
MODE_SIZES: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "full": ((1000, 50), (1_000_000, 50_000)),
    "quick": ((1000, 20), (1_000_000, 20_000)),
    "tiny": ((50, 5), (10_000, 2_000)),
}


def apply_step(servers: Servers, sizes: Sizes, logs: Path) -> Awaitable[Result]:
    """``make bench``'s ``suppression_apply`` step, sized by the bench mode."""
    campaigns, people = MODE_SIZES[sizes.mode][0]
    return suppression_apply_ms(servers, campaigns=campaigns, people=people)


def enroll_step(servers: Servers, sizes: Sizes, logs: Path) -> Awaitable[Result]:
    """``make bench``'s ``enroll_suppressed`` step, sized by the bench mode."""
    suppressed, enrolls = MODE_SIZES[sizes.mode][1]
    return enroll_per_s_with_1m_suppressed(servers, suppressed=suppressed, enrolls=enrolls)


def main(argv: list[str] | None = None) -> int:
    """Run both measurements once and print them as JSON."""
    parser = argparse.ArgumentParser(prog="python -m tools.bench.suppression", description=__doc__)
    parser.add_argument("--postgres-url", required=True, help="superuser URL of a server")
    parser.add_argument("--campaigns", type=int, default=1000)
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--suppressed", type=int, default=1_000_000)
    parser.add_argument("--enrolls", type=int, default=50_000)
    args = parser.parse_args(argv)
    servers = Servers("", args.postgres_url)

    async def both() -> Result:
        apply = await suppression_apply_ms(servers, campaigns=args.campaigns, people=args.people)
        enroll = await enroll_per_s_with_1m_suppressed(
            servers, suppressed=args.suppressed, enrolls=args.enrolls
        )
        return {"suppression_apply_ms": apply, "enroll_per_s_with_1m_suppressed": enroll}

    print(json.dumps(asyncio.run(both()), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
