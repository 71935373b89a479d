"""The gateway's benchmark: ``gateway_per_s`` and ``gateway_latency_ms`` (p50 / p99).

``leadflow run gateway`` runs as its own process against the benchmark's broker; this process
posts single-event Cal.com webhooks (signed, each a distinct booking) over HTTP and counts an
event as done when the gateway answers 2xx, which it does only after Kafka acknowledged it.
The load generator is a minimal HTTP/1.1 keep-alive client on asyncio streams (requests built
before the clock starts), so that on a 2-core machine the client takes as little CPU from the
gateway as it can; aiohttp's client costs several times more per request.

- ``gateway_per_s``: ``requests`` webhooks with ``concurrency`` in flight, as fast as the
  gateway answers: requests / seconds from the first send to the last 2xx.
- ``gateway_latency_ms``: webhooks paced at ``rate`` per second for ``duration_s``: the time
  from each send to its 2xx, p50 and p99.

Run once: ``python -m tools.bench.gateway --bootstrap HOST:PORT --postgres-url URL``
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

from tools.bench import fleet
from tools.bench.env import Servers, fresh
from tools.bench.measures import Result
from tools.bench.observe import percentile
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
        **fleet.tracking_env(settings),
    }
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"gateway-{settings.topic_prefix.rstrip('.')}.log"
    with log.open("ab") as out:
        popen = subprocess.Popen(  # noqa: S603
            fleet.leadflow_command("gateway"), env=env, stdout=out, stderr=subprocess.STDOUT
        )
    return fleet.Proc("gateway", popen, metrics_port, log)


PATH = "/v1/webhooks/calcom"


def _request(index: int) -> bytes:
    """The whole HTTP/1.1 request for webhook ``index``."""
    headers, body = _webhook(index)
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return (
        f"POST {PATH} HTTP/1.1\r\nHost: gateway\r\n{head}Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


class _Connection:
    """One keep-alive connection that sends a request and reads its answer."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, port: int) -> _Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def post(self, request: bytes) -> float:
        """Seconds until the 200 answer to ``request`` was read."""
        started = time.perf_counter()
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            status_line = head.split(b"\r\n", 1)[0]
            raise RuntimeError(f"gateway answered {status_line!r}")
        length = int(head.lower().split(b"content-length:", 1)[1].split(b"\r\n", 1)[0])
        await self.reader.readexactly(length)
        return time.perf_counter() - started

    def close(self) -> None:
        self.writer.close()


async def throughput(port: int, requests: int, concurrency: int) -> float:
    """Webhooks per second with ``concurrency`` connections, one request in flight on each."""
    bodies = [_request(i) for i in range(requests)]
    connections = [await _Connection.open(port) for _ in range(concurrency)]
    try:
        await _warm(connections)
        started = time.perf_counter()

        async def lane(lane_index: int) -> None:
            connection = connections[lane_index]
            for index in range(lane_index, requests, concurrency):
                await connection.post(bodies[index])

        await asyncio.gather(*(lane(i) for i in range(concurrency)))
        return requests / (time.perf_counter() - started)
    finally:
        for connection in connections:
            connection.close()


async def _warm(connections: list[_Connection]) -> None:
    for round_ in range(max(1, _WARMUP // len(connections))):
        await asyncio.gather(
            *(
                c.post(_request(-1 - round_ * len(connections) - i))
                for i, c in enumerate(connections)
            )
        )


async def latency(port: int, rate: int, duration_s: float) -> list[float]:
    """Seconds from send to 2xx of each webhook, sent at ``rate`` per second."""
    count = max(1, int(rate * duration_s))
    bodies = [_request(20_000_000 + i) for i in range(count)]
    idle: list[_Connection] = [await _Connection.open(port) for _ in range(32)]
    await _warm(idle)

    async def one(body: bytes) -> float:
        connection = idle.pop() if idle else await _Connection.open(port)
        try:
            return await connection.post(body)
        finally:
            idle.append(connection)

    start = time.perf_counter()
    tasks = []
    for i, body in enumerate(bodies):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(body)))
    try:
        return list(await asyncio.gather(*tasks))
    finally:
        for connection in idle:
            connection.close()


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
            per_s = await throughput(port, requests, concurrency)
            seconds = await latency(port, rate, duration_s)
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
    parser = argparse.ArgumentParser(prog="python -m tools.bench.gateway", description=__doc__)
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
