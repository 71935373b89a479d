"""The sequencer's tables, through asyncpg: lead rows, campaigns, inbox, offsets, outbox, relay.

Every statement the sequencer sends is a named query of this module (``CLAIM_DUE``,
``ACQUIRE_LEASE``, ...), so the SQL lives in one place and can be read (and reviewed against
the indexes of ``migrations/``) at once. Every function takes a connection, inside a
transaction opened by its caller when it needs one; none commits. Bulk writes go through
``unnest`` arrays or COPY: one round trip per batch, not per lead.
"""

from __future__ import annotations

import functools
import json
import zlib
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias

import asyncpg

from schemas import CampaignSettings, CampaignStatus, LeadStatusValue, SendRequest
from workers.core import Campaign, FanOutPlan, LeadState

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    #: A connection of its own or one borrowed from a pool.
    Conn: TypeAlias = asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]

LEAD_COLUMNS = (
    "campaign_id, lead_id, status, next_step, due_at, remaining_s, resume_at, reason,"
    " last_manual_at, version, updated_at, auto_paused"
)

#: Sessions idle inside a transaction this long are ended by the server, so a frozen (SIGSTOP)
#: replica cannot hold lead rows locked while another replica takes over its work.
SERVER_SETTINGS = {
    "idle_in_transaction_session_timeout": "10000",
    "lock_timeout": "15000",
    "application_name": "leadflow-sequencer",
}


class VersionConflict(RuntimeError):
    """A lead row changed under us (another replica won): roll back and retry the batch."""


class OffsetConflict(RuntimeError):
    """Another replica already applied these offsets: roll back and seek to the stored ones."""


async def connect_pool(url: str, *, min_size: int = 2, max_size: int = 8) -> asyncpg.Pool:
    """A pool whose sessions carry ``SERVER_SETTINGS``.

    A released connection is not reset with asyncpg's default query (advisory unlock all,
    ``CLOSE ALL``, ``UNLISTEN *``, ``RESET ALL``): a round trip on every release, the relay's
    and the command loop's included, for session state this fleet never leaves on a pooled
    connection (its locks are transaction-scoped, its LISTEN and session locks live on the
    relay's own session, ``lease.RelaySession``). An open transaction is still rolled back.
    """
    pool = await asyncpg.create_pool(
        url,
        min_size=min_size,
        max_size=max_size,
        server_settings=SERVER_SETTINGS,
        reset=_keep_session,
    )
    assert pool is not None
    return pool


async def _keep_session(_conn: asyncpg.Connection) -> None:
    """A pooled connection's reset: nothing beyond asyncpg's rollback of an open transaction."""


DB_NOW = "SELECT clock_timestamp()"


async def db_now(conn: Conn) -> datetime:
    """The one clock every replica shares: the database's."""
    value = await conn.fetchval(DB_NOW)
    assert isinstance(value, datetime)
    return value


#: ``leads.status`` text → the enum member (a dict lookup: the enum's call is slower).
_STATUSES = {member.value: member for member in LeadStatusValue}


def lead_from_row(row: asyncpg.Record) -> LeadState:
    """A ``leads`` row (selected with ``LEAD_COLUMNS``) as the core's LeadState."""
    return LeadState(
        campaign_id=row["campaign_id"],
        lead_id=row["lead_id"],
        status=_STATUSES[row["status"]],
        next_step=row["next_step"],
        due_at=row["due_at"],
        remaining_s=row["remaining_s"],
        resume_at=row["resume_at"],
        reason=row["reason"],
        last_manual_at=row["last_manual_at"],
        version=row["version"],
        updated_at=row["updated_at"],
        auto_paused=row["auto_paused"],
    )


LOCK_CAMPAIGNS_EXCLUSIVE = (
    "SELECT pg_advisory_xact_lock(hashtextextended(id, 0))"
    " FROM unnest($1::text[]) AS id ORDER BY id"
)
LOCK_CAMPAIGNS_SHARED = (
    "SELECT pg_advisory_xact_lock_shared(hashtextextended(id, 0))"
    " FROM unnest($1::text[]) AS id ORDER BY id"
)


async def lock_campaigns(conn: Conn, campaign_ids: Iterable[str], *, exclusive: bool) -> None:
    """Serialize work on campaigns: commands share the lock, a settings change holds it alone.

    Without it, a command could read a campaign's old settings while a concurrent change fans
    out over leads that do not include the command's lead yet (an enroll racing a launch).
    Locks are taken in id order, so two transactions never wait on each other in a cycle.
    """
    query = LOCK_CAMPAIGNS_EXCLUSIVE if exclusive else LOCK_CAMPAIGNS_SHARED
    await conn.execute(query, sorted(set(campaign_ids)))


LOCK_LEADS = (
    f"SELECT {LEAD_COLUMNS} FROM leads"
    " WHERE (campaign_id, lead_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))"
    " ORDER BY campaign_id, lead_id FOR UPDATE"
)


async def lock_leads(
    conn: Conn, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], LeadState]:
    """Load and lock (FOR UPDATE, in key order: no deadlock between replicas) these leads."""
    ordered = sorted(set(keys))
    rows = await conn.fetch(
        LOCK_LEADS,
        [k[0] for k in ordered],
        [k[1] for k in ordered],
    )
    return {(r["campaign_id"], r["lead_id"]): lead_from_row(r) for r in rows}


#: How long until the earliest wake-up (NULL when none): an index-only look at ``leads_wake_at``.
SECONDS_TO_NEXT_WAKE = (
    "SELECT extract(epoch FROM min(wake_at) - clock_timestamp())::float8"
    " FROM leads WHERE wake_at IS NOT NULL"
)


#: Due leads, locked. The time is an InitPlan (``(SELECT clock_timestamp())``, read once), so it
#: bounds the index scan of ``leads_wake_at``: compared with the volatile ``clock_timestamp()``
#: itself, the scan walked the whole index whenever fewer than ``limit`` leads were due,
#: filtering every future wake-up out (measured: 163 ms per claim with 200,000 scheduled).
#: A lead whose campaign is being changed (a campaign batch holds the
#: campaign's advisory lock exclusively, from before its fan-out until its commit) is skipped:
#: while a pause fans out over a million leads, the timers send none of that campaign's, not
#: only none of the leads already paused. The shared lock taken here makes the change wait for
#: a claim already under way, so no send of the campaign commits after the change.
CLAIM_DUE = (
    f"SELECT {LEAD_COLUMNS}, wake_at, clock_timestamp() AS now FROM leads"
    " WHERE wake_at <= (SELECT clock_timestamp())"
    " AND pg_try_advisory_xact_lock_shared(hashtextextended(campaign_id, 0))"
    " ORDER BY wake_at LIMIT $1 FOR UPDATE SKIP LOCKED"
)


