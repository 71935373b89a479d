"""Run workers in one process: logging, metrics endpoint, signals and graceful drain.

``leadflow run replies sequencer`` (or ``all``): the command line picks the factories from its
registry (``workers.cli``) and hands them here; the runtime builds and runs them side by side,
each in its own task with ``worker=<name>`` bound for its log lines (``bind_contextvars``).
SIGTERM or SIGINT sets one stop event (handled from before the start-up checks, which it
ends at once: exit 0): every worker stops fetching, finishes and commits its
current batch, closes its clients (leaving its consumer group), and returns; the process then
exits 0.  A worker that crashes stops the others and the process exits 1, so an orchestrator
restarts it.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Coroutine, Mapping
from typing import Any

import structlog
from prometheus_client import CollectorRegistry

from workers.health import HealthBoard
from workers.http import MetricsServer
from workers.kafka_io import install_aiokafka_patches
from workers.logs import configure_logging
from workers.loop_lag import watch_loop_lag
from workers.metrics import Metrics
from workers.preflight import check_database, check_kafka
from workers.protocol import Worker, WorkerContext, WorkerFactory
from workers.settings import Settings

log = structlog.get_logger("leadflow.runtime")


async def run_workers(factories: Mapping[str, WorkerFactory], settings: Settings) -> int:
    """Build a worker from each ``name: factory`` and run them until a signal.

    Returns the process exit code: 0 after a drain, 1 when a worker crashed. Credentials or
    certificates that can never work raise ConfigurationError first (one line, exit 2).
    """
    configure_logging(settings.log_level)
    install_aiokafka_patches()
    # Signals are handled from here on: a SIGTERM during the start-up checks (a rolling
    # update of a pod still starting) ends them and exits 0, instead of killing the process.
    stop = asyncio.Event()
    _install_signal_handlers(stop)
    if not await _unless_stopped(
        preflight(settings, needs_database="sequencer" in factories), stop
    ):
        log.info("stopped during the start-up checks")
        return 0
    metrics = Metrics(CollectorRegistry())
    board = HealthBoard()
    workers = [
        factory(WorkerContext(settings=settings, metrics=metrics, health=board.register(name)))
        for name, factory in factories.items()
    ]
    server = MetricsServer(registry=metrics.registry, board=board, port=settings.metrics_port)
    await server.start()
    log.info("fleet starting", workers=[w.name for w in workers], metrics_port=server.port)
    lag = asyncio.create_task(watch_loop_lag(metrics.event_loop_lag.observe, stop), name="loop-lag")
    try:
        return await _supervise(workers, stop)
    finally:
        stop.set()
        await lag
        await server.close()
        log.info("fleet stopped")


async def _supervise(workers: list[Worker], stop: asyncio.Event) -> int:
    tasks = {asyncio.create_task(run_bound(w, stop), name=w.name): w for w in workers}
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


async def run_bound(worker: Worker, stop: asyncio.Event) -> None:
    """Run ``worker`` with its name bound to every log line of its task and its subtasks."""
    # The task runs in a copy of the context: the binding stays with this worker.
    structlog.contextvars.bind_contextvars(worker=worker.name)
    await worker.run(stop)


async def preflight(settings: Settings, *, needs_database: bool) -> None:
    """Check Kafka (and the database) once; permanent failures raise, transient ones warn."""
    warnings = [await check_kafka(settings)]
    if needs_database:
        warnings.append(await check_database(settings.database_url))
    for warning in filter(None, warnings):
        log.warning("start-up check failed; starting anyway", reason=warning)


async def _unless_stopped(step: Coroutine[Any, Any, None], stop: asyncio.Event) -> bool:
    """Run ``step`` unless ``stop`` is set first (then cancel it): whether it ran to its end."""
    running = asyncio.ensure_future(step)
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait([running, stopped], return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
    if running.done():
        running.result()  # its error, if any, is the start's
        return True
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await running
    return False


def _install_signal_handlers(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, _on_signal, stop, sig)


def _on_signal(stop: asyncio.Event, sig: signal.Signals) -> None:
    log.info("signal received: draining", signal=sig.name)
    stop.set()
