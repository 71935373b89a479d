"""Reading the sequencer's tables for ``lead show`` and ``leads list`` (read-only, asyncpg).

Connection failures and a missing schema become one-line :class:`CliError` s (exit 2).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from schemas import CampaignSettings, LeadStatusValue
from workers.core import Campaign, LeadState
from workers.errors import CliError

_COLUMNS = (
    "campaign_id, lead_id, status, next_step, due_at, remaining_s, resume_at, reason,"
    " last_manual_at, version, updated_at"
)
#: Seconds to wait for the database before giving up.
CONNECT_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class LeadView:
    """One lead row, its campaign (None when unknown or deleted) and the database's clock."""

    state: LeadState
    campaign: Campaign | None
    now: datetime


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


def lead_state(row: asyncpg.Record) -> LeadState:
    """A ``leads`` row as the core's LeadState."""
    return LeadState(
        campaign_id=row["campaign_id"],
        lead_id=row["lead_id"],
        status=LeadStatusValue(row["status"]),
        next_step=row["next_step"],
        due_at=row["due_at"],
        remaining_s=row["remaining_s"],
        resume_at=row["resume_at"],
        reason=row["reason"],
        last_manual_at=row["last_manual_at"],
        version=row["version"],
        updated_at=row["updated_at"],
    )


async def fetch_lead(url: str, campaign_id: str, lead_id: str) -> LeadView | None:
    """The lead and its campaign; None when the lead is not enrolled."""
    async with connected(url) as conn:
        row = await conn.fetchrow(
            f"SELECT {_COLUMNS}, clock_timestamp() AS now FROM leads"
            " WHERE campaign_id = $1 AND lead_id = $2",
            campaign_id,
            lead_id,
        )
        if row is None:
            return None
        found = await conn.fetchrow(
            "SELECT launched, settings FROM campaigns WHERE campaign_id = $1 AND NOT deleted",
            campaign_id,
        )
    campaign = None
    if found is not None:
        settings = CampaignSettings.model_validate_json(found["settings"])
        campaign = Campaign(settings=settings, launched=found["launched"])
    return LeadView(lead_state(row), campaign, row["now"])


async def list_leads(
    url: str, *, campaign_id: str | None, status: str | None, limit: int
) -> tuple[list[LeadState], datetime]:
    """Leads matching the filters, by campaign then lead, and the database's clock."""
    async with connected(url) as conn:
        rows = await conn.fetch(
            f"SELECT {_COLUMNS} FROM leads"
            " WHERE ($1::text IS NULL OR campaign_id = $1) AND ($2::text IS NULL OR status = $2)"
            " ORDER BY campaign_id, lead_id LIMIT $3",
            campaign_id,
            status,
            limit,
        )
        now = await conn.fetchval("SELECT clock_timestamp()")
    return [lead_state(r) for r in rows], now
