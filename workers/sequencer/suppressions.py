"""Suppression across campaigns: the ``suppressions`` topic mirrored into its table, and what a
suppression does to a person's leads in every campaign.

Every replica follows every partition of the compacted topic, with offsets stored in the
database like the campaigns' (the first replica to commit a record applies it). A record that
wins (the later ``at``, see :mod:`workers.core.suppression`) is written to the table and
applied to the person's leads (:mod:`workers.sequencer.people`). The commands path does the
same when it applies an unsubscribe, bounce or complaint, and publishes the record itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from aiokafka import ConsumerRecord
from pydantic import ValidationError

from schemas import Suppression
from workers.core import Entry, Lifting
from workers.errors import describe_validation_error
from workers.sequencer import store
from workers.sequencer.commands import claim_offsets, dead_letter
from workers.sequencer.effects import Effects
from workers.sequencer.people import apply_entries
from workers.topics import Topics


def parse(record: ConsumerRecord[bytes, bytes]) -> Entry:
    """The record as a Suppression, or a Lifting (a null value, ordered by its timestamp).

    Raises ValueError when it is bad input (the caller dead-letters it).
    """
    key = record.key.decode("utf-8", "replace") if record.key is not None else None
    if record.value is None:
        if not key:
            raise ValueError("null value without a key: no lead_id to lift")
        return Lifting(lead_id=key, at=datetime.fromtimestamp(record.timestamp / 1000, UTC))
    try:
        suppression = Suppression.model_validate_json(record.value)
    except ValidationError as exc:
        raise ValueError(describe_validation_error(exc)) from None
    if key is not None and key != suppression.lead_id:
        raise ValueError(f"key {key!r} does not match lead_id {suppression.lead_id!r}")
    return suppression


async def apply_suppression_batch(
    conn: store.Conn,
    records: Sequence[ConsumerRecord[bytes, bytes]],
    *,
    expected: dict[int, int],
    topics: Topics,
) -> Effects:
    """Apply suppression records (one topic, any partitions) in the caller's transaction."""
    effects = Effects(topics)
    if not records:
        return effects
    await claim_offsets(conn, records, expected)
    entries: list[Entry] = []
    for record in records:
        try:
            entries.append(parse(record))
        except ValueError as exc:
            effects.dead_letter(dead_letter(record, f"bad suppression: {exc}", topics))
    if entries:
        await apply_entries(conn, entries, effects, await store.db_now(conn))
    await effects.write(conn)
    return effects
