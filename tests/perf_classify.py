"""Classifier throughput on one core: ``python -m tests.perf_classify``.

``measure_classify_per_s(messages)`` is the helper the bench calls (``make bench`` adds
``classify_per_s``); it lives beside the tests, not in the wheel, and keeps the core pure.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from workers.core.replies import classify_message


def measure_classify_per_s(
    messages: Sequence[bytes], *, min_seconds: float = 2.0, clock: Callable[[], float] | None = None
) -> float:
    """Messages classified per second of one core, cycling through ``messages``.

    The clock is the process's CPU time by default (``time.process_time``): the classifier is
    single-threaded, so this is the rate of one core, unaffected by other processes sharing the
    machine. Pass ``clock=time.perf_counter`` for wall-clock time.
    """
    clock = clock or time.process_time
    if not messages:
        raise ValueError("no messages to classify")
    for raw in messages:  # warm-up: imports, compiled patterns, caches
        classify_message(raw)
    done = 0
    started = clock()
    elapsed = 0.0
    while elapsed < min_seconds:
        for raw in messages:
            classify_message(raw)
        done += len(messages)
        elapsed = clock() - started
    return done / elapsed


def development_corpus() -> list[bytes]:
    """Every raw message of the classifier's own unit tables."""
    from tests.unit.core.replies.test_replies_classify import CASES  # noqa: PLC0415
    from tests.unit.core.replies.test_replies_shapes import SHAPES  # noqa: PLC0415
    from tests.unit.core.replies.test_replies_variants import VARIANTS  # noqa: PLC0415

    tables = (CASES, SHAPES, VARIANTS)
    return [row[1] for table in tables for row in table]


if __name__ == "__main__":
    corpus = development_corpus()
    cpu = measure_classify_per_s(corpus)
    wall = measure_classify_per_s(corpus, clock=time.perf_counter)
    print(
        f"classify_per_s={cpu:.0f} (CPU time, one core; wall clock {wall:.0f})"
        f" over {len(corpus)} messages"
    )
