"""The pure steps of the clicks worker: route a click by lead, classify it, decide it.

Nothing here touches Kafka, the database or the clock::

    route_record(record, table.get)     # events.clicks -> Forward (with its lead key) | DeadLetter
    read_click(record, secrets)         # -> ClickEvent | Unnamed (waits for its send) | DeadLetter
    route_click(record, read, sends, table.get)   # the same with a token-only click resolved
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
from workers.core.tokens import Secrets
from workers.errors import describe_validation_error
from workers.ingest.batch import Command, DeadLetter, Lookup
from workers.ingest.resolve import Located, Unresolvable, locate, unknown_send, with_send
from workers.ingest.sent_at import SendKey
from workers.ports import Record
from workers.tokens_store import SendRef


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


_NO_LEAD = "invalid ClickEvent: the event names no lead, and this worker has no tracking secret"


@dataclass(frozen=True, slots=True)
class Unnamed:
    """A valid click of ``events.clicks`` that names no lead: it waits for its token's send."""

    record: Record
    event: ClickEvent
    located: Located


def _parsed(record: Record) -> ClickEvent | DeadLetter:
    if record.value is None:
        return DeadLetter(record, "invalid ClickEvent: the value is null")
    try:
        return ClickEvent.model_validate_json(record.value)
    except ValidationError as error:
        return DeadLetter(record, f"invalid ClickEvent: {describe_validation_error(error)}")


def read_click(record: Record, secrets: Secrets | None) -> ClickEvent | Unnamed | DeadLetter:
    """A click of ``events.clicks``: named by its lead, waiting for its token's send, or bad.

    The named lead wins over a token the click also carries; a token that does not verify is
    bad input (the reason never holds it).
    """
    event = _parsed(record)
    if isinstance(event, DeadLetter) or event.names_lead:
        return event
    if secrets is None:
        return DeadLetter(record, _NO_LEAD)
    located = locate(event, secrets)
    if isinstance(located, Unresolvable):
        reason = f"invalid ClickEvent: {located.reason}"
        return DeadLetter(record, reason, unresolved=located)
    return Unnamed(record, event, located)


def route_click(
    record: Record,
    read: ClickEvent | Unnamed | DeadLetter,
    sends: Mapping[bytes, SendRef],
    lookup: Lookup,
) -> Forward | DeadLetter:
    """Route a read click; a resolved one is forwarded as its resolved event (lead named)."""
    if isinstance(read, DeadLetter):
        return read
    if isinstance(read, ClickEvent):
        assert record.value is not None
        return _forward(record, read, record.value, lookup)
    send = sends.get(read.located.ref)
    if send is None:
        why = unknown_send(read.located.via)
        return DeadLetter(read.record, f"invalid ClickEvent: {why.reason}", unresolved=why)
    event = with_send(read.event, send)
    assert isinstance(event, ClickEvent)
    return _forward(read.record, event, event.model_dump_json().encode(), lookup)


def _event(record: Record) -> ClickEvent | DeadLetter:
    event = _parsed(record)
    if isinstance(event, DeadLetter):
        return event
    if event.campaign_id is None or event.lead_id is None:
        return DeadLetter(record, _NO_LEAD)
    return event


def route_record(record: Record, lookup: Lookup) -> Forward | DeadLetter:
    """Validate a click of ``events.clicks`` and re-key it by its lead (the bytes unchanged)."""
    event = _event(record)
    if isinstance(event, DeadLetter):
        return event
    assert record.value is not None
    return _forward(record, event, record.value, lookup)


def _forward(
    record: Record, event: ClickEvent, value: bytes, lookup: Lookup
) -> Forward | DeadLetter:
    assert event.campaign_id is not None
    settings = lookup(event.campaign_id)
    if settings is None:
        reason = f"unknown campaign {event.campaign_id}"
        return DeadLetter(record, reason, unknown_campaign=event.campaign_id)
    key = f"{event.campaign_id}:{event.lead_id}".encode()
    return Forward(key, value, record, event, settings)


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
