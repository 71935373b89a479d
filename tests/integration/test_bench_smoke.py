"""The benchmark in its tiny mode, against the session's broker and PostgreSQL.

Not a timed test: it keeps ``python -m tools.bench`` working (every measurement runs once and
every key of ``benchmarks.json`` holds a positive number); speed is what ``make bench`` reports.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tools.bench.__main__ import bench
from tools.bench.env import Servers
from tools.bench.sizes import TINY

REQUIRED: dict[str, Any] = {
    "raw_passthrough_per_s": None,
    "ingest_per_s": ["replies", "clicks", "bookings", "clicks_filtered", "replies_raw"],
    "classify_per_s": None,
    "gateway_per_s": None,
    "gateway_latency_ms": ["p50", "p99"],
    "click_hold_ms": ["p50", "p99"],
    "sequencer_commands_per_s": None,
    "sequencer_sends_per_s": None,
    "latency_ms": ["rate_per_s", "p50", "p99", "max"],
    "latency_ms.stages": [
        f"{stage}_{q}"
        for stage in ("ingest", "sequencer", "readback")
        for q in ("p50", "p99", "max")
    ],
    "timer_lateness_ms": ["p50", "p99"],
    "rss_mb": ["replies", "clicks", "bookings", "sequencer"],
    "scale_out": ["sequencer_replicas_1_per_s", "sequencer_replicas_2_per_s"],
    "suppression_apply_ms": ["p50", "p99"],
    "enroll_per_s_with_1m_suppressed": None,
}


def _positive_figures(doc: dict[str, Any]) -> dict[str, float]:
    found: dict[str, float] = {}
    for key, inner in REQUIRED.items():
        if inner is None:
            found[key] = doc[key]
        else:
            section = doc
            for part in key.split("."):
                section = section[part]
            found |= {f"{key}.{name}": section[name] for name in inner}
    return found


# Every step once (about 40 s on a quiet machine): a longer limit than the suite's, so a busy
# machine slows the smoke test down without failing it.
@pytest.mark.timeout(600)
async def test_bench_writes_every_figure(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    await bench(Servers(kafka_bootstrap, postgres_url), TINY, 1, tmp_path, tmp_path / "logs")

    doc = json.loads((tmp_path / "benchmarks.json").read_text())
    figures = _positive_figures(doc)
    assert {k: v for k, v in figures.items() if not v > 0} == {}
    assert set(doc["machine"]) >= {"cpus", "python", "kafka", "postgres"}
    assert [f["name"] for f in doc["floors"] if not isinstance(f["holds"], bool)] == []
    assert {"passthrough", "latency"} == set(doc["warm_up"])
    assert doc["checks"]["duplicate_send_ids"] == 0
    assert doc["checks"]["commands_applied"] == doc["checks"]["commands_published"]
    assert "| raw passthrough |" in (tmp_path / "benchmarks.md").read_text()
    assert ["warm-up", "1"] == [run["run"] for run in doc["latency_runs"]]
    assert {"replies", "sequencer"} == set(doc["latency_runs"][1]["loop_lag_ms"])
