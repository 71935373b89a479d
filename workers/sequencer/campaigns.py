"""Mirroring the campaigns topic into the campaigns table, and what a change does to leads.

Every replica follows every partition of the compacted topic; the offsets stored with the
table decide which replica applies a record (the first to commit), so a change fans out to
its leads once, and a bad settings message reaches the DLQ once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime

import asyncpg
import structlog
from aiokafka import ConsumerRecord
from asyncpg import Record
from pydantic import ValidationError

from schemas import CampaignSettings, CampaignStatus, LeadStatusValue
from workers.core import (
    Campaign,
    CampaignDecision,
    FanOutPlan,
    HeldCampaign,
    LeadState,
    accept_campaign_record,
    campaign_fan_out_plan,
    next_campaign,
    on_campaign_change,
)
from workers.errors import describe_validation_error
from workers.sequencer import store
from workers.sequencer.commands import claim_offsets, dead_letter
from workers.sequencer.effects import Effects
from workers.sequencer.status_json import StatusTemplate
from workers.topics import Topics

log = structlog.get_logger("leadflow.sequencer.campaigns")


def parse(record: ConsumerRecord[bytes, bytes]) -> tuple[str, CampaignSettings | None]:
    """The campaign id and its settings (None: a tombstone); raises ValueError when bad."""
    key = record.key.decode("utf-8", "replace") if record.key is not None else None
    if record.value is None:
        if not key:
            raise ValueError("tombstone without a key: no campaign to delete")
        return key, None
    try:
        settings = CampaignSettings.model_validate_json(record.value)
    except ValidationError as exc:
        raise ValueError(describe_validation_error(exc)) from None
    if key is not None and key != settings.campaign_id:
        raise ValueError(f"key {key!r} does not match campaign_id {settings.campaign_id!r}")
    return settings.campaign_id, settings


class SendHolds:
    """Holds the sends of a running campaign a record stops, before the record fans out.

    A pause (or a deletion, or a return to draft) of a campaign of a million leads is one
    transaction of about a minute. Its first step, committed on its own, marks the campaign
    held: the timers read it as paused from then on (``store.load_campaigns``), so the change
    holds within the campaign consumer's fetch, not after the fan-out. The fan-out is unchanged
    (same transaction, same statuses, same countdowns frozen at its own ``now``); saving the new
    settings at its end clears the mark, and a record refused for good lifts its hold.
    """

    async def before(
        self, pool: asyncpg.Pool, records: Sequence[ConsumerRecord[bytes, bytes]]
    ) -> None:
        """Hold each running campaign one of ``records`` stops (its own transaction)."""
        stopping = list(_stopping(records))
        if not stopping:
            return
        async with pool.acquire() as conn:
            for campaign_id, version in stopping:
                if await store.hold_sends(conn, campaign_id, version):
                    log.info("campaign sends held", campaign=campaign_id, version=version)

    async def refused(
        self, conn: store.Conn, records: Sequence[ConsumerRecord[bytes, bytes]]
    ) -> None:
        """Lift the holds of ``records``, refused for good (dead-lettered, never applied)."""
        await store.release_sends(conn, [campaign_id for campaign_id, _ in _stopping(records)])


def _stopping(records: Sequence[ConsumerRecord[bytes, bytes]]) -> Iterator[tuple[str, int | None]]:
    """Each valid record that leaves its campaign not sending: id, version (None: deleted)."""
    for record in records:
        try:
            campaign_id, settings = parse(record)
        except ValueError:
            continue
        if settings is None:
            yield campaign_id, None
        elif settings.status is not CampaignStatus.ACTIVE:
            yield campaign_id, settings.version


async def apply_campaign_batch(
    conn: store.Conn,
    records: Sequence[ConsumerRecord[bytes, bytes]],
    *,
    expected: dict[int, int],
    topics: Topics,
    progress: Callable[[], None] = lambda: None,
) -> Effects:
    """Apply campaign records (in the caller's transaction) and fan each change out.

    ``progress`` is called after every chunk of leads a change fans out to: a change to a
    campaign of millions of leads is one long transaction, and the caller's heartbeat must
    show it is moving.
    """
    effects = Effects(topics, staged=True)
    if not records:
        return effects
    await claim_offsets(conn, records, expected)
    await store.start_staging(conn)
    parsed: list[tuple[str, CampaignSettings | None]] = []
    for record in records:
        try:
            parsed.append(parse(record))
        except ValueError as exc:
            effects.dead_letter(dead_letter(record, f"bad campaign settings: {exc}", topics))
    await store.lock_campaigns(conn, {campaign_id for campaign_id, _ in parsed}, exclusive=True)
    now = await store.db_now(conn)
    for campaign_id, settings in parsed:
        await _change(conn, campaign_id, settings, now=now, effects=effects, progress=progress)
    await effects.write(conn)
    await store.publish_staged(conn)
    return effects


async def _change(
    conn: store.Conn,
    campaign_id: str,
    settings: CampaignSettings | None,
    *,
    now: datetime,
    effects: Effects,
    progress: Callable[[], None],
) -> None:
    stored = await store.lock_campaign(conn, campaign_id)
    old = stored.campaign if stored else None
    held = HeldCampaign(stored.version, deleted=old is None) if stored else None
    incoming = settings.version if settings else None
    if accept_campaign_record(held, incoming) is CampaignDecision.STALE:
        log.info("older campaign version ignored", campaign=campaign_id, version=incoming)
        return
    new = next_campaign(old, settings)
    version = settings.version if settings else (stored.version if stored else 0)
    await store.save_campaign(conn, campaign_id, version, new, now)
    await _fan_out(
        conn, campaign_id=campaign_id, old=old, new=new, now=now, effects=effects, progress=progress
    )


async def _fan_out(
    conn: store.Conn,
    *,
    campaign_id: str,
    old: Campaign | None,
    new: Campaign | None,
    now: datetime,
    effects: Effects,
    progress: Callable[[], None],
) -> None:
    """Apply the change to every lead of the campaign, set-based, chunk by chunk.

    PostgreSQL changes the rows (one statement per chunk for every changing kind of lead, see
    ``core.fan_out``); Python only formats the statuses for the outbox and computes the wake-up
    times that need the window calendar. Written every few chunks (same transaction): memory
    bounded by ``_OUTBOX_EVERY`` statuses, not the campaign.
    """
    plan = campaign_fan_out_plan(campaign_id, old, new, now)
    fan_out = _FanOut(plan, new, effects)
    await fan_out.prepare(conn)
    done: Sequence[Record] = ()
    async for chunk in store.campaign_chunks(conn, campaign_id, plan, size=_FLUSH_EVERY):
        # PostgreSQL changes this range while Python formats the statuses of the range before:
        # the database and the formatting each keep a core busy.
        changing = asyncio.ensure_future(fan_out.apply(conn, chunk))
        try:
            await asyncio.sleep(0)  # the range's statement is sent before the formatting starts
            fan_out.emit(done)
        finally:  # whatever happened, the connection is left with no statement running
            done = await changing
        if len(effects.entries) >= _OUTBOX_EVERY:
            await effects.flush(conn, effects.topics.dlq)
        progress()
    fan_out.emit(done)
    await effects.flush(conn, effects.topics.dlq)


#: Leads per chunk of a fan-out: changed (one statement) before the next chunk is read.
_FLUSH_EVERY = 5000
#: Statuses written to the outbox together (five round trips each time): while the relay
#: publishes a launch's million statuses in the same event loop, every round trip waits for it.
_OUTBOX_EVERY = 20_000


class _FanOut:
    """One campaign change applied to the chunks of its leads."""

    def __init__(self, plan: FanOutPlan, new: Campaign | None, effects: Effects) -> None:
        self.plan = plan
        self.new = new
        self.effects = effects
        self.topic = effects.topics.lead_status
        sample = LeadState(
            campaign_id=plan.campaign_id,
            lead_id="sample",
            status=LeadStatusValue.IN_PROGRESS,
            next_step=1,
            due_at=None,
            remaining_s=None,
            resume_at=None,
            reason="",
            last_manual_at=None,
            version=1,
            updated_at=plan.now,
        )
        countdown = (plan.start_due_at, plan.start_remaining_s)
        stopped = replace(_with(sample, plan.stop_reason), status=LeadStatusValue.STOPPED)
        frozen = _with(sample, plan.freeze_reason, (None, 0.0))
        thawed = _with(sample, plan.thaw_reason, (plan.now, None))
        #: Per kind (told by its new reason): its template and its variable countdown column.
        self.kinds: dict[str, tuple[StatusTemplate, str | None]] = {
            plan.stop_reason: (StatusTemplate.of(stopped), None),
            plan.start_reason: (
                StatusTemplate.of(_with(sample, plan.start_reason, countdown)),
                None,
            ),
            plan.freeze_reason: (StatusTemplate.of(frozen, "remaining_seconds"), "remaining_s"),
            plan.thaw_reason: (StatusTemplate.of(thawed, "due_at"), "due_at"),
        }
        self.lead_by_lead = False

    async def prepare(self, conn: store.Conn) -> None:
        """Before the chunks: kept leads' wake-up times; whether any lead is left to the core."""
        plan = self.plan
        if await store.fix_kept_wake(conn, plan.campaign_id, plan):
            self.effects.rescheduled = True
        if plan.launched:
            self.lead_by_lead = await store.any_lead_by_lead(conn, plan.campaign_id, plan)

    async def apply(self, conn: store.Conn, chunk: store.LeadChunk) -> Sequence[Record]:
        """One chunk: kept running leads' wake-up under a window, then every change.

        Returns the changed leads, whose statuses ``emit`` formats.
        """
        plan = self.plan
        if plan.running and plan.window is not None:
            kept = await store.kept_running(conn, chunk)
            await self._rewake(conn, kept, [row["wake_at"] for row in kept])
        if self.lead_by_lead:
            await self._lead_by_lead(conn, await store.lock_leads_by_lead(conn, chunk))
        changed = await store.change_leads(conn, chunk)
        if changed and plan.running:
            self.effects.rescheduled = True
            if plan.window is not None:
                thawed = [row for row in changed if row["reason"] == plan.thaw_reason]
                await self._rewake(conn, thawed, [row["due_at"] for row in thawed])
        return changed

    def emit(self, rows: Sequence[Record]) -> None:
        """Queue the LeadStatus of each changed lead, from its kind's template."""
        prefix = f"{self.plan.campaign_id}:"
        emit, topic, kinds = self.effects.emit, self.topic, self.kinds
        for row in rows:
            template, countdown = kinds[row["reason"]]
            lead_id = row["lead_id"]
            value = template.render(
                lead_id,
                row["next_step"],
                row["version"],
                None if countdown is None else row[countdown],
            )
            emit(topic, prefix + lead_id, value)

    async def _rewake(
        self, conn: store.Conn, rows: Sequence[Record], stored: Sequence[datetime | None]
    ) -> None:
        """Running leads' wake-up times under the window, computed once per due time.

        Only leads whose ``stored`` wake-up time differs are written.
        """
        wakes: dict[tuple[datetime, bool], datetime] = {}
        moved: list[tuple[str, str, datetime | None]] = []
        for row, before in zip(rows, stored, strict=True):
            due, step = row["due_at"], row["next_step"]
            past = step > self.plan.steps
            wake = wakes.get((due, past))
            if wake is None:
                wake = wakes[(due, past)] = self.plan.wake(due, step)
            if wake != before:
                moved.append((self.plan.campaign_id, row["lead_id"], wake))
        await store.set_wake(conn, moved)
        if moved:
            self.effects.rescheduled = True  # the timer loop must look at the new times

    async def _lead_by_lead(self, conn: store.Conn, states: list[LeadState]) -> None:
        """Leads outside the invariant, decided by the core one by one (rare)."""
        for state in states:
            transition = on_campaign_change(state, None, self.new, self.plan.now)
            self.effects.add(transition, self.new)
        await self.effects.flush(conn, self.effects.topics.dlq)


def _with(
    sample: LeadState,
    reason: str,
    countdown: tuple[datetime | None, float | None] = (None, None),
) -> LeadState:
    return replace(sample, reason=reason, due_at=countdown[0], remaining_s=countdown[1])
