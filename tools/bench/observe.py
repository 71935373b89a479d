"""What else happened during a measurement: the figures that let a bad latency run explain itself.

``Watch`` takes a snapshot when a measurement's window opens and another when it closes, and
gives their difference: the event-loop lag of each worker process (its
``leadflow_event_loop_lag_seconds`` histogram) and of the benchmark process itself, the
broker's GC pauses (from its GC log, ``tools/infra/kafka.py``; unknown for a broker started
without one), PostgreSQL's checkpoints and WAL fsyncs (``pg_stat_bgwriter`` or
``pg_stat_checkpointer``, ``pg_stat_wal``), and the load average at both ends.

Every source is optional: a figure that cannot be read (a remote broker, an old server) is
``None``, never a failed measurement.
"""

from __future__ import annotations

import asyncio
import math
import os
import re
import time
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
from prometheus_client.parser import text_string_to_metric_families

from tools.bench.fleet import Proc
from tools.infra.kafka import LocalKafka
from tools.infra.postgres import LocalPostgres
from workers.loop_lag import watch_loop_lag

_LAG_METRIC = "leadflow_event_loop_lag_seconds"
#: A loop lag above this counts as a stall in the report (a tenth of the latency target).
STALL_S = 0.05
#: A GC line of the broker's log: ``[<epoch ms>ms] GC(n) Pause Young (...) ... 4.567ms``.
_GC_PAUSE = re.compile(r"^\[(\d+)ms\] GC\(\d+\) (Pause \w+).*\s(\d+(?:\.\d+)?)ms$")

Figures = dict[str, Any]


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q`` percentile (0 < q ≤ 100) of ``values`` (0 when empty)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


# --- worker loop lag ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LagHistogram:
    """A scrape of ``leadflow_event_loop_lag_seconds``: cumulative bucket counts, sum, count."""

    buckets: tuple[tuple[float, float], ...]
    total_s: float
    count: float

    @classmethod
    def parse(cls, text: str) -> LagHistogram | None:
        """The histogram in a ``/metrics`` page; None when the page has none."""
        for family in text_string_to_metric_families(text):
            if family.name != _LAG_METRIC:
                continue
            values = {s.name.removeprefix(_LAG_METRIC): s for s in family.samples}
            buckets = tuple(
                (float(s.labels["le"]), s.value)
                for s in family.samples
                if s.name.endswith("_bucket")
            )
            return cls(buckets, values["_sum"].value, values["_count"].value)
        return None

    def since(self, before: LagHistogram | None) -> Figures:
        """The samples taken between ``before`` and this scrape, summarised (ms)."""
        earlier = dict(before.buckets) if before else {}
        counts = [(le, n - earlier.get(le, 0.0)) for le, n in self.buckets]
        samples = self.count - (before.count if before else 0.0)
        under_stall = next((n for le, n in counts if le >= STALL_S), samples)
        highest = next((le for le, n in counts if n >= samples), math.inf)
        return {
            "samples": int(samples),
            #: The upper bound of the bucket of the largest lag (None: above the last bucket).
            "max_le_ms": (highest * 1000 if math.isfinite(highest) else None) if samples else 0.0,
            "stalls_over_50ms": int(samples - under_stall),
            "total_ms": round((self.total_s - (before.total_s if before else 0.0)) * 1000, 1),
        }


def scrape_lag(port: int) -> LagHistogram | None:
    """The loop-lag histogram of the process serving metrics on ``port`` (None if unreadable)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as answer:
            return LagHistogram.parse(answer.read().decode())
    except OSError:
        return None


def counters(text: str, names: Sequence[str]) -> dict[str, float]:
    """The values of the samples ``names`` (e.g. ``leadflow_sends_total``) in a ``/metrics``
    page, summed over their labels; 0 for one the page lacks."""
    found = dict.fromkeys(names, 0.0)
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name in found:
                found[sample.name] += sample.value
    return found


def scrape_counters(port: int, names: Sequence[str]) -> dict[str, float] | None:
    """``counters`` of the process serving metrics on ``port`` (None if unreadable)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as answer:
            return counters(answer.read().decode(), names)
    except OSError:
        return None


