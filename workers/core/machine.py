"""The lead state machine: commands, wake-ups and campaign changes in, transitions out.

Every function is pure: it takes the lead's state, the campaign and ``now`` and
returns a :class:`Transition` (new state, CommandResult, LeadStatus, sends).
The contract's "Lead semantics" table is implemented cell by cell in the
``_pause``, ``_resume``, ``_stop`` and ``_skip`` handlers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from schemas import (
    Action,
    CampaignSettings,
    CampaignStatus,
    CommandResult,
    LeadCommand,
    LeadStatus,
    LeadStatusValue,
    Outcome,
    SendRequest,
    Source,
    Suppression,
    Trigger,
)
from schemas._types import format_timestamp
from workers.core.state import FINAL, Campaign, LeadState, Transition, is_running
from workers.core.suppression import enroll_refusal
from workers.core.timing import in_window, next_window_open

S = LeadStatusValue

#: A handler's answer: the lead's new state, or a verdict that leaves it unchanged.
Verdict = tuple[Outcome, str]
Countdown = tuple[datetime | None, float | None]
Handler = Callable[[LeadState, LeadCommand, Campaign | None, datetime], LeadState | Verdict]


# --- countdowns ------------------------------------------------------------------------


def _countdown(remaining_s: float, campaign: Campaign | None, now: datetime) -> Countdown:
    """``(due_at, None)`` when the campaign runs, else ``(None, remaining_s)`` (frozen)."""
    if is_running(campaign):
        return now + timedelta(seconds=remaining_s), None
    return None, remaining_s


def _remaining(state: LeadState, now: datetime) -> float:
    """What is left of the countdown, in seconds (never negative)."""
    if state.due_at is not None:
        return max(0.0, (state.due_at - now).total_seconds())
    return state.remaining_s or 0.0


def _first_delay_s(campaign: Campaign) -> float:
    return campaign.settings.steps[0].delay.total_seconds()


def _waiting(state: LeadState, campaign: Campaign | None) -> str:
    """Why a lead in progress does not count down."""
    if campaign is None:
        return f"waiting: campaign {state.campaign_id} is not known"
    return f"waiting: campaign {state.campaign_id} is {campaign.settings.status}"


def _evolve(
    state: LeadState,
    now: datetime,
    status: LeadStatusValue,
    reason: str,
    *,
    countdown: Countdown = (None, None),
    resume_at: datetime | None = None,
    next_step: int | None = None,
    auto_paused: bool = False,
) -> LeadState:
    """The next version of ``state``."""
    return replace(
        state,
        status=status,
        auto_paused=auto_paused,
        next_step=next_step or state.next_step,
        due_at=countdown[0],
        remaining_s=countdown[1],
        resume_at=resume_at,
        reason=reason,
        version=state.version + 1,
        updated_at=now,
    )


def _run(state: LeadState, campaign: Campaign | None, now: datetime, why: str) -> LeadState:
    """``state`` in progress, counting down ``remaining`` when the campaign runs, else frozen."""
    countdown = _countdown(_remaining(state, now), campaign, now)
    reason = why if is_running(campaign) else f"{why}; {_waiting(state, campaign)}"
    return _evolve(state, now, S.IN_PROGRESS, reason, countdown=countdown)


# --- transitions -----------------------------------------------------------------------


def status_message(state: LeadState) -> LeadStatus:
    """The LeadStatus message for ``state``."""
    # Output messages are built without validation (``Message.trusted``, ``model_construct``'s
    # instance at a third of its cost): every value comes from validated input or from the
    # core itself, and validating again costs more than the rest of a transition.
    return LeadStatus.trusted(
        campaign_id=state.campaign_id,
        lead_id=state.lead_id,
        status=state.status,
        next_step=state.next_step,
        due_at=state.due_at,
        remaining_seconds=state.remaining_s,
        resume_at=state.resume_at,
        reason=state.reason,
        updated_at=state.updated_at,
        version=state.version,
    )


def _unchanged(state: LeadState) -> Transition:
    return Transition(state=state, changed=False, result=None, status=None, sends=())


def _changed(state: LeadState, sends: tuple[SendRequest, ...] = ()) -> Transition:
    return Transition(
        state=state, changed=True, result=None, status=status_message(state), sends=sends
    )


def _result(
    state: LeadState | None, command: LeadCommand, now: datetime, outcome: Outcome, reason: str
) -> CommandResult:
    return CommandResult.trusted(
        command_id=command.command_id,
        campaign_id=command.campaign_id,
        lead_id=command.lead_id,
        action=command.action,
        outcome=outcome,
        reason=reason,
        status=None if state is None else state.status,
        at=now,
    )


def _verdict(
    state: LeadState | None, command: LeadCommand, now: datetime, verdict: Verdict
) -> Transition:
    result = _result(state, command, now, *verdict)
    return Transition(state=state, changed=False, result=result, status=None, sends=())


def _applied(state: LeadState, command: LeadCommand, now: datetime) -> Transition:
    if command.source is not Source.AUTOMATION:
        last = state.last_manual_at
        state = replace(
            state,
            last_manual_at=command.occurred_at if last is None else max(last, command.occurred_at),
        )
    result = _result(state, command, now, Outcome.APPLIED, state.reason)
    return Transition(
        state=state, changed=True, result=result, status=status_message(state), sends=()
    )


# --- commands --------------------------------------------------------------------------


def _cause(command: LeadCommand) -> str:
    """Who or what did it: "by alice", "by reply automation (event r-1)", "by the system"."""
    if command.source is Source.AUTOMATION:
        cause = f"by {command.trigger} automation (event {command.event_id})"
        # What was seen (an out-of-office notice's return date, an unsubscribe), not the rule's
        # plain "reply automation: pause", which the cause already says.
        seen = command.reason
        if seen and not seen.startswith(f"{command.trigger} automation"):
            return f"{cause}: {seen}"
        return cause
    if command.source is Source.MANUAL:
        who = f"by {command.actor}" if command.actor else "manually"
    else:
        who = f"by the system ({command.trigger})" if command.trigger else "by the system"
    return f"{who}: {command.reason}" if command.reason else who


def _enroll(
    state: LeadState | None, command: LeadCommand, campaign: Campaign | None, now: datetime
) -> LeadState | Verdict:
    if state is not None:
        return Outcome.IGNORED, f"lead is already enrolled (status {state.status})"
    lead = LeadState(
        campaign_id=command.campaign_id,
        lead_id=command.lead_id,
        status=S.NOT_STARTED,
        next_step=1,
        due_at=None,
        remaining_s=None,
        resume_at=None,
        reason="",
        last_manual_at=None,
        version=0,
        updated_at=now,
    )
    enrolled = f"enrolled {_cause(command)}"
    if campaign is None:
        return _evolve(lead, now, S.NOT_STARTED, f"{enrolled}; starts when the campaign launches")
    if not campaign.launched:
        return _evolve(lead, now, S.NOT_STARTED, f"{enrolled}; waits for the campaign launch")
    lead = replace(lead, remaining_s=_first_delay_s(campaign))
    return _run(lead, campaign, now, f"{enrolled}; step 1 is next")


def _pause(
    state: LeadState, command: LeadCommand, campaign: Campaign | None, now: datetime
) -> LeadState | Verdict:
    match state.status:
        case S.IN_PROGRESS:
            return _pause_running(state, command, now)
        case S.PAUSED if _reacts_to_automation(state) and command.source is Source.AUTOMATION:
            return _pause_indefinitely(state, command, now)
        case S.PAUSED:
            return Outcome.IGNORED, "lead is already paused"
        case S.NOT_STARTED:
            return Outcome.REJECTED, "lead has not started yet: use skip instead"
        case S.SKIPPED:
            return Outcome.REJECTED, "lead was skipped and never starts: there is nothing to pause"
        case _:
            return Outcome.REJECTED, f"lead is {state.status}: it has left the sequence for good"


def _pause_running(state: LeadState, command: LeadCommand, now: datetime) -> LeadState | Verdict:
    reason = f"paused {_cause(command)}"
    if command.resume_at is not None:
        if command.resume_at <= now:
            return Outcome.REJECTED, (
                f"resume_at {format_timestamp(command.resume_at)} is not in the future:"
                " choose a later time, or pause without one"
            )
        reason += f" until {format_timestamp(command.resume_at)}"
    countdown = (None, _remaining(state, now))
    automatic = command.source is Source.AUTOMATION
    return _evolve(
        state,
        now,
        S.PAUSED,
        reason,
        countdown=countdown,
        resume_at=command.resume_at,
        auto_paused=automatic,
    )


def _reacts_to_automation(state: LeadState) -> bool:
    """An automation pause with a resume_at (out of office) still reacts to automation."""
    return state.status is S.PAUSED and state.auto_paused and state.resume_at is not None


def _pause_indefinitely(
    state: LeadState, command: LeadCommand, now: datetime
) -> LeadState | Verdict:
    """An out-of-office-paused lead: a second timed pause is ignored, an untimed one sticks."""
    if command.resume_at is not None:
        return Outcome.IGNORED, "lead is already paused until a resume time of its own"
    reason = f"paused {_cause(command)}; no longer resumes by itself"
    countdown = (None, state.remaining_s)
    return _evolve(state, now, S.PAUSED, reason, countdown=countdown, auto_paused=True)


_RESUME_REFUSALS: dict[LeadStatusValue, Verdict] = {
    S.IN_PROGRESS: (Outcome.IGNORED, "lead is already in progress"),
    S.NOT_STARTED: (
        Outcome.REJECTED,
        "lead has not started yet: it starts by itself when the campaign launches",
    ),
    S.SKIPPED: (Outcome.REJECTED, "lead was skipped and never starts: there is nothing to resume"),
    S.STOPPED: (Outcome.REJECTED, "lead is stopped for good: a stopped lead cannot be resumed"),
    S.COMPLETED: (Outcome.REJECTED, "lead has completed the sequence: there is nothing to resume"),
}


def _resume(
    state: LeadState, command: LeadCommand, campaign: Campaign | None, now: datetime
) -> LeadState | Verdict:
    if state.status is S.PAUSED:
        return _run(state, campaign, now, f"resumed {_cause(command)}")
    return _RESUME_REFUSALS[state.status]


def _stop(
    state: LeadState, command: LeadCommand, campaign: Campaign | None, now: datetime
) -> LeadState | Verdict:
    if state.status in FINAL:
        return Outcome.IGNORED, f"lead is already {state.status}"
    return _evolve(state, now, S.STOPPED, f"stopped {_cause(command)}")


def _skip(
    state: LeadState, command: LeadCommand, campaign: Campaign | None, now: datetime
) -> LeadState | Verdict:
    match state.status:
        case S.NOT_STARTED:
            return _evolve(state, now, S.SKIPPED, f"skipped {_cause(command)}")
        case S.SKIPPED:
            return Outcome.IGNORED, "lead is already skipped"
        case S.IN_PROGRESS | S.PAUSED:
            return Outcome.REJECTED, "lead has already started: pause or stop it instead"
        case _:
            return Outcome.REJECTED, f"lead is {state.status}: skip only applies before it starts"


def _continue(
    state: LeadState, command: LeadCommand, campaign: Campaign | None, now: datetime
) -> LeadState | Verdict:
    if command.reason:
        return Outcome.IGNORED, command.reason
    if command.trigger is not None:
        return Outcome.IGNORED, f"{command.trigger} automation says continue"
    return Outcome.IGNORED, "continue: nothing to do"


_HANDLERS: dict[Action, Handler] = {
    Action.PAUSE: _pause,
    Action.RESUME: _resume,
    Action.STOP: _stop,
    Action.SKIP: _skip,
    Action.CONTINUE: _continue,
}


#: Triggers whose stop acts on any lead that is not final, whatever its last manual command.
_ALWAYS_STOP = frozenset({Trigger.UNSUBSCRIBE, Trigger.BOUNCE, Trigger.COMPLAINT})


def _automation_refusal(state: LeadState, command: LeadCommand) -> Verdict | None:
    """Why an automation command does not act on ``state`` (None: it acts)."""
    if command.action is Action.STOP and command.trigger in _ALWAYS_STOP:
        return None
    if state.last_manual_at is not None and command.occurred_at < state.last_manual_at:
        return Outcome.IGNORED, (
            f"stale automation: event {command.event_id} happened at"
            f" {format_timestamp(command.occurred_at)}, before the last manual command"
            f" ({format_timestamp(state.last_manual_at)})"
        )
    if state.status is not S.IN_PROGRESS and not _reacts_to_automation(state):
        return (
            Outcome.IGNORED,
            f"automation acts only on leads in progress (lead is {state.status})",
        )
    return None


def apply_command(
    state: LeadState | None,
    command: LeadCommand,
    campaign: Campaign | None,
    now: datetime,
    *,
    suppression: Suppression | None = None,
) -> Transition:
    """Apply one LeadCommand to one lead (``state`` None: the lead is not enrolled).

    ``suppression`` is the one in force for the command's ``lead_id`` (None: not suppressed);
    it refuses an enrolment into any campaign.
    """
    if command.action is Action.ENROLL and suppression is not None:
        answer: LeadState | Verdict = (Outcome.REJECTED, enroll_refusal(suppression))
    elif command.action is Action.ENROLL:
        answer = _enroll(state, command, campaign, now)
    elif state is None:
        answer = (
            Outcome.REJECTED,
            (
                f"lead {command.lead_id} is not enrolled in campaign {command.campaign_id}:"
                " enroll it first"
            ),
        )
    else:
        refusal = (
            _automation_refusal(state, command) if command.source is Source.AUTOMATION else None
        )
        answer = refusal or _HANDLERS[command.action](state, command, campaign, now)
    if isinstance(answer, LeadState):
        return _applied(answer, command, now)
    return _verdict(state, command, now, answer)


# --- wake-ups --------------------------------------------------------------------------


def _send(
    state: LeadState, due_at: datetime, settings: CampaignSettings, now: datetime
) -> Transition:
    """Send ``next_step`` (its countdown ended at ``due_at``); then count down to the next."""
    step = state.next_step
    request = SendRequest.trusted(
        send_id=f"{state.campaign_id}:{state.lead_id}:{step}",
        campaign_id=state.campaign_id,
        lead_id=state.lead_id,
        step=step,
        sender_id=settings.sender_id,
        template_id=settings.steps[step - 1].template_id,
        due_at=next_window_open(settings.sending_window, due_at),
        requested_at=now,
        # Left blank here: the sequencer stamps the send's token and Message-ID where it writes
        # the send to the outbox (workers/sequencer/tracking.py); the core stays token-agnostic.
        message_id="",
        tracking_token="",
    )
    if step >= len(settings.steps):
        done = f"completed: step {step} of {len(settings.steps)} sent"
        return _changed(_evolve(state, now, S.COMPLETED, done, next_step=step + 1), (request,))
    countdown = (now + settings.delay_of(step + 1), None)
    reason = f"in progress: step {step} sent, step {step + 1} next"
    new = _evolve(state, now, S.IN_PROGRESS, reason, countdown=countdown, next_step=step + 1)
    return _changed(new, (request,))


def _due(
    state: LeadState, due_at: datetime, settings: CampaignSettings, now: datetime
) -> Transition:
    """The countdown has ended: send now, wait for the window, or complete (steps removed)."""
    if state.next_step > len(settings.steps):
        done = f"completed: the campaign has no step {state.next_step} any more"
        return _changed(_evolve(state, now, S.COMPLETED, done))
    window = settings.sending_window
    if now < next_window_open(window, due_at):
        return _unchanged(state)
    if not in_window(window, now):  # the opening was missed (late wake-up): wait for the next one
        reason = f"in progress: step {state.next_step} waits for the sending window"
        countdown = (next_window_open(window, now), None)
        return _changed(_evolve(state, now, S.IN_PROGRESS, reason, countdown=countdown))
    return _send(state, due_at, settings, now)


def on_timer(state: LeadState, campaign: Campaign | None, now: datetime) -> Transition:
    """Wake-up: send the due step (advance or complete), or end a pause at its resume_at.

    A no-op when nothing is due (early wake-ups are harmless).
    """
    if state.status is S.PAUSED and state.resume_at is not None and state.resume_at <= now:
        why = f"resumed automatically at {format_timestamp(state.resume_at)}"
        return _changed(_run(state, campaign, now, why))
    due_at = state.due_at
    if (
        is_running(campaign)
        and state.status is S.IN_PROGRESS
        and due_at is not None
        and due_at <= now
    ):
        return _due(state, due_at, campaign.settings, now)
    return _unchanged(state)


def wake_at(state: LeadState, campaign: Campaign | None) -> datetime | None:
    """When the scheduler must call :func:`on_timer` (None: only an input can change the lead).

    A running lead wakes at the first window opening at or after ``due_at``; a paused
    lead with a ``resume_at`` wakes then.
    """
    if state.status is S.PAUSED:
        return state.resume_at
    if state.status is not S.IN_PROGRESS or state.due_at is None or not is_running(campaign):
        return None
    if state.next_step > len(campaign.settings.steps):
        return state.due_at
    return next_window_open(campaign.settings.sending_window, state.due_at)


# --- campaigns -------------------------------------------------------------------------


def next_campaign(old: Campaign | None, settings: CampaignSettings | None) -> Campaign | None:
    """The campaign after a settings message (None settings: deleted).

    A message older than the one held (lower ``version``) is ignored: ``old`` is returned.
    """
    if settings is None:
        return None
    if old is not None and settings.version < old.settings.version:
        return old
    launched = (old is not None and old.launched) or settings.status is CampaignStatus.ACTIVE
    return Campaign(settings=settings, launched=launched)


def on_campaign_change(
    state: LeadState, old: Campaign | None, new: Campaign | None, now: datetime
) -> Transition:
    """Bring one lead in line with its campaign's new settings (``new`` None: deleted).

    Launch starts not-started leads; a pause freezes running countdowns and a resume
    thaws them; a change of steps or window leaves the state as it is (``wake_at``
    recomputes). ``old`` is the campaign before the change (unused by the rules, kept
    so callers pass both sides).
    """
    if new is None:
        if state.status in FINAL:
            return _unchanged(state)
        reason = f"stopped: campaign {state.campaign_id} deleted"
        return _changed(_evolve(state, now, S.STOPPED, reason))
    if state.status is S.NOT_STARTED and new.launched:
        started = replace(state, remaining_s=_first_delay_s(new))
        return _changed(_run(started, new, now, "started: campaign launched"))
    if state.status is S.IN_PROGRESS and (state.due_at is None) == new.running:
        why = "in progress: campaign resumed" if new.running else "in progress"
        return _changed(_run(state, new, now, why))
    return _unchanged(state)
