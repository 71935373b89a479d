"""Fleet processes for fault injection: real ``leadflow run`` subprocesses we can kill or freeze."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from workers.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


class FleetProcess:
    """``leadflow run WORKERS...`` in a subprocess, logging to a file of the test's tmp dir."""

    def __init__(self, settings: Settings, workers: list[str], log_dir: Path, name: str) -> None:
        self.settings = settings
        self.workers = workers
        self.log_path = log_dir / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "LEADFLOW_KAFKA_BOOTSTRAP_SERVERS": self.settings.kafka_bootstrap_servers,
            "LEADFLOW_TOPIC_PREFIX": self.settings.topic_prefix,
            "LEADFLOW_DATABASE_URL": self.settings.database_url,
            "LEADFLOW_METRICS_PORT": "0",
            "LEADFLOW_GATEWAY_PORT": "0",  # `run all` includes the gateway: any free port
            "LEADFLOW_LOG_LEVEL": "info",
        }

    def start(self) -> FleetProcess:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "workers", "run", *self.workers],
                env=self.env(),
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def kill(self) -> None:
        """SIGKILL: no drain, no commit, no goodbye."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def freeze(self) -> None:
        os.kill(self.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.pid, signal.SIGCONT)

    def stop(self, timeout_s: float = 30) -> int:
        """SIGTERM and wait: the graceful path; returns the exit code."""
        assert self.proc is not None
        if self.proc.poll() is None:
            os.kill(self.pid, signal.SIGCONT)
            self.proc.terminate()
        try:
            return self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
            raise
