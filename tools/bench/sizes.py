"""How much work each measurement does, per mode."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Sizes:
    """The size of every measurement of one benchmark mode."""

    mode: str
    #: Events pre-filled for the passthrough and for each ingest worker.
    events: int
    #: Leads that each get enroll, pause and resume (3 commands per lead).
    command_leads: int
    #: Leads falling due at once for the sends measurement.
    sends: int
    #: Leads falling due at once for the one-vs-two replicas comparison.
    scale_sends: int
    #: Offered rate (events/s, and timers due per second) of the latency and lateness runs.
    rate: int
    #: How long the fixed-rate latency run offers events.
    latency_s: float
    #: How long due times are spread at ``rate`` for the timer-lateness run.
    lateness_s: float
    #: The latency run's replies carry this v2 ``kind`` (classified upstream, so the replies
    #: worker skips its classifier); None (the default): plain replies, classified.
    latency_reply_kind: str | None = None

    @property
    def commands(self) -> int:
        """Commands pre-filled for the sequencer."""
        return 3 * self.command_leads


FULL = Sizes("full", 50_000, 10_000, 100_000, 100_000, 1000, 20.0, 20.0)
QUICK = Sizes("quick", 10_000, 3_000, 10_000, 10_000, 1000, 5.0, 5.0)
#: For the smoke test: exercises every code path, measures nothing meaningful.
TINY = Sizes("tiny", 300, 100, 300, 300, 1000, 1.0, 1.0)
MODES = {s.mode: s for s in (FULL, QUICK, TINY)}