async def seconds_to_next_wake(conn: Conn) -> float | None:
    """Seconds until the earliest wake-up (negative when past), None when there is none."""
    wait = await conn.fetchval(SECONDS_TO_NEXT_WAKE)
    return None if wait is None else float(wait)


#: ``DB_NOW`` and ``SECONDS_TO_NEXT_WAKE`` in one round trip: what an empty claim asks next.
NOW_AND_NEXT_WAKE = (
    "SELECT c.now, extract(epoch FROM (SELECT min(wake_at) FROM leads WHERE wake_at IS NOT NULL)"
    " - c.now)::float8 AS wait FROM (SELECT clock_timestamp() AS now) AS c"
)


@dataclass(frozen=True, slots=True)
class Claimed:
    """What ``claim_due`` locked, and the database's time of the claim."""

    leads: list[tuple[LeadState, datetime]]
    now: datetime
    #: When nothing was claimed: seconds until the earliest wake-up (negative when past),
    #: None when none is scheduled. None too when leads were claimed (not read then).
    wait_s: float | None = None


async def claim_due(conn: Conn, limit: int) -> Claimed:
    """Lock up to ``limit`` leads whose wake-up time has come, skipping rows others hold."""
    rows = await conn.fetch(CLAIM_DUE, limit)
    if not rows:
        row = await conn.fetchrow(NOW_AND_NEXT_WAKE)
        assert row is not None
        wait = row["wait"]
        return Claimed([], row["now"], None if wait is None else float(wait))
    return Claimed([(lead_from_row(r), r["wake_at"]) for r in rows], rows[-1]["now"])


# --- a campaign change, set-based (the plan of ``workers.core.fan_out``) ----------------------
#
# A change walks the campaign's leads in ``lead_id`` order, one key range at a time (``CHUNK_END``:
# the primary key gives the range whatever the table's statistics say), and changes every lead
# of a changing kind in that range with one statement (``CHANGE_LEADS``). Which kind a lead is
# of is ``fan_out_kind``: ``FanOutPlan.kind_of`` in SQL, case for case, on the row as it is when
# the statement reaches it (so a row a suppression stopped meanwhile is re-classified). Being
# an expression, it also keeps the planner on the key range whatever the statistics of
# ``status`` say (stale right after a launch changed a million of them).


def fan_out_kind(deleted: str, launched: str, running: str) -> str:
    """``FanOutPlan.kind_of`` as SQL, the plan's flags taken from these parameters."""
    return f"""(CASE
  WHEN {deleted}::bool THEN CASE WHEN status IN ('stopped', 'completed') THEN 'keep' ELSE 'stop' END
  WHEN status = 'not_started' AND {launched}::bool
    THEN CASE WHEN due_at IS NULL THEN 'start' ELSE 'lead_by_lead' END
  WHEN status = 'in_progress' AND (due_at IS NULL) = {running}::bool
    THEN CASE WHEN {running}::bool THEN 'thaw' ELSE 'freeze' END
  ELSE 'keep' END)"""


CHUNK_END = (
    "SELECT max(lead_id) FROM (SELECT lead_id FROM leads WHERE campaign_id = $1 AND lead_id > $2"
    " ORDER BY lead_id LIMIT $3) AS chunk"
)
#: A key range: the planner reads it from the primary key or from ``leads_lead_id`` (then
#: filtering the campaign) in a bitmap scan, each heap page of the range once.
_IN_CHUNK = "campaign_id = $1 AND lead_id > $2 AND lead_id <= $3"
_KIND = fan_out_kind("$4", "$5", "$6")
_WIDE_KIND = fan_out_kind("$2", "$3", "$4")

#: A kept lead's wake-up time (``FanOutPlan.keep_wake``) where it needs no window calendar.
_KEEP_WAKE = (
    "(CASE WHEN status = 'paused' THEN resume_at"
    " WHEN status = 'in_progress' AND due_at IS NOT NULL AND $4::bool THEN due_at END)"
)
#: Before the chunks, over the whole campaign: kept leads whose wake-up time is not the plan's
#: get it (no new version: the lead did not change; with consistent rows nothing is written).
#: $5: running under a window, where running leads are left to ``KEPT_RUNNING`` (their wake-up
#: needs the window calendar). Returns how many now wake up.
FIX_KEPT_WAKE = f"""
WITH fixed AS (
  UPDATE leads SET wake_at = {_KEEP_WAKE}
  WHERE campaign_id = $1 AND {_WIDE_KIND} = 'keep'
    AND NOT ($5::bool AND status = 'in_progress' AND due_at IS NOT NULL)
    AND wake_at IS DISTINCT FROM {_KEEP_WAKE}
  RETURNING wake_at
)
SELECT count(wake_at) FROM fixed
"""
#: Whether any lead is left to the per-lead core (then each chunk reads its own of them).
ANY_LEAD_BY_LEAD = (
    f"SELECT EXISTS (SELECT 1 FROM leads WHERE campaign_id = $1 AND {_WIDE_KIND} = 'lead_by_lead')"
)
KEPT_RUNNING = (
    f"SELECT lead_id, next_step, due_at, wake_at FROM leads WHERE {_IN_CHUNK}"
    f" AND {_KIND} = 'keep' AND status = 'in_progress' AND due_at IS NOT NULL"
    " ORDER BY lead_id FOR UPDATE"
)
LOCK_LEADS_BY_LEAD = (
    f"SELECT {LEAD_COLUMNS} FROM leads WHERE {_IN_CHUNK} AND {_KIND} = 'lead_by_lead'"
    " ORDER BY lead_id FOR UPDATE"
)
#: ``freeze_remaining_s``: the exact seconds (numeric) to ``due_at``, rounded once to float8.
_FROZEN = "greatest(0, extract(epoch FROM due_at - $7::timestamptz))::float8"
#: ``thaw_due_at``: now + the remaining seconds rounded to the microsecond, as ``timedelta``
#: does. Its wake-up is the due time; under a window the caller corrects it lead by lead.
_THAWED = "($7::timestamptz + round(coalesce(remaining_s, 0) * 1e6)::bigint * interval '1 us')"
#: Every lead of a changing kind in the range, each as ``core.fan_out.apply_plan`` changes it.
#: $7 now, $8/$9 a started lead's due time / remaining seconds, $10 the campaign's steps, $11 a
#: started lead's wake-up (next step within the steps), $12..$15 the reasons of stop, start,
#: freeze, thaw. The new reason tells the caller which kind a returned lead was.
CHANGE_LEADS = f"""
UPDATE leads SET
  status = CASE WHEN $4::bool THEN 'stopped' ELSE 'in_progress' END,
  auto_paused = false,
  due_at = CASE {_KIND} WHEN 'start' THEN $8::timestamptz WHEN 'thaw' THEN {_THAWED} END,
  remaining_s = CASE {_KIND} WHEN 'start' THEN $9::float8 WHEN 'freeze' THEN {_FROZEN} END,
  resume_at = NULL,
  reason = CASE {_KIND} WHEN 'stop' THEN $12 WHEN 'start' THEN $13 WHEN 'freeze' THEN $14
    ELSE $15 END,
  version = version + 1,
  updated_at = $7,
  wake_at = CASE {_KIND}
    WHEN 'start' THEN CASE WHEN next_step > $10 THEN $8::timestamptz ELSE $11::timestamptz END
    WHEN 'thaw' THEN {_THAWED} END
WHERE {_IN_CHUNK} AND {_KIND} IN ('stop', 'start', 'freeze', 'thaw')
RETURNING lead_id, next_step, version, reason, due_at, remaining_s
"""


