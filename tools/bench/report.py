"""Medians, spreads and floors of the runs; ``benchmarks.json`` and ``benchmarks.md``."""

from __future__ import annotations

import json
import os
import statistics
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tools.bench.measures import Result
from tools.bench.runner import INGEST_KINDS
from tools.bench.sizes import Sizes

Runs = dict[str, list[Result]]


@dataclass(frozen=True, slots=True)
class Metric:
    """One reported figure: where it goes in the JSON and how to read it from a run."""

    path: tuple[str, ...]
    step: str
    field: str
    unit: str
    label: str


#: The latency's stages (``measures._stages``), as the report names them.
_STAGES = (
    ("ingest", "publication→command"),
    ("sequencer", "command→status"),
    ("readback", "status→read_committed reader"),
)


def _stage_metric(stage: str, what: str, q: str) -> Metric:
    field = f"{stage}_{q}"
    label = f"latency stage {what} {q}"
    return Metric(("latency_ms", "stages", field), "latency", field, "ms", label)


METRICS: tuple[Metric, ...] = (
    Metric(("raw_passthrough_per_s",), "passthrough", "per_s", "msg/s", "raw passthrough"),
    *(Metric(("ingest_per_s", k), k, "per_s", "events/s", f"ingest {k}") for k in INGEST_KINDS),
    Metric(
        ("ingest_per_s", "clicks_filtered"),
        "clicks_filtered",
        "per_s",
        "events/s",
        "ingest clicks, half scanner bursts",
    ),
    Metric(
        ("ingest_per_s", "replies_raw"),
        "replies_raw",
        "per_s",
        "events/s",
        "ingest replies, realistic raw messages (classified)",
    ),
    Metric(("classify_per_s",), "classify", "per_s", "msg/s", "classifier, one core (CPU time)"),
    Metric(("gateway_per_s",), "gateway", "gateway_per_s", "req/s", "gateway webhooks"),
    Metric(("gateway_latency_ms", "p50"), "gateway", "gateway_latency_ms_p50", "ms", "gateway p50"),
    Metric(("gateway_latency_ms", "p99"), "gateway", "gateway_latency_ms_p99", "ms", "gateway p99"),
    Metric(("click_hold_ms", "p50"), "click_hold", "p50_ms", "ms", "lone click hold p50"),
    Metric(("click_hold_ms", "p99"), "click_hold", "p99_ms", "ms", "lone click hold p99"),
    Metric(("sequencer_commands_per_s",), "commands", "per_s", "commands/s", "sequencer commands"),
    Metric(("sequencer_sends_per_s",), "sends", "per_s", "sends/s", "sequencer sends (all due)"),
    Metric(("latency_ms", "p50"), "latency", "p50", "ms", "event→status latency p50"),
    Metric(("latency_ms", "p99"), "latency", "p99", "ms", "event→status latency p99"),
    Metric(("latency_ms", "max"), "latency", "max", "ms", "event→status latency max"),
    *(_stage_metric(stage, what, q) for stage, what in _STAGES for q in ("p50", "p99", "max")),
    Metric(("timer_lateness_ms", "p50"), "lateness", "p50", "ms", "timer lateness p50"),
    Metric(("timer_lateness_ms", "p99"), "lateness", "p99", "ms", "timer lateness p99"),
    *(Metric(("rss_mb", k), k, "rss_mb", "MiB", f"RSS {k}") for k in INGEST_KINDS),
    Metric(("rss_mb", "sequencer"), "sends", "rss_mb", "MiB", "RSS sequencer"),
    Metric(("rss_mb", "passthrough"), "passthrough", "rss_mb", "MiB", "RSS raw passthrough"),
    Metric(
        ("scale_out", "sequencer_replicas_1_per_s"), "replicas_1", "per_s", "sends/s", "1 replica"
    ),
    Metric(
        ("scale_out", "sequencer_replicas_2_per_s"), "replicas_2", "per_s", "sends/s", "2 replicas"
    ),
    *(
        Metric(
            ("suppression_apply_ms", q),
            "suppression_apply",
            f"{q}_ms",
            "ms",
            f"suppression of a person in 1,000 campaigns {q}",
        )
        for q in ("p50", "p99")
    ),
    Metric(
        ("enroll_per_s_with_1m_suppressed",),
        "enroll_suppressed",
        "per_s",
        "enrolls/s",
        "enrolment with 1M suppressed (sequencer apply)",
    ),
    Metric(
        ("enroll_per_s_without_suppressed",),
        "enroll_suppressed",
        "baseline_per_s",
        "enrolls/s",
        "enrolment, empty list (same run)",
    ),
)


