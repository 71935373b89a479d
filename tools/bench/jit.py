"""The broker's just-in-time compiler: wait until it has settled before a latency window.

A broker's JVM compiles the request paths a load uses while that load runs, and compiles
again when the load changes (tiered compilation promotes hot methods, deoptimises others).
In ``make bench`` the latency run comes after the throughput steps, and its window used to
open while the compiler threads were still busy: 2.0 s of compilation in the first measured
20 s window and 5.5 s in the warm-up's, against 0.3-0.4 s in the later runs, on a 2-core
machine where that core is taken from the workers the run measures. A long-running
production broker does not pay that cost, so the latency window opens once the compiler
threads have been quiet for a second (``settle``); the run reports how long that took, and
the window's own compilation stays in ``explain.cpu_ms.broker_jit``.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from tools.bench.observe import JIT_THREADS, local_broker, schedstat

#: The compiler threads count as quiet below this share of a core over one interval.
QUIET_SHARE = 0.05
#: The interval over which the compiler's CPU is read.
INTERVAL_S = 1.0
#: Give up waiting after this long: the window opens anyway, and says so.
TIMEOUT_S = 60.0


@dataclass(frozen=True, slots=True)
class Settled:
    """How long the wait took, and whether the compiler was quiet when it ended."""

    waited_s: float
    quiet: bool


def quiet(cpu_ms: float, interval_s: float, share: float = QUIET_SHARE) -> bool:
    """True when ``cpu_ms`` of compilation over ``interval_s`` is below ``share`` of a core."""
    return cpu_ms < share * interval_s * 1000


async def settle(
    bootstrap: str, *, interval_s: float = INTERVAL_S, timeout_s: float = TIMEOUT_S
) -> Settled | None:
    """Wait until the local broker's compiler threads are quiet over one ``interval_s``.

    None when the broker is not a local process (its threads cannot be read).
    """
    broker = local_broker(bootstrap)
    if broker is None:
        return None
    started = time.monotonic()
    before = schedstat(broker.pid(), threads=True, named=JIT_THREADS)
    while before is not None:
        await asyncio.sleep(interval_s)  # the interval the compiler's CPU is read over
        after = schedstat(broker.pid(), threads=True, named=JIT_THREADS)
        if after is None:
            break
        waited = time.monotonic() - started
        if quiet(after.cpu_ms - before.cpu_ms, interval_s):
            return Settled(round(waited, 2), quiet=True)
        if waited >= timeout_s:
            return Settled(round(waited, 2), quiet=False)
        before = after
    return None
