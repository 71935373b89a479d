"""``python -m tools.bench --out docs [--quick] [--runs 3]``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path

from tools.bench import report
from tools.bench.env import Servers, local_servers, machine
from tools.bench.runner import run_all
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
    return parser.parse_args(argv)


def sizes_of(args: argparse.Namespace) -> Sizes:
    """The sizes picked by ``--mode`` or ``--quick`` (full by default)."""
    if args.mode:
        return MODES[args.mode]
    return QUICK if args.quick else FULL


async def bench(
    servers: Servers, sizes: Sizes, runs: int, out: Path, logs: Path
) -> dict[str, object]:
    """Run every measurement, write ``benchmarks.json`` and ``benchmarks.md`` into ``out``."""
    started = time.monotonic()
    about = await machine(servers)
    results = await run_all(servers, sizes, runs, logs)
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
    if args.bootstrap and args.postgres_url:
        servers = Servers(args.bootstrap, args.postgres_url)
        asyncio.run(bench(servers, sizes_of(args), args.runs, args.out, logs))
        return 0
    with local_servers() as servers:
        asyncio.run(bench(servers, sizes_of(args), args.runs, args.out, logs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
