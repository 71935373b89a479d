"""Properties of the state machine under any interleaving of pauses, resumes and wake-ups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import Action, CampaignStatus, LeadStatusValue, SendRequest, Source
from tests.unit.core import core_factories as f
from tests.unit.core.core_factories import T0, command
from workers.core import (
    Campaign,
    LeadState,
    Transition,
    apply_command,
    next_campaign,
    on_campaign_change,
    on_timer,
    wake_at,
)

S = LeadStatusValue
PROPERTY = settings(max_examples=150, deadline=None)
TOLERANCE = timedelta(microseconds=1)

OPS = (
    "wait",
    "lead_pause",
    "lead_pause_until",
    "lead_resume",
    "campaign_pause",
    "campaign_resume",
    "campaign_draft",
)
delays_st = st.lists(st.integers(0, 3 * 86400), min_size=1, max_size=4)
ops_st = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 2 * 86400), st.integers(1, 86400)),
    max_size=25,
)


@dataclass
class Simulation:
    """Drives one lead through commands, campaign changes and every wake-up it asks for."""

    campaign: Campaign
    state: LeadState
    now: datetime = T0
    running: timedelta = timedelta(0)
    sends: list[tuple[SendRequest, timedelta, bool]] = field(default_factory=list)
    serial: int = 0

    @classmethod
    def start(cls, delays: list[int], status: CampaignStatus = CampaignStatus.ACTIVE) -> Simulation:
        """A lead enrolled at T0 into a campaign with these step delays (seconds)."""
        c = f.campaign(status, delays=tuple(timedelta(seconds=d) for d in delays))
        t = apply_command(None, command(Action.ENROLL), c, T0)
        assert t.state is not None
        return cls(campaign=c, state=t.state)

    @property
    def is_running(self) -> bool:
        """The lead counts down: in progress under an active campaign."""
        return self.state.status is S.IN_PROGRESS and self.campaign.running

    def _elapse(self, until: datetime) -> None:
        if self.is_running:
            self.running += until - self.now
        self.now = until

    def _take(self, t: Transition) -> None:
        assert t.state is not None
        for send in t.sends:
            self.sends.append((send, self.running, self.is_running))
            self.running = timedelta(0)
        self.state = t.state

    def advance(self, gap_s: int) -> None:
        """Let ``gap_s`` seconds pass, waking the lead whenever it asks."""
        until = self.now + timedelta(seconds=gap_s)
        while (wake := wake_at(self.state, self.campaign)) is not None and wake <= until:
            self._elapse(max(wake, self.now))
            t = on_timer(self.state, self.campaign, self.now)
            self._take(t)
            if not t.changed:
                break
        self._elapse(until)

    def lead_command(self, action: Action, resume_at: datetime | None = None) -> Transition:
        """Apply a manual command now."""
        self.serial += 1
        cmd = command(action, at=self.now, command_id=f"cmd-{self.serial}", resume_at=resume_at)
        t = apply_command(self.state, cmd, self.campaign, self.now)
        assert () == t.sends
        self._take(t)
        return t

    def campaign_to(self, status: CampaignStatus) -> None:
        """Publish new campaign settings with ``status``."""
        old = self.campaign
        settings_ = old.settings.model_copy(
            update={"status": status, "version": old.settings.version + 1}
        )
        new = next_campaign(old, settings_)
        assert new is not None
        t = on_campaign_change(self.state, old, new, self.now)
        assert () == t.sends
        self.campaign = new
        self._take(t)

    def play(self, op: str, extra_s: int) -> None:
        """Apply one named operation."""
        match op:
            case "lead_pause":
                self.lead_command(Action.PAUSE)
            case "lead_pause_until":
                self.lead_command(Action.PAUSE, resume_at=self.now + timedelta(seconds=extra_s))
            case "lead_resume":
                self.lead_command(Action.RESUME)
            case "campaign_pause":
                self.campaign_to(CampaignStatus.PAUSED)
            case "campaign_draft":
                self.campaign_to(CampaignStatus.DRAFT)
            case "campaign_resume":
                self.campaign_to(CampaignStatus.ACTIVE)

    def finish(self) -> None:
        """Resume everything and let the sequence run to its end."""
        self.campaign_to(CampaignStatus.ACTIVE)
        self.lead_command(Action.RESUME)
        self.advance(30 * 86400)  # longer than any sequence drawn


def run(delays: list[int], ops: list[tuple[str, int, int]]) -> Simulation:
    """Play ``ops`` (operation, seconds before it, extra seconds) on a fresh lead."""
    sim = Simulation.start(delays)
    for op, gap_s, extra_s in ops:
        sim.advance(gap_s)
        sim.play(op, extra_s)
    return sim


class TestProperties:
    """What holds for any history of a lead."""

    @PROPERTY
    @given(delays=delays_st, ops=ops_st)
    def test_running_time_between_sends_is_the_step_delay(
        self, delays: list[int], ops: list[tuple[str, int, int]]
    ) -> None:
        """However pauses interleave, each step is sent after exactly its delay of running time."""
        sim = run(delays, ops)
        sim.finish()

        assert list(range(1, len(delays) + 1)) == [s.step for s, _, _ in sim.sends]
        for (send, running, _), delay_s in zip(sim.sends, delays, strict=True):
            assert abs(timedelta(seconds=delay_s) - running) <= TOLERANCE, send.send_id
        assert S.COMPLETED == sim.state.status

    @PROPERTY
    @given(delays=delays_st, ops=ops_st)
    def test_nothing_sends_unless_running(
        self, delays: list[int], ops: list[tuple[str, int, int]]
    ) -> None:
        """Every send happens while the lead is in progress and its campaign active."""
        sim = run(delays, ops)

        assert all(was_running for _, _, was_running in sim.sends)

    @PROPERTY
    @given(
        status=st.sampled_from(list(S)),
        campaign_status=st.sampled_from(list(CampaignStatus)),
        due_s=st.none() | st.integers(-86400, 86400),
        resume_s=st.none() | st.integers(-86400, 86400),
    )
    def test_wake_up_sends_only_for_running_lead(
        self,
        status: S,
        campaign_status: CampaignStatus,
        due_s: int | None,
        resume_s: int | None,
    ) -> None:
        """A wake-up sends nothing for a lead that is not in progress under an active campaign."""
        due_at = None if due_s is None else T0 + timedelta(seconds=due_s)
        resume_at = None if resume_s is None else T0 + timedelta(seconds=resume_s)
        state = f.lead(status, due_at=due_at, resume_at=resume_at)

        t = on_timer(state, f.campaign(campaign_status), T0)

        running = status is S.IN_PROGRESS and campaign_status is CampaignStatus.ACTIVE
        assert running or () == t.sends

    @PROPERTY
    @given(delays=delays_st, ops=ops_st, stop_after=st.integers(0, 25))
    def test_stopped_lead_never_sends(
        self, delays: list[int], ops: list[tuple[str, int, int]], stop_after: int
    ) -> None:
        """After a stop is applied, no step is ever sent."""
        sim = run(delays, ops[:stop_after])
        sim.lead_command(Action.STOP)
        sent = len(sim.sends)
        for op, gap_s, extra_s in ops[stop_after:]:
            sim.advance(gap_s)
            sim.play(op, extra_s)
        sim.finish()

        assert sent == len(sim.sends)
        assert sim.state.status in {S.STOPPED, S.COMPLETED}  # completed before the stop came

    @PROPERTY
    @given(delays=delays_st, ops=ops_st)
    def test_skipped_lead_never_sends_after_launch(
        self, delays: list[int], ops: list[tuple[str, int, int]]
    ) -> None:
        """A lead skipped before launch stays skipped and sends nothing, whatever follows."""
        sim = Simulation.start(delays, CampaignStatus.DRAFT)
        sim.lead_command(Action.SKIP)
        sim.campaign_to(CampaignStatus.ACTIVE)
        for op, gap_s, extra_s in ops:
            sim.advance(gap_s)
            sim.play(op, extra_s)
        sim.finish()

        assert ([], S.SKIPPED) == (sim.sends, sim.state.status)

    @PROPERTY
    @given(delays=delays_st, ops=ops_st)
    def test_completed_lead_never_sends_again(
        self, delays: list[int], ops: list[tuple[str, int, int]]
    ) -> None:
        """Once every step is sent, nothing more is ever sent."""
        sim = Simulation.start(delays)
        sim.finish()
        for op, gap_s, extra_s in ops:
            sim.advance(gap_s)
            sim.play(op, extra_s)
        sim.finish()

        assert len(delays) == len(sim.sends)
        assert S.COMPLETED == sim.state.status

    @PROPERTY
    @given(
        delays=delays_st,
        ops=ops_st,
        shape=st.tuples(
            st.sampled_from(list(Action)),
            st.sampled_from(list(Source)),
            st.integers(-86400, 86400),
            st.none() | st.integers(-3600, 86400),
        ),
    )
    def test_any_command_twice_is_once(
        self,
        delays: list[int],
        ops: list[tuple[str, int, int]],
        shape: tuple[Action, Source, int, int | None],
    ) -> None:
        """Applying a command a second time changes nothing more."""
        action, source, offset_s, resume_in_s = shape
        sim = run(delays, ops)
        resume_at = None
        if action is Action.PAUSE and resume_in_s is not None:
            resume_at = sim.now + timedelta(seconds=resume_in_s)
        at = sim.now + timedelta(seconds=offset_s)
        cmd = command(action, source, at=at, resume_at=resume_at)

        once = apply_command(sim.state, cmd, sim.campaign, sim.now)
        twice = apply_command(once.state, cmd, sim.campaign, sim.now)

        assert (once.state, False, ()) == (twice.state, twice.changed, twice.sends)