@dataclass(frozen=True, slots=True)
class Floor:
    """A floor: a ratio to the raw passthrough (``min_ratio``) or an absolute ceiling."""

    name: str
    step: str
    field: str
    min_ratio: float | None = None
    max_value: float | None = None
    #: An absolute lower bound (a rate, in the metric's own unit).
    min_value: float | None = None

    def rule(self) -> str:
        if self.min_ratio is not None:
            return f"≥ {self.min_ratio}x raw passthrough"
        if self.min_value is not None:
            return f"≥ {self.min_value:g}/s"
        return f"≤ {self.max_value:g} ms"


FLOORS: tuple[Floor, ...] = (
    *(Floor(f"ingest {k}", k, "per_s", min_ratio=0.5) for k in INGEST_KINDS),
    Floor("ingest clicks, half scanner bursts", "clicks_filtered", "per_s", min_ratio=0.4),
    Floor("lone click hold p99", "click_hold", "p99_ms", max_value=5500.0),
    Floor("gateway p99 at 200 req/s", "gateway", "gateway_latency_ms_p99", max_value=50.0),
    Floor("gateway webhooks", "gateway", "gateway_per_s", min_value=2000.0),
    Floor("classifier, one core", "classify", "per_s", min_value=500.0),
    Floor("ingest replies, raw messages", "replies_raw", "per_s", min_value=400.0),
    Floor("sequencer commands", "commands", "per_s", min_ratio=0.2),
    Floor("sequencer sends", "sends", "per_s", min_ratio=0.2),
    Floor("event→status latency p99 at 1,000/s", "latency", "p99", max_value=100.0),
    Floor("timer lateness p99", "lateness", "p99", max_value=500.0),
)


def _values(runs: Runs, step: str, field: str) -> list[float]:
    return [float(r[field]) for r in runs[step]]


def _measured(runs: Runs, *steps: str) -> bool:
    """True when every step in ``steps`` has results (``--only`` runs a few steps)."""
    return all(runs.get(step) for step in steps)


def spread(values: list[float]) -> dict[str, Any]:
    """Median, min, max and every run's value."""
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": [round(v, 2) for v in values],
    }


def judge(floor: Floor, runs: Runs) -> dict[str, Any]:
    """A floor's verdict on the runs' median (of per-run ratios, for ratio floors)."""
    values = _values(runs, floor.step, floor.field)
    entry: dict[str, Any] = {"name": floor.name, "rule": floor.rule()}
    if floor.min_ratio is not None:
        raw = _values(runs, "passthrough", "per_s")
        ratios = [v / r if r else 0.0 for v, r in zip(values, raw, strict=True)]
        ratio = statistics.median(ratios)
        entry |= {"ratio": round(ratio, 3), "ratios": [round(x, 3) for x in ratios]}
        entry |= {"limit": floor.min_ratio, "holds": ratio >= floor.min_ratio}
    elif floor.min_value is not None:
        value = statistics.median(values)
        entry |= {"value": round(value, 1), "limit": floor.min_value}
        entry["holds"] = value >= floor.min_value
    else:
        value = statistics.median(values)
        assert floor.max_value is not None
        entry |= {"value": round(value, 1), "limit": floor.max_value}
        entry["holds"] = value <= floor.max_value
    return entry


