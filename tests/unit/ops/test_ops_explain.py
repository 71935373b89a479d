"""The plain-language account of why a lead is or is not sending."""

from __future__ import annotations

from datetime import timedelta

import pytest

from schemas import CampaignStatus, LeadStatusValue
from tests.unit.ops.factories import DAY, PARIS, T0, campaign, lead
from workers.core import Campaign, LeadState
from workers.ops.explain import explain, span, when

S = LeadStatusValue
C = CampaignStatus


class TestSpan:
    """Durations read like a person writes them."""

    @pytest.mark.parametrize(
        ("expected", "seconds"),
        [
            ("0.0s", -3.0),
            ("4.0s", 4.0),
            ("42s", 42.4),
            ("4m 10s", 250.0),
            ("2h 5m", 7500.0),
            ("2d 0h", 2 * 86400.0),
            ("1d 3h", 86400.0 + 3 * 3600 + 59),
        ],
    )
    def test_span(self, expected: str, seconds: float) -> None:
        """A number of seconds becomes its two largest units (tenths below ten seconds)."""
        assert expected == span(seconds)


class TestWhen:
    """Instants carry how far they are from now."""

    def test_future(self) -> None:
        """A later instant reads "in ..."."""
        assert "2026-06-03T10:00:00Z (in 2d 0h)" == when(T0 + 2 * DAY, T0)

    def test_past(self) -> None:
        """An earlier instant reads "... ago"."""
        assert "2026-06-01T09:59:30Z (30s ago)" == when(T0 - timedelta(seconds=30), T0)


ROWS: list[tuple[str, LeadState, Campaign | None]] = [
    (
        "paused by alice: call on Monday at 2026-06-01T10:00:00Z; step 3 is 2d 0h away once"
        " resumed; stays paused until someone resumes or stops it",
        lead(S.PAUSED, reason="paused by alice: call on Monday", remaining_s=2 * 86400.0),
        campaign(),
    ),
    (
        "paused by reply automation (event r-1) at 2026-06-01T10:00:00Z; step 3 is 4.0s away"
        " once resumed; auto-resumes at 2026-06-02T10:00:00Z (in 1d 0h)",
        lead(
            S.PAUSED,
            reason="paused by reply automation (event r-1)",
            remaining_s=4.0,
            resume_at=T0 + DAY,
        ),
        campaign(),
    ),
    (
        "paused by bob at 2026-06-01T10:00:00Z; step 3 is 5.0s away once resumed; stays paused"
        " until someone resumes or stops it (and campaign c-42 is paused at the campaign level)",
        lead(S.PAUSED, reason="paused by bob", remaining_s=5.0),
        campaign(C.PAUSED),
    ),
    (
        "in progress: step 3 due at 2026-06-03T10:00:00Z (in 2d 0h)",
        lead(due_at=T0 + 2 * DAY),
        campaign(),
    ),
    ("in progress: step 3 is due now (being sent)", lead(due_at=T0), campaign()),
    (
        "in progress: step 3 falls due at 2026-06-06T10:00:00Z (in 5d 0h), outside the sending"
        " window: waiting for the next opening at 2026-06-08 09:00 Europe/Paris (in 6d 21h)",
        lead(due_at=T0 + 5 * DAY),  # Saturday
        campaign(window=PARIS),
    ),
    (
        "in progress but not sending: campaign c-42 is paused at the campaign level; step 3 is"
        " 1d 0h away once the campaign is active again",
        lead(remaining_s=86400.0),
        campaign(C.PAUSED),
    ),
    (
        "in progress but not sending: campaign c-42 is not known yet (no settings published with"
        " campaign put); step 3 is 0.0s away once the campaign is active again",
        lead(),
        None,
    ),
    (
        "in progress: the campaign has no step 4 any more; completes soon",
        lead(next_step=4, due_at=T0),
        campaign(),
    ),
    (
        "not started: campaign c-42 is a draft (not launched yet); it starts when the campaign"
        " goes active",
        lead(S.NOT_STARTED, next_step=1),
        campaign(C.DRAFT),
    ),
    (
        "not started: campaign c-42 is not known yet (no settings published with campaign put);"
        " it starts when the campaign launches",
        lead(S.NOT_STARTED, next_step=1),
        None,
    ),
    ("completed: all 3 steps sent", lead(S.COMPLETED, next_step=4), campaign()),
    (
        "stopped (stopped by meeting_booked automation (event b-1)): final, nothing more is sent"
        " (1 step(s) sent)",
        lead(S.STOPPED, next_step=2, reason="stopped by meeting_booked automation (event b-1)"),
        campaign(),
    ),
    (
        "skipped (skipped by alice): it never starts, nothing is ever sent to it",
        lead(S.SKIPPED, next_step=1, reason="skipped by alice"),
        campaign(C.DRAFT),
    ),
]


class TestExplain:
    """Every status has a plain-language account of why the lead is or is not sending."""

    @pytest.mark.parametrize(("expected", "state", "found"), ROWS)
    def test_explain(self, expected: str, state: LeadState, found: Campaign | None) -> None:
        """The explanation at T0 names the cause, the time and what happens next."""
        assert expected == explain(state, found, T0)

    def test_launched_but_not_started(self) -> None:
        """A lead not started under a launched campaign waits for the sequencer."""
        text = explain(lead(S.NOT_STARTED), campaign(), T0)
        assert text.startswith("not started: waiting for the sequencer")

    def test_draft_again_holds_a_running_lead(self) -> None:
        """A launched campaign moved back to draft holds its running leads."""
        text = explain(lead(remaining_s=3.0), campaign(C.DRAFT, launched=True), T0)
        assert "campaign c-42 is back in draft" in text

    def test_running_without_countdown(self) -> None:
        """An in-progress lead without a due time names its next step."""
        assert "in progress: step 3 is next" == explain(lead(), campaign(), T0)
