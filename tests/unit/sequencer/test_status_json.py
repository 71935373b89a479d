"""StatusTemplate: a kind's LeadStatus JSON, byte for byte the model's, for any lead."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import LeadStatus, LeadStatusValue
from workers.core import LeadState, status_message
from workers.sequencer.status_json import StatusTemplate

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
SAMPLE = LeadState(
    campaign_id="c-42",
    lead_id="sample",
    status=LeadStatusValue.IN_PROGRESS,
    next_step=1,
    due_at=T0 + timedelta(hours=1),
    remaining_s=None,
    resume_at=None,
    reason="started: campaign launched",
    last_manual_at=None,
    version=1,
    updated_at=T0,
)
ids = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,127}\Z")
instants = st.integers(-(10**12), 10**12).map(lambda us: T0 + timedelta(microseconds=us))
seconds = st.floats(0, 10**9, allow_nan=False) | st.integers(0, 10**12).map(lambda us: us / 1e6)


def _assert_same(expected: LeadStatus, got: bytes) -> None:
    assert expected.model_dump_json().encode() == got
    assert expected == LeadStatus.model_validate_json(got)


class TestStatusTemplate:
    """Each lead's values filled into the kind's shared JSON."""

    @settings(max_examples=300, deadline=None)
    @given(lead_id=ids, step=st.integers(1, 10**6), version=st.integers(0, 2**62))
    def test_shared_countdown(self, lead_id: str, step: int, version: int) -> None:
        """Started leads (one due time for all) render as their own LeadStatus."""
        state = replace(SAMPLE, lead_id=lead_id, next_step=step, version=version)

        got = StatusTemplate.of(SAMPLE).render(lead_id, step, version)

        _assert_same(status_message(state), got)

    @settings(max_examples=300, deadline=None)
    @given(lead_id=ids, step=st.integers(1, 100), version=st.integers(0, 10**9), due=instants)
    def test_own_due_time(self, lead_id: str, step: int, version: int, due: datetime) -> None:
        """Thawed leads (each its own due time) render as their own LeadStatus."""
        state = replace(SAMPLE, lead_id=lead_id, next_step=step, version=version, due_at=due)

        got = StatusTemplate.of(SAMPLE, "due_at").render(lead_id, step, version, due)

        _assert_same(status_message(state), got)

    @settings(max_examples=300, deadline=None)
    @given(lead_id=ids, version=st.integers(0, 10**9), remaining=seconds)
    def test_own_remaining_seconds(self, lead_id: str, version: int, remaining: float) -> None:
        """Frozen leads (each its own remaining seconds) render as their own LeadStatus."""
        frozen = replace(SAMPLE, due_at=None, remaining_s=1.0, reason="in progress; waiting")
        state = replace(frozen, lead_id=lead_id, version=version, remaining_s=remaining)

        got = StatusTemplate.of(frozen, "remaining_seconds").render(lead_id, 2, version, remaining)

        _assert_same(status_message(replace(state, next_step=2)), got)

    @settings(max_examples=300, deadline=None)
    @given(lead_id=st.text(min_size=1), reason=st.text())
    def test_any_text_is_escaped_as_pydantic_does(self, lead_id: str, reason: str) -> None:
        """Quotes, backslashes, control and non-ASCII characters, % signs: the model's bytes."""
        sample = replace(SAMPLE, reason=reason)

        got = StatusTemplate.of(sample).render(lead_id, 1, 1)

        assert status_message(replace(sample, lead_id=lead_id)).model_dump_json().encode() == got

    def test_stopped_lead_has_no_countdown(self) -> None:
        """A stopped lead's JSON has null countdowns and the template's reason."""
        stopped = replace(
            SAMPLE, status=LeadStatusValue.STOPPED, due_at=None, reason='stopped: "c-42" deleted'
        )

        got = StatusTemplate.of(stopped).render("l-7", 3, 9)

        _assert_same(status_message(replace(stopped, lead_id="l-7", next_step=3, version=9)), got)
