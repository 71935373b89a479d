"""Firing due timers: claim due leads with SKIP LOCKED, let the core send or resume them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import structlog

from schemas import Suppression
from workers.core import Campaign, LeadState, Transition, on_suppression, on_timer, wake_at
from workers.sequencer import store
from workers.sequencer import suppression_store as sstore
from workers.sequencer.effects import Effects
from workers.sequencer.tracking import SendStamp
from workers.topics import Topics

log = structlog.get_logger("leadflow.sequencer.timers")


@dataclass(frozen=True, slots=True)
class Fired:
    """What one claim did."""

    effects: Effects
    claimed: int
    now: datetime
    #: Window-adjusted due time of each send, for the lateness histogram.
    lateness_s: list[float]
    #: After an empty claim: seconds until the earliest wake-up, None when none is scheduled.
    wait_s: float | None = None


async def fire_due(conn: store.Conn, *, limit: int, topics: Topics, stamp: SendStamp) -> Fired:
    """In the caller's transaction: claim up to ``limit`` due leads and apply their timers.

    Each send is stamped with its tracking token and Message-ID, and its ``send_tokens`` row is
    written in this same transaction.
    """
    effects = Effects(topics, stamp=stamp)
    claim = await store.claim_due(conn, limit)
    claimed, now = claim.leads, claim.now
    if not claimed:
        return Fired(effects, 0, now, [], claim.wait_s)
    campaigns = await store.load_campaigns(conn, {s.campaign_id for s, _ in claimed}, sending=True)
    # The send-time guard: read after the claim locked the rows, so it sees every suppression
    # committed before this statement (docs/architecture.md, "Suppression").
    suppressed = await sstore.in_force(conn, {s.lead_id for s, _ in claimed})
    if suppressed:
        log.warning("due leads of suppressed people: stopped, not sent", people=len(suppressed))
    idle: list[tuple[str, str, datetime | None]] = []
    for state, woke in claimed:
        campaign = campaigns.get(state.campaign_id)
        try:
            transition = _fire(state, campaign, suppressed.get(state.lead_id), now)
        except OverflowError:
            # A schema-valid delay beyond datetime's range: the lead can never advance.
            # Unscheduled (not claimed again), rather than failing every claim it is part of.
            log.error(  # noqa: TRY400 (the cause is the campaign's delay, not a bug)
                "lead's next wake-up is out of range: unscheduled", lead=state.lead_id
            )
            idle.append((state.campaign_id, state.lead_id, None))
            continue
        effects.add(transition, campaign)
        if not transition.changed:
            idle.append((state.campaign_id, state.lead_id, _rewake(state, campaign, woke, now)))
    await _guard_sends(conn, effects, now)
    await store.set_wake(conn, idle)
    await effects.write(conn)
    lateness = [(s.requested_at - s.due_at).total_seconds() for s in effects.sends]
    return Fired(effects, len(claimed), now, lateness)


def _fire(
    state: LeadState, campaign: Campaign | None, suppression: Suppression | None, now: datetime
) -> Transition:
    """The timer's transition; a lead of a suppressed person is stopped instead of sent."""
    if suppression is None:
        return on_timer(state, campaign, now)
    return on_suppression(state, suppression, now)


def _rewake(
    state: LeadState, campaign: Campaign | None, woke: datetime, now: datetime
) -> datetime | None:
    """The next wake-up of a lead the timer left unchanged; never one that is already past."""
    nxt = wake_at(state, campaign)
    if nxt is not None and nxt <= now:
        log.warning("timer had nothing to do; unscheduled", lead=state.lead_id, woke=str(woke))
        return None
    return nxt


async def _guard_sends(conn: store.Conn, effects: Effects, now: datetime) -> None:
    ids = [s.send_id for s in effects.sends]
    fresh = await store.first_sends(conn, ids, now)
    repeated = set(ids) - fresh
    if repeated:
        log.error("send already requested once: not again", send_ids=sorted(repeated)[:10])
    effects.drop_sends(repeated)
