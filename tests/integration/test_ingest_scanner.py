"""Scanner clicks on the real broker: each rule, noise around a person, split bursts, kill -9."""

from __future__ import annotations

import signal
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from schemas import Action
from tests.integration.conftest import TEST_PARTITIONS
from tests.integration.ingest_helpers import (
    campaign,
    event,
    publish,
    put_campaigns,
    ready,
    running,
    spawn,
    tail,
    until,
)
from workers.kafka_io import lead_partitioner
from workers.settings import Settings
from workers.topics import Topics

pytestmark = pytest.mark.integration

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari"
PERSON_IP = "203.0.113.9"


def click(event_id: str, lead: str, url: str = "https://x.test/a", **extra: Any) -> bytes:
    """A click of campaign c-42 by ``lead``, from a person's browser unless ``extra`` says not."""
    fields: dict[str, Any] = {"url": url, "user_agent": BROWSER, "ip": PERSON_IP, **extra}
    return event(event_id, "c-42", lead, **fields)


def at(seconds: float) -> str:
    """T0 plus ``seconds``, as RFC 3339."""
    return (T0 + timedelta(seconds=seconds)).isoformat()


#: event id -> (click fields, expected action, expected words in the reason)
RULES: dict[str, tuple[dict[str, Any], Action, str]] = {
    "person": ({}, Action.PAUSE, "link_click automation: pause"),
    "head": ({"method": "HEAD"}, Action.CONTINUE, "scanner click (HEAD request)"),
    "honeypot": ({"honeypot": True}, Action.CONTINUE, "scanner click (honeypot link)"),
    "flag": ({"bot_hint": "generic"}, Action.CONTINUE, "scanner click (provider flag: generic)"),
    "microsoft": (
        {"ip": "40.92.17.3"},
        Action.CONTINUE,
        "scanner click (Microsoft mail-protection network 40.92.0.0/15)",
    ),
    "empty-agent": ({"user_agent": ""}, Action.CONTINUE, "scanner click (empty user agent)"),
    "library": (
        {"user_agent": "python-requests/2.32.3"},
        Action.CONTINUE,
        "scanner click (HTTP library user agent (python-requests))",
    ),
    "headless": (
        {"user_agent": "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/124.0.0.0 Safari/537.36"},
        Action.CONTINUE,
        "scanner click (headless browser user agent)",
    ),
    "early": ({"sent_at": at(-12)}, Action.CONTINUE, "scanner click (12 s after sending)"),
    "early-step": ({"step": 1}, Action.CONTINUE, "scanner click (8 s after sending)"),
    "late-step": ({"step": 2}, Action.PAUSE, "link_click automation: pause"),
}


async def record_sends(database_url: str) -> None:
    """The sequencer requested step 1 of lead early-step 8 s, step 2 of late-step 1 h, before T0."""
    conn = await asyncpg.connect(database_url)
    try:
        await conn.executemany(
            "INSERT INTO send_log (send_id, requested_at) VALUES ($1, $2)",
            [
                ("c-42:l-early-step:1", T0 - timedelta(seconds=8)),
                ("c-42:l-late-step:2", T0 - timedelta(hours=1)),
            ],
        )
    finally:
        await conn.close()


def key_on_partition(partition: int, stem: str) -> bytes:
    """A record key the default partitioner puts on ``partition`` of the events topic."""
    partitions = list(range(TEST_PARTITIONS))
    for i in range(1000):
        key = f"{stem}-{i}".encode()
        if lead_partitioner(key, partitions, partitions) == partition:
            return key
    raise AssertionError("no key found")  # pragma: no cover


