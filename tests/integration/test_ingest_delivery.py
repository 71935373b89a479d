"""Delivery of an ingest worker on the real broker: duplicates, replicas, kill -9, SIGTERM."""

from __future__ import annotations

import signal
import subprocess

from aiokafka import AIOKafkaConsumer, TopicPartition

from tests.integration.ingest_helpers import (
    Tail,
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
from workers.settings import Settings
from workers.topics import Topics, group_id


async def exited(process: subprocess.Popen[bytes], timeout_s: float = 30.0) -> int:
    """The exit code of ``process`` once it has ended."""
    await until(lambda: process.poll() is not None, timeout_s=timeout_s, what="the exit")
    return process.returncode


async def prefill(settings: Settings, count: int, leads: int = 500) -> set[str]:
    """Publish ``count`` replies spread over ``leads`` leads of campaign c-42; their ids."""
    await put_campaigns(settings, campaign("c-42", reply="pause"))
    records = [
        (f"c-42:l-{i % leads}".encode(), event(f"r-{i}", lead_id=f"l-{i % leads}"))
        for i in range(count)
    ]
    await publish(settings, Topics(settings.topic_prefix).replies, records)
    return {f"r-{i}" for i in range(count)}


async def committed_offsets(settings: Settings) -> dict[int, int]:
    """The replies group's committed offset per partition of the replies topic."""
    topic = Topics(settings.topic_prefix).replies
    consumer = AIOKafkaConsumer(
        **settings.kafka_client_options(),
        group_id=group_id(settings.topic_prefix, "replies"),
        enable_auto_commit=False,
    )
    try:
        await consumer.start()
        return {p: await consumer.committed(TopicPartition(topic, p)) or 0 for p in range(3)}
    finally:
        await consumer.stop()


class TestDuplicates:
    """The same event delivered twice gives two commands with the same command id."""

    async def test_same_event_twice(self, settings: Settings) -> None:
        """Deduplication is the sequencer's job: both commands carry reply-r-1."""
        topics = Topics(settings.topic_prefix)
        await put_campaigns(settings, campaign("c-42"))
        async with tail(settings, topics.commands) as out, running(settings) as run:
            await ready(run)
            same = (b"c-42:l-7", event("r-1"))
            await publish(settings, topics.replies, [same, same])
            await until(lambda: len(out.records) >= 2, what="two commands")
        assert ["reply-r-1", "reply-r-1"] == [c.command_id for c in out.commands()]


class TestReplicas:
    """Two replicas of one worker share the partitions of its topic."""

    async def test_two_replicas_share_the_work(self, settings: Settings) -> None:
        """Both replicas get partitions and every event gets its command."""
        topics = Topics(settings.topic_prefix)
        await put_campaigns(settings, campaign("c-42"))
        async with (
            tail(settings, topics.commands) as out,
            running(settings) as first,
            running(settings) as second,
        ):
            await ready(first)
            await ready(second)
            wanted = {f"r-{i}" for i in range(300)}
            records = [
                (f"c-42:l-{i}".encode(), event(f"r-{i}", lead_id=f"l-{i}")) for i in range(300)
            ]
            await publish(settings, topics.replies, records)
            await until(lambda: wanted <= out.event_ids(), what="every command")
        consumed = [
            r.sample("leadflow_events_consumed_total", worker="replies", topic=topics.replies)
            for r in (first, second)
        ]
        assert all(count > 0 for count in consumed), consumed
        assert 300 <= sum(consumed)


class TestCrash:
    """A worker killed in the middle of a backlog loses nothing once restarted."""

    async def test_kill_and_restart(self, settings: Settings) -> None:
        """SIGKILL mid-backlog, restart: every event id has a command."""
        wanted = await prefill(settings, 20_000)
        async with tail(settings, Topics(settings.topic_prefix).commands) as out:
            worker = spawn(settings)
            try:
                await until(lambda: len(out.records) >= 1, timeout_s=30, what="a first command")
                worker.send_signal(signal.SIGKILL)
                await exited(worker)
                at_kill = out.event_ids()
                assert len(at_kill) < len(wanted), "the worker finished before it was killed"
                worker = spawn(settings)
                await until(lambda: wanted <= out.event_ids(), timeout_s=60, what="every command")
            finally:
                worker.kill()
                worker.wait()
        assert wanted == out.event_ids()


class TestSigterm:
    """SIGTERM finishes the current batch, commits it and exits 0."""

    async def test_sigterm_drains(self, settings: Settings) -> None:
        """Exit 0 soon after SIGTERM; every event below the committed offsets has its command."""
        await prefill(settings, 20_000)
        topics = Topics(settings.topic_prefix)
        async with tail(settings, topics.commands) as out:
            worker = spawn(settings)
            try:
                await until(lambda: len(out.records) >= 1, timeout_s=30, what="a first command")
                worker.send_signal(signal.SIGTERM)
                assert 0 == await exited(worker, timeout_s=15)
            finally:
                worker.kill()
                worker.wait()
            committed = await committed_offsets(settings)
            await self._every_committed_event_has_command(settings, committed, out)
        assert sum(committed.values()) > 0

    @staticmethod
    async def _every_committed_event_has_command(
        settings: Settings, committed: dict[int, int], out: Tail
    ) -> None:
        async with tail(settings, Topics(settings.topic_prefix).replies) as source:
            await until(lambda: len(source.records) >= 20_000, what="the whole replies topic")
            below = {
                r.value.split(b'"event_id": "', 1)[1].split(b'"', 1)[0].decode()
                for r in source.records
                if r.offset < committed[r.partition]
            }
        await until(lambda: below <= out.event_ids(), timeout_s=10, what="commands of committed")
