"""``python -m tools.bench.scale --leads N``: the fleet with many leads (``make bench-scale``).

Writes the ``scale`` section of ``docs/benchmarks.json`` (and its table in ``benchmarks.md``):

- ``enroll_per_s``: enroll commands applied per second (``--enroll`` leads, fewer than
  ``leads``: the rest are bulk-loaded with COPY, the parts after enrolment are not about it);
- ``launch_fanout_s``: publishing the launch of a campaign of ``leads`` leads → its fan-out
  committed (every lead scheduled); ``first_step_sends_per_s`` the send rate that follows;
- ``pause_fanout_s``: publishing a pause while those sends run → the pause holds (the
  campaign's sends held, committed before its fan-out: ``campaigns.SendHolds``);
  ``pause_committed_s``: → the fan-out to every lead committed (statuses in the outbox);
  ``sends_after_pause``: sends requested after the hold was seen committed (must be 0);
- ``lateness_p99_ms``: timers due at ``--rate`` per second with ``leads`` leads scheduled;
- ``db_bytes_per_lead``: ``leads`` table and indexes / leads; ``sequencer_rss_mb``: peak;
- ``cold_start_s``: a sequencer process started → its first send committed;
- ``failover_s``: kill -9 of a replica leading relay shards → their rows published (p50, p99);
- ``sends_1_replica_per_s`` / ``sends_2_replicas_per_s``: all-due sends, the leads inserted
  once the replicas split the relay shards (``measures.sends``): a deployment's steady state.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from tools.bench import data, fleet, measures
from tools.bench.env import Servers, fresh, local_servers, machine
from tools.bench.kio import Collector, publish, steady_rate
from tools.bench.observe import percentile
from workers.logs import configure_logging
from workers.sequencer import store
from workers.sequencer.progress import read_positions
from workers.settings import Settings
from workers.topics import Topics

_LEAD_COLUMNS = [
    "campaign_id",
    "lead_id",
    "status",
    "next_step",
    "due_at",
    "remaining_s",
    "resume_at",
    "reason",
    "last_manual_at",
    "version",
    "updated_at",
    "wake_at",
]
_SEQUENCER = ("sequencer", fleet.leadflow_command("sequencer"))
_LEADS_BYTES = "SELECT pg_total_relation_size('leads')"


def _note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _campaign(status: str, version: int, delay: str = "PT0S") -> dict[str, Any]:
    return {**data.campaign(delay=delay), "status": status, "version": version}


async def _scalar(settings: Settings, sql: str, *args: Any) -> Any:
    conn = await asyncpg.connect(settings.database_url)
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


async def _copy_leads(
    settings: Settings, rows: Iterator[tuple[object, ...]], *, chunk: int = 200_000
) -> None:
    conn = await asyncpg.connect(settings.database_url)
    try:
        batch: list[tuple[object, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= chunk:
                await conn.copy_records_to_table("leads", records=batch, columns=_LEAD_COLUMNS)
                batch = []
        if batch:
            await conn.copy_records_to_table("leads", records=batch, columns=_LEAD_COLUMNS)
    finally:
        await conn.close()


def _not_started(count: int, at: datetime) -> Iterator[tuple[object, ...]]:
    for i in range(count):
        yield (data.CAMPAIGN, f"l-{i}", "not_started", 1, None, None, None, "enrolled", None,
               1, at, None)  # fmt: skip


def _running(
    prefix: str, count: int, first: datetime, spacing_s: float
) -> Iterator[tuple[object, ...]]:
    for i in range(count):
        due = first + timedelta(seconds=i * spacing_s)
        yield (data.CAMPAIGN, f"{prefix}-{i}", "in_progress", 1, due, None, None, "started",
               None, 1, due, due)  # fmt: skip


def _enrolls(leads: int) -> Iterator[tuple[bytes, bytes]]:
    for i in range(leads):
        doc = {
            "command_id": f"enroll-{i}",
            "campaign_id": data.CAMPAIGN,
            "lead_id": f"e-{i}",
            "action": "enroll",
            "source": "manual",
            "actor": "bench",
            "occurred_at": "2026-06-01T10:00:00Z",
        }
        yield data.lead_key(f"e-{i}"), json.dumps(doc).encode()


async def enrolment(servers: Servers, leads: int, logs: Path) -> dict[str, Any]:
    """Enroll commands applied per second into a launched campaign (steps a day apart)."""
    async with fresh(servers) as settings:
        topics = Topics(settings.topic_prefix)
        await measures._seed(settings, data.campaign(delay="P1D"))
        count = await publish(settings, topics.commands, _enrolls(leads))
        seen, _ = await measures._drain(settings, [_SEQUENCER], topics.command_results, count, logs)
    return {"enroll_per_s": steady_rate(seen), "enroll_leads": leads}


async def _wait(probe: Any, *, timeout_s: float = 1800, every_s: float = 0.05) -> None:
    async def done() -> bool | None:
        return True if await probe() else None

    await _until(done, timeout_s=timeout_s, every_s=every_s)


async def launch_and_pause(
    servers: Servers, leads: int, logs: Path, sends_s: float
) -> dict[str, Any]:
    """Launch a campaign of ``leads`` (bulk-loaded) leads, let it send, pause it."""
    async with fresh(servers) as settings:
        topics = Topics(settings.topic_prefix)
        conn = await asyncpg.connect(settings.database_url)
        try:
            draft = _campaign("draft", 1)
            await conn.execute(
                "INSERT INTO campaigns (campaign_id, version, launched, deleted, settings,"
                " updated_at) VALUES ($1, 1, false, false, $2::jsonb, clock_timestamp())",
                data.CAMPAIGN,
                json.dumps(draft),
            )
            now = await conn.fetchval("SELECT clock_timestamp()")
        finally:
            await conn.close()
        await publish(settings, topics.campaigns, [(b"c-bench", json.dumps(draft).encode())])
        started = time.monotonic()
        await _copy_leads(settings, _not_started(leads, now))
        await _scalar(settings, "ANALYZE leads")
        _note(f"scale: {leads:,} leads loaded in {time.monotonic() - started:.1f}s")
        copied_bytes = await _scalar(settings, "SELECT pg_total_relation_size('leads')") / leads
        async with fleet.running(settings, [_SEQUENCER], logs) as procs:
            await fleet.wait_ready(procs, timeout_s=120)
            rss = _Peak(procs)
            launch = json.dumps(_campaign("active", 2)).encode()
            published = time.monotonic()
            await publish(settings, topics.campaigns, [(b"c-bench", launch)])
            await _wait(lambda: _launched(settings), every_s=0.2)
            launch_s = time.monotonic() - published
            _note(f"scale: launch fan-out {launch_s:.1f}s")
            # Every lead scheduled (indexed wake-up), updated once: dead versions included.
            bytes_per_lead = await _scalar(settings, _LEADS_BYTES) / leads
            before = await _sent(settings)
            t0 = time.monotonic()
            await asyncio.sleep(sends_s)
            rss.sample()
            sends_per_s = (await _sent(settings) - before) / (time.monotonic() - t0)
            pause = json.dumps(_campaign("paused", 3)).encode()
            published = time.monotonic()
            await publish(settings, topics.campaigns, [(b"c-bench", pause)])
            held_at = await _until(lambda: _held(settings))
            pause_s = time.monotonic() - published
            _note(f"scale: pause holds after {pause_s:.1f}s")
            await _wait(lambda: _paused(settings), every_s=0.05)
            committed_s = time.monotonic() - published
            rss.sample()
            await asyncio.sleep(2.0)  # a send committed after the pause would be visible now
            # A send requested after the hold was seen committed was decided by a timer that
            # read the campaign after that commit: one would break the pause.
            after = await _scalar(
                settings, "SELECT count(*) FROM send_log WHERE requested_at > $1", held_at
            )
            sent = await _sent(settings)
    return {
        "leads": leads,
        "launch_fanout_s": launch_s,
        "first_step_sends_per_s": sends_per_s,
        "pause_fanout_s": pause_s,
        "pause_committed_s": committed_s,
        "sends_after_pause": int(after),
        "sends_before_pause": sent,
        "db_bytes_per_lead": bytes_per_lead,
        "db_bytes_per_lead_copied": copied_bytes,
        "sequencer_rss_mb": rss.peak,
    }


class _Peak:
    """The peak RSS of processes, sampled in the background every 0.5 s."""

    def __init__(self, procs: list[fleet.Proc]) -> None:
        self._procs = procs
        self.peak = 0.0
        self._task = asyncio.create_task(self._follow())

    def sample(self) -> None:
        self.peak = max(self.peak, *(p.rss_mb() for p in self._procs))

    async def _follow(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(0.5)


async def _launched(settings: Settings) -> bool:
    return bool(await _scalar(settings, "SELECT launched FROM campaigns"))


async def _until(probe: Any, *, timeout_s: float = 1800, every_s: float = 0.05) -> Any:
    """The first value of ``probe`` that is not None, polled every ``every_s``."""
    deadline = time.monotonic() + timeout_s
    while (value := await probe()) is None:
        if time.monotonic() > deadline:
            raise TimeoutError("scale bench: condition not met")
        await asyncio.sleep(every_s)
    return value


async def _held(settings: Settings) -> datetime | None:
    """The database's clock when the campaign is seen held or paused (None: not yet)."""
    held: datetime | None = await _scalar(
        settings,
        "SELECT CASE WHEN sends_held_at IS NOT NULL OR settings->>'status' = 'paused'"
        " THEN clock_timestamp() END FROM campaigns",
    )
    return held


