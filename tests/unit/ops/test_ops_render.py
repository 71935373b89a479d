"""Text for people: command results, the lead show block and the leads table."""

from __future__ import annotations

from datetime import timedelta

import pytest

from schemas import Action, CommandResult, LeadStatusValue, Outcome
from tests.unit.ops.factories import T0, campaign, lead
from workers.ops.render import EXIT_CODES, countdown, result_line, show_lines, table_lines

S = LeadStatusValue


def result(outcome: Outcome, reason: str, status: LeadStatusValue | None) -> CommandResult:
    """A CommandResult for a pause of c-42/l-7."""
    return CommandResult(
        command_id="cli-1",
        campaign_id="c-42",
        lead_id="l-7",
        action=Action.PAUSE,
        outcome=outcome,
        reason=reason,
        status=status,
        at=T0,
    )


class TestResultLine:
    """A CommandResult is one line saying what happened and the lead's status."""

    @pytest.mark.parametrize(
        ("expected", "outcome", "reason", "status"),
        [
            (
                "applied: lead c-42/l-7 is now paused (paused by alice)",
                Outcome.APPLIED,
                "paused by alice",
                S.PAUSED,
            ),
            (
                "ignored: lead is already paused (status paused)",
                Outcome.IGNORED,
                "lead is already paused",
                S.PAUSED,
            ),
            (
                "rejected: lead has not started yet: use skip instead (status not_started)",
                Outcome.REJECTED,
                "lead has not started yet: use skip instead",
                S.NOT_STARTED,
            ),
            ("rejected: enroll it first (not enrolled)", Outcome.REJECTED, "enroll it first", None),
        ],
    )
    def test_line(
        self, expected: str, outcome: Outcome, reason: str, status: LeadStatusValue | None
    ) -> None:
        """Applied names the new status; ignored and rejected give the reason first."""
        assert expected == result_line(result(outcome, reason, status))

    def test_exit_codes(self) -> None:
        """Applied and ignored exit 0, rejected exits 1."""
        assert {Outcome.APPLIED: 0, Outcome.IGNORED: 0, Outcome.REJECTED: 1} == EXIT_CODES


class TestCountdown:
    """The table's due/remaining column."""

    def test_running(self) -> None:
        """A running lead shows when its step is due."""
        assert "due in 4.0s" == countdown(lead(due_at=T0 + timedelta(seconds=4)), T0)

    def test_overdue(self) -> None:
        """An overdue step shows how late it is."""
        assert "due 2.0s ago" == countdown(lead(due_at=T0 - timedelta(seconds=2)), T0)

    def test_frozen(self) -> None:
        """A paused lead shows its frozen countdown."""
        assert "4.0s left" == countdown(lead(S.PAUSED, remaining_s=4.0), T0)

    def test_final(self) -> None:
        """A lead without a countdown shows a dash."""
        assert "-" == countdown(lead(S.STOPPED), T0)


class TestShowLines:
    """``lead show`` prints the stored fields, then the explanation."""

    def test_paused_lead(self) -> None:
        """Every field is labelled, the step count comes from the campaign, why comes last."""
        state = lead(S.PAUSED, remaining_s=4.0, reason="paused by alice")
        lines = show_lines(state, campaign(), T0 + timedelta(seconds=12))
        assert [
            "lead c-42/l-7",
            "  status     paused",
            "  next step  3 of 3",
            "  due at     -",
            "  remaining  4.0s",
            "  resume at  -",
            "  reason     paused by alice",
            "  version    4",
            "  updated    2026-06-01T10:00:00Z (12s ago)",
        ] == lines[:-1]
        assert lines[-1].startswith("why: paused by alice at 2026-06-01T10:00:00Z")

    def test_unknown_campaign(self) -> None:
        """Without a campaign the step count is left out."""
        assert "  next step  3" == show_lines(lead(), None, T0)[2]


class TestTableLines:
    """``leads list`` is an aligned table with a header."""

    def test_aligned(self) -> None:
        """Columns line up and long reasons are truncated."""
        rows = [
            lead(S.PAUSED, remaining_s=4.0, reason="paused by alice"),
            lead(lead_id="l-1000", due_at=T0 + timedelta(seconds=3), reason="x" * 80),
        ]
        lines = table_lines(rows, T0)
        assert 3 == len(lines)
        assert lines[0].startswith("CAMPAIGN  LEAD    STATUS       NEXT  DUE/REMAINING  UPDATED")
        assert lines[1].index("paused") == lines[0].index("STATUS")
        assert lines[2].endswith("x" * 47 + "…")
