"""Suppression across campaigns: which record wins, what it does to a lead, what it refuses."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import (
    Action,
    LeadStatusValue,
    Outcome,
    Source,
    Suppression,
    SuppressionReason,
    Trigger,
)
from tests.unit.core import core_factories as f
from tests.unit.core.core_factories import DAY, HOUR, T0, command
from workers.core import (
    Entry,
    Lifting,
    apply_command,
    describe,
    enroll_refusal,
    on_suppression,
    on_timer,
    status_while,
    supersedes,
    suppression_of,
    wake_at,
)

S = LeadStatusValue
#: 2 June 2026, 08:00 UTC: the contract's example.
AT = datetime.fromisoformat("2026-06-02T08:00:00+00:00")


def suppression(
    at: datetime = AT, reason: SuppressionReason = SuppressionReason.UNSUBSCRIBE
) -> Suppression:
    """The contract's example Suppression of l-7 (reply r-9)."""
    return Suppression(lead_id="l-7", reason=reason, event_id="r-9", at=at, note="remove me")


def lifting(at: datetime = AT) -> Lifting:
    """A null value for l-7 whose record was stamped ``at``."""
    return Lifting(lead_id="l-7", at=at)


class TestSupersedes:
    """Of two records for one lead_id, the later ``at`` wins, whatever the order of arrival."""

    @pytest.mark.parametrize(
        ("expected", "current", "incoming"),
        [
            (True, None, suppression()),
            (True, None, lifting()),
            (True, suppression(), lifting(AT + HOUR)),
            (False, suppression(), lifting(AT - HOUR)),
            (True, lifting(), suppression(AT + HOUR)),
            (False, lifting(), suppression(AT - HOUR)),
            (True, suppression(), suppression(AT + HOUR, SuppressionReason.BOUNCE)),
            (False, suppression(), suppression(AT - HOUR, SuppressionReason.BOUNCE)),
            (False, suppression(), suppression()),
            (False, lifting(), lifting()),
            (True, lifting(), suppression()),
            (False, suppression(), lifting()),
        ],
        ids=[
            "first suppression",
            "first lifting (an older suppression must lose later)",
            "lifted later",
            "lifting older than the suppression",
            "suppressed again later",
            "suppression older than the lifting",
            "newer suppression replaces the older",
            "older suppression loses",
            "the same suppression twice is one",
            "the same lifting twice is one",
            "tie: the suppression wins over a lifting",
            "tie: a lifting does not undo a suppression",
        ],
    )
    def test_table(self, expected: bool, current: Entry | None, incoming: Entry) -> None:
        """The table of the later-at-wins rule, ties going to the suppression."""
        assert expected == supersedes(current, incoming)

    @settings(max_examples=200, deadline=None)
    @given(
        st.lists(
            st.tuples(st.booleans(), st.integers(0, 20)),
            min_size=1,
            max_size=12,
        ),
        st.randoms(use_true_random=False),
    )
    def test_any_arrival_order_ends_in_the_same_state(
        self, records: list[tuple[bool, int]], rng: object
    ) -> None:
        """Folding the records in any order leaves the same winner: the latest, ties suppressed."""
        entries: list[Entry] = [
            suppression(AT + timedelta(minutes=m))
            if suppressed
            else lifting(AT + timedelta(minutes=m))
            for suppressed, m in records
        ]
        shuffled = list(entries)
        rng.shuffle(shuffled)  # type: ignore[attr-defined]

        latest = max(e.at for e in entries)
        tied = [e for e in entries if e.at == latest]
        expected_suppressed = any(isinstance(e, Suppression) for e in tied)

        assert (expected_suppressed, latest) == _fold(entries)
        assert (expected_suppressed, latest) == _fold(shuffled)


def _fold(entries: list[Entry]) -> tuple[bool, datetime]:
    current: Entry | None = None
    for entry in entries:
        if supersedes(current, entry):
            current = entry
    assert current is not None
    return isinstance(current, Suppression), current.at


class TestDescribe:
    """The suppression is named by person, reason and UTC day."""

    def test_contract_wording(self) -> None:
        """The contract's example reads "l-7 is suppressed (unsubscribe, 2026-06-02)"."""
        assert "l-7 is suppressed (unsubscribe, 2026-06-02)" == describe(suppression())

    def test_day_is_utc(self) -> None:
        """An ``at`` late on 1 June in New York is 2 June in UTC."""
        at = datetime.fromisoformat("2026-06-01T22:30:00-04:00")

        assert "l-7 is suppressed (bounce, 2026-06-02)" == describe(
            suppression(at, SuppressionReason.BOUNCE)
        )


class TestEnrollRefusal:
    """An enrolment of a suppressed lead_id is rejected with the contract's reason."""

    def test_contract_reason(self) -> None:
        """The reason names the suppression and the command that lifts it."""
        expected = (
            "lead l-7 is suppressed (unsubscribe, 2026-06-02):"
            " lift it with `leadflow suppress remove l-7` first"
        )

        assert expected == enroll_refusal(suppression())

    @pytest.mark.parametrize("status", [None, S.STOPPED, S.IN_PROGRESS], ids=str)
    def test_apply_command_rejects_enroll(self, status: LeadStatusValue | None) -> None:
        """Whether or not the lead was enrolled before, the enrolment is rejected."""
        state = None if status is None else f.lead(status)
        t = apply_command(
            state, command(Action.ENROLL), f.campaign(), T0, suppression=suppression()
        )

        assert t.result is not None
        assert (Outcome.REJECTED, enroll_refusal(suppression())) == (
            t.result.outcome,
            t.result.reason,
        )
        assert (False, ()) == (t.changed, t.sends)

    def test_not_suppressed_enrolls(self) -> None:
        """Without a suppression (never, or lifted) the enrolment is applied."""
        t = apply_command(None, command(Action.ENROLL), f.campaign(), T0, suppression=None)

        assert t.result is not None
        assert Outcome.APPLIED == t.result.outcome

    def test_other_commands_are_unaffected(self) -> None:
        """A suppression refuses enrolments only; a stop still applies as usual."""
        t = apply_command(
            f.lead(S.PAUSED), command(Action.STOP), f.campaign(), T0, suppression=suppression()
        )

        assert t.state is not None
        assert S.STOPPED == t.state.status


