"""The fan-out plan: a campaign change per kind of lead, equal to the per-lead rule for any lead."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import CampaignStatus, LeadStatusValue
from tests.unit.core import core_factories as f
from tests.unit.core.core_factories import DAY, HOUR, T0
from workers.core import (
    Campaign,
    LeadKind,
    LeadState,
    apply_plan,
    campaign_fan_out_plan,
    on_campaign_change,
    wake_at,
)

S = LeadStatusValue
PROPERTY = settings(max_examples=400, deadline=None)

_offsets = st.none() | st.integers(-3 * 86400, 3 * 86400).map(lambda s: timedelta(seconds=s))
_micros = st.integers(-(10**11), 10**11).map(lambda us: timedelta(microseconds=us))


@st.composite
def leads(draw: st.DrawFn) -> LeadState:
    """Any lead of campaign c-42, including states outside the invariant."""
    due = draw(st.none() | _micros | _offsets)
    resume = draw(_offsets)
    remaining = draw(
        st.none()
        | st.floats(0, 10**7, allow_nan=False)
        | st.integers(0, 10**12).map(lambda us: us / 10**6)
    )
    return LeadState(
        campaign_id="c-42",
        lead_id=draw(st.sampled_from(["l-7", "l-8", "a.b_c-9"])),
        status=draw(st.sampled_from(list(S))),
        next_step=draw(st.integers(1, 5)),
        due_at=None if due is None else T0 + due,
        remaining_s=remaining,
        resume_at=None if resume is None else T0 + resume,
        reason="set up by the test",
        last_manual_at=draw(st.none() | st.just(T0 - HOUR)),
        version=draw(st.integers(0, 10**6)),
        updated_at=T0 - DAY,
        auto_paused=draw(st.booleans()),
    )


@st.composite
def campaigns(draw: st.DrawFn) -> Campaign | None:
    """A campaign in any status, with or without a window, launched or not; or None (deleted)."""
    if draw(st.integers(0, 5)) == 0:
        return None
    delays = tuple(
        timedelta(seconds=s)
        for s in draw(st.lists(st.integers(0, 4 * 86400), min_size=1, max_size=4))
    )
    window = draw(st.sampled_from([None, f.window(), f.window("America/New_York", days="mtwtfss")]))
    status = draw(st.sampled_from(list(CampaignStatus)))
    return f.campaign(status, launched=draw(st.booleans()), delays=delays, window=window)


class TestApplyPlan:
    """Applying the plan to a lead is the per-lead core, for any lead and any change."""

    @PROPERTY
    @given(state=leads(), old=campaigns(), new=campaigns(), now_s=st.integers(-86400, 86400))
    def test_equals_on_campaign_change(
        self, state: LeadState, old: Campaign | None, new: Campaign | None, now_s: int
    ) -> None:
        """Same new state, same change flag, same LeadStatus, same wake-up time."""
        now = T0 + timedelta(seconds=now_s, microseconds=now_s % 997)
        expected = on_campaign_change(state, old, new, now)
        assert expected.state is not None

        got, wake = apply_plan(campaign_fan_out_plan("c-42", old, new, now), state, new)

        assert expected.state == got.state
        assert expected.changed == got.changed
        assert expected.status == got.status
        assert wake_at(expected.state, new) == wake


_LAUNCHED = f.campaign(CampaignStatus.ACTIVE)
_PAUSED = f.campaign(CampaignStatus.PAUSED)
_DRAFT = f.campaign(CampaignStatus.DRAFT)


class TestKindOf:
    """Which leads a change touches, and how."""

    @pytest.mark.parametrize(
        ("expected", "new", "state"),
        [
            (LeadKind.STOP, None, f.lead(S.PAUSED)),
            (LeadKind.STOP, None, f.lead(S.SKIPPED)),
            (LeadKind.KEEP, None, f.lead(S.COMPLETED)),
            (LeadKind.START, _LAUNCHED, f.lead(S.NOT_STARTED)),
            (LeadKind.START, _PAUSED, f.lead(S.NOT_STARTED)),
            (LeadKind.KEEP, _DRAFT, f.lead(S.NOT_STARTED)),
            (LeadKind.LEAD_BY_LEAD, _LAUNCHED, f.lead(S.NOT_STARTED, due_at=T0)),
            (LeadKind.FREEZE, _PAUSED, f.lead(S.IN_PROGRESS)),
            (LeadKind.THAW, _LAUNCHED, f.lead(S.IN_PROGRESS, remaining_s=60.0)),
            (LeadKind.KEEP, _LAUNCHED, f.lead(S.IN_PROGRESS)),
            (LeadKind.KEEP, _PAUSED, f.lead(S.PAUSED)),
        ],
    )
    def test_kind(self, expected: LeadKind, new: Campaign | None, state: LeadState) -> None:
        """Deleted: non-final leads stop; launched: not-started ones start; running decides."""
        assert expected is campaign_fan_out_plan("c-42", None, new, T0).kind_of(state)


class TestPlan:
    """The values a change gives every lead of a kind."""

    def test_launch_starts_every_lead_at_the_first_delay(self) -> None:
        """An active launch: due now + first delay, woken at the window's next opening."""
        new = f.campaign(delays=(HOUR, DAY), window=f.window(start="14:00"))

        plan = campaign_fan_out_plan("c-42", None, new, T0)

        assert (T0 + HOUR, None) == (plan.start_due_at, plan.start_remaining_s)
        assert "started: campaign launched" == plan.start_reason
        assert datetime.fromisoformat("2026-06-01T14:00:00+02:00") == plan.start_wake_at

    def test_pause_freezes_with_the_campaign_status_in_the_reason(self) -> None:
        """A paused campaign: started leads wait with the first delay, running ones freeze."""
        plan = campaign_fan_out_plan("c-42", _LAUNCHED, _PAUSED, T0)

        assert (None, 0.0, None) == (plan.start_due_at, plan.start_remaining_s, plan.start_wake_at)
        assert "in progress; waiting: campaign c-42 is paused" == plan.freeze_reason
        assert "started: campaign launched; waiting: campaign c-42 is paused" == plan.start_reason

    def test_delete_stops(self) -> None:
        """A tombstone: the stop reason names the campaign."""
        plan = campaign_fan_out_plan("c-42", _LAUNCHED, None, T0)

        assert (True, 0, "stopped: campaign c-42 deleted") == (
            plan.deleted,
            plan.steps,
            plan.stop_reason,
        )

    def test_thawed_lead_past_the_last_step_wakes_at_its_due_time(self) -> None:
        """A lead whose next step was removed is woken at its due time, window or not."""
        new = f.campaign(delays=(HOUR,), window=f.window(start="12:00"))
        plan = campaign_fan_out_plan("c-42", _PAUSED, new, T0)

        assert T0 == plan.wake(T0, 2)


