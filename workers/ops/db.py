"""Reading the sequencer's tables for ``lead show`` and ``leads list`` (read-only, asyncpg).

Connection failures and a missing schema become one-line :class:`CliError` s (exit 2).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from schemas import Suppression
from workers.core import Campaign, LeadState
from workers.errors import CliError
from workers.sequencer.store import LEAD_COLUMNS, lead_from_row, load_campaigns
from workers.sequencer.suppression_store import in_force

#: Seconds to wait for the database before giving up.
CONNECT_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class LeadView:
    """One lead row, its campaign (None when unknown or deleted) and the database's clock."""

    state: LeadState
    campaign: Campaign | None
    now: datetime
    #: The suppression of the lead's person in force (None: not suppressed).
    suppression: Suppression | None = None


@contextlib.asynccontextmanager
async def connected(url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the sequencer's database; failures as one line, exit 2."""
    try:
        conn = await asyncpg.connect(url, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        raise CliError(
            f"cannot reach the database (LEADFLOW_DATABASE_URL): {_brief(exc)}"
        ) from None
    try:
        yield conn
    except asyncpg.UndefinedTableError:
        raise CliError("the database has no leadflow schema: run `leadflow setup`") from None
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        raise CliError(f"database error: {_brief(exc)}") from None
    finally:
        await conn.close()


def _brief(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


async def fetch_lead(url: str, campaign_id: str, lead_id: str) -> LeadView | None:
    """The lead and its campaign; None when the lead is not enrolled."""
    async with connected(url) as conn:
        row = await conn.fetchrow(
            f"SELECT {LEAD_COLUMNS}, clock_timestamp() AS now FROM leads"
            " WHERE campaign_id = $1 AND lead_id = $2",
            campaign_id,
            lead_id,
        )
        if row is None:
            return None
        campaigns = await load_campaigns(conn, [campaign_id])
        suppressed = await in_force(conn, [lead_id])
    return LeadView(
        lead_from_row(row), campaigns.get(campaign_id), row["now"], suppressed.get(lead_id)
    )


@dataclass(frozen=True, slots=True)
class LeadList:
    """Leads matching a filter, the suppressions in force among their people, and the clock."""

    states: list[LeadState]
    suppressions: dict[str, Suppression]
    now: datetime


async def list_leads(
    url: str, *, campaign_id: str | None, status: str | None, limit: int
) -> LeadList:
    """Leads matching the filters, by campaign then lead, and the database's clock."""
    async with connected(url) as conn:
        rows = await conn.fetch(
            f"SELECT {LEAD_COLUMNS} FROM leads"
            " WHERE ($1::text IS NULL OR campaign_id = $1) AND ($2::text IS NULL OR status = $2)"
            " ORDER BY campaign_id, lead_id LIMIT $3",
            campaign_id,
            status,
            limit,
        )
        now = await conn.fetchval("SELECT clock_timestamp()")
        suppressed = await in_force(conn, {r["lead_id"] for r in rows})
    return LeadList([lead_from_row(r) for r in rows], suppressed, now)
