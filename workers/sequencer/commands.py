"""Applying a consumed batch of LeadCommands in one database transaction.

The batch's offsets, its command ids (inbox), the leads it changes and every message it
produces are written together, so a command is applied exactly once whatever crashes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka import ConsumerRecord
from pydantic import ValidationError

from schemas import LeadCommand
from workers.core import LeadState, apply_command
from workers.dlq import dead_letter_headers
from workers.errors import describe_validation_error
from workers.sequencer import store
from workers.sequencer.effects import Effects
from workers.sequencer.store import OutboxRecord
from workers.topics import Topics

WORKER = "sequencer"


@dataclass(frozen=True, slots=True)
class Decoded:
    """A batch split into valid commands and DLQ records for the rest."""

    commands: list[LeadCommand]
    dead: list[OutboxRecord]


def dead_letter(record: ConsumerRecord[bytes, bytes], error: str, topics: Topics) -> OutboxRecord:
    """The DLQ copy of ``record``: the original key and bytes, the reason in headers."""
    headers = dead_letter_headers(record, _storable(error), worker=WORKER)
    key = _storable(record.key.decode("utf-8", "replace")) if record.key is not None else None
    pairs = tuple((k, v.decode()) for k, v in headers)
    return OutboxRecord(topics.dlq, key, record.value, pairs)


def _storable(text: str) -> str:
    """``text`` without NUL, which PostgreSQL's text and jsonb cannot hold (U+FFFD instead)."""
    return text.replace("\x00", "\ufffd")


async def dead_letter_alone(
    conn: store.Conn,
    records: Sequence[ConsumerRecord[bytes, bytes]],
    *,
    expected: dict[int, int],
    topics: Topics,
    reason: str,
) -> Effects:
    """In the caller's transaction: move past ``records`` and dead-letter them, nothing else.

    For a record the database refuses for good (``db_errors.is_permanent``): its copy goes to
    the DLQ with ``reason``, and the partition moves on.
    """
    effects = Effects(topics)
    await claim_offsets(conn, records, expected)
    for record in records:
        effects.dead_letter(dead_letter(record, reason, topics))
    await effects.write(conn)
    return effects


def decode(records: Sequence[ConsumerRecord[bytes, bytes]], topics: Topics) -> Decoded:
    """Validate every record; bad ones become DLQ records with a readable reason."""
    commands: list[LeadCommand] = []
    dead: list[OutboxRecord] = []
    for record in records:
        if record.value is None:
            dead.append(dead_letter(record, "empty value: a LeadCommand was expected", topics))
            continue
        try:
            commands.append(LeadCommand.model_validate_json(record.value))
        except ValidationError as exc:
            dead.append(dead_letter(record, describe_validation_error(exc), topics))
    return Decoded(commands, dead)


async def claim_offsets(
    conn: store.Conn, records: Sequence[ConsumerRecord[bytes, bytes]], expected: dict[int, int]
) -> None:
    """Move the stored offsets past ``records`` (one topic), or raise ``OffsetConflict``."""
    await store.advance_offsets(conn, records[0].topic, offset_moves(records, expected))


def offset_moves(
    records: Sequence[ConsumerRecord[bytes, bytes]], expected: dict[int, int]
) -> dict[int, tuple[int, int]]:
    """Per partition: (the stored offset this batch starts from, the offset after it)."""
    moves: dict[int, tuple[int, int]] = {}
    for record in records:
        start = expected.get(record.partition, record.offset)
        moves[record.partition] = (start, record.offset + 1)
    return moves


async def apply_batch(
    conn: store.Conn,
    records: Sequence[ConsumerRecord[bytes, bytes]],
    *,
    expected: dict[int, int],
    topics: Topics,
) -> Effects:
    """Apply ``records`` (one topic, any partitions) in the caller's transaction."""
    effects = Effects(topics)
    if not records:
        return effects
    await claim_offsets(conn, records, expected)
    decoded = decode(records, topics)
    for dead in decoded.dead:
        effects.dead_letter(dead)
    fresh = await store.first_seen(conn, [c.command_id for c in decoded.commands])
    todo = _first_occurrences(decoded.commands, fresh)
    effects.outcomes["duplicate"] += len(decoded.commands) - len(todo)
    if todo:
        await _apply(conn, todo, effects)
    await effects.write(conn)
    return effects


def _first_occurrences(commands: list[LeadCommand], fresh: set[str]) -> list[LeadCommand]:
    seen: set[str] = set()
    todo = []
    for command in commands:
        if command.command_id in fresh and command.command_id not in seen:
            seen.add(command.command_id)
            todo.append(command)
    return todo


async def _apply(conn: store.Conn, todo: list[LeadCommand], effects: Effects) -> None:
    campaign_ids = {c.campaign_id for c in todo}
    await store.lock_campaigns(conn, campaign_ids, exclusive=False)
    now = await store.db_now(conn)
    campaigns = await store.load_campaigns(conn, campaign_ids)
    states: dict[tuple[str, str], LeadState | None] = dict(
        await store.lock_leads(conn, {(c.campaign_id, c.lead_id) for c in todo})
    )
    for command in todo:
        key = (command.campaign_id, command.lead_id)
        campaign = campaigns.get(command.campaign_id)
        transition = apply_command(states.get(key), command, campaign, now)
        if transition.state is not None:
            states[key] = transition.state
        effects.add(transition, campaign)
