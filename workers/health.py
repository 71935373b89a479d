"""Liveness and readiness of the workers in one process.

``/healthz`` answers 200 while every worker loop has beaten within ``max_silence_s``;
``/readyz`` answers 200 while every worker says it is ready (assigned and caught up).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(slots=True)
class Health:
    """One worker loop's heartbeat and readiness, set by the loop, read by the HTTP server."""

    name: str
    last_beat_s: float = field(default_factory=time.monotonic)
    ready: bool = False
    detail: str = "starting"

    def beat(self) -> None:
        """The loop is alive: call once per iteration."""
        self.last_beat_s = time.monotonic()

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
        stale = [h.name for h in self.parts if now - h.last_beat_s > self.max_silence_s]
        if stale:
            return False, f"no heartbeat from {', '.join(stale)}"
        return True, "ok"

    def ready(self) -> tuple[bool, str]:
        waiting = [f"{h.name}: {h.detail}" for h in self.parts if not h.ready]
        if waiting or not self.parts:
            return False, "; ".join(waiting) or "no worker"
        return True, "ok"
