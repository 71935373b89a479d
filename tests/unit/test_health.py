"""Liveness is per loop: one silent loop of a worker fails ``/healthz``."""

import time

import pytest

from workers.health import HealthBoard


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(time, "monotonic", fake)
    return fake


def test_single_loop_worker_alive_while_it_beats(clock: Clock) -> None:
    board = HealthBoard(max_silence_s=30.0)
    worker = board.register("replies")
    clock.now += 29.0
    worker.beat()
    clock.now += 29.0

    assert (True, "ok") == board.alive()


def test_single_loop_worker_dead_after_silence(clock: Clock) -> None:
    board = HealthBoard(max_silence_s=30.0)
    board.register("replies")
    clock.now += 31.0

    assert (False, "no heartbeat from replies") == board.alive()


def test_one_silent_loop_of_several_is_reported(clock: Clock) -> None:
    """The sequencer's timer loop stuck while its consumers beat: not alive, and named."""
    board = HealthBoard(max_silence_s=30.0)
    sequencer = board.register("sequencer")
    sequencer.expect("commands", "timers")
    clock.now += 31.0
    sequencer.beat("commands")

    assert (False, "no heartbeat from sequencer.timers") == board.alive()


def test_expected_loops_replace_the_startup_beat(clock: Clock) -> None:
    """Once the loops are named, the beat from before they started no longer counts."""
    board = HealthBoard(max_silence_s=30.0)
    sequencer = board.register("sequencer")
    sequencer.beat()
    sequencer.expect("commands", "timers")
    clock.now += 10.0
    sequencer.beat("commands")
    sequencer.beat("timers")

    assert ["commands", "timers"] == sorted(sequencer.beats)
    assert (True, "ok") == board.alive()


def test_ready_lists_every_waiting_worker() -> None:
    board = HealthBoard()
    board.register("replies").set_ready(True)
    board.register("sequencer").set_ready(False, "catching up: commands")

    assert (False, "sequencer: catching up: commands") == board.ready()


def test_no_worker_is_not_ready() -> None:
    assert (False, "no worker") == HealthBoard().ready()
