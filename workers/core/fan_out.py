"""A campaign change as data: what it does to each kind of lead, the same for every lead of a kind.

:func:`on_campaign_change` decides one lead at a time. A change to a campaign of a million leads
does the same thing to every lead of a kind (every not-started lead starts with the same due
time, every running countdown freezes with the same reason, ...), so the sequencer applies it
set-based, one SQL statement per kind and chunk. This module is the single description of those
kinds; :func:`apply_plan` applies a plan to one lead and is proved equal to
``on_campaign_change`` (and ``wake_at``) for any lead (``tests/unit/core/test_core_fan_out.py``).

Kinds (decided on the lead's state before the change, by :meth:`FanOutPlan.kind_of`):

- ``stop``: the campaign was deleted and the lead is not final;
- ``start``: the campaign is launched and the lead has not started (its countdown begins: due
  ``now + first delay`` when the campaign runs, frozen with the first delay otherwise);
- ``freeze``: the campaign does not run and the lead's countdown does (``remaining = max(0,
  due - now)``);
- ``thaw``: the campaign runs and the lead's countdown is frozen (``due = now + remaining``);
- ``keep``: the change leaves the lead as it is; only its wake-up time is recomputed;
- ``lead_by_lead``: a state outside the invariant (a not-started lead with a due time) that the
  core decides alone: rare enough to be taken one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from schemas import LeadStatusValue, SendingWindow
from workers.core.machine import on_campaign_change, status_message, wake_at
from workers.core.state import FINAL, Campaign, LeadState, Transition, is_running
from workers.core.timing import next_window_open

S = LeadStatusValue


class LeadKind(StrEnum):
    """What a campaign change does to a lead (see the module docstring)."""

    #: Not final, campaign deleted: stopped.
    STOP = "stop"
    #: Not started, campaign launched: in progress (counting down, or frozen).
    START = "start"
    #: In progress and counting down, campaign not running: frozen.
    FREEZE = "freeze"
    #: In progress and frozen, campaign running: counting down again.
    THAW = "thaw"
    #: Left as it is (its wake-up time is recomputed).
    KEEP = "keep"
    #: Outside the invariant: decided by ``on_campaign_change`` itself.
    LEAD_BY_LEAD = "lead_by_lead"


@dataclass(frozen=True, slots=True, kw_only=True)
class FanOutPlan:
    """What one campaign change does, per kind of lead; every value but the lead's own is here."""

    campaign_id: str
    now: datetime
    #: The campaign was deleted (tombstone): non-final leads stop.
    deleted: bool
    #: The campaign has been launched: not-started leads start.
    launched: bool
    #: The campaign is active after the change: frozen countdowns thaw, else running ones freeze.
    running: bool
    #: The campaign's number of steps (0 when deleted).
    steps: int
    #: The sending window (None: none, or the campaign does not run).
    window: SendingWindow | None
    stop_reason: str
    start_reason: str
    #: A started lead's countdown: its due time when the campaign runs, else its remaining seconds.
    start_due_at: datetime | None
    start_remaining_s: float | None
    freeze_reason: str
    thaw_reason: str

    def kind_of(self, state: LeadState) -> LeadKind:
        """What the change does to ``state`` (mirrored in SQL by ``store.FAN_OUT_KIND``)."""
        if self.deleted:
            return LeadKind.KEEP if state.status in FINAL else LeadKind.STOP
        if state.status is S.NOT_STARTED and self.launched:
            return LeadKind.START if state.due_at is None else LeadKind.LEAD_BY_LEAD
        if state.status is S.IN_PROGRESS and (state.due_at is None) == self.running:
            return LeadKind.THAW if self.running else LeadKind.FREEZE
        return LeadKind.KEEP

    def wake(self, due_at: datetime, next_step: int) -> datetime:
        """The wake-up time of a lead counting down to ``due_at`` (the campaign runs)."""
        if next_step > self.steps:
            return due_at
        return next_window_open(self.window, due_at)

    @property
    def start_wake_at(self) -> datetime | None:
        """The wake-up time of a started lead whose next step exists."""
        return None if self.start_due_at is None else self.wake(self.start_due_at, 1)

    def keep_wake(self, state: LeadState) -> datetime | None:
        """The wake-up time of a lead the change leaves as it is (``wake_at``)."""
        if state.status is S.PAUSED:
            return state.resume_at
        if state.status is S.IN_PROGRESS and state.due_at is not None and self.running:
            return self.wake(state.due_at, state.next_step)
        return None


