"""One run of each measurement, on a fresh topic prefix and database.

Throughputs are steady-state rates from the output's CreateTime stamps (see ``kio.steady_rate``),
read back with read_committed: a record counts once a downstream reader could see it.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer

from tools.bench import data, fleet, jit, observe
from tools.bench.env import Servers, fresh
from tools.bench.kio import Collector, Seen, publish, steady_rate
from tools.bench.observe import percentile
from workers.settings import Settings
from workers.topics import Topics

Result = dict[str, Any]
#: A ceiling on any single wait, far above any expected duration.
_TIMEOUT_S = 600.0
_WARMUP_EVENTS = 50
#: A replica's surplus shards are handed over at a lease renewal: seconds, not minutes.
_RELAY_SPLIT_TIMEOUT_S = 120.0


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
    """(d, h) ``leads`` leads due at once, sent by ``replicas`` sequencers in steady state.

    The leads are inserted once every replica is ready and the relay shards are split
    between them (``relays_split``): the rate is the deployment's, not that of one replica
    relaying alone while the others wait for their share.
    """
    async with fresh(servers) as settings:
        topics = Topics(settings.topic_prefix)
        await _seed(settings, data.campaign(delay="PT0S"))
        specs = [(f"sequencer{i}", fleet.leadflow_command("sequencer")) for i in range(replicas)]
        async with Collector(settings, topics.sends) as seen:
            async with fleet.running(settings, specs, logs) as procs:
                alive = fleet.all_alive(procs)
                await fleet.wait_ready(procs)
                await _relays_split(settings, replicas, check=alive)
                conn = await _db(settings)
                try:
                    past = await conn.fetchval("SELECT clock_timestamp() - interval '1 second'")
                    await data.insert_running_leads(conn, leads, past)
                finally:
                    await conn.close()
                await seen.wait_for(leads, timeout_s=_TIMEOUT_S, what="sends", check=alive)
                rss = max(p.rss_mb() for p in procs)
                shares = await _shares(procs)
            await asyncio.sleep(0.5)  # a duplicate, if any, would be read by now
        records = list(seen.records)
    ids = [json.loads(s.value)["send_id"] for s in records if s.value]
    return {
        "per_s": steady_rate(records),
        "rss_mb": rss,
        "duplicates": len(ids) - len(set(ids)),
        "by_replica": shares,
    }


#: Per replica: sends its timers wrote to the outbox, and outbox rows its relay published.
_SHARE_COUNTERS = ("leadflow_sends_total", "leadflow_outbox_relayed_total")


async def _shares(procs: Sequence[fleet.Proc]) -> dict[str, list[int | None]]:
    """What each replica did, in ``procs`` order (None: its metrics were unreadable)."""
    scrapes = await asyncio.gather(
        *(
            asyncio.to_thread(observe.scrape_counters, p.metrics_port, _SHARE_COUNTERS)
            for p in procs
        )
    )
    return {
        name.removeprefix("leadflow_").removesuffix("_total"): [
            int(s[name]) if s is not None else None for s in scrapes
        ]
        for name in _SHARE_COUNTERS
    }


#: The relay's leadership now: sessions leading shards, the most shards one of them leads,
#: shards without a leader, the rows of ``relay_shards`` (a shard gets its row when first
#: led) and the shards the outbox is split into (``store.ENSURE_SHARDS``; 0 before a relay
#: started).
_RELAY_LEADERS = """
WITH led AS (SELECT owner, count(*) AS n FROM relay_shards WHERE owner IS NOT NULL GROUP BY owner)
SELECT (SELECT count(*) FROM led) AS leaders, (SELECT coalesce(max(n), 0) FROM led) AS most,
  (SELECT count(*) FROM relay_shards WHERE owner IS NULL) AS free,
  (SELECT count(*) FROM relay_shards) AS rows, (SELECT count(*) FROM outbox_shards) AS shards
