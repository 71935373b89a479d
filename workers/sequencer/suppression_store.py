"""The ``suppressions`` table and a person's leads, through asyncpg: named queries, set-based.

Every function takes a connection inside a transaction opened by its caller; none commits.
The locking argument (why no SendRequest for a suppressed person commits after the
suppression's transaction) is in ``docs/architecture.md``, "Suppression".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

import asyncpg

from schemas import Suppression, SuppressionReason
from workers.core import Entry, LeadState, Lifting
from workers.sequencer.store import LEAD_COLUMNS, lead_from_row

if TYPE_CHECKING:
    from workers.sequencer.store import Conn

#: The advisory-lock class of person buckets (two-key form: never equal to a campaign lock,
#: which uses the one-key form).
LOCK_CLASS = 0x5AFE
#: A person's enrolments and suppressions serialize on one of this many buckets: a command
#: batch of 10,000 enrolments takes at most this many shared locks (the server's lock table is
#: small), a suppression one exclusive lock per person.
BUCKETS = 64

#: Each person's bucket, exclusive where any of theirs asks for it, locked in bucket order.
LOCK_BUCKETS = """
WITH wanted AS (
  SELECT (hashtextextended(id, 0) & ($2::int - 1))::int AS bucket, bool_or(excl) AS excl
  FROM unnest($3::text[], $4::bool[]) AS u(id, excl) GROUP BY 1
)
SELECT CASE WHEN excl THEN pg_advisory_xact_lock($1::int, bucket)
            ELSE pg_advisory_xact_lock_shared($1::int, bucket) END
FROM wanted ORDER BY bucket
"""
SELECT_ENTRIES = (
    "SELECT lead_id, reason, event_id, note, at, lifted FROM suppressions"
    " WHERE lead_id = ANY($1::text[])"
)
SELECT_IN_FORCE = (
    "SELECT lead_id, reason, event_id, note, at, lifted FROM suppressions"
    " WHERE lead_id = ANY($1::text[]) AND NOT lifted"
)
UPSERT_ENTRIES = """
INSERT INTO suppressions AS s (lead_id, reason, event_id, note, at, lifted, updated_at)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
                     $6::bool[], $7::timestamptz[])
ON CONFLICT (lead_id) DO UPDATE SET
  reason = CASE WHEN excluded.lifted THEN s.reason ELSE excluded.reason END,
  event_id = CASE WHEN excluded.lifted THEN s.event_id ELSE excluded.event_id END,
  note = CASE WHEN excluded.lifted THEN s.note ELSE excluded.note END,
  at = excluded.at, lifted = excluded.lifted, updated_at = excluded.updated_at
"""
#: These people's leads in every campaign, locked in the order every locker uses.
LOCK_PERSON_LEADS = (
    f"SELECT {LEAD_COLUMNS} FROM leads WHERE lead_id = ANY($1::text[])"
    " ORDER BY campaign_id, lead_id FOR UPDATE"
)
#: Every lead key of these people, in every campaign (index ``leads_lead_id``).
PERSON_KEYS = "SELECT campaign_id, lead_id FROM leads WHERE lead_id = ANY($1::text[])"
LIST_IN_FORCE = (
    "SELECT lead_id, reason, event_id, note, at, lifted FROM suppressions"
    " WHERE NOT lifted AND ($1::text IS NULL OR reason = $1) ORDER BY lead_id LIMIT $2"
)


def entry_from_row(row: asyncpg.Record) -> Entry:
    """A ``suppressions`` row as the record in force: a Suppression, or a Lifting."""
    if row["lifted"]:
        return Lifting(lead_id=row["lead_id"], at=row["at"])
    return Suppression.trusted(
        lead_id=row["lead_id"],
        reason=SuppressionReason(row["reason"]),
        event_id=row["event_id"],
        at=row["at"],
        note=row["note"],
    )


async def lock_people(
    conn: Conn, *, shared: Iterable[str] = (), exclusive: Iterable[str] = ()
) -> None:
    """Take the people's bucket locks: shared to enroll them, exclusive to suppress them.

    One statement, in bucket order (a bucket wanted both ways is taken exclusively), so two
    transactions never wait on each other's buckets in a cycle.
    """
    modes = dict.fromkeys(shared, False) | dict.fromkeys(exclusive, True)
    if modes:
        await conn.execute(LOCK_BUCKETS, LOCK_CLASS, BUCKETS, list(modes), list(modes.values()))


async def load_entries(conn: Conn, lead_ids: Collection[str]) -> dict[str, Entry]:
    """The record in force for each of these people that has one (suppressed or lifted)."""
    if not lead_ids:
        return {}
    rows = await conn.fetch(SELECT_ENTRIES, list(lead_ids))
    return {r["lead_id"]: entry_from_row(r) for r in rows}


async def in_force(conn: Conn, lead_ids: Collection[str]) -> dict[str, Suppression]:
    """The suppressions in force (not lifted) among these people: one index probe each."""
    if not lead_ids:
        return {}
    rows = await conn.fetch(SELECT_IN_FORCE, list(lead_ids))
    found = (entry_from_row(r) for r in rows)
    return {e.lead_id: e for e in found if isinstance(e, Suppression)}


async def save_entries(conn: Conn, entries: Collection[Entry], now: datetime) -> None:
    """Insert or replace the record in force of each person (a lifting keeps what it lifted)."""
    if not entries:
        return
    columns: list[list[object]] = [[] for _ in range(7)]
    for entry in entries:
        if isinstance(entry, Lifting):
            values: tuple[object, ...] = (entry.lead_id, None, None, None, entry.at, True, now)
        else:
            values = (
                entry.lead_id,
                entry.reason.value,
                entry.event_id,
                entry.note,
                entry.at,
                False,
                now,
            )
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    await conn.execute(UPSERT_ENTRIES, *columns)


async def person_keys(conn: Conn, lead_ids: Collection[str]) -> set[tuple[str, str]]:
    """Every ``(campaign_id, lead_id)`` of these people (call it holding their bucket locks)."""
    if not lead_ids:
        return set()
    rows = await conn.fetch(PERSON_KEYS, list(lead_ids))
    return {(r["campaign_id"], r["lead_id"]) for r in rows}


async def lock_person_leads(conn: Conn, lead_ids: Collection[str]) -> list[LeadState]:
    """Lock (FOR UPDATE) and load every lead of these people: one statement, one index scan.

    Call it holding their bucket locks exclusively: no lead of theirs can appear meanwhile.
    """
    rows = await conn.fetch(LOCK_PERSON_LEADS, list(lead_ids))
    return [lead_from_row(r) for r in rows]


async def list_in_force(
    conn: Conn, *, reason: str | None = None, limit: int = 100_000
) -> list[Suppression]:
    """The suppressions in force, by lead_id (``reason`` filters)."""
    rows = await conn.fetch(LIST_IN_FORCE, reason, limit)
    found = (entry_from_row(r) for r in rows)
    return [e for e in found if isinstance(e, Suppression)]
