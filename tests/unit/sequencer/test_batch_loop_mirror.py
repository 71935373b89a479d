"""How often a batch loop mirrors its stored offsets into the Kafka group."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any, cast

import pytest

from workers.sequencer import batch_loop
from workers.sequencer.batch_loop import BatchLoop, LoopDeps


class _Positions:
    """Counts the mirrors asked for."""

    def __init__(self) -> None:
        self.mirrors = 0

    def mirror_to_group(self, _consumer: Any) -> None:
        self.mirrors += 1


def _loop(positions: _Positions) -> BatchLoop:
    """A loop whose only collaborator in use is ``positions`` (the rest is never touched)."""
    unused = cast(Any, None)
    deps = LoopDeps(
        pool=unused,
        settings=cast(Any, SimpleNamespace(topic_prefix="")),
        tuning=unused,
        metrics=unused,
        health=unused,
        readiness=unused,
        timers_woken=asyncio.Event(),
    )
    return BatchLoop(
        "commands",
        consumer=cast(Any, object()),
        positions=cast(Any, positions),
        apply=cast(Any, None),
        max_records=10,
        deps=deps,
    )


class TestMirror:
    """``BatchLoop._mirror``: at most once a second while busy, at once when idle."""

    def test_batches_in_quick_succession_are_mirrored_once(self) -> None:
        """The first applied batch is mirrored; the next ones within the second are not."""
        positions = _Positions()
        loop = _loop(positions)
        for _ in range(5):
            loop._unmirrored = True
            loop._mirror(idle=False)

        assert 1 == positions.mirrors

    def test_an_idle_poll_mirrors_what_was_applied_since(self) -> None:
        """After busy batches, the first poll that brings nothing mirrors at once, only once."""
        positions = _Positions()
        loop = _loop(positions)
        loop._unmirrored = True
        loop._mirror(idle=False)
        loop._unmirrored = True
        loop._mirror(idle=False)
        loop._mirror(idle=True)
        loop._mirror(idle=True)

        assert 2 == positions.mirrors

    def test_a_batch_after_the_interval_is_mirrored(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A second of busy batches later, the next batch is mirrored again."""
        positions = _Positions()
        loop = _loop(positions)
        loop._unmirrored = True
        loop._mirror(idle=False)
        monkeypatch.setattr(batch_loop, "MIRROR_EVERY_S", 0.0)
        loop._unmirrored = True
        loop._mirror(idle=False)

        assert 2 == positions.mirrors

    def test_nothing_applied_nothing_mirrored(self) -> None:
        """An idle loop that applied nothing never commits."""
        positions = _Positions()
        _loop(positions)._mirror(idle=True)

        assert 0 == positions.mirrors
