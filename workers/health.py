"""Liveness and readiness of the workers in one process.

``/healthz`` answers 200 while every loop of every worker has beaten within ``max_silence_s``
(a worker with several loops, like the sequencer, names them: one stuck loop is enough to fail);
``/readyz`` answers 200 while every worker says it is ready (assigned and caught up).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

_MAIN = "main"


@dataclass(slots=True)
class Health:
    """One worker's heartbeats (one per loop) and readiness, read by the HTTP server."""

    name: str
    #: The last beat of each loop (monotonic seconds); a single-loop worker uses ``main``.
    beats: dict[str, float] = field(default_factory=lambda: {_MAIN: time.monotonic()})
    ready: bool = False
    detail: str = "starting"

    def expect(self, *loops: str) -> None:
        """From now on the worker runs these loops, each of which must beat on its own."""
        now = time.monotonic()
        self.beats = dict.fromkeys(loops, now)

    def beat(self, loop: str = _MAIN) -> None:
        """``loop`` is alive: call once per iteration."""
        self.beats[loop] = time.monotonic()

    def silent(self, now: float, max_silence_s: float) -> list[str]:
        """The loops that have not beaten within ``max_silence_s`` of ``now``."""
        return [
            self.name if loop == _MAIN else f"{self.name}.{loop}"
            for loop, last in self.beats.items()
            if now - last > max_silence_s
        ]

    def set_ready(self, ready: bool, detail: str = "") -> None:
        self.ready = ready
        self.detail = detail or ("ready" if ready else "not ready")


@dataclass(slots=True)
class HealthBoard:
    """Every worker's ``Health`` in this process."""

    max_silence_s: float = 30.0
    parts: list[Health] = field(default_factory=list)

    def register(self, name: str) -> Health:
        health = Health(name)
        self.parts.append(health)
        return health

    def alive(self) -> tuple[bool, str]:
        now = time.monotonic()
        stale = [name for h in self.parts for name in h.silent(now, self.max_silence_s)]
        if stale:
            return False, f"no heartbeat from {', '.join(stale)}"
        return True, "ok"

    def ready(self) -> tuple[bool, str]:
        waiting = [f"{h.name}: {h.detail}" for h in self.parts if not h.ready]
        if waiting or not self.parts:
            return False, "; ".join(waiting) or "no worker"
        return True, "ok"
