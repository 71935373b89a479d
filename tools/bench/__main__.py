"""``python -m tools.bench --out docs [--quick] [--runs 3] [--only latency]``."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from tools.bench import report
from tools.bench.env import (
    BENCH_KAFKA_PORT,
    BENCH_POSTGRES_PORT,
    Servers,
    local_servers,
    machine,
)
from tools.bench.runner import STEPS, run_all
from tools.bench.sizes import FULL, MODES, QUICK, Sizes
from workers.logs import configure_logging


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs"), help="where the files go")
    parser.add_argument("--quick", action="store_true", help="smaller sizes (about 3 minutes)")
    parser.add_argument("--mode", choices=sorted(MODES), help="full | quick | tiny (smoke)")
    parser.add_argument("--runs", type=int, default=3, help="runs of every measurement")
    parser.add_argument("--bootstrap", help="use this broker instead of starting one")
    parser.add_argument("--postgres-url", help="superuser URL of a server to use instead")
    parser.add_argument("--logs", type=Path, help="folder of the workers' logs")
    parser.add_argument(
        "--only",
        type=_step_names,
        help="run only these steps (comma-separated, e.g. latency) and their warm-ups",
    )
    parser.add_argument("--kafka-port", type=int, default=BENCH_KAFKA_PORT, help="local broker")
    parser.add_argument(
        "--postgres-port", type=int, default=BENCH_POSTGRES_PORT, help="local PostgreSQL"
    )
    parser.add_argument("--rate", type=int, help="the latency and lateness runs' rate (per s)")
    parser.add_argument(
        "--latency-reply-kind",
        help="the latency run's replies carry this v2 kind (e.g. human: classified upstream,"
        " the replies worker skips its classifier); default: plain replies, classified",
    )
    return parser.parse_args(argv)


def _step_names(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in STEPS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown steps {unknown}; known: {', '.join(STEPS)}")
    return names


def sizes_of(args: argparse.Namespace) -> Sizes:
    """The sizes picked by ``--mode`` or ``--quick`` (full by default), with ``--rate`` and
    ``--latency-reply-kind`` applied."""
    sizes = MODES[args.mode] if args.mode else (QUICK if args.quick else FULL)
    if args.rate:
        sizes = dataclasses.replace(sizes, rate=args.rate)
    if args.latency_reply_kind:
        sizes = dataclasses.replace(sizes, latency_reply_kind=args.latency_reply_kind)
    return sizes


async def bench(
    servers: Servers,
    sizes: Sizes,
    runs: int,
    out: Path,
    logs: Path,
    *,
    only: Sequence[str] | None = None,
) -> dict[str, object]:
    """Run every measurement (or those in ``only``); write ``benchmarks.json`` and
    ``benchmarks.md`` into ``out``."""
    started = time.monotonic()
    about = await machine(servers)
    results = await run_all(servers, sizes, runs, logs, only=only)
    doc = report.build(about, sizes, runs, results, time.monotonic() - started)
    report.write(doc, out)
    return doc


def main(argv: list[str] | None = None) -> int:
    """Entry point; exit status 0 even when a floor fails (the files say which)."""
    args = parse(argv)
    configure_logging("warning")
    # A fresh topic's first produce may hit NotLeaderForPartition once; the client retries.
    logging.getLogger("aiokafka").setLevel(logging.ERROR)
    logs = args.logs or Path(tempfile.mkdtemp(prefix="leadflow-bench-"))
    print(f"workers' logs: {logs}", file=sys.stderr)
    sizes = sizes_of(args)
    if args.bootstrap and args.postgres_url:
        servers = Servers(args.bootstrap, args.postgres_url)
        asyncio.run(bench(servers, sizes, args.runs, args.out, logs, only=args.only))
        return 0
    with local_servers(args.kafka_port, args.postgres_port) as servers:
        asyncio.run(bench(servers, sizes, args.runs, args.out, logs, only=args.only))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