def _put(doc: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        doc = doc.setdefault(key, {})
    doc[path[-1]] = value


def build(
    machine: dict[str, Any], sizes: Sizes, runs: int, results: Runs, took_s: float
) -> dict[str, Any]:
    """The JSON document."""
    doc: dict[str, Any] = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "mode": sizes.mode,
        "runs": runs,
        "sizes": asdict(sizes),
        "duration_s": round(took_s, 1),
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
    }
    doc["latency_ms"] = {"rate_per_s": sizes.rate}
    doc["spread"] = {}
    for metric in METRICS:
        if not _measured(results, metric.step):
            continue
        figures = spread(_values(results, metric.step, metric.field))
        _put(doc, metric.path, round(figures["median"], 1))
        doc["spread"][".".join(metric.path)] = figures
    doc["floors"] = [
        judge(f, results)
        for f in FLOORS
        if _measured(results, f.step, *(["passthrough"] if f.min_ratio is not None else []))
    ]
    doc["warm_up"] = {
        name.removeprefix("warm-up:"): measured[0]
        for name, measured in results.items()
        if name.startswith("warm-up:")
    }
    doc["latency_runs"] = latency_runs(results)
    doc["checks"] = _checks(results)
    doc["method"] = METHOD
    return doc


def latency_runs(results: Runs) -> list[dict[str, Any]]:
    """Every latency run (the warm-up first) with its stages and what coincided with it."""
    runs = [("warm-up", r) for r in results.get("warm-up:latency", [])]
    runs += [(str(i), r) for i, r in enumerate(results.get("latency", []), start=1)]
    keys = ("p50", "p99", "max", *(f"{s}_{q}" for s, _ in _STAGES for q in ("p99", "max")))
    return [
        {"run": name, **{k: round(float(r[k]), 1) for k in keys if k in r}, **r.get("explain", {})}
        for name, r in runs
    ]


def _checks(results: Runs) -> dict[str, Any]:
    commands = results.get("commands", [])
    sends = ("sends", "replicas_1", "replicas_2")
    return {
        "duplicate_send_ids": sum(int(r["duplicates"]) for k in sends for r in results.get(k, [])),
        "commands_applied": sum(int(r["applied"]) for r in commands),
        "commands_published": sum(int(r["commands"]) for r in commands),
        "latency_leads_measured": sum(int(r["leads"]) for r in results.get("latency", [])),
    }