"""


def relays_split(
    replicas: int, *, leaders: int, most: int, free: int, rows: int, shards: int
) -> bool:
    """True when every relay shard has a leader and ``replicas`` sessions lead a fair share.

    ``leaders`` counts distinct ``relay_shards.owner`` values: one per replica whether the
    owner names a process or one of its sessions (a replica runs one session at a time).
    A fair share is at most ``ceil(shards / replicas)``: a replica still over it hands the
    surplus over later, in the middle of the measurement. With fewer shards than replicas,
    every shard led by a different replica is the most there can be.
    """
    if shards == 0 or rows < shards or free > 0:
        return False
    return leaders == min(replicas, shards) and most <= math.ceil(shards / replicas)


async def _relays_split(
    settings: Settings, replicas: int, *, check: Callable[[], None], every_s: float = 0.05
) -> None:
    """Wait until ``relays_split`` (``check`` may raise: a replica died)."""
    deadline = time.monotonic() + _RELAY_SPLIT_TIMEOUT_S
    conn = await _db(settings)
    try:
        while not relays_split(replicas, **dict((await conn.fetch(_RELAY_LEADERS))[0])):
            check()
            if time.monotonic() > deadline:
                raise TimeoutError(f"relay shards not split between {replicas} replicas")
            await asyncio.sleep(every_s)
    finally:
        await conn.close()


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


@contextlib.contextmanager
def no_collector_pauses() -> Iterator[None]:
    """No cyclic garbage collection in this (the load generator's) process meanwhile.

    With the 20,000 prebuilt events and the records collected so far, a full collection of
    the bench process took 77-129 ms in the latency window (measured with ``gc.callbacks``):
    its event loop stopped, so events stamped before their ``send`` reached the broker late
    (counted as ingest time) and statuses were read late (counted as readback). Those pauses
    are the load generator's, not the fleet's. Reference counting still frees what the window
    drops; the cycles wait until after it.
    """
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


async def latency(
    servers: Servers, rate: int, duration_s: float, logs: Path, *, reply_kind: str | None = None
) -> Result:
    """(e) reply events at a fixed ``rate``: publication → the lead's paused LeadStatus.

    The window from the first paced event to the last status is watched (``observe.Watch``):
    what the workers' loops, the broker's GC and PostgreSQL did in it goes under ``explain``.
    Inside the window the benchmark only publishes prebuilt events and receives the statuses;
    the commands (whose CreateTime splits the latency into stages) are read after it.
    """
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
        offer = Offer(settings, topics.replies, reply_kind, count)
        async with (
            Collector(settings, topics.lead_status) as seen,
            fleet.running(settings, specs, logs) as procs,
            offer,
        ):
            await fleet.wait_ready(procs)
            await offer.warm_up()
            settled = await jit.settle(servers.bootstrap)
            watch = observe.Watch(servers.postgres_url, servers.bootstrap, procs)
            await watch.open()
            with no_collector_pauses():
                offered = await offer.paced(rate)
                records = await seen.wait_for(
                    count + _WARMUP_EVENTS,
                    timeout_s=_TIMEOUT_S,
                    what="paused statuses",
                    check=fleet.all_alive(procs),
                )
            await watch.close()
        # Committed before their statuses were: all there, with the CreateTime they were sent with.
        async with Collector(settings, topics.commands) as commands:
            commanded = await commands.wait_for(
                count + _WARMUP_EVENTS, timeout_s=_TIMEOUT_S, what="commands"
            )
    published = offered.published
    leads = _leads(published, _firsts(published, commanded), _firsts(published, records))
    explain = watch.figures() | {
        "jit_settle_s": None if settled is None else settled.waited_s,
        "jit_quiet": None if settled is None else settled.quiet,
        "offer_late_ms": _summary(offered.late_ms),
        "worst_leads": _worst(leads, watch.start_s),
        "max_by_second_ms": _max_by_second(leads, watch.start_s),
    }
    return (
        _latencies(published, records)
        | _stages(leads)
        | {"rate_per_s": rate, "offer_late_p99": percentile(offered.late_ms, 99)}
        | {"explain": explain}
    )


@dataclass(frozen=True, slots=True)
class Offered:
    """The paced events: publication time (epoch s) per lead key, and each one's lateness."""

    published: dict[bytes, float]
    #: How late each publication was against its schedule ``start + i/rate`` (ms).
    late_ms: list[float]


class Offer:
    """The latency run's load generator: a producer publishing reply events at a fixed rate.

    The ``count`` measured events and their lead keys are built when the offer is made,
    before the window opens: inside it, the pacing loop only stamps and publishes.
    """

    def __init__(self, settings: Settings, topic: str, reply_kind: str | None, count: int) -> None:
        self._producer = AIOKafkaProducer(
            **settings.kafka_client_options(), acks="all", linger_ms=0
        )
        self._topic = topic
        self._reply_kind = reply_kind
        self._events = [self._event(i) for i in range(count)]
        self._keys = [data.lead_key(f"l-{i}") for i in range(count)]

    async def __aenter__(self) -> Offer:
        try:
            await self._producer.start()
        except BaseException:
            await self._producer.stop()
            raise
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self._producer.stop()

    def _event(self, index: int) -> bytes:
        return data.event("replies", index, reply_kind=self._reply_kind)

    async def warm_up(self) -> None:
        """A few events for leads after the measured ones, then a pause for them to pass."""
        first = len(self._events)
        warm = [
            await self._producer.send(self._topic, self._event(first + i), key=None)
            for i in range(_WARMUP_EVENTS)
        ]
        await asyncio.gather(*warm)
        await asyncio.sleep(2.0)

    async def paced(self, rate: int) -> Offered:
        """Publish event i at ``start + i/rate`` (catching up after any stall).

        Each event's publication time is read just before its ``send``, as it always was.
        """
        events = self._events
        count = len(events)
        stamps = [0.0] * count
        acks = []
        start = time.time()
        sent = 0
        while sent < count:
            due = min(count, int((time.time() - start) * rate) + 1)
            for i in range(sent, due):
                stamps[i] = time.time()
                acks.append(await self._producer.send(self._topic, events[i], key=None))
            sent = due
            await asyncio.sleep(0.002)
        await asyncio.gather(*acks)
        return offered(self._keys, stamps, start, rate)


def offered(keys: Sequence[bytes], stamps: Sequence[float], start: float, rate: int) -> Offered:
    """Event i (lead key ``keys[i]``) published at ``stamps[i]``, due at ``start + i/rate``."""
    return Offered(
        dict(zip(keys, stamps, strict=True)),
        [(stamp - start - i / rate) * 1000 for i, stamp in enumerate(stamps)],
    )


def _firsts(published: dict[bytes, float], records: Sequence[Seen]) -> dict[bytes, Seen]:
    """The first record of each published lead key."""
    first: dict[bytes, Seen] = {}
    for seen in records:
        if seen.key in published and seen.key not in first:
            first[seen.key] = seen
    return first


@dataclass(frozen=True, slots=True)
class Lead:
    """One measured lead: when its event was published (epoch s) and its stages (ms)."""

    published_s: float
    ingest_ms: float
    sequencer_ms: float
    readback_ms: float

    @property
    def total_ms(self) -> float:
        return self.ingest_ms + self.sequencer_ms + self.readback_ms


def _leads(
    published: dict[bytes, float], commands: dict[bytes, Seen], statuses: dict[bytes, Seen]
) -> list[Lead]:
    """Each lead's stages, by the records' CreateTime (leads without a command are left out).

    CreateTime is stamped when a producer batches a record, before it is sent. ``ingest``:
    publication → the replies worker batches the command; ``sequencer``: → the relay batches
    the status (the command's delivery, the sequencer's fetch and transaction, the outbox
    read); ``readback``: → arrival at the read_committed reader (the relay's Kafka
    transaction and the reader's fetch).
    """
    leads = []
    for key, status in statuses.items():
        command = commands.get(key)
        if command is None:
            continue
        leads.append(
            Lead(
                published[key],
                command.timestamp_ms - published[key] * 1000,
                status.timestamp_ms - command.timestamp_ms,
                status.received_s * 1000 - status.timestamp_ms,
            )
        )
    return leads


_STAGE_NAMES = ("ingest", "sequencer", "readback")


def _stages(leads: Sequence[Lead]) -> Result:
    """p50, p99 and max of each stage (ms), each taken on its own."""
    result: Result = {}
    for name in _STAGE_NAMES:
        values = [getattr(lead, f"{name}_ms") for lead in leads]
        result |= {
            f"{name}_p50": percentile(values, 50),
            f"{name}_p99": percentile(values, 99),
            f"{name}_max": max(values, default=0.0),
        }
    return result


def _summary(values: Sequence[float]) -> dict[str, float]:
    """p50, p99 and max of ``values``, rounded to 0.1."""
    return {
        "p50": round(percentile(values, 50), 1),
        "p99": round(percentile(values, 99), 1),
        "max": round(max(values, default=0.0), 1),
    }


def _worst(leads: Sequence[Lead], start_s: float, count: int = 5) -> list[dict[str, float]]:
    """The ``count`` slowest leads: when (s from the window's start) and where the time went."""
    slowest = sorted(leads, key=lambda lead: -lead.total_ms)[:count]
    return [
        {
            "at_s": round(lead.published_s - start_s, 2),
            "total_ms": round(lead.total_ms, 1),
            **{f"{n}_ms": round(getattr(lead, f"{n}_ms"), 1) for n in _STAGE_NAMES},
        }
        for lead in slowest
    ]


def _max_by_second(leads: Sequence[Lead], start_s: float) -> list[float]:
    """The slowest lead published in each second of the window (ms): a tail's shape in time."""
    slowest: dict[int, float] = {}
    for lead in leads:
        second = max(0, int(lead.published_s - start_s))
        slowest[second] = max(slowest.get(second, 0.0), lead.total_ms)
    return [round(slowest.get(s, 0.0), 1) for s in range(max(slowest, default=-1) + 1)]


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
