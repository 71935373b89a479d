"""What a worker is to the runtime, and what the runtime gives it.

This module imports no worker: the workers import it, the command line (``workers.cli``) holds
the registry of names to factories, and the runtime (``workers.runtime``) runs whatever
factories it is handed. So no module imports its own caller.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from workers.health import Health
from workers.metrics import Metrics
from workers.settings import Settings


class Worker(Protocol):
    """A long-running loop that returns soon after ``stop`` is set."""

    name: str

    async def run(self, stop: asyncio.Event) -> None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkerContext:
    """What every worker gets from the runtime."""

    settings: Settings
    metrics: Metrics
    health: Health


#: Builds a worker from its context; ``leadflow run NAME`` calls the factory registered as NAME.
WorkerFactory = Callable[[WorkerContext], Worker]
