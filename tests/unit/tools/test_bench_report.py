"""The report of a benchmark that ran only its latency step (``--only latency``)."""

from __future__ import annotations

from typing import Any

from tools.bench import report
from tools.bench.sizes import TINY

MACHINE = {"cpus": 2, "python": "3.12", "kafka": "4.1.1", "postgres": "15", "platform": "x"}
EXPLAIN: dict[str, Any] = {
    "window_s": 6.0,
    "load_average_1m": [5.0, 6.5],
    "loop_lag_ms": {
        "replies": {"samples": 50, "max_le_ms": 150.0, "stalls_over_50ms": 2, "total_ms": 300.0},
        "sequencer": None,
    },
    "bench_loop_lag_ms": {"p99": 20.0, "max": 31.0},
    "cpu_ms": {"replies": {"cpu_ms": 900.0, "runqueue_wait_ms": 3500.0, "wait_per_wakeup_ms": 2.5}},
    "broker_gc": {"source": "gc log", "pauses": 2, "total_ms": 90.0, "max_ms": 70.0},
    "postgres": {
        "checkpoints": 1.0,
        "checkpoint_write_ms": 1500.0,
        "checkpoint_sync_ms": 500.0,
        "wal_syncs": 60.0,
        "wal_sync_mean_ms": 2.5,
    },
    "offer_late_ms": {"p50": 2.0, "p99": 40.0, "max": 61.0},
}


def _latency(p99: float) -> dict[str, Any]:
    stages = {
        f"{s}_{q}": p99 / 2
        for s in ("ingest", "sequencer", "readback")
        for q in ("p50", "p99", "max")
    }
    figures = {"p50": 20.0, "p99": p99, "max": p99 * 2, "p99_created": p99, "leads": 5000}
    return figures | stages | {"rate_per_s": 1000, "explain": EXPLAIN}


def _doc() -> dict[str, Any]:
    results = {"warm-up:latency": [_latency(400.0)], "latency": [_latency(90.0), _latency(120.0)]}
    return report.build(MACHINE, TINY, 2, results, 12.0)


class TestBuildWithOneStep:
    """``report.build`` for a run of the latency step alone."""

    def test_reports_the_latency_figures_only(self) -> None:
        """Median p99, max and every stage's max are there; other steps' figures are not."""
        doc = _doc()

        assert (105.0, 210.0) == (doc["latency_ms"]["p99"], doc["latency_ms"]["max"])
        assert 52.5 == doc["latency_ms"]["stages"]["sequencer_max"]
        assert "raw_passthrough_per_s" not in doc

    def test_judges_only_the_floors_it_measured(self) -> None:
        """The latency floor is judged; floors of steps that did not run are left out."""
        assert ["event→status latency p99 at 1,000/s"] == [f["name"] for f in _doc()["floors"]]

    def test_keeps_every_run_with_what_coincided(self) -> None:
        """Each latency run, the warm-up first, carries its window's figures."""
        runs = _doc()["latency_runs"]

        assert ["warm-up", "1", "2"] == [r["run"] for r in runs]
        assert (120.0, 70.0) == (runs[2]["p99"], runs[2]["broker_gc"]["max_ms"])


class TestLatencyTable:
    """``report.latency_table``: one markdown row per latency run."""

    def test_row_shows_the_runs_causes(self) -> None:
        """A row names the stage tails, loop lag, GC, PostgreSQL, generator and load."""
        row = report.latency_table(_doc()["latency_runs"])[-2]

        expected = (
            "| 2 | 120 / 240 | 60.0 / 60.0 | 60.0 / 60.0 | 60.0 / 60.0"
            " | replies ≤ 150 (2), sequencer ? | 2, 90.0 total, longest 70.0"
            " | 1 checkpoints (2.0 s), 60 WAL fsyncs, mean 2.50 | 40.0 / 61.0"
            " | replies 900 / 3,500 (2.50) | 31.0 | 5.0 → 6.5 |"
        )
        assert expected == row

    def test_nothing_without_latency_runs(self) -> None:
        """A report without latency runs has no table."""
        assert [] == report.latency_table([])
