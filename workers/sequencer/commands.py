"""Applying a consumed batch of LeadCommands in one database transaction.

The batch's offsets, its command ids (inbox), the leads it changes and every message it
produces are written together, so a command is applied exactly once whatever crashes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from aiokafka import ConsumerRecord
from pydantic import ValidationError

from schemas import Action, LeadCommand
from workers.core import LeadState, apply_command, suppression_of
from workers.dlq import dead_letter_headers
from workers.errors import describe_validation_error
from workers.sequencer import store
from workers.sequencer import suppression_store as sstore
from workers.sequencer.effects import Effects
from workers.sequencer.people import People, reflect
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
    decoded = decode(records, topics)
    for dead in decoded.dead:
        effects.dead_letter(dead)
    moves = offset_moves(records, expected)
    ids = [c.command_id for c in decoded.commands]
    campaign_ids = {c.campaign_id for c in decoded.commands}
    opened = await store.open_command_batch(conn, records[0].topic, moves, ids, campaign_ids)
    effects.shards = opened.shards
    todo = _first_occurrences(decoded.commands, opened.fresh)
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
    """Apply the batch's fresh commands; their campaigns' shared locks are held already."""
    campaign_ids = {c.campaign_id for c in todo}
    people, suppressing = await _lock_people(conn, todo)
    now, campaigns = await store.load_campaigns_now(conn, campaign_ids)
    keys = {(c.campaign_id, c.lead_id) for c in todo}
    keys |= await sstore.person_keys(conn, suppressing)
    states: dict[tuple[str, str], LeadState | None] = dict(await store.lock_leads(conn, keys))
    for command in todo:
        key = (command.campaign_id, command.lead_id)
        campaign = campaigns.get(command.campaign_id)
        suppression = people.in_force(command.lead_id)
        transition = apply_command(states.get(key), command, campaign, now, suppression=suppression)
        if transition.state is not None:
            states[key] = transition.state
        effects.add(transition, campaign)
        _suppress(command, people, states, now, effects)
    await sstore.save_entries(conn, people.written.values(), now)


async def _lock_people(conn: store.Conn, todo: list[LeadCommand]) -> tuple[People, set[str]]:
    """Lock the buckets of the people this batch enrolls (shared) or suppresses (exclusive).

    Returns their suppression records and the lead_ids the batch may suppress.
    """
    enrolling = {c.lead_id for c in todo if c.action is Action.ENROLL}
    suppressing = {c.lead_id for c in todo if suppression_of(c) is not None}
    await sstore.lock_people(conn, shared=enrolling, exclusive=suppressing)
    return People(await sstore.load_entries(conn, enrolling | suppressing)), suppressing


def _suppress(
    command: LeadCommand,
    people: People,
    states: dict[tuple[str, str], LeadState | None],
    now: datetime,
    effects: Effects,
) -> None:
    """An unsubscribe, bounce or complaint suppresses its person: every campaign, published."""
    implied = suppression_of(command)
    if implied is None or not people.offer(implied):
        return
    person = [s for s in states.values() if s is not None and s.lead_id == command.lead_id]
    for state in reflect(implied, person, now, effects):
        states[(state.campaign_id, state.lead_id)] = state
    effects.publish_suppression(implied)