# --- CPU: used, and waited for -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sched:
    """A process's scheduler counters (``/proc/PID/schedstat``), in ms and wake-ups."""

    #: Time on a CPU.
    cpu_ms: float
    #: Time runnable but waiting for a CPU.
    wait_ms: float
    #: Times it was given a CPU (about one per wake-up).
    slices: int


def schedstat(
    pid: int | None, *, threads: bool = False, named: tuple[str, ...] = ()
) -> Sched | None:
    """The counters of ``pid``'s main thread, or the sum over its threads with ``threads``
    (only those whose name starts with one of ``named``, when given); None when the process
    is gone or the kernel keeps no schedstat.

    A worker's loop lag is either its own work (CPU time) or a machine too busy to run it
    (run-queue wait): the two tell "ours" from "the machine's".
    """
    if pid is None:
        return None
    paths = (
        [Path(f"/proc/{pid}/schedstat")]
        if not threads
        else [
            task / "schedstat"
            for task in Path(f"/proc/{pid}/task").glob("*")
            if not named or _thread_name(task).startswith(named)
        ]
    )
    on_cpu = waited = 0.0
    slices = 0
    try:
        for path in paths:
            fields = path.read_text().split()
            on_cpu += int(fields[0]) / 1e6
            waited += int(fields[1]) / 1e6
            slices += int(fields[2])
    except (OSError, ValueError, IndexError):
        return None
    return Sched(on_cpu, waited, slices) if paths else None


def _thread_name(task: Path) -> str:
    try:
        return (task / "comm").read_text().strip()
    except OSError:
        return ""


#: The JVM's just-in-time compiler threads: a freshly started broker spends up to a core on
#: them for minutes (measured: 1 s of compilation per second of a latency run on a new broker),
#: and that core is taken from the workers the run measures.
JIT_THREADS = ("C1 CompilerThre", "C2 CompilerThre")


def cluster_schedstat(postmaster: int | None) -> Sched | None:
    """The counters summed over ``postmaster`` and its children (a PostgreSQL cluster's
    backends, checkpointer, WAL writer); None when the postmaster is unknown or gone.

    A backend that ended inside a window takes its time with it: the sequencer's pooled
    connections live through the whole run, so what they cost is counted.
    """
    if postmaster is None:
        return None
    pids = [postmaster]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # the fields after the command (which may hold spaces): state, ppid, ...
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if fields[1:2] == [str(postmaster)]:
            pids.append(int(stat.parent.name))
    readings = [r for r in map(schedstat, pids) if r is not None]
    if not readings:
        return None
    return Sched(
        sum(r.cpu_ms for r in readings),
        sum(r.wait_ms for r in readings),
        sum(r.slices for r in readings),
    )


def cpu_delta(before: Sched | None, after: Sched | None) -> dict[str, float] | None:
    """CPU time used, run-queue wait (ms) and the mean wait per wake-up between two readings.

    The mean wait is what every hop of the pipeline (a fetch answered, an ack received) paid
    before the process could act on it: well under 0.1 ms when a core is free.
    """
    if before is None or after is None:
        return None
    waited = after.wait_ms - before.wait_ms
    slices = after.slices - before.slices
    return {
        "cpu_ms": round(after.cpu_ms - before.cpu_ms, 1),
        "runqueue_wait_ms": round(waited, 1),
        "wait_per_wakeup_ms": round(waited / slices, 3) if slices > 0 else 0.0,
    }


# --- broker GC ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GcPause:
    """One stop-the-world pause of the broker's JVM: when it ended (epoch s), how long (ms)."""

    ended_s: float
    kind: str
    ms: float