@dataclass(frozen=True, slots=True)
class LeadChunk:
    """One key range of a campaign's leads under a plan: the arguments every chunk query takes."""

    campaign_id: str
    after: str
    last: str
    plan: FanOutPlan

    @property
    def args(self) -> tuple[object, ...]:
        plan = self.plan
        return (self.campaign_id, self.after, self.last, plan.deleted, plan.launched, plan.running)


def _flags(plan: FanOutPlan) -> tuple[bool, bool, bool]:
    return plan.deleted, plan.launched, plan.running


async def campaign_chunks(
    conn: Conn, campaign_id: str, plan: FanOutPlan, *, size: int
) -> AsyncIterator[LeadChunk]:
    """The campaign's leads as key ranges of ``size`` leads, in ``lead_id`` order.

    Each range is computed when the previous one is done, so the caller's statements in between
    see (and lock) the rows as they are then.
    """
    after = ""  # ids are never empty (the schema's Id): "" sorts before every one
    while (last := await conn.fetchval(CHUNK_END, campaign_id, after, size)) is not None:
        yield LeadChunk(campaign_id, after, last, plan)
        after = last


async def fix_kept_wake(conn: Conn, campaign_id: str, plan: FanOutPlan) -> int:
    """Give the campaign's kept leads the wake-up time the plan says; how many now wake up."""
    windowed = plan.running and plan.window is not None
    return int(await conn.fetchval(FIX_KEPT_WAKE, campaign_id, *_flags(plan), windowed))


async def any_lead_by_lead(conn: Conn, campaign_id: str, plan: FanOutPlan) -> bool:
    """Whether the plan leaves any lead of the campaign to the per-lead core."""
    return bool(await conn.fetchval(ANY_LEAD_BY_LEAD, campaign_id, *_flags(plan)))


async def kept_running(conn: Conn, chunk: LeadChunk) -> list[asyncpg.Record]:
    """Kept running leads of the chunk (locked): lead_id, next_step, due_at, wake_at."""
    return list(await conn.fetch(KEPT_RUNNING, *chunk.args))


async def lock_leads_by_lead(conn: Conn, chunk: LeadChunk) -> list[LeadState]:
    """The chunk's leads the plan leaves to the per-lead core, locked."""
    return [lead_from_row(r) for r in await conn.fetch(LOCK_LEADS_BY_LEAD, *chunk.args)]


async def change_leads(conn: Conn, chunk: LeadChunk) -> list[asyncpg.Record]:
    """Change the chunk's leads of every changing kind.

    Returns each one's lead_id, next_step, version, reason (which tells its kind), due_at and
    remaining_s.
    """
    plan = chunk.plan
    return list(
        await conn.fetch(
            CHANGE_LEADS,
            *chunk.args,
            plan.now,
            plan.start_due_at,
            plan.start_remaining_s,
            plan.steps,
            plan.start_wake_at,
            plan.stop_reason,
            plan.start_reason,
            plan.freeze_reason,
            plan.thaw_reason,
        )
    )


async def save_leads(conn: Conn, states: Sequence[tuple[LeadState, datetime | None]]) -> None:
    """Insert or update leads (with their wake-up time) under a version guard."""
    if not states:
        return
    written = await conn.fetchval(UPSERT_LEADS, *_lead_columns(states))
    if written != len(states):
        raise VersionConflict(f"{len(states) - written} lead rows changed concurrently")


def _lead_columns(states: Sequence[tuple[LeadState, datetime | None]]) -> list[list[object]]:
    """``UPSERT_LEADS``'s 13 arrays: one per column, one element per lead."""
    rows = [
        (
            state.campaign_id,
            state.lead_id,
            state.status.value,
            state.next_step,
            state.due_at,
            state.remaining_s,
            state.resume_at,
            state.reason,
            state.last_manual_at,
            state.version,
            state.updated_at,
            state.auto_paused,
            wake,
        )
        for state, wake in states
    ]
    return [list(column) for column in zip(*rows, strict=True)]


_UPSERT_LEADS_CTE = f"""
WITH written AS (
  INSERT INTO leads ({LEAD_COLUMNS}, wake_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::timestamptz[],
                       $6::float8[], $7::timestamptz[], $8::text[], $9::timestamptz[],
                       $10::bigint[], $11::timestamptz[], $12::bool[], $13::timestamptz[])
  ON CONFLICT (campaign_id, lead_id) DO UPDATE SET
    status = excluded.status, next_step = excluded.next_step, due_at = excluded.due_at,
    remaining_s = excluded.remaining_s, resume_at = excluded.resume_at, reason = excluded.reason,
    last_manual_at = excluded.last_manual_at, version = excluded.version,
    auto_paused = excluded.auto_paused,
    updated_at = excluded.updated_at, wake_at = excluded.wake_at
  WHERE leads.version <= excluded.version
  RETURNING 1
)"""
UPSERT_LEADS = _UPSERT_LEADS_CTE + "\nSELECT count(*) FROM written\n"


SET_WAKE = (
    "UPDATE leads SET wake_at = u.wake FROM unnest($1::text[], $2::text[],"
    " $3::timestamptz[]) AS u(c, l, wake) WHERE leads.campaign_id = u.c"
    " AND leads.lead_id = u.l"
)


async def set_wake(conn: Conn, keys: Sequence[tuple[str, str, datetime | None]]) -> None:
    """Change only the wake-up time of leads whose state did not change."""
    if keys:
        await conn.execute(
            SET_WAKE,
            [k[0] for k in keys],
            [k[1] for k in keys],
            [k[2] for k in keys],
        )