def campaign_fan_out_plan(
    campaign_id: str, old: Campaign | None, new: Campaign | None, now: datetime
) -> FanOutPlan:
    """The plan of a change of ``campaign_id`` from ``old`` to ``new`` (None: deleted) at ``now``.

    Built from the same rule as :func:`on_campaign_change` (``old`` is unused there too).
    """
    running = is_running(new)
    if new is None:
        waiting = f"waiting: campaign {campaign_id} is not known"
        first_delay = 0.0
    else:
        waiting = f"waiting: campaign {campaign_id} is {new.settings.status}"
        first_delay = new.settings.steps[0].delay.total_seconds()
    started = "started: campaign launched"
    return FanOutPlan(
        campaign_id=campaign_id,
        now=now,
        deleted=new is None,
        launched=new is not None and new.launched,
        running=running,
        steps=0 if new is None else len(new.settings.steps),
        window=new.settings.sending_window if is_running(new) else None,
        stop_reason=f"stopped: campaign {campaign_id} deleted",
        start_reason=started if running else f"{started}; {waiting}",
        start_due_at=now + timedelta(seconds=first_delay) if running else None,
        start_remaining_s=None if running else first_delay,
        freeze_reason=f"in progress; {waiting}",
        thaw_reason="in progress: campaign resumed",
    )


def freeze_remaining_s(due_at: datetime, now: datetime) -> float:
    """A frozen countdown's seconds: what is left until ``due_at`` (never negative)."""
    return max(0.0, (due_at - now).total_seconds())


def thaw_due_at(remaining_s: float | None, now: datetime) -> datetime:
    """A thawed countdown's end: ``remaining_s`` (None: 0) after ``now``."""
    return now + timedelta(seconds=remaining_s or 0.0)


def apply_plan(
    plan: FanOutPlan, state: LeadState, new: Campaign | None
) -> tuple[Transition, datetime | None]:
    """One lead under ``plan``: its transition and its wake-up time after the change.

    ``new`` (the campaign after the change) is only read for the ``lead_by_lead`` kind.
    """
    kind = plan.kind_of(state)
    if kind is LeadKind.LEAD_BY_LEAD:
        transition = on_campaign_change(state, None, new, plan.now)
        assert transition.state is not None
        return transition, wake_at(transition.state, new)
    if kind is LeadKind.KEEP:
        return Transition(state, False, None, None, ()), plan.keep_wake(state)
    changed = _changed(plan, kind, state)
    wake = None
    if changed.due_at is not None:
        wake = plan.wake(changed.due_at, changed.next_step)
    return Transition(changed, True, None, status_message(changed), ()), wake


def _changed(plan: FanOutPlan, kind: LeadKind, state: LeadState) -> LeadState:
    """The new state of a lead of a changing kind."""
    if kind is LeadKind.STOP:
        return _evolve(plan, state, S.STOPPED, plan.stop_reason, countdown=(None, None))
    if kind is LeadKind.START:
        countdown = (plan.start_due_at, plan.start_remaining_s)
        return _evolve(plan, state, S.IN_PROGRESS, plan.start_reason, countdown=countdown)
    if kind is LeadKind.FREEZE:
        assert state.due_at is not None
        remaining = freeze_remaining_s(state.due_at, plan.now)
        return _evolve(plan, state, S.IN_PROGRESS, plan.freeze_reason, countdown=(None, remaining))
    due_at = thaw_due_at(state.remaining_s, plan.now)
    return _evolve(plan, state, S.IN_PROGRESS, plan.thaw_reason, countdown=(due_at, None))


def _evolve(
    plan: FanOutPlan,
    state: LeadState,
    status: LeadStatusValue,
    reason: str,
    *,
    countdown: tuple[datetime | None, float | None],
) -> LeadState:
    return replace(
        state,
        status=status,
        auto_paused=False,
        due_at=countdown[0],
        remaining_s=countdown[1],
        resume_at=None,
        reason=reason,
        version=state.version + 1,
        updated_at=plan.now,
    )
