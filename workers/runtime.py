"""Run workers in one process: logging, metrics endpoint, signals and graceful drain.

``leadflow run replies sequencer`` (or ``all``) builds each named worker from ``WORKERS`` and
runs them side by side.  SIGTERM or SIGINT sets one stop event: every worker stops fetching,
finishes and commits its current batch, closes its clients (leaving its consumer group), and
returns; the process then exits 0.  A worker that crashes stops the others and the process
exits 1, so an orchestrator restarts it.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import structlog
from prometheus_client import CollectorRegistry

from workers.health import Health, HealthBoard
from workers.http import MetricsServer
from workers.logs import configure_logging
from workers.metrics import Metrics
from workers.preflight import check_database, check_kafka
from workers.settings import Settings

log = structlog.get_logger("leadflow.runtime")


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


WorkerFactory = Callable[[WorkerContext], Worker]


def _registry() -> dict[str, WorkerFactory]:
    # Imported here so that `leadflow setup` or the CLI never pays for the workers' imports.
    from workers.ingest.worker import ingest_factory  # noqa: PLC0415
    from workers.sequencer.worker import sequencer_factory  # noqa: PLC0415

    return {
        "replies": ingest_factory("replies"),
        "clicks": ingest_factory("clicks"),
        "bookings": ingest_factory("bookings"),
        "sequencer": sequencer_factory,
    }


WORKER_NAMES = ("replies", "clicks", "bookings", "sequencer")


def expand(names: Sequence[str]) -> list[str]:
    """``all`` stands for every worker; duplicates collapse; unknown names raise ValueError."""
    wanted: list[str] = []
    for name in names:
        for item in WORKER_NAMES if name == "all" else (name,):
            if item not in WORKER_NAMES:
                raise ValueError(
                    f"unknown worker {item!r}: choose from {', '.join(WORKER_NAMES)}, all"
                )
            if item not in wanted:
                wanted.append(item)
    return wanted


async def run_workers(names: Sequence[str], settings: Settings) -> int:
    """Run the named workers until a signal; return the process exit code.

    Credentials or certificates that can never work raise ConfigurationError first (one line).
    """
    configure_logging(settings.log_level)
    await preflight(settings, needs_database="sequencer" in expand(names))
    metrics = Metrics(CollectorRegistry())
    board = HealthBoard()
    factories = _registry()
    workers = [
        factories[name](
            WorkerContext(settings=settings, metrics=metrics, health=board.register(name))
        )
        for name in expand(names)
    ]
    server = MetricsServer(registry=metrics.registry, board=board, port=settings.metrics_port)
    await server.start()
    stop = asyncio.Event()
    _install_signal_handlers(stop)
    log.info("fleet starting", workers=[w.name for w in workers], metrics_port=server.port)
    try:
        return await _supervise(workers, stop)
    finally:
        await server.close()
        log.info("fleet stopped")


async def _supervise(workers: list[Worker], stop: asyncio.Event) -> int:
    tasks = {asyncio.create_task(w.run(stop), name=w.name): w for w in workers}
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([*tasks, stopper], return_when=asyncio.FIRST_COMPLETED)
    failed = [t for t in done if t is not stopper and t.exception() is not None]
    for task in failed:
        log.error("worker crashed", worker=task.get_name(), exc_info=task.exception())
    stop.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    stopper.cancel()
    crashed = bool(failed) or any(isinstance(r, BaseException) for r in results)
    return 1 if crashed else 0


async def preflight(settings: Settings, *, needs_database: bool) -> None:
    """Check Kafka (and the database) once; permanent failures raise, transient ones warn."""
    warnings = [await check_kafka(settings)]
    if needs_database:
        warnings.append(await check_database(settings.database_url))
    for warning in filter(None, warnings):
        log.warning("start-up check failed; starting anyway", reason=warning)


def _install_signal_handlers(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, _on_signal, stop, sig)


def _on_signal(stop: asyncio.Event, sig: signal.Signals) -> None:
    log.info("signal received: draining", signal=sig.name)
    stop.set()
