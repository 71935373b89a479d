"""The contract's "Lead semantics" table, one row per cell, manual and automation."""

from __future__ import annotations

import pytest

from schemas import Action, LeadStatusValue, Outcome, Source
from tests.unit.core.core_factories import T0, campaign, command, lead
from workers.core import apply_command

S = LeadStatusValue
A = Action
O = Outcome  # noqa: E741

#: (lead status, action, outcome, status afterwards, words in the reason) for manual commands.
MANUAL_TABLE = [
    (S.NOT_STARTED, A.PAUSE, O.REJECTED, S.NOT_STARTED, "use skip instead"),
    (S.NOT_STARTED, A.RESUME, O.REJECTED, S.NOT_STARTED, "has not started yet"),
    (S.NOT_STARTED, A.STOP, O.APPLIED, S.STOPPED, "stopped by alice"),
    (S.NOT_STARTED, A.SKIP, O.APPLIED, S.SKIPPED, "skipped by alice"),
    (S.SKIPPED, A.PAUSE, O.REJECTED, S.SKIPPED, "skipped and never starts"),
    (S.SKIPPED, A.RESUME, O.REJECTED, S.SKIPPED, "skipped and never starts"),
    (S.SKIPPED, A.STOP, O.APPLIED, S.STOPPED, "stopped by alice"),
    (S.SKIPPED, A.SKIP, O.IGNORED, S.SKIPPED, "already skipped"),
    (S.IN_PROGRESS, A.PAUSE, O.APPLIED, S.PAUSED, "paused by alice"),
    (S.IN_PROGRESS, A.RESUME, O.IGNORED, S.IN_PROGRESS, "already in progress"),
    (S.IN_PROGRESS, A.STOP, O.APPLIED, S.STOPPED, "stopped by alice"),
    (S.IN_PROGRESS, A.SKIP, O.REJECTED, S.IN_PROGRESS, "already started: pause or stop it"),
    (S.PAUSED, A.PAUSE, O.IGNORED, S.PAUSED, "already paused"),
    (S.PAUSED, A.RESUME, O.APPLIED, S.IN_PROGRESS, "resumed by alice"),
    (S.PAUSED, A.STOP, O.APPLIED, S.STOPPED, "stopped by alice"),
    (S.PAUSED, A.SKIP, O.REJECTED, S.PAUSED, "already started: pause or stop it"),
    (S.STOPPED, A.PAUSE, O.REJECTED, S.STOPPED, "left the sequence for good"),
    (S.STOPPED, A.RESUME, O.REJECTED, S.STOPPED, "stopped lead cannot be resumed"),
    (S.STOPPED, A.STOP, O.IGNORED, S.STOPPED, "already stopped"),
    (S.STOPPED, A.SKIP, O.REJECTED, S.STOPPED, "skip only applies before it starts"),
    (S.COMPLETED, A.PAUSE, O.REJECTED, S.COMPLETED, "left the sequence for good"),
    (S.COMPLETED, A.RESUME, O.REJECTED, S.COMPLETED, "nothing to resume"),
    (S.COMPLETED, A.STOP, O.IGNORED, S.COMPLETED, "already completed"),
    (S.COMPLETED, A.SKIP, O.REJECTED, S.COMPLETED, "skip only applies before it starts"),
] + [(status, A.CONTINUE, O.IGNORED, status, "nothing to do") for status in S]

_NOT_RUNNING = "automation acts only on leads in progress"

#: The same table for automation commands: they act only on leads in progress.
AUTOMATION_TABLE = [
    (S.IN_PROGRESS, A.PAUSE, O.APPLIED, S.PAUSED, "paused by reply automation (event r-1)"),
    (S.IN_PROGRESS, A.RESUME, O.IGNORED, S.IN_PROGRESS, "already in progress"),
    (S.IN_PROGRESS, A.STOP, O.APPLIED, S.STOPPED, "stopped by reply automation (event r-1)"),
    (S.IN_PROGRESS, A.SKIP, O.REJECTED, S.IN_PROGRESS, "already started"),
    (S.IN_PROGRESS, A.CONTINUE, O.IGNORED, S.IN_PROGRESS, "reply automation says continue"),
] + [
    (status, action, O.IGNORED, status, _NOT_RUNNING)
    for status in S
    if status is not S.IN_PROGRESS
    for action in (A.PAUSE, A.RESUME, A.STOP, A.SKIP, A.CONTINUE)
]


def _row_id(row: tuple[object, ...]) -> str:
    return f"{row[0]}-{row[1]}"


class TestLeadSemanticsTable:
    """Every cell of the contract's table, for each source of command."""

    @pytest.mark.parametrize("row", MANUAL_TABLE, ids=_row_id)
    @pytest.mark.parametrize("source", [Source.MANUAL, Source.SYSTEM])
    def test_manual_and_system_commands(self, row: tuple[S, A, O, S, str], source: Source) -> None:
        """A person's or the system's command has the outcome the table gives."""
        status, action, outcome, after, words = row
        if source is Source.SYSTEM:
            words = words.replace("by alice", "by the system")

        t = apply_command(lead(status), command(action, source), campaign(), T0)

        assert t.result is not None
        assert (outcome, after) == (t.result.outcome, t.result.status)
        assert t.state is not None
        assert after == t.state.status
        assert words in t.result.reason
        assert (outcome is O.APPLIED) == t.changed

    @pytest.mark.parametrize("row", AUTOMATION_TABLE, ids=_row_id)
    def test_automation_commands(self, row: tuple[S, A, O, S, str]) -> None:
        """An automation command acts only on a lead in progress; elsewhere it is ignored."""
        status, action, outcome, after, words = row

        t = apply_command(lead(status), command(action, Source.AUTOMATION), campaign(), T0)

        assert t.result is not None
        assert (outcome, after) == (t.result.outcome, t.result.status)
        assert words in t.result.reason
        assert (outcome is O.APPLIED) == t.changed

    @pytest.mark.parametrize("row", MANUAL_TABLE + AUTOMATION_TABLE, ids=_row_id)
    def test_only_applied_changes_the_state(self, row: tuple[S, A, O, S, str]) -> None:
        """An ignored or rejected command leaves the state exactly as it was, status unpublished."""
        status, action, _, _, _ = row
        before = lead(status)

        t = apply_command(before, command(action), campaign(), T0)

        if t.result is not None and t.result.outcome is not O.APPLIED:
            assert before == t.state
            assert t.status is None
        assert () == t.sends

    @pytest.mark.parametrize("row", MANUAL_TABLE + AUTOMATION_TABLE, ids=_row_id)
    @pytest.mark.parametrize("source", [Source.MANUAL, Source.AUTOMATION])
    def test_twice_is_once(self, row: tuple[S, A, O, S, str], source: Source) -> None:
        """The same command applied twice has the effect of applying it once."""
        cmd = command(row[1], source)
        once = apply_command(lead(row[0]), cmd, campaign(), T0)
        assert once.state is not None

        twice = apply_command(once.state, cmd, campaign(), T0)

        assert once.state == twice.state
        assert not twice.changed