class TestApplyPlanByKind:
    """One lead of each kind, through the plan and through the per-lead core."""

    @pytest.mark.parametrize(
        ("new", "state"),
        [
            (None, f.lead(S.PAUSED, resume_at=T0 + DAY)),
            (_LAUNCHED, f.lead(S.NOT_STARTED)),
            (_LAUNCHED, f.lead(S.NOT_STARTED, due_at=T0 - HOUR)),
            (_PAUSED, f.lead(S.NOT_STARTED, due_at=T0 + HOUR)),
            (_PAUSED, f.lead(S.IN_PROGRESS)),
            (_LAUNCHED, f.lead(S.IN_PROGRESS, remaining_s=60.0)),
            (_LAUNCHED, f.lead(S.IN_PROGRESS)),
            (_PAUSED, f.lead(S.PAUSED, resume_at=T0 + DAY)),
            (None, f.lead(S.COMPLETED)),
        ],
    )
    def test_same_as_the_core(self, new: Campaign | None, state: LeadState) -> None:
        """Stop, start, lead by lead, freeze, thaw, keep: the core's state and wake-up."""
        expected = on_campaign_change(state, None, new, T0)
        assert expected.state is not None

        got, wake = apply_plan(campaign_fan_out_plan("c-42", None, new, T0), state, new)

        assert (expected.state, expected.status) == (got.state, got.status)
        assert wake_at(expected.state, new) == wake
