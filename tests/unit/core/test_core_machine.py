"""The lead state machine beyond the table: countdowns, sends, campaigns, wake-ups."""

from __future__ import annotations

from datetime import timedelta

import pytest

from schemas import Action, CampaignStatus, LeadStatusValue, Outcome, SendRequest, Source
from tests.unit.core.core_factories import (
    DAY,
    HOUR,
    T0,
    campaign,
    command,
    lead,
    settings,
    window,
)
from workers.core import (
    Campaign,
    LeadState,
    apply_command,
    next_campaign,
    on_campaign_change,
    on_timer,
    status_message,
    wake_at,
)

S = LeadStatusValue
ACTIVE, PAUSED, DRAFT = CampaignStatus.ACTIVE, CampaignStatus.PAUSED, CampaignStatus.DRAFT


def _state(t: object) -> LeadState:
    state = getattr(t, "state", None)
    assert isinstance(state, LeadState)
    return state


class TestEnroll:
    """enroll adds a lead; into a running campaign it starts at once."""

    def test_into_active_campaign_starts_at_once(self) -> None:
        """Step 1 falls due after its delay, counted from the enrolment."""
        c = campaign(ACTIVE, delays=(HOUR, DAY))

        t = apply_command(None, command(Action.ENROLL), c, T0)

        state = _state(t)
        assert (S.IN_PROGRESS, 1, T0 + HOUR, None) == (
            state.status,
            state.next_step,
            state.due_at,
            state.remaining_s,
        )
        assert t.result is not None
        assert Outcome.APPLIED == t.result.outcome
        assert 1 == state.version

    def test_into_paused_launched_campaign_starts_frozen(self) -> None:
        """The countdown to step 1 waits, whole, for the campaign to resume."""
        t = apply_command(None, command(Action.ENROLL), campaign(PAUSED, delays=(HOUR,)), T0)

        state = _state(t)
        assert (S.IN_PROGRESS, None, 3600.0) == (state.status, state.due_at, state.remaining_s)
        assert "waiting: campaign c-42 is paused" in state.reason

    @pytest.mark.parametrize(
        ("c", "words"),
        [
            (None, "starts when the campaign launches"),
            (campaign(DRAFT), "waits for the campaign launch"),
        ],
        ids=["unknown campaign", "draft"],
    )
    def test_before_launch_waits(self, c: Campaign | None, words: str) -> None:
        """Into a draft or unknown campaign a lead waits, not started."""
        t = apply_command(None, command(Action.ENROLL), c, T0)

        state = _state(t)
        assert (S.NOT_STARTED, None, None) == (state.status, state.due_at, state.remaining_s)
        assert words in state.reason
        assert t.changed

    def test_existing_lead_is_ignored(self) -> None:
        """Enrolling a lead twice changes nothing and says where it stands."""
        before = lead(S.PAUSED)

        t = apply_command(before, command(Action.ENROLL), campaign(), T0)

        assert t.result is not None
        assert (Outcome.IGNORED, "lead is already enrolled (status paused)") == (
            t.result.outcome,
            t.result.reason,
        )
        assert before == t.state

    @pytest.mark.parametrize("action", [Action.PAUSE, Action.RESUME, Action.STOP, Action.SKIP])
    def test_other_command_for_unknown_lead_is_rejected(self, action: Action) -> None:
        """Only enroll can create a lead; anything else is rejected with what to do."""
        t = apply_command(None, command(action), campaign(), T0)

        assert t.result is not None
        assert (
            Outcome.REJECTED,
            "lead l-7 is not enrolled in campaign c-42: enroll it first",
            None,
        ) == (t.result.outcome, t.result.reason, t.result.status)
        assert (None, False, None) == (t.state, t.changed, t.status)

    def test_manual_enroll_records_last_manual_at(self) -> None:
        """A manual command applied becomes the staleness mark for automation."""
        t = apply_command(None, command(Action.ENROLL, at=T0 - HOUR), campaign(), T0)

        assert T0 - HOUR == _state(t).last_manual_at


