"""The pure steps of the clicks worker: route a click by lead, classify it, decide it.

Nothing here touches Kafka, the database or the clock::

    route_record(record, table.get)     # events.clicks -> Forward (with its lead key) | DeadLetter
    read_forwarded(record, table.get)   # internal.clicks-by-lead -> Pending | DeadLetter
    to_hold(pending, known, sent_at)    # -> a Click for ClickHold, with classify's evidence
    command_for(released)               # a settled click -> Command (its LeadCommand)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError

from schemas import CampaignSettings, ClickEvent
from workers.core import decide
from workers.core.hold import Click, Released, email_of
from workers.core.scanner import KnownScanners, classify
from workers.errors import describe_validation_error
from workers.ingest.batch import Command, DeadLetter, Lookup
from workers.ingest.sent_at import SendKey
from workers.ports import Record


@dataclass(frozen=True, slots=True)
class Forward:
    """A valid click, with its lead key: decided here or re-published keyed by it."""

    key: bytes
    value: bytes
    record: Record
    event: ClickEvent
    settings: CampaignSettings

    def pending(self) -> Pending:
        """The click as decided where it was read (its lead's clicks all come here)."""
        return Pending(self.event, self.settings, self.record)


@dataclass(frozen=True, slots=True)
class Pending:
    """A click read back from the internal topic, with its campaign's settings."""

    event: ClickEvent
    settings: CampaignSettings
    record: Record


def _event(record: Record) -> ClickEvent | DeadLetter:
    if record.value is None:
        return DeadLetter(record, "invalid ClickEvent: the value is null")
    try:
        event = ClickEvent.model_validate_json(record.value)
    except ValidationError as error:
        return DeadLetter(record, f"invalid ClickEvent: {describe_validation_error(error)}")
    if event.campaign_id is None or event.lead_id is None:
        reason = (
            "invalid ClickEvent: the event names no lead (tracking tokens are not resolved by"
            " this version)"
        )
        return DeadLetter(record, reason)
    return event


def route_record(record: Record, lookup: Lookup) -> Forward | DeadLetter:
    """Validate a click of ``events.clicks`` and re-key it by its lead (the bytes unchanged)."""
    event = _event(record)
    if isinstance(event, DeadLetter):
        return event
    assert event.campaign_id is not None
    settings = lookup(event.campaign_id)
    if settings is None:
        reason = f"unknown campaign {event.campaign_id}"
        return DeadLetter(record, reason, unknown_campaign=event.campaign_id)
    key = f"{event.campaign_id}:{event.lead_id}".encode()
    assert record.value is not None
    return Forward(key, record.value, record, event, settings)


def read_forwarded(record: Record, lookup: Lookup) -> Pending | DeadLetter:
    """A click of the internal topic with its campaign's settings (gone since: DLQ)."""
    event = _event(record)
    if isinstance(event, DeadLetter):
        return event
    assert event.campaign_id is not None
    settings = lookup(event.campaign_id)
    if settings is None:
        return DeadLetter(record, f"unknown campaign {event.campaign_id} (deleted meanwhile)")
    return Pending(event, settings, record)


def send_wanted(pending: Pending) -> SendKey | None:
    """The send whose request time times this click, when the event has no ``sent_at``."""
    event = pending.event
    if event.sent_at is not None or event.step is None:
        return None
    assert event.campaign_id is not None
    assert event.lead_id is not None
    return (event.campaign_id, event.lead_id, event.step)


def sends_wanted(pendings: Iterable[Pending]) -> set[SendKey]:
    """``send_wanted`` of each click, without the ones that need none."""
    return {key for p in pendings if (key := send_wanted(p)) is not None}


def to_hold(
    pending: Pending, known: KnownScanners, sent: Mapping[SendKey, datetime]
) -> Click[Pending]:
    """The click as the hold sees it, with the evidence of every rule but the burst rule."""
    event = pending.event
    assert event.campaign_id is not None
    assert event.lead_id is not None
    key = send_wanted(pending)
    sent_at = event.sent_at if key is None else sent.get(key)
    return Click(
        lead=(event.campaign_id, event.lead_id),
        email=email_of(event),
        url=event.url,
        occurred_at=event.occurred_at,
        partition=(pending.record.topic, pending.record.partition),
        offset=pending.record.offset,
        evidence=classify(event, known, sent_at),
        payload=pending,
    )


def command_for(released: Released[Pending]) -> Command:
    """The LeadCommand of a settled click, keyed by its lead."""
    pending = released.click.payload
    command = decide(pending.event, pending.settings, scanner=released.evidence)
    return Command(
        command.lead_key.encode(), command.model_dump_json().encode(), command, pending.record
    )
