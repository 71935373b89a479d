"""A person's suppression across campaigns: which record is in force, and what a winning one
does to the person's leads (the suppressions topic and the commands path share it).

- a Suppression stops every lead of the person that is not final, in every campaign, in the
  same transaction (the person's bucket lock, then their lead rows ``FOR UPDATE``: one
  statement each, however many campaigns), and re-publishes the statuses of the others with
  ``suppressed`` set;
- a lifting changes no lead; it re-publishes the person's statuses without ``suppressed`` and
  lets new enrolments in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from schemas import Suppression
from workers.core import Entry, LeadState, Lifting, on_suppression, status_while, supersedes
from workers.sequencer import store
from workers.sequencer import suppression_store as sstore
from workers.sequencer.effects import Effects


@dataclass(slots=True)
class People:
    """The suppression records of one batch's people: as stored, then as the batch leaves them."""

    stored: dict[str, Entry]
    #: The records this batch made win, to be written to the table.
    written: dict[str, Entry] = field(default_factory=dict)

    def current(self, lead_id: str) -> Entry | None:
        """The record in force for ``lead_id`` now (this batch's, else the stored one)."""
        return self.written.get(lead_id, self.stored.get(lead_id))

    def in_force(self, lead_id: str) -> Suppression | None:
        """The suppression of ``lead_id`` in force now, or None."""
        entry = self.current(lead_id)
        return entry if isinstance(entry, Suppression) else None

    def offer(self, entry: Entry) -> bool:
        """Take ``entry`` when it wins over the record in force; True when it did."""
        if not supersedes(self.current(entry.lead_id), entry):
            return False
        self.written[entry.lead_id] = entry
        return True


def reflect(
    entry: Entry, leads: Iterable[LeadState], now: datetime, effects: Effects
) -> list[LeadState]:
    """What one winning record does to its person's ``leads``; their states afterwards.

    A Suppression stops the leads that are not final; every other lead's status is
    re-published with ``suppressed`` as it now stands (a lifting clears it).
    """
    suppression = entry if isinstance(entry, Suppression) else None
    after = []
    for stored in leads:
        state = effects.current(stored)
        if suppression is not None:
            transition = on_suppression(state, suppression, now)
            if transition.changed and transition.state is not None:
                effects.add(transition, None)
                after.append(transition.state)
                continue
        effects.emit_status(status_while(state, suppression))
        after.append(state)
    return after


def by_person(states: Iterable[LeadState]) -> dict[str, list[LeadState]]:
    """Leads grouped by lead_id, each person's in campaign order."""
    grouped: dict[str, list[LeadState]] = defaultdict(list)
    for state in sorted(states, key=lambda s: (s.campaign_id, s.lead_id)):
        grouped[state.lead_id].append(state)
    return grouped


async def apply_entries(
    conn: store.Conn, entries: Sequence[Entry], effects: Effects, now: datetime
) -> None:
    """Record the entries that win, in order, and apply each to its person's leads.

    A lifting that loses to the suppression in force (it is older) has that suppression
    re-published: compaction keeps the last record written per key, so without it a database
    rebuilt from the compacted topic would hold the older lifting.
    """
    lead_ids = {e.lead_id for e in entries}
    await sstore.lock_people(conn, exclusive=lead_ids)
    people = People(await sstore.load_entries(conn, lead_ids))
    winners: list[Entry] = []
    overtaken: set[str] = set()
    for entry in entries:
        if people.offer(entry):
            winners.append(entry)
        elif isinstance(entry, Lifting):
            overtaken.add(entry.lead_id)
    for lead_id in sorted(overtaken):
        kept = people.in_force(lead_id)
        if kept is not None:
            effects.publish_suppression(kept)
    if not winners:
        return
    leads = by_person(await sstore.lock_person_leads(conn, {e.lead_id for e in winners}))
    for entry in winners:
        leads[entry.lead_id] = reflect(entry, leads.get(entry.lead_id, ()), now, effects)
    await sstore.save_entries(conn, people.written.values(), now)
