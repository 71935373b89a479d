"""``python -m tools.infra kafka|postgres start|stop|status|wipe [--port N]``.

The local infrastructure by hand (``make infra-up``, ``make up`` and ``make demo`` call it).
Exit status 0, or 1 for a stopped ``status`` or a failure (one line on stderr).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tools.infra._proc import InfraError
from tools.infra.kafka import LocalKafka
from tools.infra.postgres import LocalPostgres


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.infra", description=__doc__)
    parser.add_argument("service", choices=("kafka", "postgres"))
    parser.add_argument("action", choices=("start", "stop", "status", "wipe"))
    parser.add_argument("--port", type=int, help="default: 9092 (kafka), 5432 (postgres)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.service == "kafka":
            return _kafka(LocalKafka(port=args.port or 9092), args.action)
        return _postgres(LocalPostgres(port=args.port or 5432), args.action)
    except InfraError as exc:
        print(f"tools.infra: {exc}", file=sys.stderr)
        return 1


def _kafka(broker: LocalKafka, action: str) -> int:
    if action == "start":
        broker.start()
        print(f"kafka running at {broker.bootstrap_servers} (logs: {broker.log_file})")
    elif action == "stop":
        broker.stop()
        print("kafka stopped")
    elif action == "wipe":
        broker.wipe()
        print("kafka stopped and its data deleted")
    else:
        running = broker.pid() is not None
        print(f"kafka {'running' if running else 'stopped'} at {broker.bootstrap_servers}")
        return 0 if running else 1
    return 0


def _postgres(cluster: LocalPostgres, action: str) -> int:
    if action == "start":
        cluster.start()
        print(f"postgres running: {cluster.url}")
    elif action == "stop":
        cluster.stop()
        print("postgres stopped")
    elif action == "wipe":
        cluster.wipe()
        print("postgres stopped and its data deleted")
    else:
        running = cluster.running()
        print(f"postgres {'running' if running else 'stopped'}: {cluster.url}")
        return 0 if running else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