def gc_pauses(lines: Iterable[str]) -> list[GcPause]:
    """The pauses in GC log lines (``-Xlog:gc:...:timemillis``); other lines are skipped."""
    found = []
    for line in lines:
        match = _GC_PAUSE.match(line.strip())
        if match:
            found.append(GcPause(int(match[1]) / 1000, match[2], float(match[3])))
    return found


def gc_in_window(pauses: Iterable[GcPause], start_s: float, end_s: float) -> Figures:
    """Count, total and longest of the pauses that ended inside ``[start_s, end_s]``."""
    inside = [p for p in pauses if start_s <= p.ended_s <= end_s]
    return {
        "source": "gc log",
        "pauses": len(inside),
        "total_ms": round(sum(p.ms for p in inside), 1),
        "max_ms": round(max((p.ms for p in inside), default=0.0), 1),
        #: The longest pauses with their time from the window's start (s).
        "longest": [
            {"at_s": round(p.ended_s - start_s, 2), "kind": p.kind, "ms": p.ms}
            for p in sorted(inside, key=lambda p: -p.ms)[:3]
        ],
    }


def _local_postgres(url: str) -> LocalPostgres | None:
    host, _, port = url.rpartition("@")[2].partition("/")[0].rpartition(":")
    if host not in {"127.0.0.1", "localhost"} or not port.isdigit():
        return None
    return LocalPostgres(port=int(port))


def local_broker(bootstrap: str) -> LocalKafka | None:
    host, _, port = bootstrap.split(",", maxsplit=1)[0].rpartition(":")
    if host not in {"127.0.0.1", "localhost"} or not port.isdigit():
        return None
    return LocalKafka(port=int(port))


# --- PostgreSQL --------------------------------------------------------------------------

#: Server-wide counters, PostgreSQL 17+ (``pg_stat_checkpointer``) and older.
_PG_CHECKPOINTER = (
    "SELECT num_timed + num_requested AS checkpoints, write_time AS checkpoint_write_ms,"
    " sync_time AS checkpoint_sync_ms, buffers_written AS checkpoint_buffers"
    " FROM pg_stat_checkpointer"
)
_PG_BGWRITER = (
    "SELECT checkpoints_timed + checkpoints_req AS checkpoints,"
    " checkpoint_write_time AS checkpoint_write_ms, checkpoint_sync_time AS checkpoint_sync_ms,"
    " buffers_checkpoint AS checkpoint_buffers, buffers_backend_fsync AS backend_fsyncs"
    " FROM pg_stat_bgwriter"
)
_PG_WAL = (
    "SELECT wal_bytes, wal_sync AS wal_syncs, wal_sync_time AS wal_sync_ms,"
    " wal_write_time AS wal_write_ms, current_setting('track_wal_io_timing') = 'on' AS timed"
    " FROM pg_stat_wal"
)


async def pg_counters(url: str) -> dict[str, float] | None:
    """The server's checkpoint and WAL counters now; None when they cannot be read."""
    try:
        conn = await asyncpg.connect(url)
    except (OSError, asyncpg.PostgresError):
        return None
    try:
        version = int(await conn.fetchval("SHOW server_version_num"))
        checkpoints = await conn.fetchrow(_PG_CHECKPOINTER if version >= 170000 else _PG_BGWRITER)  # noqa: PLR2004
        wal = await conn.fetchrow(_PG_WAL)
    except asyncpg.PostgresError:
        return None
    finally:
        await conn.close()
    counters = {k: float(v) for k, v in {**dict(checkpoints or {}), **dict(wal or {})}.items()}
    if not counters.pop("timed", 0.0):
        counters.pop("wal_sync_ms", None)
        counters.pop("wal_write_ms", None)
    return counters


def pg_delta(before: dict[str, float] | None, after: dict[str, float] | None) -> Figures | None:
    """What the server did between two ``pg_counters`` (None when either is unknown)."""
    if before is None or after is None:
        return None
    delta = {k: round(after[k] - before[k], 1) for k in after if k in before}
    syncs = delta.get("wal_syncs", 0.0)
    if syncs and "wal_sync_ms" in delta:
        delta["wal_sync_mean_ms"] = round(delta["wal_sync_ms"] / syncs, 3)
    return delta