async def _paused(settings: Settings) -> bool:
    status = await _scalar(settings, "SELECT settings->>'status' FROM campaigns")
    return bool(status == "paused")


async def _sent(settings: Settings) -> int:
    return int(await _scalar(settings, "SELECT count(*) FROM send_log"))


async def lateness_and_cold_start(
    servers: Servers, leads: int, rate: int, duration_s: float, logs: Path
) -> dict[str, Any]:
    """Cold start to the first send, then lateness at ``rate``/s with ``leads`` scheduled."""
    count = int(rate * duration_s)
    async with fresh(servers) as settings:
        topics = Topics(settings.topic_prefix)
        await measures._seed(settings, data.campaign(delay="PT0S"))
        now = await _scalar(settings, "SELECT clock_timestamp()")
        await _copy_leads(settings, _running("far", leads, now + timedelta(days=1), 0.0))
        await _copy_leads(settings, _running("now", 1, now, 0.0))
        await _scalar(settings, "ANALYZE leads")
        explain = await _scalar(
            settings, "EXPLAIN (FORMAT JSON) " + store.CLAIM_DUE.replace("$1", "2000")
        )
        async with Collector(settings, topics.sends) as seen:
            started = time.monotonic()
            async with fleet.running(settings, [_SEQUENCER], logs) as procs:
                await seen.wait_for(1, timeout_s=300, what="first send")
                cold_s = time.monotonic() - started
                first = await _scalar(settings, "SELECT clock_timestamp() + interval '2 seconds'")
                await _copy_leads(settings, _running("due", count, first, 1 / rate))
                records = await seen.wait_for(
                    count + 1, timeout_s=600, what="sends", check=fleet.all_alive(procs)
                )
    late = [measures._late_ms(json.loads(s.value)) for s in records[1:] if s.value]
    plan = json.loads(explain)[0]["Plan"] if isinstance(explain, str) else explain[0]["Plan"]
    return {
        "cold_start_s": cold_s,
        "lateness_p99_ms": percentile(late, 99),
        "lateness_p50_ms": percentile(late, 50),
        "claim_plan": _plan_nodes(plan),
    }


