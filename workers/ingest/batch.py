"""The pure part of an ingest worker: a consumed batch in, the records to publish out.

Nothing here touches Kafka or the clock; the worker loop only sends what these functions return::

    outputs = decide_batch(records, ReplyEvent, table.get)
    # Command(key, value, command)  -> commands topic, keyed by the lead key
    # DeadLetter(record, reason)    -> DLQ, the original bytes unchanged
    offsets = next_offsets(batch)   # what to commit once every output is acknowledged
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from schemas import BookingEvent, CampaignSettings, ClickEvent, LeadCommand, ReplyEvent
from workers.core import decide
from workers.errors import describe_validation_error
from workers.ports import Partition, Record

EventModel = type[ReplyEvent] | type[ClickEvent] | type[BookingEvent]
Lookup = Callable[[str], CampaignSettings | None]


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


Output = Command | DeadLetter


def decide_record(record: Record, model: EventModel, lookup: Lookup) -> Output:
    """Validate one event record and decide its command under the campaign's settings."""
    if record.value is None:
        return DeadLetter(record, f"invalid {model.__name__}: the value is null")
    try:
        event = model.model_validate_json(record.value)
    except ValidationError as error:
        return DeadLetter(record, f"invalid {model.__name__}: {describe_validation_error(error)}")
    if event.campaign_id is None:
        return DeadLetter(
            record,
            f"invalid {model.__name__}: the event names no lead (tracking tokens are not"
            " resolved by this version)",
        )
    settings = lookup(event.campaign_id)
    if settings is None:
        reason = f"unknown campaign {event.campaign_id}"
        return DeadLetter(record, reason, unknown_campaign=event.campaign_id)
    command = decide(event, settings)
    value = command.model_dump_json().encode()
    return Command(command.lead_key.encode(), value, command, record)


def decide_batch(records: Iterable[Record], model: EventModel, lookup: Lookup) -> list[Output]:
    """``decide_record`` for each record, in order."""
    return [decide_record(record, model, lookup) for record in records]


def has_unknown_campaign(outputs: Iterable[Output]) -> bool:
    """True when an output was refused only because its campaign is not held."""
    return any(isinstance(o, DeadLetter) and o.unknown_campaign is not None for o in outputs)


def next_offsets(batch: Mapping[Partition, Sequence[Record]]) -> dict[Partition, int]:
    """The offsets to commit after ``batch``: each partition's last offset + 1."""
    return {tp: records[-1].offset + 1 for tp, records in batch.items() if records}