# --- the watch ---------------------------------------------------------------------------


@dataclass
class Watch:
    """Snapshots at a window's start and end; ``figures()`` is what happened in between."""

    postgres_url: str
    bootstrap: str
    procs: Sequence[Proc]
    _start_s: float = 0.0
    _end_s: float = 0.0
    _load: list[float] = field(default_factory=list)
    _lag: dict[str, LagHistogram | None] = field(default_factory=dict)
    _lag_end: dict[str, LagHistogram | None] = field(default_factory=dict)
    _pg: list[dict[str, float] | None] = field(default_factory=list)
    _cpu: list[dict[str, Sched | None]] = field(default_factory=list)
    _own_lag: list[float] = field(default_factory=list)
    _own_stop: asyncio.Event = field(default_factory=asyncio.Event)
    _own_task: asyncio.Task[None] | None = None

    async def open(self) -> None:
        """The window starts now."""
        self._pg.append(await pg_counters(self.postgres_url))
        self._lag = await self._scrape()
        self._cpu.append(self._schedstats())
        self._load.append(os.getloadavg()[0])
        self._own_task = asyncio.create_task(watch_loop_lag(self._own_lag.append, self._own_stop))
        self._start_s = time.time()

    async def close(self) -> None:
        """The window ends now."""
        self._end_s = time.time()
        self._own_stop.set()
        if self._own_task is not None:
            await self._own_task
        self._load.append(os.getloadavg()[0])
        self._cpu.append(self._schedstats())
        self._lag_end = await self._scrape()
        self._pg.append(await pg_counters(self.postgres_url))

    @property
    def start_s(self) -> float:
        """The window's start (epoch s)."""
        return self._start_s

    def figures(self) -> Figures:
        """Everything measured in the window."""
        own = [lag * 1000 for lag in self._own_lag]
        return {
            "window_s": round(self._end_s - self._start_s, 2),
            "load_average_1m": [round(x, 2) for x in self._load],
            "loop_lag_ms": {
                name: end.since(self._lag.get(name)) if end else None
                for name, end in self._lag_end.items()
            },
            "bench_loop_lag_ms": {
                "p99": round(percentile(own, 99), 1),
                "max": round(max(own, default=0.0), 1),
            },
            "cpu_ms": {
                name: cpu_delta(self._cpu[0].get(name), self._cpu[-1].get(name))
                for name in self._cpu[-1]
            }
            if len(self._cpu) > 1
            else {},
            "broker_gc": self._gc(),
            "postgres": pg_delta(self._pg[0], self._pg[-1]) if len(self._pg) > 1 else None,
        }

    async def _scrape(self) -> dict[str, LagHistogram | None]:
        scrapes = (asyncio.to_thread(scrape_lag, p.metrics_port) for p in self.procs)
        lags = await asyncio.gather(*scrapes)
        return {p.name: lag for p, lag in zip(self.procs, lags, strict=True)}

    def _schedstats(self) -> dict[str, Sched | None]:
        broker = local_broker(self.bootstrap)
        stats = {p.name: schedstat(p.popen.pid) for p in self.procs}
        stats["broker"] = schedstat(broker.pid() if broker else None, threads=True)
        stats["broker_jit"] = schedstat(
            broker.pid() if broker else None, threads=True, named=JIT_THREADS
        )
        postgres = _local_postgres(self.postgres_url)
        stats["postgres"] = cluster_schedstat(postgres.pid() if postgres else None)
        stats["bench"] = schedstat(os.getpid())
        return stats

    def _gc(self) -> Figures | None:
        broker = local_broker(self.bootstrap)
        if broker is None or not broker.gc_log.exists():
            return None
        try:
            lines = broker.gc_log.read_text(errors="replace").splitlines()
        except OSError:
            return None
        return gc_in_window(gc_pauses(lines), self._start_s, self._end_s)