FIRST_SEEN = (
    "INSERT INTO inbox (command_id) SELECT DISTINCT unnest($1::text[])"
    " ON CONFLICT DO NOTHING RETURNING command_id"
)


async def first_seen(conn: Conn, command_ids: Sequence[str]) -> set[str]:
    """Record command ids in the inbox; return those never seen before."""
    rows = await conn.fetch(FIRST_SEEN, list(command_ids))
    return {r["command_id"] for r in rows}


PRUNE_INBOX = (
    "DELETE FROM inbox WHERE command_id IN (SELECT command_id FROM inbox"
    " WHERE processed_at < (SELECT clock_timestamp()) - make_interval(days => $1)"
    " ORDER BY processed_at LIMIT $2)"
)


async def prune_inbox(conn: Conn, *, keep_days: int, limit: int) -> int:
    """Forget up to ``limit`` command ids older than ``keep_days``; return how many.

    ``keep_days`` must exceed the commands topic's retention. The limit keeps each delete
    short, so the caller can interleave it with its other work.
    """
    done = await conn.execute(PRUNE_INBOX, keep_days, limit)
    return int(done.split()[-1])


FIRST_SENDS = (
    "INSERT INTO send_log (send_id, requested_at) SELECT unnest($1::text[]), $2"
    " ON CONFLICT DO NOTHING RETURNING send_id"
)


async def first_sends(conn: Conn, send_ids: Sequence[str], now: datetime) -> set[str]:
    """Record send ids in the send log; return those never requested before."""
    if not send_ids:
        return set()
    rows = await conn.fetch(FIRST_SENDS, list(send_ids), now)
    return {r["send_id"] for r in rows}


SAVE_SEND_TOKENS = (
    "INSERT INTO send_tokens (ref, campaign_id, lead_id, step, requested_at)"
    " SELECT * FROM unnest($1::bytea[], $2::text[], $3::text[], $4::int[], $5::timestamptz[])"
    " ON CONFLICT (ref) DO NOTHING"
)


async def save_send_tokens(conn: Conn, sends: Sequence[tuple[bytes, SendRequest]]) -> None:
    """Record which send each token's ref names (``send_tokens``), with the sends themselves.

    A ref already recorded (the same send requested again, which the send log then drops) is
    left as it is: rows never change.
    """
    if not sends:
        return
    await conn.execute(
        SAVE_SEND_TOKENS,
        [ref for ref, _ in sends],
        [s.campaign_id for _, s in sends],
        [s.lead_id for _, s in sends],
        [s.step for _, s in sends],
        [s.requested_at for _, s in sends],
    )


PRUNE_SEND_TOKENS = (
    "DELETE FROM send_tokens WHERE ctid = ANY(ARRAY(SELECT ctid FROM send_tokens"
    " WHERE requested_at < (SELECT clock_timestamp()) - make_interval(days => $1)"
    " ORDER BY requested_at LIMIT $2))"
)


async def prune_send_tokens(conn: Conn, *, keep_days: int, limit: int) -> int:
    """Forget up to ``limit`` sends requested more than ``keep_days`` ago; return how many.

    Their tokens then name no send of ours: an event carrying only such a token goes to the
    DLQ. The oldest go first (index ``send_tokens_requested_at``); the rows are deleted by
    ``ctid`` (a TID scan: no second index lookup per row). Rows never change, and a row
    another replica deleted meanwhile is simply not found.
    """
    done = await conn.execute(PRUNE_SEND_TOKENS, keep_days, limit)
    return int(done.split()[-1])


LOAD_OFFSETS = "SELECT partition, next_offset FROM consumer_offsets WHERE topic = $1"


async def load_offsets(conn: Conn, topic: str) -> dict[int, int]:
    """The next offset to consume per partition of ``topic``, as stored with the state."""
    rows = await conn.fetch(LOAD_OFFSETS, topic)
    return {r["partition"]: r["next_offset"] for r in rows}


#: Each partition moves from the offset this replica expects ($4) to the next ($3), and the
#: batch's command ids ($5) are recorded, in one round trip: the offsets move first (an
#: InitPlan each, in order), so replicas meet in the same order.
_MOVE_OFFSETS_RECORD_IDS = (
    "WITH moved AS ("
    " INSERT INTO consumer_offsets (topic, partition, next_offset)"
    " SELECT $1, p, f FROM unnest($2::int[], $3::bigint[]) AS m(p, f)"
    " ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset"
    " WHERE consumer_offsets.next_offset = (SELECT e FROM unnest($2::int[], $4::bigint[])"
    "   AS x(p, e) WHERE x.p = excluded.partition)"
    " RETURNING 1),"
    " fresh AS ("
    " INSERT INTO inbox (command_id) SELECT DISTINCT unnest($5::text[])"
    " ON CONFLICT DO NOTHING RETURNING command_id)"
)
_MOVED_FRESH = (
    " SELECT (SELECT count(*) FROM moved) AS moved, ARRAY(SELECT command_id FROM fresh) AS fresh"
)
ADVANCE_OFFSETS_FIRST_SEEN = _MOVE_OFFSETS_RECORD_IDS + _MOVED_FRESH


async def advance_offsets_first_seen(
    conn: Conn, topic: str, moves: dict[int, tuple[int, int]], command_ids: Sequence[str]
) -> set[str]:
    """``advance_offsets`` and ``first_seen`` in one statement: the command ids never seen."""
    parts = sorted(moves)
    row = await conn.fetchrow(
        ADVANCE_OFFSETS_FIRST_SEEN,
        topic,
        parts,
        [moves[p][1] for p in parts],
        [moves[p][0] for p in parts],
        list(command_ids),
    )
    assert row is not None
    if row["moved"] != len(parts):
        raise OffsetConflict(f"{topic}: offsets moved past {moves} elsewhere")
    return set(row["fresh"])


#: A command batch's first statement: ``ADVANCE_OFFSETS_FIRST_SEEN``, then the shared locks of
#: the batch's campaigns ($6, as ``lock_campaigns``), then the count of relay shards (for
#: ``write_outbox``): three round trips in one. The offsets move first, as before the locks;
#: the campaigns themselves are read by the next statement, whose snapshot is taken after
#: every lock is held (in this one, a lock that waited would leave it with an older one).
OPEN_COMMAND_BATCH = (
    _MOVE_OFFSETS_RECORD_IDS + ", locked AS MATERIALIZED ("
    " SELECT pg_advisory_xact_lock_shared(hashtextextended(id, 0))"
    " FROM unnest($6::text[]) AS id ORDER BY id)"
    + _MOVED_FRESH
    + ", (SELECT count(*) FROM locked) AS locked, (SELECT count(*) FROM outbox_shards) AS shards"
)


