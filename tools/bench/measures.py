"""One run of each measurement, on a fresh topic prefix and database.

Throughputs are steady-state rates from the output's CreateTime stamps (see ``kio.steady_rate``),
read back with read_committed: a record counts once a downstream reader could see it.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer

from tools.bench import data, fleet
from tools.bench.env import Servers, fresh
from tools.bench.kio import Collector, Seen, publish, steady_rate
from workers.settings import Settings
from workers.topics import Topics

Result = dict[str, Any]
#: A ceiling on any single wait, far above any expected duration.
_TIMEOUT_S = 600.0
_WARMUP_EVENTS = 50


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q`` percentile (0 < q ≤ 100) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


async def _db(settings: Settings) -> asyncpg.Connection:
    return await asyncpg.connect(settings.database_url)


async def _seed(settings: Settings, campaign: dict[str, Any], *, topic: bool = False) -> None:
    """The campaign row in the database (and on the campaigns topic when ``topic``)."""
    conn = await _db(settings)
    try:
        await data.insert_campaign(conn, campaign)
    finally:
        await conn.close()
    if topic:
        value = json.dumps(campaign).encode()
        await publish(settings, Topics(settings.topic_prefix).campaigns, [(b"c-bench", value)])


async def _drain(
    settings: Settings, specs: Sequence[tuple[str, Sequence[str]]], out: str, count: int, logs: Path
) -> tuple[list[Seen], float]:
    """Run the processes until ``count`` records are on ``out``; the records and peak RSS."""
    async with (
        Collector(settings, out) as seen,
        fleet.running(settings, specs, logs) as procs,
    ):
        records = await seen.wait_for(
            count, timeout_s=_TIMEOUT_S, what=f"records on {out}", check=fleet.all_alive(procs)
        )
        rss = max(p.rss_mb() for p in procs)
    return list(records), rss


async def passthrough(servers: Servers, events: int, logs: Path) -> Result:
    """(a) the raw limit: reply-sized records copied by a plain consume→produce loop."""
    async with fresh(servers) as settings:
        topics = Topics(settings.topic_prefix)
        await publish(settings, topics.replies, data.events("replies", events))
        spec = ("passthrough", fleet.passthrough_command(topics.replies, topics.commands))
        seen, rss = await _drain(settings, [spec], topics.commands, events, logs)
    return {"per_s": steady_rate(seen), "rss_mb": rss}


async def ingest(servers: Servers, kind: str, events: int, logs: Path) -> Result:
    """(b) an ingest worker turning pre-filled events into commands."""
    async with fresh(servers) as settings:
        topics = Topics(settings.topic_prefix)
        campaign = json.dumps(data.campaign()).encode()
        await publish(settings, topics.campaigns, [(b"c-bench", campaign)])
        await publish(settings, topics.name(f"events.{kind}"), data.events(kind, events))
        spec = (kind, fleet.leadflow_command(kind))
        seen, rss = await _drain(settings, [spec], topics.commands, events, logs)
    return {"per_s": steady_rate(seen), "rss_mb": rss}


async def commands(servers: Servers, leads: int, logs: Path) -> Result:
    """(c) the sequencer applying enroll, pause and resume for ``leads`` leads."""
    async with fresh(servers) as settings:
        topics = Topics(settings.topic_prefix)
        await _seed(settings, data.campaign(delay="P1D"))
        count = await publish(settings, topics.commands, data.commands(leads))
        spec = ("sequencer", fleet.leadflow_command("sequencer"))
        seen, rss = await _drain(settings, [spec], topics.command_results, count, logs)
    applied = sum(1 for s in seen if s.value and json.loads(s.value)["outcome"] == "applied")
    return {"per_s": steady_rate(seen), "rss_mb": rss, "applied": applied, "commands": count}


async def sends(servers: Servers, leads: int, logs: Path, *, replicas: int = 1) -> Result:
    """(d, h) ``leads`` leads due at once, sent by ``replicas`` sequencers."""
    async with fresh(servers) as settings:
        topics = Topics(settings.topic_prefix)
        await _seed(settings, data.campaign(delay="PT0S"))
        conn = await _db(settings)
        try:
            past = await conn.fetchval("SELECT clock_timestamp() - interval '1 second'")
            await data.insert_running_leads(conn, leads, past)
        finally:
            await conn.close()
        specs = [(f"sequencer{i}", fleet.leadflow_command("sequencer")) for i in range(replicas)]
        seen, rss = await _drain(settings, specs, topics.sends, leads, logs)
        await asyncio.sleep(0.5)  # a duplicate, if any, would be committed by now
    ids = [json.loads(s.value)["send_id"] for s in seen if s.value]
    return {"per_s": steady_rate(seen), "rss_mb": rss, "duplicates": len(ids) - len(set(ids))}


async def lateness(servers: Servers, rate: int, duration_s: float, logs: Path) -> Result:
    """(f) timers due at a steady ``rate`` per second: requested_at - due_at of each send."""
    count = max(1, int(rate * duration_s))
    async with fresh(servers) as settings:
        topics = Topics(settings.topic_prefix)
        await _seed(settings, data.campaign(delay="PT0S"))
        spec = ("sequencer", fleet.leadflow_command("sequencer"))
        async with (
            Collector(settings, topics.sends) as seen,
            fleet.running(settings, [spec], logs) as procs,
        ):
            await fleet.wait_ready(procs)
            conn = await _db(settings)
            try:
                start = await conn.fetchval("SELECT clock_timestamp() + interval '2 seconds'")
                await data.insert_running_leads(conn, count, start, 1 / rate)
            finally:
                await conn.close()
            records = await seen.wait_for(
                count, timeout_s=_TIMEOUT_S, what="sends", check=fleet.all_alive(procs)
            )
    late = [_late_ms(json.loads(s.value)) for s in records if s.value]
    return {"p50": percentile(late, 50), "p99": percentile(late, 99), "max": max(late)}


def _late_ms(send: dict[str, Any]) -> float:
    requested = datetime.fromisoformat(send["requested_at"])
    due = datetime.fromisoformat(send["due_at"])
    return (requested - due) / timedelta(milliseconds=1)


async def latency(servers: Servers, rate: int, duration_s: float, logs: Path) -> Result:
    """(e) reply events at a fixed ``rate``: publication → the lead's paused LeadStatus."""
    count = max(1, int(rate * duration_s))
    async with fresh(servers) as settings:
        topics = Topics(settings.topic_prefix)
        await _seed(settings, data.campaign(delay="P1D", reply="pause"), topic=True)
        conn = await _db(settings)
        try:
            later = await conn.fetchval("SELECT clock_timestamp() + interval '1 day'")
            await data.insert_running_leads(conn, count + _WARMUP_EVENTS, later)
        finally:
            await conn.close()
        specs = [(n, fleet.leadflow_command(n)) for n in ("replies", "sequencer")]
        async with (
            Collector(settings, topics.lead_status) as seen,
            Collector(settings, topics.commands) as commands,
            fleet.running(settings, specs, logs) as procs,
        ):
            await fleet.wait_ready(procs)
            published = await _offer(settings, topics.replies, rate, count)
            records = await seen.wait_for(
                count + _WARMUP_EVENTS,
                timeout_s=_TIMEOUT_S,
                what="paused statuses",
                check=fleet.all_alive(procs),
            )
            commanded = await commands.wait_for(
                count + _WARMUP_EVENTS, timeout_s=_TIMEOUT_S, what="commands"
            )
    stages = _stages(published, _firsts(published, commanded), _firsts(published, records))
    return _latencies(published, records) | stages | {"rate_per_s": rate}