METHOD = [
    "Every measurement starts from a fresh topic prefix (6 partitions, `leadflow setup`'s"
    " topics) and a fresh database (migrated), on a broker and PostgreSQL of its own.",
    "Workers run as subprocesses (`leadflow run NAME`); the output is read back with"
    " read_committed by the benchmark process, as a downstream consumer would.",
    "Throughputs are steady-state: output records per second between the 10th percentile"
    " and the last output record, by the records' CreateTime (the writer's clock).",
    "Raw passthrough: a plain aiokafka consume→produce loop (`tools/bench/passthrough.py`)"
    " copies pre-filled reply events (the same bytes the replies worker reads) with the"
    " workers' client settings and batch shape: the limit of the stack on this machine.",
    "Ingest: N events pre-filled, one worker started; rate of the commands it publishes.",
    "Clicks, half scanner bursts (`tools/bench/clicks.py`): N clicks with realistic agents"
    " and addresses, half people's lone clicks, half two-link bursts from Microsoft's"
    " mail-protection network or an HTTP library; the rate of the scanners' commands (settled"
    " as read) scaled by their share, since people's commands leave 5 s after their clicks."
    " Lone click hold: people's clicks published at a fifth of the latency rate; publication →"
    " command, the 5 s burst hold included.",
    "Sequencer commands: enroll, pause and resume for N/3 leads pre-filled on `commands`;"
    " rate of the CommandResults (one per command) on `command-results`.",
    "Sequencer sends: N leads in progress and already due, COPYed into the database once the"
    " sequencer replicas are ready and the relay shards are split between them (every row of"
    " `relay_shards` has an owner, there are as many distinct owners as replicas, and none"
    " leads more than its share, shards/replicas rounded up); rate of SendRequests on `sends`;"
    " every send_id is checked to appear once; `by_replica`: each replica's sends written and"
    " outbox rows relayed (its /metrics counters).",
    "Latency: leads in progress, campaign reply→pause; replies worker + sequencer; reply"
    " events published at a fixed rate; per lead, publication (wall clock before send) →"
    " arrival of its paused LeadStatus at a read_committed consumer. The events are built"
    " before the window, so inside it the benchmark only stamps, publishes and reads the"
    " statuses; the commands are read after it (only their CreateTime is used). The"
    " benchmark's own cyclic garbage collection is off in the window (its full collections"
    " took 77-129 ms there, stopping the publishing and the reading). Its stages, split by the"
    " records' CreateTime (stamped when a producer batches a record, before it is sent):"
    " publication → command (the event's append, the replies worker's fetch, and its wait for"
    " the batch before it to be decided and acknowledged; that batch's offset commit runs"
    " meanwhile); command → status (the command's"
    " delivery, the sequencer's fetch and database transaction, the relay's outbox read);"
    " status → reader (the relay's Kafka transaction, produce and commit, and the reader's"
    " fetch). Stage percentiles are taken each on its own, so they do not add up to the"
    " total's.",
    "Reading a latency run (the 'Latency runs' table; every figure is under `latency_runs` in"
    " benchmarks.json, with the five slowest leads and the slowest lead of each second): the"
    " window runs from the first paced event to the last status. A stage whose max is far"
    " above its p99 had a stall; the columns beside it say what coincided. Worker loop lag:"
    " each worker process samples how late a 100 ms sleep wakes"
    " (`leadflow_event_loop_lag_seconds`, on its /metrics); a stall over 50 ms held every"
    " task of that process (fetches, acknowledgements, commits) and shows in its stage."
    " Broker GC pauses: the pauses of the broker's JVM that ended in the window (its GC log"
    " under `.cache/run/kafka-PORT/gc.log`, written by brokers `tools/infra` starts; `?` for"
    " a remote broker or one started without it): a pause stops every produce, fetch and"
    " commit. PostgreSQL: checkpoints in the window with their write and fsync time"
    " (`pg_stat_bgwriter`), and the WAL fsyncs every commit waits for (`pg_stat_wal`; the"
    " mean needs `track_wal_io_timing`, on for the bench's own server): a checkpoint's fsync"
    " slows the sequencer's commits. Generator late: how late each event's publication was"
    " against its schedule (start + i/rate); a late generator publishes a burst, which"
    " queues. CPU used / run-queue wait (ms, from /proc/PID/schedstat; the broker's summed"
    " over its threads, and `broker_jit` the part its JVM's just-in-time compiler threads"
    " took: a new broker compiles for minutes, up to a core, a cost no warm production"
    " broker pays; PostgreSQL's over its cluster's processes), and in brackets the mean"
    " wait per wake-up: every hop of the pipeline"
    " (a fetch answered, an acknowledgement, a commit) pays it before the process acts; well"
    " under 0.1 ms when a core is free. A process whose wait is large next to its CPU time"
    " was starved by the machine, and its loop lag is the machine's; one whose CPU time fills"
    " the window is itself too slow for the rate. Bench loop lag: the same monitor in the"
    " benchmark process, whose reader stamps each status's arrival (a stall there inflates"
    " readback). Load 1m: the machine's load average at the window's start and end; above the"
    " CPU count, every process waits for a core, and a run's tail is the machine's, not the"
    " fleet's.",
    "One step alone, to study a tail: `python -m tools.bench --only latency --mode quick"
    " --runs 3 --out /tmp/bench` (its warm-up included; `--kafka-port`/`--postgres-port` for"
    " servers of its own). `--latency-reply-kind human` makes the latency run's replies"
    " classified upstream (v2 `kind`), so the replies worker skips its classifier and the"
    " rest of the pipeline is measured; `--rate N` changes the offered rate. Both show in"
    " Sizes (`latency_reply_kind`, `rate`); `make bench` uses neither.",
    "Timer lateness: leads due one per millisecond (1,000/s) from 2 s after the sequencer is"
    " ready; requested_at - due_at of each SendRequest (the database clock).",
    "RSS: VmRSS of each worker process at the end of its run (the sequencer's after sending"
    " all due leads).",
    "Scale-out: the sends measurement with one and with two sequencer replicas: the steady"
    " state of a deployment of that many, each replica relaying its share of the shards from"
    " the first due lead (100,000 leads at full size: about 10 s at the two-replica rate).",
    "The machine is not reserved for the benchmark: other work running at the same time"
    " (another engineer's tests, say) lands in the figures; the spread of the runs and the load"
    " averages at start and end show how much.",
    "Warm-up: before the measured runs, discarded (their figures are under `warm_up` in"
    " benchmarks.json): at full sizes, every step once at the quick sizes, then one"
    " passthrough and one latency run at the measured sizes. A freshly started broker is slow"
    " until its JVM has compiled the paths a step uses (produce, fetch, transactional,"
    " read_committed), which a long-running production broker has long done; the latency"
    " runs show what compiling still cost in their window (`broker_jit`). Each latency"
    " window (warm-up included) opens once the broker's compiler threads have used under 5%"
    " of a core for a second (`jit_settle_s`: how long that took; `jit_quiet`: false when"
    " 60 s were not enough): the steps before it change the broker's hot paths, and its"
    " compiling caught up inside the first measured window (2.0 s of a 20 s window, against"
    " 0.3-0.4 s in the later runs).",
    "Ratio floors are judged on the median of per-run ratios (each run's figure divided by"
    " the passthrough of the same run); absolute floors on the median of the runs.",
]


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"  # noqa: PLR2004