@dataclass(frozen=True, slots=True)
class OpenedBatch:
    """What ``open_command_batch`` learnt: the command ids never seen, the relay shards."""

    fresh: set[str]
    shards: int


async def open_command_batch(
    conn: Conn,
    topic: str,
    moves: dict[int, tuple[int, int]],
    command_ids: Sequence[str],
    campaign_ids: Iterable[str],
) -> OpenedBatch:
    """``advance_offsets_first_seen``, ``lock_campaigns`` (shared) and the shard count at once."""
    parts = sorted(moves)
    row = await conn.fetchrow(
        OPEN_COMMAND_BATCH,
        topic,
        parts,
        [moves[p][1] for p in parts],
        [moves[p][0] for p in parts],
        list(command_ids),
        sorted(set(campaign_ids)),
    )
    assert row is not None
    if row["moved"] != len(parts):
        raise OffsetConflict(f"{topic}: offsets moved past {moves} elsewhere")
    return OpenedBatch(set(row["fresh"]), int(row["shards"]) or 1)


async def advance_offsets(conn: Conn, topic: str, moves: dict[int, tuple[int, int]]) -> None:
    """Move each partition from its expected offset to the next; raise if another replica did.

    One statement for every partition of the batch: a row moves only from the offset this
    replica expects, so the count of rows written tells whether another one got there first.
    """
    await advance_offsets_first_seen(conn, topic, moves, ())


@dataclass(frozen=True, slots=True)
class StoredCampaign:
    """A campaigns-table row."""

    version: int
    campaign: Campaign | None  # None: deleted


LOAD_CAMPAIGNS = (
    "SELECT campaign_id, launched, settings, sends_held_at IS NOT NULL AS held FROM campaigns"
    " WHERE campaign_id = ANY($1::text[]) AND NOT deleted"
)


async def load_campaigns(
    conn: Conn, campaign_ids: Iterable[str], *, sending: bool = False
) -> dict[str, Campaign]:
    """The live (not deleted) campaigns among ``campaign_ids``.

    ``sending`` (the timers): a campaign whose sends are held (``hold_sends``) reads as
    paused, so no lead of it is sent while the change that stops it fans out.
    """
    rows = await conn.fetch(LOAD_CAMPAIGNS, list(set(campaign_ids)))
    loaded = {r["campaign_id"]: _campaign(r) for r in rows}
    if sending:
        for row in rows:
            if row["held"]:
                loaded[row["campaign_id"]] = _held(loaded[row["campaign_id"]])
    return loaded


def _held(campaign: Campaign) -> Campaign:
    paused = campaign.settings.model_copy(update={"status": CampaignStatus.PAUSED})
    return Campaign(settings=paused, launched=campaign.launched)


#: Before a change that stops a running campaign from sending fans out (one long transaction),
#: its sends are held in a transaction of their own: the change holds from this commit on.
#: Only a live, active campaign older than the change is held ($2 NULL: a deletion), so a
#: change another replica already applied (or is applying: this waits for its row lock) holds
#: nothing. ``save_campaign`` clears the mark.
HOLD_SENDS = (
    "UPDATE campaigns SET sends_held_at = clock_timestamp()"
    " WHERE campaign_id = $1 AND NOT deleted AND sends_held_at IS NULL"
    " AND settings->>'status' = 'active' AND ($2::bigint IS NULL OR version < $2::bigint)"
)
RELEASE_SENDS = "UPDATE campaigns SET sends_held_at = NULL WHERE campaign_id = ANY($1::text[])"


async def hold_sends(conn: Conn, campaign_id: str, version: int | None) -> bool:
    """Hold the sends of ``campaign_id`` until a change to ``version`` is saved (see above)."""
    return str(await conn.execute(HOLD_SENDS, campaign_id, version)) != "UPDATE 0"


async def release_sends(conn: Conn, campaign_ids: Iterable[str]) -> None:
    """Lift the holds of changes that will not be applied (refused for good)."""
    await conn.execute(RELEASE_SENDS, list(set(campaign_ids)))


#: ``DB_NOW`` and ``LOAD_CAMPAIGNS`` in one round trip: one row with ``now`` alone when none
#: of the campaigns is live (the clock is read once, as an InitPlan).
LOAD_CAMPAIGNS_NOW = (
    "SELECT (SELECT clock_timestamp()) AS now, c.campaign_id, c.launched, c.settings"
    " FROM (SELECT 1) AS one LEFT JOIN campaigns c"
    " ON c.campaign_id = ANY($1::text[]) AND NOT c.deleted"
)


async def load_campaigns_now(
    conn: Conn, campaign_ids: Iterable[str]
) -> tuple[datetime, dict[str, Campaign]]:
    """``db_now`` and ``load_campaigns`` in one statement."""
    rows = await conn.fetch(LOAD_CAMPAIGNS_NOW, list(set(campaign_ids)))
    now = rows[0]["now"]
    assert isinstance(now, datetime)
    return now, {r["campaign_id"]: _campaign(r) for r in rows if r["campaign_id"] is not None}


def _campaign(row: asyncpg.Record) -> Campaign:
    return Campaign(settings=parse_settings(row["settings"]), launched=row["launched"])


@functools.lru_cache(maxsize=4096)
def parse_settings(text: str) -> CampaignSettings:
    """A campaign's stored settings, parsed once per distinct text (models are frozen).

    Every claim of due leads reads the campaigns of its leads: with thousands of campaigns
    due at once, parsing each one's settings again on every claim cost more than the claim.
    """
    return CampaignSettings.model_validate_json(text)


LOCK_CAMPAIGN = (
    "SELECT campaign_id, version, launched, deleted, settings FROM campaigns"
    " WHERE campaign_id = $1 FOR UPDATE"
)


async def lock_campaign(conn: Conn, campaign_id: str) -> StoredCampaign | None:
    """The stored row of a campaign, locked; None when never seen."""
    row = await conn.fetchrow(LOCK_CAMPAIGN, campaign_id)
    if row is None:
        return None
    return StoredCampaign(row["version"], None if row["deleted"] else _campaign(row))


SAVE_CAMPAIGN = (
    "INSERT INTO campaigns (campaign_id, version, launched, deleted, settings, updated_at)"
    " VALUES ($1, $2, $3, $4, $5::jsonb, $6) ON CONFLICT (campaign_id) DO UPDATE SET"
    " version = excluded.version, launched = excluded.launched, deleted = excluded.deleted,"
    " settings = excluded.settings, updated_at = excluded.updated_at, sends_held_at = NULL"
)