async def _offer(settings: Settings, topic: str, rate: int, count: int) -> dict[bytes, float]:
    """Warm up with a few events, then publish ``count`` events paced at ``rate`` per second."""
    producer = AIOKafkaProducer(**settings.kafka_client_options(), acks="all", linger_ms=0)
    try:
        await producer.start()
        warm = [
            await producer.send(topic, data.event("replies", count + i), key=None)
            for i in range(_WARMUP_EVENTS)
        ]
        await asyncio.gather(*warm)
        await asyncio.sleep(2.0)
        return await _paced(producer, topic, rate, count)
    finally:
        await producer.stop()


async def _paced(
    producer: AIOKafkaProducer, topic: str, rate: int, count: int
) -> dict[bytes, float]:
    """Publish event i at ``start + i/rate`` (catching up after any stall); publish times."""
    published: dict[bytes, float] = {}
    acks = []
    start = time.time()
    sent = 0
    while sent < count:
        due = min(count, int((time.time() - start) * rate) + 1)
        for i in range(sent, due):
            now = time.time()
            published[data.lead_key(f"l-{i}")] = now
            acks.append(await producer.send(topic, data.event("replies", i), key=None))
        sent = due
        await asyncio.sleep(0.002)
    await asyncio.gather(*acks)
    return published


def _firsts(published: dict[bytes, float], records: Sequence[Seen]) -> dict[bytes, Seen]:
    """The first record of each published lead key."""
    first: dict[bytes, Seen] = {}
    for seen in records:
        if seen.key in published and seen.key not in first:
            first[seen.key] = seen
    return first


def _stages(
    published: dict[bytes, float], commands: dict[bytes, Seen], statuses: dict[bytes, Seen]
) -> Result:
    """Where the latency goes, per lead, by the records' CreateTime (p50/p99 in ms).

    CreateTime is stamped when a producer batches a record, before it is sent. ``ingest``:
    publication → the replies worker batches the command; ``sequencer``: → the relay batches
    the status (the command's delivery, the sequencer's fetch and transaction, the outbox
    read); ``readback``: → arrival at the read_committed reader (the relay's Kafka
    transaction and the reader's fetch).
    """
    ingest, sequencer, readback = [], [], []
    for key, status in statuses.items():
        command = commands.get(key)
        if command is None:
            continue
        ingest.append(command.timestamp_ms - published[key] * 1000)
        sequencer.append(status.timestamp_ms - command.timestamp_ms)
        readback.append(status.received_s * 1000 - status.timestamp_ms)
    return {
        f"{name}_{q}": percentile(values, int(q[1:]))
        for name, values in (("ingest", ingest), ("sequencer", sequencer), ("readback", readback))
        for q in ("p50", "p99")
    }


def _latencies(published: dict[bytes, float], records: Sequence[Seen]) -> Result:
    """p50/p99 of (first status received - publication) per lead, in ms."""
    first = _firsts(published, records)
    received = [(s.received_s - published[k]) * 1000 for k, s in first.items()]
    stamped = [(s.timestamp_ms / 1000 - published[k]) * 1000 for k, s in first.items()]
    return {
        "p50": percentile(received, 50),
        "p99": percentile(received, 99),
        "max": max(received, default=0.0),
        "p99_created": percentile(stamped, 99),
        "leads": len(received),
    }