class TestPause:
    """pause freezes a running countdown and keeps the step position."""

    def test_freezes_what_is_left(self) -> None:
        """Paused 6 hours before the step is due, 6 hours remain."""
        t = apply_command(
            lead(S.IN_PROGRESS, due_at=T0 + 6 * HOUR), command(Action.PAUSE), campaign(), T0
        )

        state = _state(t)
        assert (S.PAUSED, 2, None, 6 * 3600.0) == (
            state.status,
            state.next_step,
            state.due_at,
            state.remaining_s,
        )
        assert "paused by alice" == state.reason

    def test_overdue_countdown_freezes_at_zero(self) -> None:
        """A step already overdue leaves nothing, never a negative, to wait."""
        t = apply_command(
            lead(S.IN_PROGRESS, due_at=T0 - HOUR), command(Action.PAUSE), campaign(), T0
        )

        assert 0.0 == _state(t).remaining_s

    def test_under_campaign_pause_keeps_frozen_countdown(self) -> None:
        """A lead frozen by its campaign keeps the same remaining time when paused itself."""
        frozen = lead(S.IN_PROGRESS, remaining_s=5000.0)

        t = apply_command(frozen, command(Action.PAUSE), campaign(PAUSED), T0)

        assert (S.PAUSED, 5000.0) == (_state(t).status, _state(t).remaining_s)

    def test_with_resume_at_records_it(self) -> None:
        """A pause until a time stores that time and says so."""
        t = apply_command(
            lead(S.IN_PROGRESS),
            command(Action.PAUSE, resume_at=T0 + 3 * DAY, reason="out until Thursday"),
            campaign(),
            T0,
        )

        state = _state(t)
        assert T0 + 3 * DAY == state.resume_at
        assert "paused by alice: out until Thursday until 2026-06-04T10:00:00Z" == state.reason

    @pytest.mark.parametrize("offset", [timedelta(0), -HOUR], ids=["now", "past"])
    def test_resume_at_not_in_future_is_rejected(self, offset: timedelta) -> None:
        """A pause that would end at once or in the past is refused with what to do."""
        before = lead(S.IN_PROGRESS)

        t = apply_command(before, command(Action.PAUSE, resume_at=T0 + offset), campaign(), T0)

        assert t.result is not None
        assert Outcome.REJECTED == t.result.outcome
        assert "is not in the future: choose a later time" in t.result.reason
        assert before == t.state

    def test_manual_pause_without_actor_says_manually(self) -> None:
        """A manual command with no actor is described as manual."""
        t = apply_command(lead(S.IN_PROGRESS), command(Action.PAUSE, actor=None), campaign(), T0)

        assert "paused manually" == _state(t).reason

    def test_system_pause_names_its_trigger(self) -> None:
        """A system command names the trigger behind it."""
        t = apply_command(
            lead(S.IN_PROGRESS), command(Action.STOP, Source.SYSTEM, trigger="bounce"), None, T0
        )

        assert "stopped by the system (bounce)" == _state(t).reason

    def test_publishes_the_new_status(self) -> None:
        """An applied command publishes the lead's new LeadStatus."""
        t = apply_command(lead(S.IN_PROGRESS), command(Action.PAUSE), campaign(), T0)

        assert status_message(_state(t)) == t.status
        assert 6 == _state(t).version


class TestResume:
    """resume continues a paused lead with the countdown it had left."""

    def test_countdown_continues(self) -> None:
        """The step falls due when what was left has run out."""
        t = apply_command(
            lead(S.PAUSED, remaining_s=7200.0, resume_at=T0 + DAY),
            command(Action.RESUME),
            campaign(),
            T0,
        )

        state = _state(t)
        assert (S.IN_PROGRESS, T0 + 2 * HOUR, None, None) == (
            state.status,
            state.due_at,
            state.remaining_s,
            state.resume_at,
        )
        assert "resumed by alice" == state.reason

    @pytest.mark.parametrize(
        ("c", "words"),
        [(campaign(PAUSED), "campaign c-42 is paused"), (None, "campaign c-42 is not known")],
        ids=["paused campaign", "unknown campaign"],
    )
    def test_under_stopped_campaign_stays_frozen(self, c: Campaign | None, words: str) -> None:
        """Resumed under a campaign that does not run, the lead is in progress but frozen."""
        t = apply_command(lead(S.PAUSED, remaining_s=7200.0), command(Action.RESUME), c, T0)

        state = _state(t)
        assert (S.IN_PROGRESS, None, 7200.0) == (state.status, state.due_at, state.remaining_s)
        assert words in state.reason


