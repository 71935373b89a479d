"""What a latency run's window held: loop lag, GC pauses, PostgreSQL and CPU figures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest

from tools.bench.observe import (
    GcPause,
    LagHistogram,
    Sched,
    counters,
    cpu_delta,
    gc_in_window,
    gc_pauses,
    pg_delta,
    schedstat,
)
from workers.metrics import Metrics

GC_LOG = """\
[1796301629618ms] Using G1
[1796301631205ms] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 6M->3M(64M) 9.643ms
[1796301632685ms] GC(2) Pause Young (Concurrent Start) (G1 Humongous) 14M->7M(64M) 28.056ms
[1796301632700ms] GC(2) Concurrent Mark Cycle 41.442ms
[1796301632710ms] GC(2) Pause Remark 20M->20M(64M) 1.5ms
[1796301640000ms] GC(3) Pause Full (System.gc()) 30M->10M(64M) 120.0ms
"""


def _lag_page(*lags_s: float) -> str:
    metrics = Metrics(CollectorRegistry())
    for lag in lags_s:
        metrics.event_loop_lag.observe(lag)
    return generate_latest(metrics.registry).decode()


class TestGcPauses:
    """``gc_pauses``: the stop-the-world pauses of a ``-Xlog:gc`` file."""

    def test_reads_pauses_and_skips_the_rest(self) -> None:
        """Pauses come with their end time and duration; concurrent phases are not pauses."""
        expected = [
            GcPause(1796301631.205, "Pause Young", 9.643),
            GcPause(1796301632.685, "Pause Young", 28.056),
            GcPause(1796301632.71, "Pause Remark", 1.5),
            GcPause(1796301640.0, "Pause Full", 120.0),
        ]

        assert expected == gc_pauses(GC_LOG.splitlines())


class TestGcInWindow:
    """``gc_in_window``: the pauses that ended inside a window."""

    def test_sums_only_the_window(self) -> None:
        """Count, total and longest cover the window's pauses; the longest are listed first."""
        figures = gc_in_window(gc_pauses(GC_LOG.splitlines()), 1796301632.0, 1796301633.0)

        assert {"pauses": 2, "total_ms": 29.6, "max_ms": 28.1} == {
            k: figures[k] for k in ("pauses", "total_ms", "max_ms")
        }
        assert [0.685, 0.71] == pytest.approx([p["at_s"] for p in figures["longest"]], abs=0.01)


class TestLagHistogram:
    """``LagHistogram``: the worker's loop-lag histogram between two scrapes."""

    def test_counts_only_what_happened_since(self) -> None:
        """Samples before the window's scrape are left out; the max is its bucket's bound."""
        before = LagHistogram.parse(_lag_page(0.3))
        after = LagHistogram.parse(_lag_page(0.3, 0.001, 0.002, 0.07, 0.12))
        assert before is not None
        assert after is not None

        figures = after.since(before)

        assert {"samples": 4, "max_le_ms": 150.0, "stalls_over_50ms": 2, "total_ms": 193.0} == (
            figures
        )

    def test_no_histogram_on_the_page(self) -> None:
        """A page without the metric (an older worker) gives None."""
        assert LagHistogram.parse("# nothing here\n") is None

    def test_a_lag_above_every_bucket_has_no_bound(self) -> None:
        """A stall beyond the last bucket (10 s) is reported as None, not infinity."""
        after = LagHistogram.parse(_lag_page(12.0))
        assert after is not None

        assert after.since(None)["max_le_ms"] is None


class TestCounters:
    """``counters``: what a replica did, from its ``/metrics`` page."""

    def test_sends_and_relayed(self) -> None:
        """The sequencer's counters by their sample names; one it never counted is 0."""
        metrics = Metrics(CollectorRegistry())
        metrics.sends.inc(7)
        metrics.relayed.inc(5)
        page = generate_latest(metrics.registry).decode()

        found = counters(page, ["leadflow_sends_total", "leadflow_outbox_relayed_total", "x"])

        assert {"leadflow_sends_total": 7.0, "leadflow_outbox_relayed_total": 5.0, "x": 0.0} == (
            found
        )


class TestPgDelta:
    """``pg_delta``: PostgreSQL's counters between two snapshots."""

    def test_differences_and_mean_fsync(self) -> None:
        """Each counter's growth, and the WAL fsync mean when fsyncs are timed."""
        before = {"checkpoints": 3.0, "wal_syncs": 100.0, "wal_sync_ms": 200.0}
        after = {"checkpoints": 4.0, "wal_syncs": 150.0, "wal_sync_ms": 300.0}

        expected = {
            "checkpoints": 1.0,
            "wal_syncs": 50.0,
            "wal_sync_ms": 100.0,
            "wal_sync_mean_ms": 2.0,
        }
        assert expected == pg_delta(before, after)

    @pytest.mark.parametrize("missing", ["before", "after"])
    def test_unknown_when_a_snapshot_failed(self, missing: str) -> None:
        """A snapshot that could not be taken makes the figure unknown."""
        counters = {"checkpoints": 1.0}
        before = None if missing == "before" else counters
        after = None if missing == "after" else counters

        assert pg_delta(before, after) is None


class TestCpuDelta:
    """``cpu_delta``: CPU used and run-queue wait between two schedstat readings."""

    def test_differences(self) -> None:
        """CPU and wait are the growth of their counters; the wait is also spread per wake-up."""
        expected = {"cpu_ms": 250.0, "runqueue_wait_ms": 900.0, "wait_per_wakeup_ms": 3.0}

        assert expected == cpu_delta(Sched(1000.0, 500.0, 700), Sched(1250.0, 1400.0, 1000))

    def test_no_wake_up(self) -> None:
        """A process never scheduled in the window waited 0 ms per wake-up."""
        figures = cpu_delta(Sched(1.0, 1.0, 5), Sched(1.0, 1.0, 5))

        assert figures is not None
        assert 0.0 == figures["wait_per_wakeup_ms"]

    def test_gone_process(self) -> None:
        """A process that was gone at either end has no figure."""
        assert cpu_delta(Sched(1.0, 1.0, 1), None) is None


class TestSchedstat:
    """``schedstat``: a process's counters, its threads' sum, or only the threads named so."""

    def test_named_threads_only(self) -> None:
        """Threads named with a given prefix (the JVM's compiler threads): their share alone."""
        main = Path(f"/proc/{os.getpid()}/comm").read_text().strip()

        named = schedstat(os.getpid(), threads=True, named=(main,))
        every = schedstat(os.getpid(), threads=True)  # read second: it can only have grown

        assert every is not None
        assert named is not None
        assert 0 < named.cpu_ms <= every.cpu_ms

    def test_no_thread_of_that_name(self) -> None:
        """No thread named so: no figure, rather than a zero that would look measured."""
        assert schedstat(os.getpid(), threads=True, named=("no such thread",)) is None