async def save_campaign(
    conn: Conn,
    campaign_id: str,
    version: int,
    campaign: Campaign | None,
    now: datetime,
) -> None:
    """Insert or replace a campaign row (``campaign`` None marks it deleted)."""
    settings = campaign.settings.model_dump_json() if campaign else None
    await conn.execute(
        SAVE_CAMPAIGN,
        campaign_id,
        version,
        bool(campaign and campaign.launched),
        campaign is None,
        settings,
        now,
    )


@dataclass(frozen=True, slots=True)
class OutboxRecord:
    """One message for the relay: topic suffix, key, value and optional headers."""

    topic: str
    key: str | None
    value: bytes | None
    headers: tuple[tuple[str, str], ...] = ()


#: How many relay shards the outbox is split into: one row per shard in ``outbox_shards``.
COUNT_SHARDS = "SELECT count(*) FROM outbox_shards"
ENSURE_SHARDS = (
    "INSERT INTO outbox_shards (shard) SELECT generate_series(0, $1 - 1) ON CONFLICT DO NOTHING"
)
#: The channel a commit with outbox rows notifies; the relays listen to it. The payload is
#: the shard the rows went to (one notification per shard), so only that shard's relay wakes;
#: an empty payload (a writer of an older release) wakes every shard.
OUTBOX_CHANNEL = "leadflow_outbox"
#: Take the numbers of the shards ``$1`` (ascending) in one round trip: lock their rows in
#: shard order (the CTE emits, and so locks, its rows in that order; the UPDATE only touches
#: rows it already locked, so two writers never wait on each other in a cycle), add ``$2``
#: to each ``last_seq`` (re-read after any lock wait: PostgreSQL re-evaluates an updated row),
#: and notify each shard's relay (delivered at commit, never for a rolled-back write).
ADVANCE_OUTBOX_SHARDS = f"""
WITH locked AS MATERIALIZED (
  SELECT shard FROM outbox_shards WHERE shard = ANY($1::smallint[]) ORDER BY shard FOR UPDATE
)
UPDATE outbox_shards s SET last_seq = s.last_seq + u.n
FROM unnest($1::smallint[], $2::bigint[]) AS u(shard, n)
WHERE s.shard = u.shard AND s.shard IN (SELECT shard FROM locked)
RETURNING s.shard, s.last_seq, pg_notify('{OUTBOX_CHANNEL}', s.shard::text)
"""


#: ``ADVANCE_OUTBOX_SHARDS`` and the rows' insert in one statement, for a write of up to
#: ``_ONE_STATEMENT_ROWS`` rows (a command batch's few): the shards are locked and numbered
#: as there, then each row ($3..$8, its shard and its 1-based place among that shard's rows)
#: is inserted at the shard's previous ``last_seq`` plus its place. Larger writes take the
#: numbers, then COPY their rows (cheaper per row, one more round trip).
def _outbox_ctes(first: int, gate: str = "") -> str:
    """``locked`` and ``taken``: ``ADVANCE_OUTBOX_SHARDS`` as CTEs (shards ``$first``, counts next).

    ``gate``: a condition the shards' lock waits for (another CTE having run to its end).
    """
    counts = first + 1
    return f"""locked AS MATERIALIZED (
  SELECT shard FROM outbox_shards WHERE shard = ANY(${first}::smallint[]){gate}
  ORDER BY shard FOR UPDATE
), taken AS (
  UPDATE outbox_shards s SET last_seq = s.last_seq + u.n
  FROM unnest(${first}::smallint[], ${counts}::bigint[]) AS u(shard, n)
  WHERE s.shard = u.shard AND s.shard IN (SELECT shard FROM locked)
  RETURNING s.shard, s.last_seq - u.n AS before, pg_notify('{OUTBOX_CHANNEL}', s.shard::text)
)"""


def _outbox_insert(first: int) -> str:
    """The rows' insert after ``_outbox_ctes(first)``: their six arrays from ``$first + 2``."""
    p = [f"${n}" for n in range(first + 2, first + 8)]
    return f"""INSERT INTO outbox (shard, seq, topic, key, value, headers)
SELECT r.shard, t.before + r.place, r.topic, r.key, r.value, r.headers::jsonb
FROM unnest({p[0]}::smallint[], {p[1]}::bigint[], {p[2]}::text[], {p[3]}::text[],
            {p[4]}::bytea[], {p[5]}::text[]) AS r(shard, place, topic, key, value, headers)
JOIN taken t ON t.shard = r.shard"""


WRITE_OUTBOX_ROWS = f"WITH {_outbox_ctes(1)}\n{_outbox_insert(1)}"
#: ``UPSERT_LEADS`` and ``WRITE_OUTBOX_ROWS`` in one statement (a command batch's leads and
#: output): the shards are locked only once every lead row is written (their lock waits for
#: the count of ``written``), as when the two statements follow each other.
SAVE_LEADS_WRITE_OUTBOX = (
    f"{_UPSERT_LEADS_CTE},\n{_outbox_ctes(14, ' AND (SELECT count(*) FROM written) >= 0')},\n"
    f"inserted AS ({_outbox_insert(14)}\nRETURNING 1)\n"
    "SELECT (SELECT count(*) FROM written) AS written, (SELECT count(*) FROM inserted) AS inserted"
)
#: The most rows ``write_outbox`` writes with ``WRITE_OUTBOX_ROWS``.
_ONE_STATEMENT_ROWS = 500


def shard_of(key: str | None, shards: int) -> int:
    """The relay shard of a record: a stable hash of its key (a lead's records share one)."""
    if key is None or shards <= 1:
        return 0
    return zlib.crc32(key.encode()) % shards


async def ensure_shards(conn: Conn, shards: int) -> None:
    """Create the sequence rows of shards ``0 .. shards - 1`` (existing ones are kept)."""
    await conn.execute(ENSURE_SHARDS, shards)


