"""Text for people: a CommandResult line, a lead's status block, the leads table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from schemas import CommandResult, Outcome, Suppression
from schemas._types import format_timestamp
from workers.core import Campaign, LeadState
from workers.ops.explain import explain, span, steps_of, when

#: Exit status of ``leadflow lead <action>`` per outcome (no answer: 2).
EXIT_CODES = {Outcome.APPLIED: 0, Outcome.IGNORED: 0, Outcome.REJECTED: 1}
#: Longest reason shown in the table.
REASON_WIDTH = 48


def result_line(result: CommandResult) -> str:
    """``applied: lead c-42/l-7 is now paused (paused by alice)``, ``rejected: why (status x)``."""
    lead = f"{result.campaign_id}/{result.lead_id}"
    if result.outcome is Outcome.APPLIED:
        return f"applied: lead {lead} is now {result.status} ({result.reason})"
    status = "not enrolled" if result.status is None else f"status {result.status}"
    return f"{result.outcome}: {result.reason} ({status})"


def countdown(state: LeadState, now: datetime) -> str:
    """``due in 4.0s`` while running, ``4.0s left`` while frozen, else ``-``."""
    if state.due_at is not None:
        delta = (state.due_at - now).total_seconds()
        return f"due in {span(delta)}" if delta >= 0 else f"due {span(-delta)} ago"
    if state.remaining_s is not None:
        return f"{span(state.remaining_s)} left"
    return "-"


def show_lines(
    state: LeadState,
    campaign: Campaign | None,
    now: datetime,
    suppression: Suppression | None = None,
) -> list[str]:
    """``leadflow lead show``: the stored status, then why it is (not) sending.

    While the lead's person is suppressed, a ``suppressed`` row says since when and why.
    """
    total = steps_of(campaign)
    of = f" of {total}" if total is not None else ""
    rows = [
        ("status", str(state.status)),
        ("next step", f"{state.next_step}{of}"),
        ("due at", when(state.due_at, now) if state.due_at else "-"),
        ("remaining", span(state.remaining_s) if state.remaining_s is not None else "-"),
        ("resume at", when(state.resume_at, now) if state.resume_at else "-"),
        ("reason", state.reason or "-"),
        ("version", str(state.version)),
        ("updated", when(state.updated_at, now)),
    ]
    if suppression is not None:
        rows.append(("suppressed", suppressed_line(suppression)))
    lines = [f"lead {state.campaign_id}/{state.lead_id}"]
    lines += [f"  {name:<10} {value}" for name, value in rows]
    lines.append(f"why: {explain(state, campaign, now)}")
    return lines


def suppressed_line(suppression: Suppression) -> str:
    """``unsubscribe since 2026-06-02T08:00:00Z (event r-9): "note"; in every campaign``."""
    text = f"{suppression.reason} since {format_timestamp(suppression.at)}"
    if suppression.event_id:
        text += f" (event {suppression.event_id})"
    if suppression.note:
        text += f': "{_truncate(" ".join(suppression.note.split()), REASON_WIDTH)}"'
    return (
        f"{text}; no campaign mails {suppression.lead_id}"
        f" (lift: leadflow suppress remove {suppression.lead_id})"
    )


def _truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def table_lines(states: Sequence[LeadState], now: datetime) -> list[str]:
    """``leadflow leads list``: one aligned row per lead under a header."""
    header = ("CAMPAIGN", "LEAD", "STATUS", "NEXT", "DUE/REMAINING", "UPDATED", "REASON")
    rows = [header] + [
        (
            s.campaign_id,
            s.lead_id,
            str(s.status),
            str(s.next_step),
            countdown(s, now),
            format_timestamp(s.updated_at.replace(microsecond=0)),
            _truncate(s.reason, REASON_WIDTH),
        )
        for s in states
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    return [
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    ]
