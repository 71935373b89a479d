"""What the benchmark feeds the fleet: events, commands, campaigns and lead rows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import asyncpg

CAMPAIGN = "c-bench"
_T0 = "2026-06-01T10:00:00Z"
_BODY = (
    "Thanks for reaching out. I would be glad to talk next week; Tuesday or Wednesday "
    "afternoon works for me. Could you send over a short agenda beforehand? Best, Sam"
)


def lead_key(lead: str, campaign_id: str = CAMPAIGN) -> bytes:
    """The contract's lead key ``{campaign_id}:{lead_id}``."""
    return f"{campaign_id}:{lead}".encode()


def event(
    kind: str,
    index: int,
    *,
    prefix: str = "e",
    campaign_id: str = CAMPAIGN,
    reply_kind: str | None = None,
) -> bytes:
    """A realistic event of ``kind`` (replies, clicks, bookings) for lead ``l-{index}``.

    ``reply_kind`` makes a reply one classified upstream (v2 ``kind``: the replies worker
    does not classify it again).
    """
    doc: dict[str, Any] = {
        "event_id": f"{prefix}-{index}",
        "campaign_id": campaign_id,
        "lead_id": f"l-{index}",
        "occurred_at": _T0,
    }
    if kind == "replies":
        doc |= {"subject": "Re: a quick question", "body_text": _BODY}
        doc["headers"] = {"Auto-Submitted": "no", "Message-ID": f"<{index}@mail.example>"}
        if reply_kind is not None:
            doc["kind"] = reply_kind
    elif kind == "clicks":
        doc |= {"url": f"https://example.com/pricing?lead={index}", "step": 1}
        doc["user_agent"] = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
    else:
        doc |= {"meeting_at": "2026-06-03T14:00:00Z", "status": "booked"}
    return json.dumps(doc).encode()


def events(kind: str, count: int, prefix: str = "e") -> Iterator[tuple[bytes, bytes]]:
    """``count`` events of ``kind``, keyed by lead key, one lead each."""
    for i in range(count):
        yield lead_key(f"l-{i}"), event(kind, i, prefix=prefix)


def campaign(*, delay: str = "P1D", reply: str = "pause") -> dict[str, Any]:
    """The bench campaign's settings: active, one step after ``delay``, reply → ``reply``."""
    return {
        "campaign_id": CAMPAIGN,
        "version": 1,
        "status": "active",
        "steps": [{"delay": delay}],
        "automation": {"reply": reply, "link_click": "continue", "meeting_booked": "stop"},
        "sender_id": "mbx-1",
    }


def commands(leads: int) -> Iterator[tuple[bytes, bytes]]:
    """enroll, then pause, then resume for each of ``leads`` leads (manual commands)."""
    for action in ("enroll", "pause", "resume"):
        for i in range(leads):
            doc = {
                "command_id": f"{action}-{i}",
                "campaign_id": CAMPAIGN,
                "lead_id": f"l-{i}",
                "action": action,
                "source": "manual",
                "actor": "bench",
                "occurred_at": _T0,
            }
            yield lead_key(f"l-{i}"), json.dumps(doc).encode()


async def insert_campaign(conn: asyncpg.Connection, settings: dict[str, Any]) -> None:
    """The campaign row as the sequencer's mirror would have written it (launched)."""
    await conn.execute(
        "INSERT INTO campaigns (campaign_id, version, launched, deleted, settings, updated_at)"
        " VALUES ($1, $2, true, false, $3::jsonb, clock_timestamp())",
        settings["campaign_id"],
        settings["version"],
        json.dumps(settings),
    )


async def insert_running_leads(
    conn: asyncpg.Connection, count: int, first_due: datetime, spacing_s: float = 0.0
) -> None:
    """COPY ``count`` leads in progress at step 1, lead i due at ``first_due + i*spacing_s``."""

    def row(i: int) -> tuple[object, ...]:
        due = first_due + timedelta(seconds=i * spacing_s)
        return (CAMPAIGN, f"l-{i}", "in_progress", 1, due, None, None, "started", None, 1, due, due)

    await conn.copy_records_to_table(
        "leads",
        records=(row(i) for i in range(count)),
        columns=[
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
        ],
    )