async def write_outbox(
    conn: Conn, records: Sequence[OutboxRecord], *, shards: int | None = None
) -> None:
    """Append ``records`` with gap-free sequence numbers per shard and wake their relays at commit.

    ``shards``: the count of relay shards when the transaction read it already
    (``open_command_batch``); otherwise it is read here.

    Each record goes to the shard of its key (``shard_of``). Taking a shard's numbers locks its
    ``outbox_shards`` row until this transaction ends, in shard order, so per shard sequence
    order is commit order: a relay can never see seq n+1 of its shard committed before seq n.
    Only the shards a transaction writes to are locked: writers of other shards run beside it.
    """
    if not records:
        return
    if shards is None:
        shards = await count_shards(conn)
    if fits_one_statement(records):
        arrays = _outbox_arrays(records, shards)
        done = await conn.execute(WRITE_OUTBOX_ROWS, *arrays)
        _check_inserted(int(done.split()[-1]), records, arrays[0])
        return
    placed = [shard_of(r.key, shards) for r in records]
    counts: dict[int, int] = {}
    for shard in placed:
        counts[shard] = counts.get(shard, 0) + 1
    order = sorted(counts)
    rows = await conn.fetch(ADVANCE_OUTBOX_SHARDS, order, [counts[s] for s in order])
    next_seq = {r["shard"]: r["last_seq"] - counts[r["shard"]] + 1 for r in rows}
    out = []
    for shard, r in zip(placed, records, strict=True):
        seq = next_seq[shard]
        next_seq[shard] = seq + 1
        headers = json.dumps(r.headers) if r.headers else None
        out.append((shard, seq, r.topic, r.key, r.value, headers))
    await conn.copy_records_to_table(
        "outbox", records=out, columns=["shard", "seq", "topic", "key", "value", "headers"]
    )


async def count_shards(conn: Conn) -> int:
    """The count of relay shards (1 when none is set up yet)."""
    return int(await conn.fetchval(COUNT_SHARDS)) or 1


def fits_one_statement(records: Sequence[OutboxRecord]) -> bool:
    """Whether ``records`` are written in one statement (``WRITE_OUTBOX_ROWS``)."""
    return len(records) <= _ONE_STATEMENT_ROWS


def _outbox_arrays(records: Sequence[OutboxRecord], shards: int) -> list[list[object]]:
    """``WRITE_OUTBOX_ROWS``'s arrays: the shards and their counts, then per row its shard,
    its place among that shard's rows (from 1), topic, key, value and headers."""
    placed = [shard_of(r.key, shards) for r in records]
    counts: dict[int, int] = {}
    places: list[object] = []
    for shard in placed:
        counts[shard] = place = counts.get(shard, 0) + 1
        places.append(place)
    order = sorted(counts)
    return [
        list(order),
        [counts[s] for s in order],
        list(placed),
        places,
        [r.topic for r in records],
        [r.key for r in records],
        [r.value for r in records],
        [json.dumps(r.headers) if r.headers else None for r in records],
    ]


def _check_inserted(inserted: int, records: Sequence[OutboxRecord], order: object) -> None:
    if inserted != len(records):
        raise RuntimeError(f"outbox shards {order} missing: run `leadflow setup`")


async def save_leads_write_outbox(
    conn: Conn,
    states: Sequence[tuple[LeadState, datetime | None]],
    records: Sequence[OutboxRecord],
    *,
    shards: int,
) -> None:
    """``save_leads`` and ``write_outbox`` in one round trip (``SAVE_LEADS_WRITE_OUTBOX``).

    For a few records (``fits_one_statement``) and at least one lead.
    """
    outbox = _outbox_arrays(records, shards)
    row = await conn.fetchrow(SAVE_LEADS_WRITE_OUTBOX, *_lead_columns(states), *outbox)
    assert row is not None
    if row["written"] != len(states):
        raise VersionConflict(f"{len(states) - row['written']} lead rows changed concurrently")
    _check_inserted(row["inserted"], records, outbox[0])


def notified_shards(payload: str, shards: int) -> range | list[int]:
    """The shards an outbox notification names: every shard when it names none it knows."""
    named = [int(part) for part in payload.split(",") if part.strip().isdigit()]
    known = [shard for shard in named if shard < shards]
    return known or range(shards)


# --- a campaign change's outbox: staged, numbered at the end --------------------------------

#: A campaign change of a million leads writes a million statuses over about a minute. Written
#: to the outbox as they come, they would take the shards' numbers (``write_outbox``) at the
#: first chunk and hold those rows locked until the commit, stopping every other writer
#: (commands, timers) of the replica fleet for that minute. Staged in a temporary table
#: instead, they take their numbers at the end, in one statement: the shards are locked for
#: that statement only. The table is the transaction's own and goes with it.
CREATE_STAGING = (
    "CREATE TEMP TABLE outbox_staged (ord bigserial, shard smallint NOT NULL, topic text NOT NULL,"
    " key text, value bytea, headers jsonb) ON COMMIT DROP"
)
#: In shard order, like ``write_outbox`` (no cycle between two writers).
LOCK_STAGED_SHARDS = (
    "SELECT shard FROM outbox_shards WHERE shard IN (SELECT DISTINCT shard FROM outbox_staged)"
    " ORDER BY shard FOR UPDATE"
)
#: Each staged row gets the next number of its shard, in staging order (a lead's records keep
#: their order: they are all in one shard).
PUBLISH_STAGED = """
WITH counts AS (SELECT shard, count(*) AS n FROM outbox_staged GROUP BY shard),
advanced AS (
  UPDATE outbox_shards s SET last_seq = s.last_seq + c.n FROM counts c WHERE s.shard = c.shard
  RETURNING s.shard, s.last_seq - c.n AS base
)
INSERT INTO outbox (shard, seq, topic, key, value, headers)
SELECT st.shard, a.base + row_number() OVER (PARTITION BY st.shard ORDER BY st.ord),
       st.topic, st.key, st.value, st.headers
FROM outbox_staged st JOIN advanced a ON a.shard = st.shard
"""


async def start_staging(conn: Conn) -> None:
    """Open this transaction's staging table (``stage_outbox``, ``publish_staged``)."""
    await conn.execute(CREATE_STAGING)


async def stage_outbox(conn: Conn, records: Sequence[OutboxRecord]) -> None:
    """Stage ``records`` for the outbox (in order, each in the shard of its key)."""
    if not records:
        return
    shards = int(await conn.fetchval(COUNT_SHARDS)) or 1
    rows = [
        (
            shard_of(r.key, shards),
            r.topic,
            r.key,
            r.value,
            json.dumps(r.headers) if r.headers else None,
        )
        for r in records
    ]
    await conn.copy_records_to_table(
        "outbox_staged", records=rows, columns=["shard", "topic", "key", "value", "headers"]
    )


async def publish_staged(conn: Conn) -> int:
    """Move the staged records to the outbox with their shards' next numbers; how many."""
    await conn.execute(LOCK_STAGED_SHARDS)
    moved = int(str(await conn.execute(PUBLISH_STAGED)).rsplit(" ", 1)[-1])
    if moved:
        await conn.execute(f"NOTIFY {OUTBOX_CHANNEL}")
    return moved