def markdown(doc: dict[str, Any]) -> str:
    """The human-readable report."""
    m = doc["machine"]
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`python -m tools.bench --out docs`) on"
        f" {doc['generated_at']}; mode `{doc['mode']}`, {doc['runs']} runs of every"
        f" measurement, {doc['duration_s']:.0f} s in all.",
        "",
        f"Machine: {m['cpus']} CPUs, Python {m['python']}, Kafka {m['kafka']},"
        f" PostgreSQL {m['postgres']} ({m['platform']}). The broker, PostgreSQL, the workers"
        " and the benchmark share these CPUs.",
        "",
        *_figures(doc),
        "",
        *_floors(doc),
        "",
        *_warm_up(doc),
        *latency_table(doc.get("latency_runs", [])),
        *scale_table(doc.get("scale")),
        "## Sizes",
        "",
        "```json",
        json.dumps(doc["sizes"], indent=2),
        "```",
        "",
        "## Method",
        "",
        *[f"- {line}" for line in doc["method"]],
        "",
        f"Checks: {json.dumps(doc['checks'])}",
        "",
    ]
    return "\n".join(lines)


def _figures(doc: dict[str, Any]) -> list[str]:
    rows = ["| figure | median | spread (min-max) | unit |", "|---|---:|---:|---|"]
    for metric in METRICS:
        s = doc["spread"].get(".".join(metric.path))
        if s is None:
            continue
        spread_text = f"{_fmt(s['min'])}-{_fmt(s['max'])}"
        rows.append(f"| {metric.label} | {_fmt(s['median'])} | {spread_text} | {metric.unit} |")
    return ["## Figures", "", *rows]


#: The figures of a warm-up run worth showing.
_WARM_KEYS = ("per_s", "p50", "p99")