class TestAutomation:
    """Automation commands act on running leads and yield to later manual commands."""

    def test_stale_automation_is_ignored(self) -> None:
        """An event older than the last manual command does not override it."""
        before = lead(S.IN_PROGRESS, last_manual_at=T0)

        t = apply_command(
            before, command(Action.STOP, Source.AUTOMATION, at=T0 - HOUR), campaign(), T0
        )

        assert t.result is not None
        assert Outcome.IGNORED == t.result.outcome
        assert t.result.reason.startswith("stale automation: event r-1 happened at")
        assert before == t.state

    def test_automation_at_same_time_as_manual_acts(self) -> None:
        """An event at the very instant of the manual command is not stale."""
        t = apply_command(
            lead(S.IN_PROGRESS, last_manual_at=T0),
            command(Action.PAUSE, Source.AUTOMATION, at=T0),
            campaign(),
            T0,
        )

        assert S.PAUSED == _state(t).status

    def test_automation_does_not_move_last_manual_at(self) -> None:
        """Only manual and system commands set the staleness mark."""
        t = apply_command(
            lead(S.IN_PROGRESS, last_manual_at=T0 - DAY),
            command(Action.PAUSE, Source.AUTOMATION),
            campaign(),
            T0,
        )

        assert T0 - DAY == _state(t).last_manual_at

    def test_manual_command_keeps_latest_mark(self) -> None:
        """An older manual command applied late never moves the mark backwards."""
        t = apply_command(
            lead(S.IN_PROGRESS, last_manual_at=T0),
            command(Action.PAUSE, at=T0 - DAY),
            campaign(),
            T0,
        )

        assert T0 == _state(t).last_manual_at

    def test_continue_reports_its_reason(self) -> None:
        """continue is recorded with the reason the rule gave."""
        t = apply_command(
            lead(S.IN_PROGRESS),
            command(Action.CONTINUE, Source.AUTOMATION, reason="booking cancelled"),
            campaign(),
            T0,
        )

        assert t.result is not None
        assert (Outcome.IGNORED, "booking cancelled") == (t.result.outcome, t.result.reason)


class TestArticleExample:
    """The help article: paused on day 2 of a 4-day delay, 2 days remain after resume."""

    def test_step_3_is_requested_two_days_after_resume(self) -> None:
        """Step 2 sent, paused 2 days later, resumed 10 days later: step 3 goes 2 days on."""
        c = campaign(ACTIVE)
        state = _state(apply_command(None, command(Action.ENROLL), c, T0))
        state = _state(on_timer(state, c, T0))  # step 1 (no delay)
        step2_at = T0 + 2 * DAY
        state = _state(on_timer(state, c, step2_at))
        assert (3, step2_at + 4 * DAY) == (state.next_step, state.due_at)

        paused_at = step2_at + 2 * DAY
        state = _state(apply_command(state, command(Action.PAUSE, at=paused_at), c, paused_at))
        assert 2 * DAY.total_seconds() == state.remaining_s
        assert () == on_timer(state, c, step2_at + 4 * DAY).sends

        resumed_at = paused_at + 10 * DAY
        state = _state(apply_command(state, command(Action.RESUME, at=resumed_at), c, resumed_at))
        assert resumed_at + 2 * DAY == wake_at(state, c)
        assert () == on_timer(state, c, resumed_at + 2 * DAY - timedelta(seconds=1)).sends

        sent = on_timer(state, c, resumed_at + 2 * DAY)

        assert [("c-42:l-7:3", 3, resumed_at + 2 * DAY)] == [
            (s.send_id, s.step, s.requested_at) for s in sent.sends
        ]
        assert S.COMPLETED == _state(sent).status


