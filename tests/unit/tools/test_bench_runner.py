"""The benchmark's discarded warm-up runs: which steps, at which sizes."""

from __future__ import annotations

from tools.bench.runner import warm_up_plan
from tools.bench.sizes import FULL, QUICK, TINY


class TestWarmUpPlan:
    """At full sizes every step is warmed once at the quick sizes; the others warm as before."""

    def test_full_sizes(self) -> None:
        """Other steps at quick sizes first, then passthrough and latency at the measured ones."""
        plan = warm_up_plan(["passthrough", "replies", "latency", "sends"], FULL)

        expected = [
            ("replies", "quick"),
            ("sends", "quick"),
            ("passthrough", "full"),
            ("latency", "full"),
        ]
        assert expected == [(name, sizes.mode) for name, sizes in plan]

    def test_one_step(self) -> None:
        """``--only latency``: the latency warm-up alone, at the measured sizes."""
        assert [("latency", FULL)] == warm_up_plan(["latency"], FULL)

    def test_smaller_sizes(self) -> None:
        """Quick and tiny runs keep the short warm-up (their broker work is small anyway)."""
        assert ([("passthrough", QUICK)], []) == (
            warm_up_plan(["passthrough", "sends"], QUICK),
            warm_up_plan(["sends"], TINY),
        )