class TestOnSuppression:
    """A suppression stops every lead of the person that is not final, naming itself."""

    @pytest.mark.parametrize("status", [S.NOT_STARTED, S.SKIPPED, S.IN_PROGRESS, S.PAUSED], ids=str)
    def test_stops_any_lead_not_final(self, status: LeadStatusValue) -> None:
        """Not started, skipped, running or paused: stopped, countdown and resume cleared."""
        before = f.lead(status, resume_at=T0 + DAY if status is S.PAUSED else None)
        t = on_suppression(before, suppression(), T0)

        assert t.state is not None
        assert (True, S.STOPPED) == (t.changed, t.state.status)
        assert "stopped: l-7 is suppressed (unsubscribe, 2026-06-02)" == t.state.reason
        assert (None, None, None) == (t.state.due_at, t.state.remaining_s, t.state.resume_at)
        assert (before.version + 1, T0) == (t.state.version, t.state.updated_at)
        assert before.next_step == t.state.next_step
        assert (None, ()) == (t.result, t.sends)

    def test_status_says_suppressed(self) -> None:
        """The LeadStatus it publishes carries the suppression's reason."""
        t = on_suppression(f.lead(S.IN_PROGRESS), suppression(), T0)

        assert t.status is not None
        assert SuppressionReason.UNSUBSCRIBE == t.status.suppressed
        assert S.STOPPED == t.status.status

    def test_stopped_lead_never_wakes(self) -> None:
        """After the stop there is no wake-up, and a late timer sends nothing."""
        t = on_suppression(f.lead(S.IN_PROGRESS, due_at=T0 - HOUR), suppression(), T0)

        assert t.state is not None
        assert None is wake_at(t.state, f.campaign())
        assert () == on_timer(t.state, f.campaign(), T0 + DAY).sends

    @pytest.mark.parametrize("status", [S.STOPPED, S.COMPLETED], ids=str)
    def test_final_lead_unchanged(self, status: LeadStatusValue) -> None:
        """A stopped or completed lead stays as it was."""
        before = f.lead(status)
        t = on_suppression(before, suppression(), T0)

        assert (False, before, None) == (t.changed, t.state, t.status)


class TestStatusWhile:
    """A lead's LeadStatus says whether its person is suppressed, and why."""

    def test_suppressed(self) -> None:
        """While suppressed, ``suppressed`` is the Suppression's reason; the rest is the state."""
        state = f.lead(S.COMPLETED)
        status = status_while(state, suppression(reason=SuppressionReason.COMPLAINT))

        assert SuppressionReason.COMPLAINT == status.suppressed
        assert (state.status, state.version, state.reason) == (
            status.status,
            status.version,
            status.reason,
        )

    def test_lifted(self) -> None:
        """Without a suppression in force, ``suppressed`` is absent (null)."""
        assert None is status_while(f.lead(S.STOPPED), None).suppressed


class TestSuppressionOf:
    """The fleet suppresses a person when it applies an unsubscribe, bounce or complaint."""

    @pytest.mark.parametrize(
        ("trigger", "expected"),
        [
            (Trigger.UNSUBSCRIBE, SuppressionReason.UNSUBSCRIBE),
            (Trigger.BOUNCE, SuppressionReason.BOUNCE),
            (Trigger.COMPLAINT, SuppressionReason.COMPLAINT),
        ],
    )
    def test_suppressing_triggers(self, trigger: Trigger, expected: SuppressionReason) -> None:
        """The Suppression takes the command's person, event, time and reason."""
        c = command(
            Action.STOP,
            Source.AUTOMATION,
            trigger=trigger,
            event_id="r-9",
            at=AT,
            reason="asked to be removed",
        )

        assert Suppression(
            lead_id="l-7", reason=expected, event_id="r-9", at=AT, note="asked to be removed"
        ) == Suppression.model_validate(suppression_of(c).model_dump())  # type: ignore[union-attr]

    @pytest.mark.parametrize(
        "trigger",
        [Trigger.REPLY, Trigger.SOFT_BOUNCE, Trigger.OUT_OF_OFFICE, Trigger.AUTO_REPLY],
    )
    def test_other_triggers(self, trigger: Trigger) -> None:
        """Replies, soft bounces and automatic answers suppress nobody."""
        c = command(Action.STOP, Source.AUTOMATION, trigger=trigger)

        assert None is suppression_of(c)

    @pytest.mark.parametrize("source", [Source.MANUAL, Source.SYSTEM])
    def test_not_automation(self, source: Source) -> None:
        """A manual or system stop is not a suppression (`leadflow suppress add` is)."""
        assert None is suppression_of(command(Action.STOP, source, trigger=Trigger.UNSUBSCRIBE))