class TestOnTimer:
    """A wake-up sends the due step, or ends a pause, or does nothing."""

    def test_sends_due_step_and_counts_down_to_next(self) -> None:
        """The due step is requested and the next one falls due after its delay."""
        c = campaign(ACTIVE, templates=(None, "t-2", None))

        t = on_timer(lead(S.IN_PROGRESS, next_step=2, due_at=T0), c, T0 + HOUR)

        assert (
            SendRequest.model_construct(
                send_id="c-42:l-7:2",
                campaign_id="c-42",
                lead_id="l-7",
                step=2,
                sender_id="mbx-1",
                template_id="t-2",
                due_at=T0,
                requested_at=T0 + HOUR,
                message_id="",  # stamped by the sequencer, not the core
                tracking_token="",
            ),
        ) == t.sends
        state = _state(t)
        assert (S.IN_PROGRESS, 3, T0 + HOUR + 4 * DAY) == (
            state.status,
            state.next_step,
            state.due_at,
        )
        assert "in progress: step 2 sent, step 3 next" == state.reason

    def test_last_step_completes(self) -> None:
        """Sending the last step completes the lead; nothing is due any more."""
        t = on_timer(lead(S.IN_PROGRESS, next_step=3, due_at=T0), campaign(), T0)

        state = _state(t)
        assert (S.COMPLETED, None, None, "completed: step 3 of 3 sent") == (
            state.status,
            state.due_at,
            state.remaining_s,
            state.reason,
        )
        assert [3] == [s.step for s in t.sends]
        assert wake_at(state, campaign()) is None

    def test_early_wake_up_does_nothing(self) -> None:
        """Before the countdown ends, a wake-up changes nothing."""
        before = lead(S.IN_PROGRESS, due_at=T0 + HOUR)

        t = on_timer(before, campaign(), T0)

        assert (before, False, None, ()) == (t.state, t.changed, t.status, t.sends)

    @pytest.mark.parametrize(
        "before",
        [
            lead(S.NOT_STARTED),
            lead(S.SKIPPED),
            lead(S.PAUSED),
            lead(S.PAUSED, resume_at=T0 + HOUR),
            lead(S.STOPPED),
            lead(S.COMPLETED),
            lead(S.IN_PROGRESS, remaining_s=60.0),
        ],
        ids=lambda s: f"{s.status}-{s.resume_at is not None}-{s.remaining_s}",
    )
    def test_nothing_due_does_nothing(self, before: LeadState) -> None:
        """A lead that is not counting down has nothing to send."""
        t = on_timer(before, campaign(), T0)

        assert (before, False, ()) == (t.state, t.changed, t.sends)

    @pytest.mark.parametrize("c", [campaign(PAUSED), None], ids=["paused", "unknown"])
    def test_not_running_campaign_sends_nothing(self, c: Campaign | None) -> None:
        """A due step waits while the campaign does not run."""
        t = on_timer(lead(S.IN_PROGRESS, due_at=T0 - HOUR), c, T0)

        assert (False, ()) == (t.changed, t.sends)

    def test_ends_pause_at_resume_at(self) -> None:
        """A pause with an end resumes by itself, with the countdown it had left."""
        t = on_timer(lead(S.PAUSED, remaining_s=600.0, resume_at=T0), campaign(), T0 + HOUR)

        state = _state(t)
        assert (S.IN_PROGRESS, T0 + HOUR + timedelta(seconds=600), None) == (
            state.status,
            state.due_at,
            state.resume_at,
        )
        assert "resumed automatically at 2026-06-01T10:00:00Z" == state.reason
        assert () == t.sends

    def test_removed_steps_complete_the_lead(self) -> None:
        """A lead whose next step was removed from the campaign completes when due."""
        c = campaign(delays=(timedelta(0),))

        t = on_timer(lead(S.IN_PROGRESS, next_step=2, due_at=T0), c, T0)

        assert (S.COMPLETED, ()) == (_state(t).status, t.sends)
        assert "no step 2 any more" in _state(t).reason

    def test_step_due_outside_window_waits_for_opening(self) -> None:
        """Due Saturday, the step is sent Monday at 09:00 Paris and says it was due then."""
        c = campaign(window=window("Europe/Paris"))
        saturday = T0 + 5 * DAY
        monday_nine = T0 + 7 * DAY - 3 * HOUR  # 07:00 UTC = 09:00 CEST
        before = lead(S.IN_PROGRESS, due_at=saturday)

        assert monday_nine == wake_at(before, c)
        assert () == on_timer(before, c, saturday + DAY).sends
        sent = on_timer(before, c, monday_nine)

        assert [(monday_nine, monday_nine)] == [(s.due_at, s.requested_at) for s in sent.sends]

    def test_missed_opening_waits_for_next_one(self) -> None:
        """A wake-up after the window closed moves the step to the next opening, unsent."""
        c = campaign(window=window("Europe/Paris"))
        monday_eight_pm = T0 + 8 * HOUR  # 18:00 UTC = 20:00 CEST

        t = on_timer(lead(S.IN_PROGRESS, due_at=T0 - DAY), c, monday_eight_pm)

        tuesday_nine = T0 + DAY - 3 * HOUR
        assert (True, (), tuesday_nine) == (t.changed, t.sends, _state(t).due_at)
        assert tuesday_nine == wake_at(_state(t), c)