# --- the relay: shard leadership, outbox reading, position and trimming --------------------

#: Advisory lock classes (the first key of ``pg_advisory_lock(int, int)``).
SHARD_LOCK_CLASS = 0x1EAD_F10
MEMBER_LOCK_CLASS = 0x1EAD_F11
TRY_LOCK = "SELECT pg_try_advisory_lock($1::int, $2::int)"
#: Relay members alive now: holders of a member lock in this database (a dead session's go).
COUNT_MEMBERS = (
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
    " AND classid = $1::int::oid AND objsubid = 2"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)
#: The shard's recorded relay before a take: its owner (NULL when released or never led) and
#: whether the last release was a clean one of this release (``RELEASE_SHARD`` sets ``since``;
#: an older release's, and migration 0005's row, leave it NULL). No row: never led.
SHARD_OWNER = "SELECT owner, owner IS NULL AND since IS NOT NULL FROM relay_shards WHERE shard = $1"
TAKE_SHARD = (
    "INSERT INTO relay_shards AS r (shard, owner, epoch, since)"
    " VALUES ($1, $2, 1, clock_timestamp())"
    " ON CONFLICT (shard) DO UPDATE SET owner = excluded.owner, epoch = r.epoch + 1,"
    " since = excluded.since RETURNING epoch"
)
HOLDS_SHARD = "SELECT 1 FROM relay_shards WHERE shard = $1 AND owner = $2 AND epoch = $3"
#: The channel on which relay sessions announce a change: a session joined (payload ``join``)
#: or a shard was handed over (payload its number). Every relay session listens to it.
RELAY_CHANNEL = "leadflow_relay"
#: A clean hand-over in one round trip: the shard is marked led by nobody since now (so its
#: next leader fences nobody), its lock released, and the other sessions told at commit (after
#: the unlock, so a woken session finds the lock free).
RELEASE_SHARD = f"""
WITH released AS (
  UPDATE relay_shards SET owner = NULL, since = clock_timestamp()
  WHERE shard = $1 AND owner = $2 RETURNING shard
)
SELECT pg_advisory_unlock($3::int, $1::int), pg_notify('{RELAY_CHANNEL}', $1::text)
"""
#: Columns in the order the relay unpacks them (``relay.Relay._publish``).
#: The rows after each position of a session's shards (``$1`` shards, ``$2`` positions), at
#: most ``$3`` per shard, in sequence order per shard: one statement for every shard it leads.
FETCH_OUTBOX = """
SELECT o.shard, o.topic, o.key, o.value, o.headers, o.seq
FROM unnest($1::smallint[], $2::bigint[]) AS p(shard, after)
CROSS JOIN LATERAL (
  SELECT shard, topic, key, value, headers, seq FROM outbox
  WHERE shard = p.shard AND seq > p.after ORDER BY seq LIMIT $3
) o
ORDER BY o.shard, o.seq
"""
RECORD_RELAYED = (
    "UPDATE relay_shards SET relayed_seq = $1 WHERE shard = $2 AND owner = $3 AND epoch = $4"
)
TRIM_OUTBOX = (
    "DELETE FROM outbox o USING relay_shards r WHERE o.shard = r.shard AND o.seq <= r.relayed_seq"
)
OUTBOX_BACKLOG = (
    "SELECT coalesce(sum(greatest(0, s.last_seq - coalesce(r.relayed_seq, 0))), 0)"
    " FROM outbox_shards s LEFT JOIN relay_shards r USING (shard)"
)
SHARD_LAST_SEQS = "SELECT shard, last_seq FROM outbox_shards WHERE last_seq > 0"


async def try_lock(conn: Conn, lock_class: int, key: int) -> bool:
    """Take a session advisory lock without waiting; True when this session holds it now."""
    return bool(await conn.fetchval(TRY_LOCK, lock_class, key))


async def count_members(conn: Conn) -> int:
    """How many relay members hold their member lock in this database now."""
    return int(await conn.fetchval(COUNT_MEMBERS, MEMBER_LOCK_CLASS))


async def shard_owner(conn: Conn, shard: int) -> tuple[str | None, bool]:
    """The shard's recorded relay (None when none) and whether it was released cleanly."""
    row = await conn.fetchrow(SHARD_OWNER, shard)
    return (None, True) if row is None else (row[0], bool(row[1]))


async def take_shard(conn: Conn, shard: int, owner: str) -> int:
    """Record ``owner`` as the shard's relay (it holds the shard's lock); the new epoch."""
    return int(await conn.fetchval(TAKE_SHARD, shard, owner))


async def holds_shard(conn: Conn, shard: int, owner: str, epoch: int) -> bool:
    """Whether ``owner`` still leads the shard at ``epoch`` (nobody took it over since)."""
    return await conn.fetchval(HOLDS_SHARD, shard, owner, epoch) is not None


async def release_shard(conn: Conn, shard: int, owner: str) -> None:
    """Hand the shard over cleanly: led by nobody (when ``owner`` led it), lock released."""
    await conn.execute(RELEASE_SHARD, shard, owner, SHARD_LOCK_CLASS)


async def announce_member(conn: Conn) -> None:
    """Tell the other relay sessions that one joined (they hand a surplus over at once)."""
    await conn.execute(f"NOTIFY {RELAY_CHANNEL}, 'join'")


async def fetch_outbox(conn: Conn, positions: dict[int, int], limit: int) -> list[asyncpg.Record]:
    """Up to ``limit`` rows per shard after its position, in sequence order per shard.

    Columns: shard, topic, key, value, headers, seq.
    """
    shards = list(positions)
    return list(await conn.fetch(FETCH_OUTBOX, shards, [positions[s] for s in shards], limit))


async def record_relayed(conn: Conn, shard: int, position: int, owner: str, epoch: int) -> None:
    """Note how far the shard's relay has published (advisory: Kafka holds the truth)."""
    await conn.execute(RECORD_RELAYED, position, shard, owner, epoch)


async def shard_last_seqs(conn: Conn) -> dict[int, int]:
    """The last sequence number written per shard (shards never written to are left out)."""
    return {r["shard"]: int(r["last_seq"]) for r in await conn.fetch(SHARD_LAST_SEQS)}


async def trim_outbox(conn: Conn) -> tuple[int, int]:
    """Delete rows published for good; return (rows deleted, rows still to publish)."""
    done = await conn.execute(TRIM_OUTBOX)
    backlog = await conn.fetchval(OUTBOX_BACKLOG)
    return int(done.split()[-1]), int(backlog or 0)