def _plan_nodes(plan: dict[str, Any]) -> list[str]:
    """The claim's plan as ``node (index)`` names, outermost first."""
    nodes = [f"{plan['Node Type']} ({plan.get('Index Name', '')})".replace(" ()", "")]
    for child in plan.get("Plans", []):
        nodes.extend(_plan_nodes(child))
    return nodes


async def failover(servers: Servers, kills: int, logs: Path) -> dict[str, Any]:
    """kill -9 of a replica leading relay shards → those shards' rows published."""
    gaps: list[float] = []
    rate, duration_s = 500, 30.0 + 12.0 * kills
    async with fresh(servers) as settings:
        await measures._seed(settings, data.campaign(delay="PT0S"))
        first = await _scalar(settings, "SELECT clock_timestamp() + interval '1 second'")
        await _copy_leads(settings, _running("f", int(rate * duration_s), first, 1 / rate))
        procs = [fleet.start(settings, f"replica{i}", _SEQUENCER[1], logs) for i in (0, 1)]
        try:
            for attempt in range(kills):
                led = await _balanced(settings, procs)
                victim = next(p for p in procs if led.get(p.popen.pid))
                shards = led[victim.popen.pid]
                victim.popen.kill()
                written = await _last_seqs(settings)
                killed = time.monotonic()
                await _wait(functools.partial(_published, settings, written, shards), timeout_s=60)
                gaps.append(time.monotonic() - killed)
                _note(f"scale: failover {attempt + 1}/{kills}: {gaps[-1]:.2f}s")
                victim.popen.wait()
                procs[procs.index(victim)] = fleet.start(settings, victim.name, _SEQUENCER[1], logs)
        finally:
            for proc in procs:
                fleet.stop(proc)
    return {"failover_s": {"p50": percentile(gaps, 50), "p99": percentile(gaps, 99), "runs": gaps}}