class TestCampaignChange:
    """Launch, pause, resume, edits and deletion of the campaign, seen from one lead."""

    def test_launch_starts_not_started_lead(self) -> None:
        """The first move to active starts every enrolled lead at step 1."""
        old, new = campaign(DRAFT), campaign(ACTIVE, delays=(HOUR,))

        t = on_campaign_change(lead(S.NOT_STARTED), old, new, T0)

        state = _state(t)
        assert (S.IN_PROGRESS, 1, T0 + HOUR) == (state.status, state.next_step, state.due_at)
        assert "started: campaign launched" == state.reason

    def test_launch_leaves_skipped_lead_alone(self) -> None:
        """A skipped lead never starts."""
        before = lead(S.SKIPPED)

        t = on_campaign_change(before, campaign(DRAFT), campaign(ACTIVE), T0)

        assert (before, False) == (t.state, t.changed)

    def test_pause_freezes_running_lead(self) -> None:
        """A campaign pause freezes the countdown, like a lead pause, and says why."""
        t = on_campaign_change(
            lead(S.IN_PROGRESS, due_at=T0 + HOUR), campaign(ACTIVE), campaign(PAUSED), T0
        )

        state = _state(t)
        assert (S.IN_PROGRESS, None, 3600.0) == (state.status, state.due_at, state.remaining_s)
        assert "waiting: campaign c-42 is paused" in state.reason

    def test_resume_thaws_frozen_lead(self) -> None:
        """A campaign resume continues each frozen countdown with what was left."""
        t = on_campaign_change(
            lead(S.IN_PROGRESS, remaining_s=3600.0), campaign(PAUSED), campaign(ACTIVE), T0
        )

        state = _state(t)
        assert (T0 + HOUR, None, "in progress: campaign resumed") == (
            state.due_at,
            state.remaining_s,
            state.reason,
        )

    def test_back_to_draft_after_launch_behaves_as_paused(self) -> None:
        """A launched campaign returned to draft freezes its leads."""
        new = next_campaign(campaign(ACTIVE), settings(DRAFT, version=2))
        assert new is not None

        t = on_campaign_change(lead(S.IN_PROGRESS, due_at=T0 + HOUR), campaign(), new, T0)

        assert (None, 3600.0) == (_state(t).due_at, _state(t).remaining_s)
        assert wake_at(_state(t), new) is None

    def test_lead_paused_under_campaign_pause_stays_paused_on_campaign_resume(self) -> None:
        """A campaign resume does not resume leads paused on their own."""
        before = lead(S.PAUSED, remaining_s=100.0)

        t = on_campaign_change(before, campaign(PAUSED), campaign(ACTIVE), T0)

        assert (before, False) == (t.state, t.changed)

    @pytest.mark.parametrize("status", [S.NOT_STARTED, S.SKIPPED, S.IN_PROGRESS, S.PAUSED], ids=str)
    def test_deletion_stops_lead(self, status: S) -> None:
        """A deleted campaign stops every lead that has not ended."""
        t = on_campaign_change(lead(status), campaign(), None, T0)

        state = _state(t)
        assert (S.STOPPED, None, None, "stopped: campaign c-42 deleted") == (
            state.status,
            state.due_at,
            state.remaining_s,
            state.reason,
        )

    @pytest.mark.parametrize("status", [S.STOPPED, S.COMPLETED], ids=str)
    def test_deletion_leaves_ended_lead(self, status: S) -> None:
        """A lead that has ended stays as it is when its campaign is deleted."""
        before = lead(status)

        assert (before, False) == (
            on_campaign_change(before, campaign(), None, T0).state,
            on_campaign_change(before, campaign(), None, T0).changed,
        )

    @pytest.mark.parametrize(
        "new",
        [
            campaign(window=window("America/New_York")),
            campaign(delays=(timedelta(0),), version=2),
        ],
        ids=["window", "steps"],
    )
    def test_edits_leave_state(self, new: Campaign) -> None:
        """A change of window or steps leaves the lead; only its wake-up moves."""
        before = lead(S.IN_PROGRESS, due_at=T0 + HOUR)

        t = on_campaign_change(before, campaign(), new, T0)

        assert (before, False) == (t.state, t.changed)


