"""Mirroring the campaigns topic into the campaigns table, and what a change does to leads.

Every replica follows every partition of the compacted topic; the offsets stored with the
table decide which replica applies a record (the first to commit), so a change fans out to
its leads once, and a bad settings message reaches the DLQ once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import structlog
from aiokafka import ConsumerRecord
from pydantic import ValidationError

from schemas import CampaignSettings
from workers.core import (
    Campaign,
    CampaignDecision,
    HeldCampaign,
    LeadState,
    accept_campaign_record,
    next_campaign,
    on_campaign_change,
    wake_at,
)
from workers.errors import describe_validation_error
from workers.sequencer import store
from workers.sequencer.commands import claim_offsets, dead_letter
from workers.sequencer.effects import Effects
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
    effects = Effects(topics)
    if not records:
        return effects
    await claim_offsets(conn, records, expected)
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
    fan_out = _FanOut(old=old, new=new, now=now, effects=effects)
    async for chunk in store.lock_campaign_leads(conn, campaign_id, chunk=_FLUSH_EVERY):
        for state in chunk:
            fan_out.apply(state)
        # Written per chunk (same transaction): memory bounded by the chunk, not the campaign.
        await fan_out.flush(conn)
        progress()


#: Leads per chunk of a fan-out: read, decided and written before the next chunk is read.
_FLUSH_EVERY = 5000


@dataclass(slots=True, kw_only=True)
class _FanOut:
    """One campaign change applied lead by lead."""

    old: Campaign | None
    new: Campaign | None
    now: datetime
    effects: Effects
    #: Leads the change left as they were, with their (maybe new) wake-up time.
    idle: list[tuple[str, str, datetime | None]] = field(default_factory=list)

    async def flush(self, conn: store.Conn) -> None:
        """Write the chunk's changed leads, output and wake-up times; forget them."""
        await store.set_wake(conn, self.idle)
        if any(wake is not None for *_, wake in self.idle):
            self.effects.rescheduled = True
        self.idle.clear()
        await self.effects.flush(conn, self.effects.topics.dlq)

    def apply(self, state: LeadState) -> None:
        """One lead under the campaign's new settings."""
        key = (state.campaign_id, state.lead_id)
        leads = self.effects.leads
        # A lead this batch already changed is taken from the batch, not from the table.
        current = leads[key][0] if key in leads else state
        transition = on_campaign_change(current, self.old, self.new, self.now)
        self.effects.add(transition, self.new)
        if transition.changed:
            return
        if key in leads:
            leads[key] = (current, wake_at(current, self.new))
        else:
            self.idle.append((*key, wake_at(current, self.new)))