async def _balanced(settings: Settings, procs: list[fleet.Proc]) -> dict[int, list[int]]:
    """Wait until both replicas lead shards; the shards per pid."""
    led: dict[int, list[int]] = {}

    async def probe() -> bool:
        nonlocal led
        conn = await asyncpg.connect(settings.database_url)
        try:
            rows = await conn.fetch("SELECT shard, owner FROM relay_shards WHERE owner IS NOT NULL")
        finally:
            await conn.close()
        led = {}
        for row in rows:
            pid = int(row["owner"].rsplit("-", 2)[1])
            led.setdefault(pid, []).append(row["shard"])
        return all(p.popen.pid in led for p in procs)

    await _wait(probe, timeout_s=60, every_s=0.2)
    return led


async def _last_seqs(settings: Settings) -> dict[int, int]:
    conn = await asyncpg.connect(settings.database_url)
    try:
        return await store.shard_last_seqs(conn)
    finally:
        await conn.close()


async def _published(settings: Settings, written: dict[int, int], shards: list[int]) -> bool:
    positions = await read_positions(settings, Topics(settings.topic_prefix))
    return all(positions.get(s, 0) >= written.get(s, 0) for s in shards)


async def replicas(servers: Servers, leads: int, logs: Path) -> dict[str, Any]:
    """All-due sends with one, then two replicas (each run waits for its relay split first)."""
    one = await measures.sends(servers, leads, logs, replicas=1)
    two = await measures.sends(servers, leads, logs, replicas=2)
    return {
        "sends_1_replica_per_s": one["per_s"],
        "sends_2_replicas_per_s": two["per_s"],
        "replicas_ratio": two["per_s"] / one["per_s"] if one["per_s"] else 0.0,
        "replica_sends_leads": leads,
    }


async def scale(servers: Servers, args: argparse.Namespace, logs: Path) -> dict[str, Any]:
    """Every scale measurement once; the ``scale`` section."""
    started = time.monotonic()
    about = await machine(servers)
    section: dict[str, Any] = {"command": " ".join(sys.argv), "machine": about}
    section |= await launch_and_pause(servers, args.leads, logs, args.sends_s)
    _note(f"scale: {section}")
    if args.only == "launch_pause":
        return section
    section |= await enrolment(servers, args.enroll, logs)
    section |= await lateness_and_cold_start(servers, args.leads, args.rate, args.lateness_s, logs)
    section |= await failover(servers, args.kills, logs)
    section |= await replicas(servers, args.replica_leads, logs)
    section["took_s"] = time.monotonic() - started
    return section


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m tools.bench.scale", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs"))
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--enroll", type=int, default=50_000)
    parser.add_argument("--sends-s", type=float, default=10.0, help="sending before the pause")
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--lateness-s", type=float, default=15.0)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument(
        "--replica-leads",
        type=int,
        default=100_000,
        help="all-due leads of the replicas comparison (about 10 s at the two-replica rate)",
    )
    parser.add_argument(
        "--only", choices=["launch_pause"], help="run only this part (while iterating on it)"
    )
    parser.add_argument("--bootstrap")
    parser.add_argument("--postgres-url")
    return parser.parse_args(argv)


def write(section: dict[str, Any], out: Path) -> None:
    """Add ``scale`` to ``out/benchmarks.json`` and its table to ``benchmarks.md``."""
    from tools.bench import report  # noqa: PLC0415 (report imports the runner)

    path = out / "benchmarks.json"
    doc = json.loads(path.read_text()) if path.exists() else {}
    doc["scale"] = section
    report.write(doc, out) if "runs" in doc else path.write_text(json.dumps(doc, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = parse(argv)
    configure_logging("warning")
    logs = Path(tempfile.mkdtemp(prefix="leadflow-scale-"))
    _note(f"workers' logs: {logs}")
    if args.bootstrap and args.postgres_url:
        section = asyncio.run(scale(Servers(args.bootstrap, args.postgres_url), args, logs))
    else:
        with local_servers() as servers:
            section = asyncio.run(scale(servers, args, logs))
    write(section, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
