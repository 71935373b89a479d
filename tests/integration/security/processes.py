"""``leadflow`` subprocesses with the full security settings (SASL, TLS, database URL)."""

from __future__ import annotations

import asyncio
import os
from asyncio.subprocess import PIPE
from dataclasses import dataclass
from pathlib import Path

from tests.integration.fleet import FleetProcess
from tests.integration.infra import TRACKING_SECRET, tracking_env
from workers.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
LEADFLOW = str(ROOT / ".venv/bin/leadflow")


def leadflow_env(settings: Settings, *, log_level: str = "info") -> dict[str, str]:
    """The process environment that gives a ``leadflow`` process exactly ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADFLOW_KAFKA_")}
    env |= {
        "LEADFLOW_KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "LEADFLOW_TOPIC_PREFIX": settings.topic_prefix,
        "LEADFLOW_DATABASE_URL": settings.database_url,
        "LEADFLOW_METRICS_PORT": "0",
        "LEADFLOW_GATEWAY_PORT": "0",  # `run all` includes the gateway: any free port
        "LEADFLOW_LOG_LEVEL": log_level,
        "LEADFLOW_KAFKA_SECURITY_PROTOCOL": settings.kafka_security_protocol.value,
        "LEADFLOW_KAFKA_SASL_MECHANISM": settings.kafka_sasl_mechanism,
        # every worker needs a tracking secret (contract v2): the settings' own, else the tests'
        "LEADFLOW_TRACKING_SECRET": tracking_env(settings)["LEADFLOW_TRACKING_SECRET"]
        or TRACKING_SECRET,
    }
    if settings.kafka_sasl_username is not None:
        env["LEADFLOW_KAFKA_SASL_USERNAME"] = settings.kafka_sasl_username
    if settings.kafka_sasl_password is not None:
        env["LEADFLOW_KAFKA_SASL_PASSWORD"] = settings.kafka_sasl_password.get_secret_value()
    if settings.kafka_ssl_cafile is not None:
        env["LEADFLOW_KAFKA_SSL_CAFILE"] = settings.kafka_ssl_cafile
    return env


@dataclass(frozen=True)
class Done:
    """What a ``leadflow`` process printed, its exit status and how long it took."""

    returncode: int
    stdout: str
    stderr: str
    took_s: float

    @property
    def error_lines(self) -> list[str]:
        return self.stderr.strip().splitlines()


async def leadflow(
    settings: Settings, *argv: str, stdin: str | None = None, timeout_s: float = 90.0
) -> Done:
    """Run ``leadflow ARGV`` with ``settings`` without blocking the event loop."""
    started = asyncio.get_running_loop().time()
    process = await asyncio.create_subprocess_exec(
        LEADFLOW, *argv, env=leadflow_env(settings), stdin=PIPE, stdout=PIPE, stderr=PIPE, cwd=ROOT
    )
    try:
        out, err = await asyncio.wait_for(
            process.communicate(stdin.encode() if stdin else None), timeout_s
        )
    except TimeoutError:
        process.kill()
        await process.wait()
        raise AssertionError(
            f"leadflow {' '.join(argv)} still running after {timeout_s}s"
        ) from None
    assert process.returncode is not None
    took = asyncio.get_running_loop().time() - started
    return Done(process.returncode, out.decode(), err.decode(), took)


class SecureFleetProcess(FleetProcess):
    """``leadflow run WORKERS...`` with every security setting of ``settings``."""

    def __init__(
        self,
        settings: Settings,
        workers: list[str],
        log_dir: Path,
        name: str,
        *,
        log_level: str = "info",
    ) -> None:
        super().__init__(settings, workers, log_dir, name)
        self.log_level = log_level

    def env(self) -> dict[str, str]:
        return leadflow_env(self.settings, log_level=self.log_level)

    def log_tail(self, lines: int = 40) -> str:
        """The last lines the process wrote (for a failure's message)."""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