def _warm_up(doc: dict[str, Any]) -> list[str]:
    """One line per discarded warm-up step (none: nothing)."""
    lines = [
        f"- {name}: " + ", ".join(f"{k} {_fmt(v)}" for k, v in result.items() if k in _WARM_KEYS)
        for name, result in doc.get("warm_up", {}).items()
    ]
    return ["Warm-up runs, discarded (see Method):", "", *lines, ""] if lines else []


def _floor_figure(floor: dict[str, Any]) -> str:
    """A floor's measured figure in its rule's unit: a ratio, a rate or milliseconds."""
    if "ratio" in floor:
        return f"{floor['ratio']:.2f}x"
    unit = "/s" if str(floor["rule"]).endswith("/s") else " ms"
    return f"{floor['value']:,.1f}{unit}"


def _floors(doc: dict[str, Any]) -> list[str]:
    rows = ["| floor | rule | measured | holds |", "|---|---|---:|:---:|"]
    for f in doc["floors"]:
        measured = _floor_figure(f)
        rows.append(f"| {f['name']} | {f['rule']} | {measured} | {_verdict(f['holds'])} |")
    return ["## Floors", "", *rows]


def _verdict(holds: bool) -> str:
    return "yes" if holds else "**NO**"


def latency_table(runs: list[dict[str, Any]]) -> list[str]:
    """One row per latency run: its tail, each stage's, and what coincided with it."""
    if not runs:
        return []
    rows = [
        "## Latency runs",
        "",
        "What each latency run's window held (ms unless said; see Method, 'Reading a latency"
        " run'): worker loop lag is the bucket bound of its largest lag, with the count of"
        " stalls over 50 ms; CPU used / run-queue wait is each process's time on a CPU and"
        " time runnable but waiting for one, in the window. What an event costs in CPU per"
        " process (per 1,000 events: the window's CPU over its events), and why a run at"
        " 1,000/s saturates this machine: docs/architecture.md, 'What an event costs in CPU'.",
        "",
        "| run | p99 / max | ingest p99 / max | sequencer p99 / max | readback p99 / max"
        " | worker loop lag max (stalls) | broker GC pauses | PostgreSQL | generator late p99 / max"
        " | CPU used / run-queue wait (per wake-up) | bench loop lag max | load 1m |",
        "|---|---:|---:|---:|---:|---|---|---|---:|---|---:|---|",
    ]
    rows += [_latency_row(run) for run in runs]
    return [*rows, ""]


def _pair(run: dict[str, Any], a: str, b: str) -> str:
    if a not in run or b not in run:
        return "-"
    return f"{_fmt(run[a])} / {_fmt(run[b])}"


def _latency_row(run: dict[str, Any]) -> str:
    late = run.get("offer_late_ms") or {}
    own = run.get("bench_loop_lag_ms") or {}
    load = " → ".join(f"{x:.1f}" for x in run.get("load_average_1m", []))
    cells = [
        run["run"],
        _pair(run, "p99", "max"),
        *(_pair(run, f"{stage}_p99", f"{stage}_max") for stage, _ in _STAGES),
        _loop_lags(run.get("loop_lag_ms") or {}),
        _gc_text(run.get("broker_gc")),
        _pg_text(run.get("postgres")),
        _pair(late, "p99", "max"),
        _cpu_text(run.get("cpu_ms") or {}),
        _fmt(own["max"]) if "max" in own else "-",
        load or "-",
    ]
    return "| " + " | ".join(cells) + " |"


def _loop_lags(lags: dict[str, Any]) -> str:
    parts = []
    for name, lag in lags.items():
        if not lag:
            parts.append(f"{name} ?")
            continue
        bound = lag["max_le_ms"]
        text = f"> {_fmt(10_000)}" if bound is None else f"≤ {_fmt(bound)}"
        parts.append(f"{name} {text} ({lag['stalls_over_50ms']})")
    return ", ".join(parts) or "-"


