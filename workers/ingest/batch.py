"""The pure part of an ingest worker: a consumed batch in, the records to publish out.

Nothing here touches Kafka or the clock; the worker loop only sends what these functions return::

    decided = decide_batch(records, ReplyEvent, table.get, secrets=secrets)
    # Command(key, value, command)  -> commands topic, keyed by the lead key
    # DeadLetter(record, reason)    -> DLQ, the original bytes unchanged
    # Pending(record, event, ref)   -> an event addressed by tracking token or Message-ID:
    outputs = finish_pending(decided, sends, table.get)   # sends: {ref: SendRef} from the store
    offsets = next_offsets(batch)   # what to commit once every output is acknowledged
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from schemas import BookingEvent, CampaignSettings, ClickEvent, LeadCommand, ReplyEvent
from workers.core import decide
from workers.core.replies import Classification
from workers.core.tokens import Secrets
from workers.errors import describe_validation_error
from workers.ingest.resolve import Located, Unresolvable, locate, unknown_send, with_send
from workers.ports import Partition, Record
from workers.tokens_store import SendRef

EventModel = type[ReplyEvent] | type[ClickEvent] | type[BookingEvent]
Event = ReplyEvent | ClickEvent | BookingEvent
Lookup = Callable[[str], CampaignSettings | None]
#: What a reply is (the replies worker's classifier); raises ``ValueError`` on unreadable mail.
Classify = Callable[[ReplyEvent], Classification]
_COMMAND_JSON = LeadCommand.__pydantic_serializer__.to_json


@dataclass(frozen=True, slots=True)
class Command:
    """A LeadCommand to publish, keyed by its lead key."""

    key: bytes
    value: bytes
    command: LeadCommand
    record: Record


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A record to send to the DLQ unchanged, with the reason."""

    record: Record
    reason: str
    #: The campaign the event named when the worker does not know it (not bad input as such).
    unknown_campaign: str | None = None
    #: Why a token or Message-ID did not resolve, when that is the reason (for the metric).
    unresolved: Unresolvable | None = None


@dataclass(frozen=True, slots=True)
class Pending:
    """A valid event that names no lead, waiting for the send its ref names."""

    record: Record
    event: Event
    located: Located


Output = Command | DeadLetter


def decide_record(
    record: Record,
    model: EventModel,
    lookup: Lookup,
    *,
    secrets: Secrets | None = None,
    classify: Classify | None = None,
) -> Output | Pending:
    """Validate one event record and decide its command under the campaign's settings.

    An event that names its lead is decided at once (a token it also carries is not looked
    at: the named lead wins). One that names none is ``Pending`` on the send its tracking
    token or Message-ID names, or a dead letter when that does not verify.
    """
    if record.value is None:
        return DeadLetter(record, f"invalid {model.__name__}: the value is null")
    try:
        event = model.model_validate_json(record.value)
    except ValidationError as error:
        return DeadLetter(record, f"invalid {model.__name__}: {describe_validation_error(error)}")
    if event.names_lead:
        return decide_event(record, event, lookup, classify=classify)
    if secrets is None:
        reason = "the event names no lead, and this worker has no LEADFLOW_TRACKING_SECRET"
        return DeadLetter(record, f"invalid {model.__name__}: {reason}")
    located = locate(event, secrets)
    if isinstance(located, Unresolvable):
        return _unresolved(record, event, located)
    return Pending(record, event, located)


def decide_event(
    record: Record, event: Event, lookup: Lookup, *, classify: Classify | None = None
) -> Output:
    """The command of an event whose lead is known, under its campaign's settings.

    A reply is classified first (``classify``); one whose raw message is no mail is bad input.
    """
    assert event.campaign_id is not None
    settings = lookup(event.campaign_id)
    if settings is None:
        reason = f"unknown campaign {event.campaign_id}"
        return DeadLetter(record, reason, unknown_campaign=event.campaign_id)
    reply = None
    if classify is not None and isinstance(event, ReplyEvent):
        try:
            reply = classify(event)
        except ValueError as error:
            return DeadLetter(record, f"invalid ReplyEvent: {error}")
    command = decide(event, settings, reply)
    # ``model_dump_json().encode()``'s bytes, straight from the compiled serializer.
    value = _COMMAND_JSON(command)
    return Command(f"{command.campaign_id}:{command.lead_id}".encode(), value, command, record)


def _unresolved(record: Record, event: Event, why: Unresolvable) -> DeadLetter:
    return DeadLetter(record, f"invalid {type(event).__name__}: {why.reason}", unresolved=why)


def decide_batch(
    records: Iterable[Record],
    model: EventModel,
    lookup: Lookup,
    *,
    secrets: Secrets | None = None,
    classify: Classify | None = None,
) -> list[Output | Pending]:
    """``decide_record`` for each record, in order."""
    return [
        decide_record(record, model, lookup, secrets=secrets, classify=classify)
        for record in records
    ]


def pending_refs(decided: Iterable[Output | Pending]) -> set[bytes]:
    """The refs the pending events wait for (one store query for the whole batch)."""
    return {o.located.ref for o in decided if isinstance(o, Pending)}


def finish_pending(
    decided: Iterable[Output | Pending],
    sends: Mapping[bytes, SendRef],
    lookup: Lookup,
    *,
    classify: Classify | None = None,
) -> list[Output]:
    """Decide each pending event with the send its ref names; an unknown ref is bad input."""
    outputs: list[Output] = []
    for output in decided:
        if not isinstance(output, Pending):
            outputs.append(output)
            continue
        send = sends.get(output.located.ref)
        if send is None:
            why = unknown_send(output.located.via)
            outputs.append(_unresolved(output.record, output.event, why))
        else:
            event = with_send(output.event, send)
            outputs.append(decide_event(output.record, event, lookup, classify=classify))
    return outputs


def has_unknown_campaign(outputs: Iterable[Output | Pending]) -> bool:
    """True when an output was refused only because its campaign is not held."""
    return any(isinstance(o, DeadLetter) and o.unknown_campaign is not None for o in outputs)


def next_offsets(batch: Mapping[Partition, Sequence[Record]]) -> dict[Partition, int]:
    """The offsets to commit after ``batch``: each partition's last offset + 1."""
    return {tp: records[-1].offset + 1 for tp, records in batch.items() if records}
