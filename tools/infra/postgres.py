"""A PostgreSQL cluster from the machine's own binaries (``initdb`` + ``pg_ctl``).

PostgreSQL refuses to run as root; when we are root (CI, containers) the cluster runs as a
system user ``leadflow-pg`` created on first use, and its folder is owned by that user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tools.infra._proc import InfraError, cache_dir, port_open

_OS_USER = "leadflow-pg"


def pg_bin_dir() -> Path:
    """The folder of ``initdb``/``pg_ctl``: ``LEADFLOW_PG_BIN``, else the newest Debian cluster."""
    override = os.environ.get("LEADFLOW_PG_BIN")
    if override:
        return Path(override)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_major, reverse=True)
    if found:
        return Path(found[0]).parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    raise InfraError("PostgreSQL server binaries (pg_ctl, initdb) not found; set LEADFLOW_PG_BIN")


def _major(path: str) -> int:
    try:
        return int(Path(path).parent.parent.name)
    except ValueError:
        return 0


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalPostgres:
    """One local cluster on ``port`` with a database ``database`` (trust auth on loopback)."""

    port: int = 5432
    database: str = "leadflow"

    @property
    def home(self) -> Path:
        return cache_dir() / "run" / f"postgres-{self.port}"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{self.database}"

    def admin_url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def _data(self) -> Path:
        return self.home / "data"

    def running(self) -> bool:
        """True when ``pg_ctl status`` says the cluster runs."""
        if not (self._data / "PG_VERSION").exists():
            return False
        done = self._pg(["pg_ctl", "status", "-D", str(self._data)], check=False)
        return done.returncode == 0

    def pid(self) -> int | None:
        """The postmaster's pid when the cluster runs."""
        try:
            return int((self._data / "postmaster.pid").read_text().split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return None

    def start(self, *, timeout_s: float = 60.0) -> None:
        """Create the cluster the first time, start it, and create the database."""
        if not self.running():
            if port_open(self.port):
                raise InfraError(f"port {self.port} is taken by another process")
            self._init()
            log_file = str(self.home / "postgres.log")
            self._pg(
                [
                    *("pg_ctl", "start", "-w", "-t", str(int(timeout_s))),
                    *("-D", str(self._data), "-l", log_file, "-o", self._options()),
                ]
            )
        self._create_database()

    def stop(self, *, mode: str = "fast") -> None:
        """Stop the cluster (``fast``: roll back open transactions; ``immediate``: crash-like)."""
        if self.running():
            self._pg(["pg_ctl", "stop", "-w", "-m", mode, "-D", str(self._data)], check=False)

    def wipe(self) -> None:
        """Stop the cluster and delete its data."""
        self.stop(mode="immediate")
        shutil.rmtree(self.home, ignore_errors=True)

    def _options(self) -> str:
        sock = self.home / "sock"
        return (
            f"-p {self.port} -k {sock} -c listen_addresses=127.0.0.1 -c max_connections=200"
            " -c shared_buffers=256MB"
            # WAL write and fsync times in pg_stat_wal (the benchmark reports them; a clock
            # read per WAL write, negligible)
            " -c track_wal_io_timing=on"
        )

    def _init(self) -> None:
        if (self._data / "PG_VERSION").exists():
            return
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "sock").mkdir(exist_ok=True)
        self._chown(self.home)
        self._pg(["initdb", "-D", str(self._data), "-U", "postgres", "--auth=trust", "-E", "UTF8"])

    def _create_database(self) -> None:
        psql = ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "postgres"]
        exists = self._pg(
            [*psql, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{self.database}'"]
        )
        if exists.stdout.strip() != "1":
            self._pg([*psql, "-c", f'CREATE DATABASE "{self.database}"'])

    def _pg(self, argv: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
        exe = str(pg_bin_dir() / argv[0]) if argv[0] != "psql" else _psql()
        cmd = [exe, *argv[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", _ensure_os_user(), "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd="/")  # noqa: S603
        if check and done.returncode != 0:
            raise InfraError(f"{argv[0]} failed: {done.stdout}{done.stderr}".strip())
        return done

    @staticmethod
    def _chown(path: Path) -> None:
        if os.geteuid() != 0:
            return
        user = pwd.getpwnam(_ensure_os_user())
        for root, dirs, files in os.walk(path):
            for name in [*dirs, *files]:
                os.chown(os.path.join(root, name), user.pw_uid, user.pw_gid)
        os.chown(path, user.pw_uid, user.pw_gid)
        for parent in path.parents:
            if parent == Path("/"):
                break
            # the cluster's user must traverse the folders above its own (search bit only)
            os.chmod(parent, os.stat(parent).st_mode | 0o011)  # noqa: S103


def _psql() -> str:
    candidate = pg_bin_dir() / "psql"
    if candidate.exists():
        return str(candidate)
    return shutil.which("psql") or "psql"


def _ensure_os_user() -> str:
    try:
        pwd.getpwnam(_OS_USER)
    except KeyError:
        subprocess.run(  # noqa: S603
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", _OS_USER],  # noqa: S607
            check=True,
            capture_output=True,
        )
    return _OS_USER