class TestEachRule:
    """Each rule alone makes a click a scanner's: continue, the reason naming the evidence."""

    async def test_each_rule_alone(self, settings: Settings) -> None:
        """One lead per rule; the person's click and the late one follow the pause rule.

        Keyed by lead, on co-partitioned topics, no click takes the internal hop.
        """
        topics = Topics(settings.topic_prefix)
        await put_campaigns(settings, campaign("c-42", link_click="pause"))
        await record_sends(settings.database_url)
        records = [
            (f"c-42:l-{name}".encode(), click(name, f"l-{name}", **fields))
            for name, (fields, _, _) in RULES.items()
        ]
        async with tail(settings, topics.commands) as out, running(settings, "clicks") as run:
            await ready(run)
            await publish(settings, topics.clicks, records)
            await until(lambda: len(out.records) >= len(RULES), timeout_s=60, what="every command")
        found = {c.event_id: (c.action, c.reason) for c in out.commands()}
        for name, (_, action, words) in RULES.items():
            got_action, reason = found[name]
            assert (action, True) == (got_action, words in (reason or "")), (name, reason)
        assert 2 == run.sample("leadflow_clicks_total", verdict="person")
        assert len(RULES) - 2 == run.sample("leadflow_clicks_total", verdict="scanner")
        assert 2 == run.sample("leadflow_click_evidence_total", kind="soon_after_sending")
        internal = topics.clicks_by_lead
        assert 0 == run.sample("leadflow_events_consumed_total", worker="clicks", topic=internal)

    async def test_burst_and_count(self, settings: Settings) -> None:
        """Two links in 1.2 s are both a scanner's; a counting campaign pauses on them anyway."""
        topics = Topics(settings.topic_prefix)
        await put_campaigns(
            settings,
            campaign("c-42", link_click="pause"),
            campaign("c-count", link_click="pause", scanner_clicks="count"),
        )
        records = [
            (b"c-42:l-1", click("b-1", "l-1", "https://x.test/a", occurred_at=at(0))),
            (b"c-42:l-1", click("b-2", "l-1", "https://x.test/b", occurred_at=at(1.2))),
            (b"c-count:l-1", event("n-1", "c-count", "l-1", url="https://x.test/a", method="HEAD")),
        ]
        async with tail(settings, topics.commands) as out, running(settings, "clicks") as run:
            await ready(run)
            await publish(settings, topics.clicks, records)
            await until(lambda: len(out.records) >= 3, timeout_s=60, what="three commands")
        found = {c.event_id: (c.action, c.reason) for c in out.commands()}
        burst = "scanner click (second link within 1.2 s): continue"
        assert (Action.CONTINUE, burst) == found["b-1"]
        assert (Action.CONTINUE, burst) == found["b-2"]
        assert Action.PAUSE == found["n-1"][0]
        assert 2 == run.sample("leadflow_click_evidence_total", kind="burst")


class TestNoise:
    """A person's click among a scanner's noise still acts."""

    async def test_person_click_among_scanner_noise(self, settings: Settings) -> None:
        """Safe Links opens three links on delivery; the person clicks one a minute later."""
        topics = Topics(settings.topic_prefix)
        await put_campaigns(settings, campaign("c-42", link_click="pause"))
        scanner = {"ip": "40.107.3.3", "user_agent": BROWSER, "step": 1}
        noise = [
            click(f"s-{i}", "l-7", f"https://x.test/{i}", occurred_at=at(i * 0.3), **scanner)
            for i in range(3)
        ]
        noise.append(click("s-3", "l-8", "https://x.test/0", occurred_at=at(0.1), **scanner))
        noise += [
            click("s-4", "l-9", "https://x.test/a", occurred_at=at(1), step=1),
            click("s-5", "l-9", "https://x.test/b", occurred_at=at(1.5), step=1),
        ]
        person = click("p-1", "l-7", "https://x.test/1", occurred_at=at(60), step=1)
        async with tail(settings, topics.commands) as out, running(settings, "clicks") as run:
            await ready(run)
            await publish(settings, topics.clicks, [(b"any", value) for value in noise])
            await publish(settings, topics.clicks, [(b"any", person)])
            await until(lambda: len(out.records) >= 7, timeout_s=60, what="every command")
        actions = {c.event_id: c.action for c in out.commands()}
        assert {"p-1": Action.PAUSE} == {e: a for e, a in actions.items() if a is Action.PAUSE}
        assert 7 == len(actions)