class TestNextCampaign:
    """Campaign settings in order: version wins, first active is the launch."""

    def test_first_active_launches(self) -> None:
        """A campaign seen active is launched."""
        assert Campaign(settings(ACTIVE), launched=True) == next_campaign(None, settings(ACTIVE))

    @pytest.mark.parametrize("status", [DRAFT, PAUSED], ids=str)
    def test_never_active_is_not_launched(self, status: CampaignStatus) -> None:
        """A campaign never seen active has not been launched."""
        assert Campaign(settings(status), launched=False) == next_campaign(None, settings(status))

    def test_launch_is_remembered(self) -> None:
        """Once launched, a campaign stays launched through pauses and drafts."""
        launched = next_campaign(None, settings(ACTIVE))

        assert Campaign(settings(DRAFT, version=2), launched=True) == next_campaign(
            launched, settings(DRAFT, version=2)
        )

    def test_older_version_is_ignored(self) -> None:
        """Settings older than the ones held change nothing."""
        held = campaign(ACTIVE, version=7)

        assert held is next_campaign(held, settings(PAUSED, version=6))

    def test_deletion(self) -> None:
        """A tombstone deletes the campaign."""
        assert next_campaign(campaign(), None) is None


class TestWakeAt:
    """When the scheduler must call on_timer."""

    def test_running_lead_without_window(self) -> None:
        """A running lead wakes when its countdown ends."""
        assert T0 == wake_at(lead(S.IN_PROGRESS, due_at=T0), campaign())

    def test_paused_lead_with_end(self) -> None:
        """A pause with an end wakes at that end, whatever the campaign."""
        assert T0 == wake_at(lead(S.PAUSED, resume_at=T0), None)

    def test_lead_with_removed_step_wakes_when_due(self) -> None:
        """A lead whose next step was removed wakes when due to complete, window or not."""
        c = campaign(delays=(timedelta(0),), window=window(days="-----ss"))

        assert T0 == wake_at(lead(S.IN_PROGRESS, next_step=2, due_at=T0), c)

    @pytest.mark.parametrize(
        ("before", "c"),
        [
            (lead(S.PAUSED), campaign()),
            (lead(S.IN_PROGRESS, due_at=T0), campaign(PAUSED)),
            (lead(S.IN_PROGRESS, due_at=T0), None),
            (lead(S.IN_PROGRESS, remaining_s=5.0), campaign()),
            (lead(S.NOT_STARTED), campaign()),
            (lead(S.STOPPED), campaign()),
        ],
        ids=["paused", "campaign paused", "campaign unknown", "frozen", "not started", "stopped"],
    )
    def test_nothing_to_wake_for(self, before: LeadState, c: Campaign | None) -> None:
        """A lead that waits for an input has no wake-up."""
        assert wake_at(before, c) is None


class TestStatusMessage:
    """The LeadStatus message mirrors the state."""

    def test_paused_lead(self) -> None:
        """A paused lead shows its frozen countdown and no due time."""
        state = lead(S.PAUSED, remaining_s=172800.0, next_step=3)

        message = status_message(state)

        assert {
            "campaign_id": "c-42",
            "lead_id": "l-7",
            "status": "paused",
            "next_step": 3,
            "due_at": None,
            "remaining_seconds": 172800.0,
            "resume_at": None,
            "reason": "set up by the test",
            "updated_at": "2026-05-31T10:00:00Z",
            "version": 5,
            "campaign_paused": None,
            "suppressed": None,
        } == message.model_dump(mode="json")


class TestLeadState:
    """The stored state of a lead."""

    def test_lead_key(self) -> None:
        """A lead's key is its campaign and lead ids joined by a colon."""
        assert "c-42:l-7" == lead(S.PAUSED).lead_key
