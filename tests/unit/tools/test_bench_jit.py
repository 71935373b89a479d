"""The wait for the broker's compiler threads before a latency window (``tools.bench.jit``)."""

from __future__ import annotations

import pytest

from tools.bench import jit


class TestQuiet:
    """Compilation below a share of a core over an interval counts as quiet."""

    @pytest.mark.parametrize(
        ("expected", "cpu_ms", "interval_s"),
        [
            (True, 0.0, 1.0),
            (True, 49.9, 1.0),
            (False, 50.0, 1.0),
            (False, 900.0, 1.0),
            (True, 99.0, 2.0),
            (False, 100.0, 2.0),
        ],
    )
    def test_below_five_percent_of_a_core(
        self, expected: bool, cpu_ms: float, interval_s: float
    ) -> None:
        """5% of a core is the line: 50 ms of compilation in a second is no longer quiet."""
        assert expected is jit.quiet(cpu_ms, interval_s)


class TestSettle:
    """Only a broker running on this machine can be waited for."""

    async def test_remote_broker_is_not_waited_for(self) -> None:
        """A broker that is not a local process gives None at once (its threads are unknown)."""
        assert None is await jit.settle("kafka.example.net:9092", timeout_s=0.0)
