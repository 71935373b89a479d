"""The burst rule: hold each click up to 5 s for another link of the same email.

Two or more different URLs of the same email clicked by the same lead within 5 s are a
scanner's, every one of them. A click is held only while it could still turn out to be part of
a burst: a click with evidence of its own (``classify``) or one that completes a burst is
released at once, as a scanner's; a lone click is released as a person's when its 5 s are up.

Pure: time comes in as ``arrived_at`` / ``now`` (seconds on any monotonic clock, never going
back). Bursts are measured on the clicks' own ``occurred_at``, so a replay after a restart finds
the same bursts; the hold is measured on arrival, so no click waits longer than ``window_s``::

    hold = ClickHold[Payload]()
    released = hold.add(click, arrived_at=now)   # what this arrival settles (maybe itself)
    released += hold.due(now)                    # lone clicks whose 5 s are up
    hold.oldest_offset(partition)                # commit below this: replay what is still open

Every click stays remembered for ``window_s`` after its arrival (held or not), so later clicks
can find it; ``oldest_offset`` covers remembered clicks too, so a restart replays them and the
replayed clicks see the same partners.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from schemas import ClickEvent
from workers.core.scanner import Evidence, EvidenceKind, Verdict, seconds, verdict_of

#: How long a click waits for its burst, and how close two clicks of a burst are.
WINDOW_S = 5.0

P = TypeVar("P")

LeadKey = tuple[str, str]


def email_of(click: ClickEvent) -> str:
    """Which email a click is from: its step, else its tracking token, else its sending time.

    An empty string when the click says none of these (its lead's clicks then count as one
    email).
    """
    if click.step is not None:
        return f"step:{click.step}"
    if click.tracking_token is not None:
        return f"token:{click.tracking_token}"
    if click.sent_at is not None:
        return f"sent:{click.sent_at.isoformat()}"
    return ""


@dataclass(frozen=True, slots=True)
class Click(Generic[P]):
    """A click offered to the hold, with what the caller needs back when it is released."""

    #: ``(campaign_id, lead_id)``.
    lead: LeadKey
    #: ``email_of(event)``.
    email: str
    url: str
    occurred_at: datetime
    #: Where the click was read (a partition number, or a topic-partition), for
    #: ``oldest_offset``.
    partition: Hashable
    offset: int
    #: What ``classify`` found.
    evidence: tuple[Evidence, ...]
    payload: P


@dataclass(frozen=True, slots=True)
class Released(Generic[P]):
    """A click whose verdict is settled."""

    click: Click[P]
    evidence: tuple[Evidence, ...]
    arrived_at: float
    released_at: float

    @property
    def verdict(self) -> Verdict:
        return verdict_of(self.evidence)

    @property
    def held_s(self) -> float:
        """How long the click waited."""
        return self.released_at - self.arrived_at


@dataclass(slots=True, eq=False)
class _Entry(Generic[P]):
    click: Click[P]
    arrived_at: float
    held: bool = False


class ClickHold(Generic[P]):
    """Clicks waiting for their burst, by lead and email; see the module docstring."""

    def __init__(self, window_s: float = WINDOW_S) -> None:
        self.window_s = window_s
        self._burst = timedelta(seconds=window_s)
        self._window: deque[_Entry[P]] = deque()
        self._by_email: dict[tuple[LeadKey, str], list[_Entry[P]]] = {}
        self._by_partition: dict[Hashable, deque[_Entry[P]]] = {}
        self._held = 0
        self._now = float("-inf")

    @property
    def held(self) -> int:
        """Clicks waiting now."""
        return self._held

    def __len__(self) -> int:
        """Clicks remembered now (held or already released)."""
        return len(self._window)

    def add(self, click: Click[P], arrived_at: float) -> list[Released[P]]:
        """Offer a click; returns every click settled by now (this one maybe among them)."""
        released = self.due(arrived_at)
        now = self._now
        entry = _Entry(click, now)
        key = (click.lead, click.email)
        partners = [
            e
            for e in self._by_email.get(key, [])
            if e.click.url != click.url and self._gap(e.click, click) < self._burst
        ]
        if partners:
            released += self._release_burst(entry, partners, now)
        elif click.evidence:
            released.append(Released(click, click.evidence, now, now))
        else:
            entry.held = True
            self._held += 1
        self._window.append(entry)
        self._by_email.setdefault(key, []).append(entry)
        self._by_partition.setdefault(click.partition, deque()).append(entry)
        return released

    def due(self, now: float) -> list[Released[P]]:
        """Release the held clicks whose time is up (as a person's) and forget old clicks."""
        self._now = now = max(now, self._now)
        released: list[Released[P]] = []
        while self._window and self._window[0].arrived_at + self.window_s <= now:
            entry = self._window.popleft()
            self._untrack(entry)
            if entry.held:
                entry.held = False
                self._held -= 1
                released.append(Released(entry.click, (), entry.arrived_at, now))
        return released

    def next_due(self) -> float | None:
        """When ``due`` next has something to do (None: nothing remembered)."""
        return self._window[0].arrived_at + self.window_s if self._window else None

    def oldest_offset(self, partition: Hashable) -> int | None:
        """The lowest offset of ``partition`` still held or remembered (None: none).

        Commit the partition's offset no further than this, so that a restart or a rebalance
        replays every click that was not settled, and the clicks a replayed one may pair with.
        """
        entries = self._by_partition.get(partition)
        return entries[0].click.offset if entries else None

    def forget(self, partitions: Iterable[Hashable]) -> int:
        """Drop every click of ``partitions`` (revoked: their new owner replays them).

        Returns how many held clicks were dropped unreleased.
        """
        gone = set(partitions)
        dropped = [e for e in self._window if e.click.partition in gone]
        for entry in dropped:
            self._by_email_remove(entry)
        for partition in gone:
            self._by_partition.pop(partition, None)
        self._window = deque(e for e in self._window if e.click.partition not in gone)
        held = sum(1 for e in dropped if e.held)
        self._held -= held
        return held

    def _release_burst(
        self, entry: _Entry[P], partners: list[_Entry[P]], now: float
    ) -> list[Released[P]]:
        click = entry.click
        released: list[Released[P]] = []
        for partner in partners:
            if partner.held:
                partner.held = False
                self._held -= 1
                evidence = (*partner.click.evidence, _burst(self._gap(partner.click, click)))
                released.append(Released(partner.click, evidence, partner.arrived_at, now))
        closest = min(self._gap(p.click, click) for p in partners)
        released.append(Released(click, (*click.evidence, _burst(closest)), now, now))
        return released

    @staticmethod
    def _gap(a: Click[P], b: Click[P]) -> timedelta:
        return abs(a.occurred_at - b.occurred_at)

    def _untrack(self, entry: _Entry[P]) -> None:
        self._by_email_remove(entry)
        self._by_partition[entry.click.partition].popleft()
        if not self._by_partition[entry.click.partition]:
            del self._by_partition[entry.click.partition]

    def _by_email_remove(self, entry: _Entry[P]) -> None:
        key = (entry.click.lead, entry.click.email)
        entries = self._by_email[key]
        entries.remove(entry)
        if not entries:
            del self._by_email[key]


def _burst(gap: timedelta) -> Evidence:
    return Evidence(EvidenceKind.BURST, f"second link within {seconds(gap)} s")
