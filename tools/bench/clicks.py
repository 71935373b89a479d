"""Scanner-click measurements: filtered click throughput and how long a lone click waits.

``clicks_filtered``: pre-filled clicks with realistic agents and addresses, half of them
scanner bursts (two links of one email within a second, from Microsoft's mail-protection
network or an HTTP library), half people's lone clicks; the steady rate of commands out.
``click_hold``: people's lone clicks offered at a fixed rate; for each, the time from its
publication to its command (the 5 s hold, the re-keying hop and the decision).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaProducer

from tools.bench import data, fleet
from tools.bench.env import Servers, fresh
from tools.bench.kio import Collector, Seen, publish, steady_rate
from tools.bench.measures import Result
from tools.bench.observe import percentile
from tools.bench.sizes import Sizes
from workers.topics import Topics

_TIMEOUT_S = 600.0
_BROWSERS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
)
_SCANNER_AGENTS = ("python-requests/2.32.3", _BROWSERS[0])
_SCANNER_IPS = ("40.92.17.3", "203.0.113.40")


def _click(index: int, link: int, *, scanner: bool, at_ms: int) -> bytes:
    doc: dict[str, Any] = {
        "event_id": f"k-{index}-{link}",
        "campaign_id": "c-bench",
        "lead_id": f"l-{index}",
        "occurred_at": f"2026-06-01T10:{at_ms // 60_000 % 60:02d}:"
        f"{at_ms // 1000 % 60:02d}.{at_ms % 1000:03d}Z",
        "url": f"https://example.com/{'pricing' if link == 0 else 'case-study'}?lead={index}",
        "step": 1,
        "sent_at": "2026-06-01T09:00:00Z",
    }
    if scanner:
        doc["user_agent"] = _SCANNER_AGENTS[index % 2]
        doc["ip"] = _SCANNER_IPS[index % 2]
    else:
        doc["user_agent"] = _BROWSERS[index % 3]
        doc["ip"] = f"198.51.{index % 250}.{index % 200 + 1}"
    return json.dumps(doc).encode()


def mixed_clicks(count: int) -> Iterator[tuple[bytes, bytes]]:
    """``count`` clicks: half people's lone clicks, half scanner bursts of two links."""
    index = 0
    produced = 0
    while produced < count:
        key = f"c-bench:l-{index}".encode()
        if index % 2 == 0:
            yield key, _click(index, 0, scanner=False, at_ms=index * 7)
            produced += 1
        else:
            yield key, _click(index, 0, scanner=True, at_ms=index * 7)
            yield key, _click(index, 1, scanner=True, at_ms=index * 7 + 400)
            produced += 2
        index += 1


async def clicks_filtered(servers: Servers, events: int, logs: Path) -> Result:
    """Steady commands/s of the clicks worker on half-scanner traffic."""
    async with fresh(servers) as settings:
        topics = Topics(settings.topic_prefix)
        campaign = json.dumps(data.campaign()).encode()
        await publish(settings, topics.campaigns, [(b"c-bench", campaign)])
        clicks = list(mixed_clicks(events))
        await publish(settings, topics.clicks, clicks)
        spec = ("clicks", fleet.leadflow_command("clicks"))
        async with (
            Collector(settings, topics.commands) as seen,
            fleet.running(settings, [spec], logs) as procs,
        ):
            records = await seen.wait_for(
                len(clicks), timeout_s=_TIMEOUT_S, what="commands", check=fleet.all_alive(procs)
            )
            rss = max(p.rss_mb() for p in procs)
    return {**_rates(list(records)), "rss_mb": rss}


def _rates(records: list[Seen]) -> Result:
    """Clicks decided per second, the 5 s hold taken out.

    A person's command leaves 5 s after its click arrived, a scanner's at once: over a
    pre-filled backlog the commands' overall span is the processing time plus 5 s. Scanner
    commands leave as their clicks are read, interleaved with the people's, so their steady
    rate scaled by their share is the worker's processing rate.
    """
    scanners = [r for r in records if r.value is not None and b'"scanner click' in r.value]
    share = len(scanners) / len(records) if records else 1.0
    return {
        "per_s": steady_rate(scanners) / share if scanners else 0.0,
        "per_s_with_hold": steady_rate(records),
    }


async def click_hold(servers: Servers, rate: int, count: int, logs: Path) -> Result:
    """Publication → command of people's lone clicks offered at ``rate`` per second (ms)."""
    async with fresh(servers) as settings:
        topics = Topics(settings.topic_prefix)
        campaign = json.dumps(data.campaign()).encode()
        await publish(settings, topics.campaigns, [(b"c-bench", campaign)])
        spec = ("clicks", fleet.leadflow_command("clicks"))
        async with (
            Collector(settings, topics.commands) as seen,
            fleet.running(settings, [spec], logs) as procs,
        ):
            await fleet.wait_ready(procs)
            published = await _paced_people(settings, topics.clicks, rate, count)
            records = await seen.wait_for(
                count, timeout_s=_TIMEOUT_S, what="commands", check=fleet.all_alive(procs)
            )
    waits = [r.timestamp_ms - published[r.key] * 1000 for r in records if r.key in published]
    return {
        "p50_ms": percentile(waits, 50),
        "p99_ms": percentile(waits, 99),
        "max_ms": max(waits, default=0.0),
    }


def hold_load(sizes: Sizes) -> tuple[int, int]:
    """(rate, count) of the hold measurement: a fifth of the latency rate, as long."""
    rate = max(1, sizes.rate // 5)
    return rate, max(1, int(rate * sizes.latency_s))


async def _paced_people(settings: Any, topic: str, rate: int, count: int) -> dict[bytes, float]:
    """People's clicks at ``rate``/s; each lead key → its publication time (epoch seconds)."""
    producer = AIOKafkaProducer(**settings.kafka_client_options(), acks="all", linger_ms=0)
    published: dict[bytes, float] = {}
    try:
        await producer.start()
        started = time.monotonic()
        for i in range(count):
            delay = started + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            key = f"c-bench:l-{2 * i}".encode()
            published[key] = time.time()
            await producer.send(topic, _click(2 * i, 0, scanner=False, at_ms=i), key=key)
        await producer.flush()
    finally:
        await producer.stop()
    return published
