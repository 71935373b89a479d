"""Contract v2's two exceptions to "automation acts only on leads in progress"."""

from __future__ import annotations

from dataclasses import replace

import pytest

from schemas import Action, LeadStatusValue, Outcome, Source, Trigger
from tests.unit.core.core_factories import DAY, HOUR, T0, campaign, command, lead
from workers.core import LeadState, apply_command, on_timer

S = LeadStatusValue


def ooo_paused() -> LeadState:
    """A lead paused by out-of-office automation until T0 + 3 days, 1 day of countdown left."""
    running = lead(S.IN_PROGRESS, due_at=T0 + DAY)
    pause = command(
        Action.PAUSE,
        Source.AUTOMATION,
        at=T0,
        trigger=Trigger.OUT_OF_OFFICE,
        resume_at=T0 + 3 * DAY,
    )
    state = apply_command(running, pause, campaign(), T0).state
    assert state is not None
    return state


class TestOutOfOfficePause:
    """A lead paused by automation with a resume_at still reacts to automation."""

    def test_automation_pause_is_marked(self) -> None:
        """The out-of-office pause keeps its resume time and is marked automatic."""
        state = ooo_paused()

        assert (S.PAUSED, T0 + 3 * DAY, True) == (state.status, state.resume_at, state.auto_paused)

    def test_human_reply_stop_stops_it(self) -> None:
        """A later human reply whose rule is stop stops the out-of-office-paused lead."""
        stop = command(Action.STOP, Source.AUTOMATION, at=T0 + HOUR, command_id="reply-2")

        t = apply_command(ooo_paused(), stop, campaign(), T0 + HOUR)

        assert t.state is not None
        assert S.STOPPED == t.state.status

    def test_pause_makes_it_indefinite(self) -> None:
        """A later automation pause (no resume_at) clears the resume time, keeps the countdown."""
        pause = command(Action.PAUSE, Source.AUTOMATION, at=T0 + HOUR, command_id="reply-2")

        t = apply_command(ooo_paused(), pause, campaign(), T0 + HOUR)

        assert t.state is not None
        assert (S.PAUSED, None, DAY.total_seconds()) == (
            t.state.status,
            t.state.resume_at,
            t.state.remaining_s,
        )
        assert t.state.reason.endswith("no longer resumes by itself")
        assert S.PAUSED == on_timer(t.state, campaign(), T0 + 4 * DAY).state.status  # type: ignore[union-attr]

    def test_second_notice_is_ignored(self) -> None:
        """A second out-of-office pause with its own resume_at changes nothing."""
        again = command(
            Action.PAUSE,
            Source.AUTOMATION,
            at=T0 + HOUR,
            command_id="reply-2",
            trigger=Trigger.OUT_OF_OFFICE,
            resume_at=T0 + 9 * DAY,
        )

        t = apply_command(ooo_paused(), again, campaign(), T0 + HOUR)

        assert t.result is not None
        assert (Outcome.IGNORED, False) == (t.result.outcome, t.changed)

    def test_continue_changes_nothing(self) -> None:
        """continue leaves the out-of-office pause as it is."""
        go_on = command(Action.CONTINUE, Source.AUTOMATION, at=T0 + HOUR, command_id="click-1")

        t = apply_command(ooo_paused(), go_on, campaign(), T0 + HOUR)

        assert (False, T0 + 3 * DAY) == (t.changed, ooo_paused().resume_at)

    def test_manual_timed_pause_does_not_react(self) -> None:
        """A manual pause --until is not an automation pause: automation is ignored."""
        running = lead(S.IN_PROGRESS)
        manual = command(Action.PAUSE, resume_at=T0 + DAY)
        paused = apply_command(running, manual, campaign(), T0).state
        assert paused is not None
        stop = command(Action.STOP, Source.AUTOMATION, at=T0 + HOUR)

        t = apply_command(paused, stop, campaign(), T0 + HOUR)

        assert t.result is not None
        assert (Outcome.IGNORED, S.PAUSED) == (t.result.outcome, paused.status)

    def test_resume_clears_the_mark(self) -> None:
        """Resuming (by itself at resume_at) leaves a plain running lead."""
        t = on_timer(ooo_paused(), campaign(), T0 + 3 * DAY)

        assert t.state is not None
        assert (S.IN_PROGRESS, False) == (t.state.status, t.state.auto_paused)


class TestAlwaysStop:
    """unsubscribe, bounce and complaint stop any lead that is not final."""

    @pytest.mark.parametrize("trigger", [Trigger.UNSUBSCRIBE, Trigger.BOUNCE, Trigger.COMPLAINT])
    @pytest.mark.parametrize("status", [S.NOT_STARTED, S.SKIPPED, S.IN_PROGRESS, S.PAUSED])
    def test_stops_whatever_the_state(self, trigger: Trigger, status: LeadStatusValue) -> None:
        """Even a lead paused by hand after the event, or not started, is stopped."""
        state = replace(lead(status), last_manual_at=T0 + DAY)
        stop = command(Action.STOP, Source.AUTOMATION, at=T0, trigger=trigger)

        t = apply_command(state, stop, campaign(), T0 + 2 * DAY)

        assert t.state is not None
        assert S.STOPPED == t.state.status

    def test_final_lead_is_left_alone(self) -> None:
        """A completed lead stays completed."""
        stop = command(Action.STOP, Source.AUTOMATION, trigger=Trigger.BOUNCE)

        t = apply_command(lead(S.COMPLETED), stop, campaign(), T0)

        assert t.result is not None
        assert (Outcome.IGNORED, False) == (t.result.outcome, t.changed)

    def test_other_automation_still_needs_a_running_lead(self) -> None:
        """A reply's stop on a lead that has not started is ignored, as in v1."""
        stop = command(Action.STOP, Source.AUTOMATION, trigger=Trigger.REPLY)

        t = apply_command(lead(S.NOT_STARTED), stop, campaign(), T0)

        assert t.result is not None
        assert Outcome.IGNORED == t.result.outcome


class TestAutomationReason:
    """An automation command's reason says what was seen; the rule's plain text is not repeated."""

    def test_what_was_seen_is_kept(self) -> None:
        """The out-of-office reason travels into the lead's status."""
        seen = 'out of office until 2027-01-05 ("de retour le 5 janvier"), resumes 2027-01-06'

        assert ooo_paused().reason.startswith("paused by out_of_office automation (event r-1)")
        pause = command(Action.PAUSE, Source.AUTOMATION, reason=seen, resume_at=T0 + DAY)
        state = apply_command(lead(S.IN_PROGRESS), pause, campaign(), T0).state

        assert state is not None
        assert f"paused by reply automation (event r-1): {seen} until" in state.reason

    def test_plain_rule_text_is_not_repeated(self) -> None:
        """The rule's own words ("reply automation: pause") are not appended to the cause."""
        pause = command(Action.PAUSE, Source.AUTOMATION, reason="reply automation: pause")
        state = apply_command(lead(S.IN_PROGRESS), pause, campaign(), T0).state

        assert state is not None
        assert "paused by reply automation (event r-1)" == state.reason
