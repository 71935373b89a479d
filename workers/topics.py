"""The contract's topics, their keys' partitioning and cleanup policies."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Cleanup(StrEnum):
    """Kafka's ``cleanup.policy`` of a topic."""

    DELETE = "delete"  #: a log of events, trimmed by retention
    COMPACT = "compact"  #: the latest value per key (tables)


@dataclass(frozen=True, slots=True)
class TopicSpec:
    """One topic that ``leadflow setup`` creates: its suffix after the prefix and its policy."""

    suffix: str
    cleanup: Cleanup
    single_partition: bool = False


#: Every topic of the contract plus the fleet's internal ones, in creation order.
TOPIC_SPECS: tuple[TopicSpec, ...] = (
    TopicSpec("campaigns", Cleanup.COMPACT),
    TopicSpec("events.replies", Cleanup.DELETE),
    TopicSpec("events.clicks", Cleanup.DELETE),
    TopicSpec("events.bookings", Cleanup.DELETE),
    TopicSpec("commands", Cleanup.DELETE),
    TopicSpec("command-results", Cleanup.DELETE),
    TopicSpec("sends", Cleanup.DELETE),
    TopicSpec("lead-status", Cleanup.COMPACT),
    TopicSpec("dlq", Cleanup.DELETE),
    # internal: the outbox relay's progress, written in the same Kafka transaction as its output
    TopicSpec("internal.relay-progress", Cleanup.COMPACT, single_partition=True),
    # internal: clicks re-keyed by lead, so that one lead's clicks meet in one place (bursts)
    TopicSpec("internal.clicks-by-lead", Cleanup.DELETE),
)


@dataclass(frozen=True, slots=True)
class Topics:
    """Full topic names under one prefix."""

    prefix: str = "leadflow."

    def name(self, suffix: str) -> str:
        return f"{self.prefix}{suffix}"

    @property
    def campaigns(self) -> str:
        return self.name("campaigns")

    @property
    def replies(self) -> str:
        return self.name("events.replies")

    @property
    def clicks(self) -> str:
        return self.name("events.clicks")

    @property
    def bookings(self) -> str:
        return self.name("events.bookings")

    @property
    def commands(self) -> str:
        return self.name("commands")

    @property
    def command_results(self) -> str:
        return self.name("command-results")

    @property
    def sends(self) -> str:
        return self.name("sends")

    @property
    def lead_status(self) -> str:
        return self.name("lead-status")

    @property
    def dlq(self) -> str:
        return self.name("dlq")

    @property
    def relay_progress(self) -> str:
        return self.name("internal.relay-progress")

    @property
    def clicks_by_lead(self) -> str:
        return self.name("internal.clicks-by-lead")


def group_id(prefix: str, worker: str) -> str:
    """The consumer group of a worker: ``leadflow-replies`` under the default prefix.

    The prefix without its trailing separators names the group (``acme.`` gives
    ``acme-replies``); an empty prefix gives the default ``leadflow-`` groups.
    """
    stem = prefix.rstrip("._-") or "leadflow"
    return f"{stem}-{worker}"