class TestSplitBurst:
    """A burst whose clicks arrive on two partitions of the events topic still meets."""

    async def test_burst_split_across_partitions(self, settings: Settings) -> None:
        """Keyed by something else, the two links land apart, meet through the internal topic,
        and both are a scanner's."""
        topics = Topics(settings.topic_prefix)
        await put_campaigns(settings, campaign("c-42", link_click="stop"))
        first, second = key_on_partition(0, "tok"), key_on_partition(1, "tok")
        records = [
            (first, click("k-1", "l-7", "https://x.test/a", occurred_at=at(0), step=2)),
            (second, click("k-2", "l-7", "https://x.test/b", occurred_at=at(0.8), step=2)),
        ]
        async with (
            tail(settings, topics.clicks) as source,
            tail(settings, topics.commands) as out,
            running(settings, "clicks") as run,
        ):
            await ready(run)
            await publish(settings, topics.clicks, records)
            await until(lambda: len(out.records) >= 2, timeout_s=60, what="both commands")
        assert {0, 1} == {r.partition for r in source.records}
        internal = topics.clicks_by_lead
        assert 2 == run.sample("leadflow_events_consumed_total", worker="clicks", topic=internal)
        reasons = {c.event_id: (c.action, c.reason) for c in out.commands()}
        burst = (Action.CONTINUE, "scanner click (second link within 0.8 s): continue")
        assert {"k-1": burst, "k-2": burst} == reasons
        assert {b"c-42:l-7"} == {r.key for r in out.records}


class TestCrashWithHeldClicks:
    """kill -9 while clicks are held: after a restart each is decided, none lost or doubled."""

    async def test_kill_with_clicks_held(self, settings: Settings) -> None:
        """Held person clicks and settled scanner clicks survive a SIGKILL, one command id each."""
        topics = Topics(settings.topic_prefix)
        await put_campaigns(settings, campaign("c-42", link_click="pause"))
        persons = [click(f"p-{i}", f"l-{i}", occurred_at=at(i)) for i in range(6)]
        scanners = [click(f"s-{i}", f"l-{i}", method="HEAD", occurred_at=at(i)) for i in range(6)]
        records = [(f"c-42:l-{i}".encode(), v) for i, v in enumerate(persons + scanners)]
        wanted = {f"p-{i}" for i in range(6)} | {f"s-{i}" for i in range(6)}
        async with tail(settings, topics.commands) as out:
            worker = spawn(settings, "clicks")
            try:
                await publish(settings, topics.clicks, records)
                # s-i follows p-i on its lead's partition: once every s-i is decided (at once,
                # HEAD), every p-i was read and is held for its 5 s.
                scanned = {f"s-{i}" for i in range(6)}
                await until(lambda: scanned <= out.event_ids(), timeout_s=60, what="scanners")
                worker.send_signal(signal.SIGKILL)
                await until(lambda: worker.poll() is not None, what="the kill")
                assert not {e for e in out.event_ids() if e.startswith("p-")}, "released early"
                async with running(settings, "clicks") as run:
                    await ready(run)
                    await until(
                        lambda: wanted <= out.event_ids(), timeout_s=60, what="every command"
                    )
                    await until(lambda: 0 == run.sample("leadflow_clicks_held"), what="drained")
            finally:
                worker.kill()
                worker.wait()
        commands = out.commands()
        persons_out = [c for c in commands if c.event_id and c.event_id.startswith("p-")]
        assert sorted(f"click-p-{i}" for i in range(6)) == sorted(c.command_id for c in persons_out)
        assert {Action.PAUSE} == {c.action for c in persons_out}
        by_id: dict[str, set[Action]] = {}
        for command in commands:
            by_id.setdefault(command.command_id, set()).add(command.action)
        assert all(len(actions) == 1 for actions in by_id.values()), by_id


class TestRebalance:
    """A second replica joining while clicks are held: each click decided, one action each."""

    async def test_replica_joins_with_clicks_held(self, settings: Settings) -> None:
        """Held clicks of revoked partitions are replayed by their new owner, none lost.

        (When the rebalance outlasts the 5 s hold, the first replica settles them all first:
        the outcome must be the same.)
        """
        topics = Topics(settings.topic_prefix)
        await put_campaigns(settings, campaign("c-42", link_click="pause"))
        records = [(f"c-42:l-{i}".encode(), click(f"p-{i}", f"l-{i}")) for i in range(30)]
        wanted = {f"p-{i}" for i in range(30)}
        async with tail(settings, topics.commands) as out, running(settings, "clicks") as first:
            await ready(first)
            await publish(settings, topics.clicks, records)
            await until(lambda: 30 == first.sample("leadflow_clicks_held"), what="all held")
            async with running(settings, "clicks") as second:
                await ready(second)  # it holds partitions: the first one gave some up
                await until(lambda: wanted <= out.event_ids(), timeout_s=60, what="every command")
        by_id: dict[str, set[Action]] = {}
        for command in out.commands():
            by_id.setdefault(command.command_id, set()).add(command.action)
        assert {f"click-p-{i}": {Action.PAUSE} for i in range(30)} == by_id
