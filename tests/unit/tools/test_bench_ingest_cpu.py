"""The replies worker's CPU micro-benchmark (``tools/bench/ingest_cpu.py``)."""

from __future__ import annotations

import json

import pytest

from tools.bench import ingest_cpu
from tools.bench.ingest_cpu import SHAPES, cpu_us_per_event, decide_all, digest, records
from workers.ingest.batch import Command
from workers.ingest.replies import ReplyClassifier


class TestIngestCpu:
    """Each shape is decided into commands, timed on the CPU clock, and hashed."""

    @pytest.mark.parametrize("shape", SHAPES)
    def test_every_shape_becomes_commands(self, shape: str) -> None:
        """Every event of every shape is decided into a command (no dead letter)."""
        outputs = decide_all(records(shape, 12), ReplyClassifier())

        assert [True] * 12 == [isinstance(output, Command) for output in outputs]

    def test_new_bodies_differ(self) -> None:
        """``plain_new`` gives each event a body of its own."""
        bodies = {json.loads(r.value or b"")["body_text"] for r in records("plain_new", 5)}

        assert 5 == len(bodies)

    def test_digest_is_stable(self) -> None:
        """Deciding the same records twice gives the same digest."""
        batch = records("raw", 8)

        assert digest(decide_all(batch, ReplyClassifier())) == digest(
            decide_all(batch, ReplyClassifier())
        )

    def test_cost_is_positive(self) -> None:
        """A measured cost is a positive number of microseconds."""
        assert cpu_us_per_event("upstream", count=20, repeats=1) > 0

    def test_main_prints_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``--json`` prints each shape's cost and digest."""
        ingest_cpu.main(["--count", "10", "--repeats", "1", "--json"])

        assert set(SHAPES) == set(json.loads(capsys.readouterr().out))
