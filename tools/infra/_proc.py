"""Small process helpers shared by the local Kafka and PostgreSQL runners."""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path


def repo_root() -> Path:
    """The project's root: the folder holding ``pyproject.toml`` (falls back to the cwd)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists():
            return parent
    return Path.cwd()


def cache_dir() -> Path:
    """Where jars and local cluster state live (``LEADFLOW_CACHE_DIR`` overrides)."""
    override = os.environ.get("LEADFLOW_CACHE_DIR")
    return Path(override) if override else repo_root() / ".cache"


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """True when something accepts TCP connections on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def read_pid(pid_file: Path) -> int | None:
    """The pid recorded in ``pid_file`` if that process is still alive."""
    try:
        pid = int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    return pid


def terminate(pid: int, timeout_s: float) -> None:
    """SIGTERM ``pid`` (and SIGCONT it, in case a test froze it); SIGKILL after ``timeout_s``."""
    for sig in (signal.SIGCONT, signal.SIGTERM):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not _alive(pid):
            return
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    while _alive(pid):
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        waited = 0
    if waited == pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


class InfraError(RuntimeError):
    """A local broker or database could not be prepared, started or stopped."""
