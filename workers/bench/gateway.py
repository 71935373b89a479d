"""The gateway's benchmark: ``gateway_per_s`` and ``gateway_latency_ms`` (p50 / p99).

``leadflow run gateway`` runs as its own process against the benchmark's broker; this process
posts single-event Cal.com webhooks (signed, each a distinct booking) over HTTP and counts an
event as done when the gateway answers 2xx, which it does only after Kafka acknowledged it.

- ``gateway_per_s``: ``requests`` webhooks with ``concurrency`` in flight, as fast as the
  gateway answers: requests / seconds from the first send to the last 2xx.
- ``gateway_latency_ms``: webhooks paced at ``rate`` per second for ``duration_s``: the time
  from each send to its 2xx, p50 and p99.

Run once: ``python -m workers.bench.gateway --bootstrap HOST:PORT --postgres-url URL``
(``measure(servers, ...)`` is the step a benchmark plan calls).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

from workers.bench import fleet
from workers.bench.env import Servers, fresh
from workers.bench.measures import Result, percentile
from workers.settings import Settings

_SECRET = "bench-calcom-secret"  # noqa: S105 (a benchmark's own throwaway secret)
_TOKEN = "1" + "B" * 32
_WARMUP = 200


def _webhook(index: int) -> tuple[dict[str, str], bytes]:
    """A signed Cal.com BOOKING_CREATED for booking ``index``."""
    body = json.dumps(
        {
            "triggerEvent": "BOOKING_CREATED",
            "createdAt": "2026-12-03T08:00:00.000Z",
            "payload": {
                "uid": f"bench-{index}",
                "startTime": "2026-12-10T09:30:00Z",
                "metadata": {"leadflow": _TOKEN},
                "status": "ACCEPTED",
            },
        }
    ).encode()
    signature = hmac.new(_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Cal-Signature-256": signature}, body


def _start(settings: Settings, port: int, logs: Path) -> fleet.Proc:
    metrics_port = fleet.free_port()
    env = {
        **os.environ,
        "LEADFLOW_KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "LEADFLOW_TOPIC_PREFIX": settings.topic_prefix,
        "LEADFLOW_METRICS_PORT": str(metrics_port),
        "LEADFLOW_GATEWAY_PORT": str(port),
        "LEADFLOW_CALCOM_SECRET": _SECRET,
        "LEADFLOW_LOG_LEVEL": "warning",
    }
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"gateway-{settings.topic_prefix.rstrip('.')}.log"
    with log.open("ab") as out:
        popen = subprocess.Popen(  # noqa: S603
            fleet.leadflow_command("gateway"), env=env, stdout=out, stderr=subprocess.STDOUT
        )
    return fleet.Proc("gateway", popen, metrics_port, log)


async def _post(session: aiohttp.ClientSession, url: str, index: int) -> float:
    headers, body = _webhook(index)
    started = time.perf_counter()
    async with session.post(url, data=body, headers=headers) as answer:
        await answer.read()
        if answer.status != 200:  # noqa: PLR2004
            raise RuntimeError(f"gateway answered {answer.status}")
    return time.perf_counter() - started


async def throughput(url: str, requests: int, concurrency: int) -> float:
    """Webhooks per second with ``concurrency`` requests in flight."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as s:
        await asyncio.gather(*(_post(s, url, -1 - i) for i in range(_WARMUP)))
        started = time.perf_counter()

        async def lane(first: int) -> None:
            for index in range(first, requests, concurrency):
                await _post(s, url, index)

        await asyncio.gather(*(lane(i) for i in range(concurrency)))
        return requests / (time.perf_counter() - started)


async def latency(url: str, rate: int, duration_s: float) -> list[float]:
    """Seconds from send to 2xx of each webhook, sent at ``rate`` per second."""
    count = max(1, int(rate * duration_s))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as s:
        await asyncio.gather(*(_post(s, url, 10_000_000 + i) for i in range(_WARMUP)))
        start = time.perf_counter()
        tasks = []
        for i in range(count):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(_post(s, url, 20_000_000 + i)))
        return list(await asyncio.gather(*tasks))


async def measure(
    servers: Servers,
    logs: Path,
    *,
    requests: int = 20_000,
    concurrency: int = 64,
    rate: int = 200,
    duration_s: float = 20.0,
) -> Result:
    """One run of both measurements against a fresh topic prefix."""
    async with fresh(servers) as settings:
        port = fleet.free_port()
        proc = _start(settings, port, logs)
        try:
            await fleet.wait_ready([proc])
            url = f"http://127.0.0.1:{port}/v1/webhooks/calcom"
            per_s = await throughput(url, requests, concurrency)
            seconds = await latency(url, rate, duration_s)
        finally:
            fleet.stop(proc)
    ms = [s * 1000 for s in seconds]
    return {
        "gateway_per_s": per_s,
        "gateway_latency_ms_p50": percentile(ms, 50),
        "gateway_latency_ms_p99": percentile(ms, 99),
        "rate_per_s": rate,
        "concurrency": concurrency,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workers.bench.gateway", description=__doc__)
    parser.add_argument("--bootstrap", required=True, help="the broker to use")
    parser.add_argument("--postgres-url", required=True, help="superuser URL of a server")
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--logs", type=Path, default=Path("/tmp/leadflow-bench-logs"))  # noqa: S108
    args = parser.parse_args(argv)
    servers = Servers(bootstrap=args.bootstrap, postgres_url=args.postgres_url)
    result: dict[str, Any] = asyncio.run(
        measure(
            servers,
            args.logs,
            requests=args.requests,
            concurrency=args.concurrency,
            rate=args.rate,
            duration_s=args.duration,
        )
    )
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
