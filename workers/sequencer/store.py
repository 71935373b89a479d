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

from schemas import CampaignSettings, LeadStatusValue, SendRequest
from workers.core import Campaign, LeadState

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
    """A pool whose sessions carry ``SERVER_SETTINGS``."""
    pool = await asyncpg.create_pool(
        url, min_size=min_size, max_size=max_size, server_settings=SERVER_SETTINGS
    )
    assert pool is not None
    return pool


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


async def claim_due(conn: Conn, limit: int) -> tuple[list[tuple[LeadState, datetime]], datetime]:
    """Lock up to ``limit`` leads whose wake-up time has come, skipping rows others hold."""
    rows = await conn.fetch(CLAIM_DUE, limit)
    now = rows[-1]["now"] if rows else await db_now(conn)
    return [(lead_from_row(r), r["wake_at"]) for r in rows], now


LOCK_CAMPAIGN_LEADS = (
    f"SELECT {LEAD_COLUMNS} FROM leads WHERE campaign_id = $1 ORDER BY lead_id FOR UPDATE"
)


async def lock_campaign_leads(
    conn: Conn, campaign_id: str, *, chunk: int = 5000
) -> AsyncIterator[list[LeadState]]:
    """Every lead of a campaign, locked (a campaign change touches them all), in chunks.

    A cursor hands the rows over ``chunk`` at a time, so the caller's work between two fetches
    stays short: the session never sits idle in its transaction long enough for the server's
    ``idle_in_transaction_session_timeout`` to end it, however large the campaign.
    """
    cursor = await conn.cursor(LOCK_CAMPAIGN_LEADS, campaign_id)
    while rows := await cursor.fetch(chunk):
        yield [lead_from_row(r) for r in rows]


async def save_leads(conn: Conn, states: Sequence[tuple[LeadState, datetime | None]]) -> None:
    """Insert or update leads (with their wake-up time) under a version guard."""
    if not states:
        return
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
    columns = [list(column) for column in zip(*rows, strict=True)]
    written = await conn.fetchval(UPSERT_LEADS, *columns)
    if written != len(states):
        raise VersionConflict(f"{len(states) - written} lead rows changed concurrently")


UPSERT_LEADS = f"""
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
)
SELECT count(*) FROM written
"""


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


LOAD_OFFSETS = "SELECT partition, next_offset FROM consumer_offsets WHERE topic = $1"


async def load_offsets(conn: Conn, topic: str) -> dict[int, int]:
    """The next offset to consume per partition of ``topic``, as stored with the state."""
    rows = await conn.fetch(LOAD_OFFSETS, topic)
    return {r["partition"]: r["next_offset"] for r in rows}


ADVANCE_OFFSETS = (
    "WITH moved AS ("
    " INSERT INTO consumer_offsets (topic, partition, next_offset)"
    " SELECT $1, p, f FROM unnest($2::int[], $3::bigint[]) AS m(p, f)"
    " ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset"
    " WHERE consumer_offsets.next_offset = (SELECT e FROM unnest($2::int[], $4::bigint[])"
    "   AS x(p, e) WHERE x.p = excluded.partition)"
    " RETURNING 1)"
    " SELECT count(*) FROM moved"
)


async def advance_offsets(conn: Conn, topic: str, moves: dict[int, tuple[int, int]]) -> None:
    """Move each partition from its expected offset to the next; raise if another replica did.

    One statement for every partition of the batch: a row moves only from the offset this
    replica expects, so the count of rows written tells whether another one got there first.
    """
    parts = sorted(moves)
    written = await conn.fetchval(
        ADVANCE_OFFSETS,
        topic,
        parts,
        [moves[p][1] for p in parts],
        [moves[p][0] for p in parts],
    )
    if written != len(parts):
        raise OffsetConflict(f"{topic}: offsets moved past {moves} elsewhere")


@dataclass(frozen=True, slots=True)
class StoredCampaign:
    """A campaigns-table row."""

    version: int
    campaign: Campaign | None  # None: deleted


LOAD_CAMPAIGNS = (
    "SELECT campaign_id, launched, settings FROM campaigns"
    " WHERE campaign_id = ANY($1::text[]) AND NOT deleted"
)


async def load_campaigns(conn: Conn, campaign_ids: Iterable[str]) -> dict[str, Campaign]:
    """The live (not deleted) campaigns among ``campaign_ids``."""
    rows = await conn.fetch(LOAD_CAMPAIGNS, list(set(campaign_ids)))
    return {r["campaign_id"]: _campaign(r) for r in rows}


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
    " settings = excluded.settings, updated_at = excluded.updated_at"
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
LOCK_OUTBOX_SHARDS = (
    "SELECT shard FROM outbox_shards WHERE shard = ANY($1::smallint[]) ORDER BY shard FOR UPDATE"
)
ADVANCE_OUTBOX_SHARDS = (
    "UPDATE outbox_shards s SET last_seq = s.last_seq + u.n"
    " FROM unnest($1::smallint[], $2::bigint[]) AS u(shard, n)"
    " WHERE s.shard = u.shard RETURNING s.shard, s.last_seq"
)
#: The channel a commit with outbox rows notifies; the relays listen to it.
OUTBOX_CHANNEL = "leadflow_outbox"
NOTIFY_OUTBOX = f"NOTIFY {OUTBOX_CHANNEL}"


