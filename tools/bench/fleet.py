"""Worker processes: ``leadflow run NAME`` (or the raw passthrough) as subprocesses."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tools.infra._proc import repo_root
from workers.settings import Settings


def leadflow_command(worker: str) -> list[str]:
    """``leadflow run WORKER`` with the interpreter running the benchmark."""
    script = Path(sys.executable).with_name("leadflow")
    if script.exists():
        return [str(script), "run", worker]
    code = "import sys; from workers.cli import main; sys.exit(main())"
    return [sys.executable, "-c", code, "run", worker]


def passthrough_command(source: str, target: str) -> list[str]:
    """The raw consume→produce passthrough from ``source`` to ``target``."""
    return [sys.executable, "-m", "tools.bench.passthrough", source, target]


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Proc:
    """One worker process and the port of its ``/readyz``."""

    name: str
    popen: subprocess.Popen[bytes]
    metrics_port: int
    log: Path

    def rss_mb(self) -> float:
        """The process's resident set size (VmRSS) in MiB; 0 when it has gone."""
        try:
            status = Path(f"/proc/{self.popen.pid}/status").read_text()
        except FileNotFoundError:
            return 0.0
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def check_alive(self) -> None:
        """Raise if the process has exited (a benchmark must not wait for a dead worker)."""
        if self.popen.poll() is not None:
            raise RuntimeError(f"{self.name} exited with {self.popen.returncode}; see {self.log}")

    def ready(self) -> bool:
        """True when ``/readyz`` answers 200; raises if the process has exited."""
        self.check_alive()
        url = f"http://127.0.0.1:{self.metrics_port}/readyz"
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                return bool(answer.status == 200)  # noqa: PLR2004
        except OSError:
            return False


def _env(settings: Settings, metrics_port: int) -> dict[str, str]:
    return {
        **os.environ,
        "LEADFLOW_KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "LEADFLOW_TOPIC_PREFIX": settings.topic_prefix,
        "LEADFLOW_DATABASE_URL": settings.database_url,
        "LEADFLOW_METRICS_PORT": str(metrics_port),
        "LEADFLOW_LOG_LEVEL": "warning",
    }


def start(settings: Settings, name: str, argv: Sequence[str], log_dir: Path) -> Proc:
    """Start ``argv`` with the fleet's environment; output goes to ``log_dir/NAME-PID.log``."""
    port = free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{name}-{settings.topic_prefix.rstrip('.')}.log"
    with log.open("ab") as out:
        popen = subprocess.Popen(  # noqa: S603
            list(argv),
            env=_env(settings, port),
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=repo_root(),  # ``-m tools.bench.passthrough`` imports from the checkout
        )
    return Proc(name, popen, port, log)


def stop(proc: Proc, timeout_s: float = 30.0) -> None:
    """SIGTERM (graceful drain), SIGKILL after ``timeout_s``."""
    if proc.popen.poll() is not None:
        return
    proc.popen.send_signal(signal.SIGTERM)
    try:
        proc.popen.wait(timeout_s)
    except subprocess.TimeoutExpired:
        proc.popen.kill()
        proc.popen.wait()


async def wait_ready(procs: Sequence[Proc], timeout_s: float = 60.0) -> None:
    """Wait until every process reports ready."""
    deadline = time.monotonic() + timeout_s
    while not all(p.ready() for p in procs):
        if time.monotonic() > deadline:
            raise TimeoutError(f"not ready after {timeout_s:.0f}s: {[p.name for p in procs]}")
        await asyncio.sleep(0.1)


def all_alive(procs: Sequence[Proc]) -> Callable[[], None]:
    """A check that raises when any of ``procs`` has exited."""

    def check() -> None:
        for proc in procs:
            proc.check_alive()

    return check


@contextlib.asynccontextmanager
async def running(
    settings: Settings, specs: Sequence[tuple[str, Sequence[str]]], log_dir: Path
) -> AsyncIterator[list[Proc]]:
    """Run the processes ``(name, argv)`` for the block; stop them all afterwards."""
    procs: list[Proc] = []
    try:
        for name, argv in specs:
            procs.append(start(settings, name, argv, log_dir))
        yield procs
    finally:
        await asyncio.gather(*(asyncio.to_thread(stop, p) for p in procs))