def _cpu_text(cpu: dict[str, Any]) -> str:
    parts = [
        f"{name} {_fmt(c['cpu_ms'])} / {_fmt(c['runqueue_wait_ms'])}"
        + (f" ({c['wait_per_wakeup_ms']:.2f})" if "wait_per_wakeup_ms" in c else "")
        for name, c in cpu.items()
        if c
    ]
    return ", ".join(parts) or "-"


def _gc_text(gc: dict[str, Any] | None) -> str:
    if not gc:
        return "?"
    return f"{gc['pauses']}, {_fmt(gc['total_ms'])} total, longest {_fmt(gc['max_ms'])}"


def _pg_text(pg: dict[str, Any] | None) -> str:
    if not pg:
        return "?"
    write_sync = (pg.get("checkpoint_write_ms", 0) + pg.get("checkpoint_sync_ms", 0)) / 1000
    text = f"{pg.get('checkpoints', 0):.0f} checkpoints ({write_sync:.1f} s)"
    if "wal_sync_mean_ms" in pg:
        text += f", {pg['wal_syncs']:.0f} WAL fsyncs, mean {pg['wal_sync_mean_ms']:.2f}"
    return text


#: The ``scale`` section's figures (``make bench-scale``), as the report names them.
SCALE_FIGURES = (
    ("leads", "leads in the campaign", ""),
    ("enroll_per_s", "enrolment (enroll commands applied)", "/s"),
    ("launch_fanout_s", "launch fan-out (every lead scheduled)", "s"),
    ("first_step_sends_per_s", "first-step sends after the launch", "/s"),
    ("pause_fanout_s", "campaign pause: until it holds (sends held)", "s"),
    ("pause_committed_s", "campaign pause: until its fan-out committed", "s"),
    ("sends_after_pause", "sends requested after the pause held", ""),
    ("lateness_p99_ms", "timer lateness p99 (leads scheduled, 1,000 due/s)", "ms"),
    ("db_bytes_per_lead", "database bytes per lead (leads table + indexes)", "B"),
    ("sequencer_rss_mb", "sequencer peak RSS (launch, sends, pause)", "MiB"),
    ("cold_start_s", "sequencer cold start → first send", "s"),
    ("failover_s.p50", "relay failover after kill -9, p50", "s"),
    ("failover_s.p99", "relay failover after kill -9, p99", "s"),
    ("sends_1_replica_per_s", "all-due sends, 1 replica", "/s"),
    ("sends_2_replicas_per_s", "all-due sends, 2 replicas", "/s"),
    ("replicas_ratio", "2 replicas / 1 replica", "x"),
)


def scale_table(scale: dict[str, Any] | None) -> list[str]:
    """The ``scale`` section as a table (nothing when ``make bench-scale`` has not run)."""
    if not scale:
        return []
    rows = [
        "## Scale (`make bench-scale`)",
        "",
        f"Command: `{scale.get('command', '')}`; one run of each, {scale.get('took_s', 0):.0f} s."
        " Enrolment is measured on its own count (`enroll_leads`); the other leads are"
        " bulk-loaded with COPY.",
        "",
        "| figure | value | unit |",
        "|---|---:|---|",
    ]
    for key, label, unit in SCALE_FIGURES:
        value: Any = scale
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None:
            rows.append(f"| {label} | {_fmt(float(value))} | {unit} |")
    notes = [f"- {note}" for note in scale.get("notes", [])]
    return [*rows, "", *notes, ""] if notes else [*rows, ""]


def write(doc: dict[str, Any], out: Path) -> None:
    """``out/benchmarks.json`` and ``out/benchmarks.md`` (an earlier ``scale`` section is kept)."""
    out.mkdir(parents=True, exist_ok=True)
    previous = out / "benchmarks.json"
    if "scale" not in doc and previous.exists():
        kept = json.loads(previous.read_text()).get("scale")
        if kept:
            doc = {**doc, "scale": kept}
    (out / "benchmarks.json").write_text(json.dumps(doc, indent=2) + "\n")
    (out / "benchmarks.md").write_text(markdown(doc))