def shard_of(key: str | None, shards: int) -> int:
    """The relay shard of a record: a stable hash of its key (a lead's records share one)."""
    if key is None or shards <= 1:
        return 0
    return zlib.crc32(key.encode()) % shards


async def ensure_shards(conn: Conn, shards: int) -> None:
    """Create the sequence rows of shards ``0 .. shards - 1`` (existing ones are kept)."""
    await conn.execute(ENSURE_SHARDS, shards)


async def write_outbox(conn: Conn, records: Sequence[OutboxRecord]) -> None:
    """Append ``records`` with gap-free sequence numbers per shard and wake the relays at commit.

    Each record goes to the shard of its key (``shard_of``). Taking a shard's numbers locks its
    ``outbox_shards`` row until this transaction ends, in shard order, so per shard sequence
    order is commit order: a relay can never see seq n+1 of its shard committed before seq n.
    Only the shards a transaction writes to are locked: writers of other shards run beside it.
    """
    if not records:
        return
    shards = int(await conn.fetchval(COUNT_SHARDS)) or 1
    placed = [shard_of(r.key, shards) for r in records]
    counts: dict[int, int] = {}
    for shard in placed:
        counts[shard] = counts.get(shard, 0) + 1
    order = sorted(counts)
    await conn.execute(LOCK_OUTBOX_SHARDS, order)
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
    await conn.execute(NOTIFY_OUTBOX)


# --- the relay: shard leadership, outbox reading, position and trimming --------------------

#: Advisory lock classes (the first key of ``pg_advisory_lock(int, int)``).
SHARD_LOCK_CLASS = 0x1EAD_F10
MEMBER_LOCK_CLASS = 0x1EAD_F11
TRY_LOCK = "SELECT pg_try_advisory_lock($1::int, $2::int)"
UNLOCK = "SELECT pg_advisory_unlock($1::int, $2::int)"
#: Relay members alive now: holders of a member lock in this database (a dead session's go).
COUNT_MEMBERS = (
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
    " AND classid = $1::int::oid AND objsubid = 2"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)
TAKE_SHARD = (
    "INSERT INTO relay_shards AS r (shard, owner, epoch, since)"
    " VALUES ($1, $2, 1, clock_timestamp())"
    " ON CONFLICT (shard) DO UPDATE SET owner = excluded.owner, epoch = r.epoch + 1,"
    " since = excluded.since RETURNING epoch"
)
HOLDS_SHARD = "SELECT 1 FROM relay_shards WHERE shard = $1 AND owner = $2 AND epoch = $3"
RELEASE_SHARD = "UPDATE relay_shards SET owner = NULL, since = NULL WHERE shard = $1 AND owner = $2"
#: Columns in the order the relay unpacks them (``relay.Relay._publish``).
FETCH_OUTBOX = (
    "SELECT topic, key, value, headers, seq FROM outbox WHERE shard = $1 AND seq > $2"
    " ORDER BY seq LIMIT $3"
)
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


async def unlock(conn: Conn, lock_class: int, key: int) -> None:
    """Release a session advisory lock this session holds."""
    await conn.fetchval(UNLOCK, lock_class, key)


async def count_members(conn: Conn) -> int:
    """How many relay members hold their member lock in this database now."""
    return int(await conn.fetchval(COUNT_MEMBERS, MEMBER_LOCK_CLASS))


async def take_shard(conn: Conn, shard: int, owner: str) -> int:
    """Record ``owner`` as the shard's relay (it holds the shard's lock); the new epoch."""
    return int(await conn.fetchval(TAKE_SHARD, shard, owner))


async def holds_shard(conn: Conn, shard: int, owner: str, epoch: int) -> bool:
    """Whether ``owner`` still leads the shard at ``epoch`` (nobody took it over since)."""
    return await conn.fetchval(HOLDS_SHARD, shard, owner, epoch) is not None


async def release_shard(conn: Conn, shard: int, owner: str) -> None:
    """Mark the shard as led by nobody (when ``owner`` led it)."""
    await conn.execute(RELEASE_SHARD, shard, owner)


async def fetch_outbox(conn: Conn, shard: int, after: int, limit: int) -> list[asyncpg.Record]:
    """Up to ``limit`` rows of ``shard`` after ``after``, in sequence order."""
    return list(await conn.fetch(FETCH_OUTBOX, shard, after, limit))


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
