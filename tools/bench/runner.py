"""The plan: every measurement once per run, runs interleaved so drift hits all of them alike."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from tools.bench import clicks, gateway, measures, replies, suppression
from tools.bench.env import Servers
from tools.bench.measures import Result
from tools.bench.sizes import QUICK, Sizes

INGEST_KINDS = ("replies", "clicks", "bookings")
Step = Callable[[Servers, Sizes, Path], Awaitable[Result]]


def _ingest(kind: str) -> Step:
    def step(servers: Servers, sizes: Sizes, logs: Path) -> Awaitable[Result]:
        return measures.ingest(servers, kind, sizes.events, logs)

    return step


def _scale(replicas: int) -> Step:
    def step(servers: Servers, sizes: Sizes, logs: Path) -> Awaitable[Result]:
        return measures.sends(servers, sizes.scale_sends, logs, replicas=replicas)

    return step


#: Measurement name → one run of it.
STEPS: dict[str, Step] = {
    "passthrough": lambda s, z, logs: measures.passthrough(s, z.events, logs),
    **{kind: _ingest(kind) for kind in INGEST_KINDS},
    "clicks_filtered": lambda s, z, logs: clicks.clicks_filtered(s, z.events, logs),
    "click_hold": lambda s, z, logs: clicks.click_hold(s, *clicks.hold_load(z), logs),
    "commands": lambda s, z, logs: measures.commands(s, z.command_leads, logs),
    "sends": lambda s, z, logs: measures.sends(s, z.sends, logs),
    "latency": lambda s, z, logs: measures.latency(
        s, z.rate, z.latency_s, logs, reply_kind=z.latency_reply_kind
    ),
    "lateness": lambda s, z, logs: measures.lateness(s, z.rate, z.lateness_s, logs),
    "replicas_1": _scale(1),
    "replicas_2": _scale(2),
    "suppression_apply": suppression.apply_step,
    "enroll_suppressed": suppression.enroll_step,
    "classify": replies.classify_step,
    "replies_raw": replies.replies_raw_step,
    "gateway": lambda s, z, logs: gateway.measure(
        s, logs, requests=max(z.events // 2, 300), duration_s=z.latency_s
    ),
}


def _note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


#: Steps run once, discarded, before the measured runs. A freshly started broker is slow
#: until its JVM has compiled the paths a step uses: the passthrough's raw limit is ~35% lower
#: cold, and the first latency run's p99 was 3-5x the later runs' (290, 123, 117 ms on three
#: runs in a row on a new broker), because the passthrough does not touch the transactional
#: and read_committed paths the latency measurement depends on.
WARM_UP = ("passthrough", "latency")


def warm_up_plan(steps: Sequence[str], sizes: Sizes) -> list[tuple[str, Sizes]]:
    """The discarded runs before the measured ones, each with the sizes it runs at.

    At full sizes, every step not in ``WARM_UP`` first runs once at the quick sizes: each
    step's requests reach the broker before it is measured, so the broker's JVM compiles them
    outside the measured windows (a new broker's just-in-time compiler took about a core for
    minutes, a cost a long-running production broker does not pay; the latency runs report
    it as ``broker_jit``). Then the ``WARM_UP`` steps at the measured sizes.
    """
    quick = [(name, QUICK) for name in steps if name not in WARM_UP] if sizes.mode == "full" else []
    return [*quick, *((name, sizes) for name in WARM_UP if name in steps)]


async def run_all(
    servers: Servers,
    sizes: Sizes,
    runs: int,
    logs: Path,
    *,
    only: Sequence[str] | None = None,
) -> dict[str, list[Result]]:
    """Every step (or the steps named in ``only``) ``runs`` times; each step's results in order.

    The discarded warm-up results are kept under ``warm-up:<step>`` for the report; with
    ``only``, only the warm-ups of the steps named there run.
    """
    steps = {name: STEPS[name] for name in only} if only else STEPS
    results: dict[str, list[Result]] = {name: [] for name in steps}
    for name, warm_sizes in warm_up_plan(list(steps), sizes):
        warm = await STEPS[name](servers, warm_sizes, logs)
        results[f"warm-up:{name}"] = [warm]
        _note(f"warm-up {name} at {warm_sizes.mode} sizes (discarded): {_brief(warm)}")
    for run in range(1, runs + 1):
        for name, step in steps.items():
            started = time.monotonic()
            result = await step(servers, sizes, logs)
            results[name].append(result)
            took = time.monotonic() - started
            _note(f"run {run}/{runs} {name}: {_brief(result)} ({took:.1f}s)")
    return results


def _brief(result: Result) -> str:
    """The run's figures on one line (its nested ``explain`` as JSON after them)."""
    parts = [
        f"{k}={v:,.1f}" if isinstance(v, float) else f"{k}={v}"
        for k, v in result.items()
        if not isinstance(v, dict | list)
    ]
    nested = {k: v for k, v in result.items() if isinstance(v, dict | list)}
    return ", ".join(parts) + (f"\n  {json.dumps(nested)}" if nested else "")
