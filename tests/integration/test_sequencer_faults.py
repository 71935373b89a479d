"""Fault injection on the real broker and database: every due step is requested exactly once.

Each test runs real ``leadflow run`` processes, breaks something while leads fall due, and then
reads the ``sends`` topic from the beginning with a read_committed consumer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import asyncpg

from tests.integration.fleet import FleetProcess
from tests.integration.helpers import eventually
from tests.integration.scenarios import (
    assert_exactly_once_on_time,
    enroll_many,
    finished,
    read_sends,
    reset_group_offsets,
    scalar,
    settle,
    shard_last_seqs,
    wait_until_requested,
)
from tools.infra.kafka import LocalKafka
from tools.infra.postgres import LocalPostgres
from workers.sequencer.progress import read_positions
from workers.settings import Settings
from workers.topics import Topics, group_id

DELAYS = ["PT0S", "PT0.4S", "PT0.4S", "PT0.4S"]
#: Every outbox row ever written, over all relay shards.
_WRITTEN = "SELECT sum(last_seq) FROM outbox_shards"


class TestCrashes:
    """A sequencer killed with SIGKILL at any point loses and repeats nothing."""

    async def test_kill9_at_several_points(self, settings: Settings, tmp_path: Path) -> None:
        """Killed at 10%, 40% and 70% of the sends and restarted, every step is requested once."""
        leads = 300
        expected = await enroll_many(settings, leads=leads, delays=DELAYS)
        process = FleetProcess(settings, ["sequencer"], tmp_path, "sequencer").start()
        try:
            for fraction in (0.1, 0.4, 0.7):
                await wait_until_requested(settings.database_url, int(expected * fraction))
                process.kill()
                process.start()
            await finished(settings, leads)
        finally:
            process.stop()
        assert_exactly_once_on_time(await read_sends(settings), expected)

    async def test_kill9_of_run_all(self, settings: Settings, tmp_path: Path) -> None:
        """The whole fleet in one process, killed twice mid-load, still requests each step once."""
        leads = 200
        expected = await enroll_many(settings, leads=leads, delays=DELAYS)
        process = FleetProcess(settings, ["all"], tmp_path, "all").start()
        try:
            for fraction in (0.2, 0.6):
                await wait_until_requested(settings.database_url, int(expected * fraction))
                process.kill()
                process.start()
            await finished(settings, leads)
        finally:
            process.stop()
        assert_exactly_once_on_time(await read_sends(settings), expected)


class TestReplicas:
    """Several sequencer replicas share the work without firing a timer twice."""

    async def test_two_replicas_race_for_the_same_timers(
        self, settings: Settings, tmp_path: Path
    ) -> None:
        """Two replicas started together on 1,000 leads due at once request each step once."""
        leads = 1000
        expected = await enroll_many(settings, leads=leads, delays=["PT0S", "PT0.2S"])
        first = FleetProcess(settings, ["sequencer"], tmp_path, "a").start()
        second = FleetProcess(settings, ["sequencer"], tmp_path, "b").start()
        try:
            await finished(settings, leads)
        finally:
            assert 0 == first.stop()
            assert 0 == second.stop()
        assert_exactly_once_on_time(await read_sends(settings), expected)

    async def test_frozen_zombie_replica(self, settings: Settings, tmp_path: Path) -> None:
        """A replica frozen past its session timeout and lease, then thawed, duplicates nothing."""
        leads = 300
        expected = await enroll_many(settings, leads=leads, delays=["PT0S", *["PT2S"] * 5])
        zombie = FleetProcess(settings, ["sequencer"], tmp_path, "zombie").start()
        await wait_until_requested(settings.database_url, leads // 2)
        survivor = FleetProcess(settings, ["sequencer"], tmp_path, "survivor").start()
        try:
            zombie.freeze()
            await settle(16.0)  # past the 10 s session timeout, relay lease and idle-tx timeout
            zombie.thaw()
            await finished(settings, leads)
        finally:
            survivor.stop()
            zombie.stop()
        assert_exactly_once_on_time(await read_sends(settings), expected)


class TestRelayFailover:
    """A killed relay's shards are published by another replica within seconds."""

    async def test_kill9_of_a_shard_relay_fails_over_within_3_s(
        self, settings: Settings, tmp_path: Path
    ) -> None:
        """After kill -9 of a replica leading shards, rows written to them since publish in 3 s.

        The rows are those written up to 0.2 s after the kill (by the survivor's sequencer):
        only a new leader of the shards can publish them.
        """
        leads = 400
        expected = await enroll_many(settings, leads=leads, delays=["PT0S", *["PT1S"] * 8])
        doomed = FleetProcess(settings, ["sequencer"], tmp_path, "doomed").start()
        survivor = FleetProcess(settings, ["sequencer"], tmp_path, "survivor").start()
        try:
            await eventually(lambda: _both_lead(settings), timeout_s=30)
            await wait_until_requested(settings.database_url, leads // 4)
            led = await _shards_led_by(settings, doomed.pid)
            doomed.kill()
            started = time.monotonic()
            await settle(0.2)
            written = await shard_last_seqs(settings.database_url)
            await eventually(lambda: _published(settings, written, led), timeout_s=3.0)
            failover_s = time.monotonic() - started
            await finished(settings, leads)
        finally:
            survivor.stop()
        assert led
        assert failover_s < 3.0
        assert_exactly_once_on_time(await read_sends(settings), expected)


async def _shards_led_by(settings: Settings, pid: int) -> list[int]:
    """The shards whose recorded relay is the process ``pid``."""
    conn = await asyncpg.connect(settings.database_url)
    try:
        rows = await conn.fetch("SELECT shard, owner FROM relay_shards WHERE owner IS NOT NULL")
    finally:
        await conn.close()
    return sorted(r["shard"] for r in rows if f"-{pid}-" in r["owner"])


async def _both_lead(settings: Settings) -> bool:
    """True when two replicas lead shards (the second one got its share)."""
    owners = await scalar(settings.database_url, "SELECT count(DISTINCT owner) FROM relay_shards")
    return int(owners) >= 2


async def _published(settings: Settings, written: dict[int, int], shards: list[int]) -> bool:
    """True when the ``shards`` published every row up to ``written`` (committed in Kafka)."""
    positions = await read_positions(settings, Topics(settings.topic_prefix))
    return all(positions.get(s, 0) >= written.get(s, 0) for s in shards)


class TestInfrastructureRestarts:
    """The broker or the database going away under load delays output but never repeats it."""

    async def test_broker_restarted_under_load(
        self, private_kafka_settings: tuple[Settings, LocalKafka], tmp_path: Path
    ) -> None:
        """A broker restart in the middle of the sends leaves every step requested once."""
        settings, broker = private_kafka_settings

        def restart() -> None:
            broker.stop()
            broker.start()

        await _every_step_once_across(settings, tmp_path, restart)

    async def test_database_restarted_under_load(
        self, private_postgres_settings: tuple[Settings, LocalPostgres], tmp_path: Path
    ) -> None:
        """An immediate (crash-like) database restart mid-load leaves every step requested once."""
        settings, database = private_postgres_settings

        def restart() -> None:
            database.stop(mode="immediate")
            database.start()

        await _every_step_once_across(settings, tmp_path, restart)


async def _every_step_once_across(
    settings: Settings, tmp_path: Path, fault: Callable[[], None]
) -> None:
    """300 leads through one sequencer, ``fault`` once a quarter of the steps are requested."""
    leads = 300
    expected = await enroll_many(settings, leads=leads, delays=DELAYS)
    process = FleetProcess(settings, ["sequencer"], tmp_path, "sequencer").start()
    try:
        await wait_until_requested(settings.database_url, expected // 4)
        fault()
        await finished(settings, leads)
    finally:
        process.stop()
    assert_exactly_once_on_time(await read_sends(settings), expected)


class TestOffsetsResetBackwards:
    """Offsets moved back (in Kafka and in the database) re-apply nothing."""

    async def test_reset_offsets_repeat_no_output(self, settings: Settings, tmp_path: Path) -> None:
        """With the group's and the database's offsets reset to 0, no result or send repeats."""
        leads = 50
        expected = await enroll_many(settings, leads=leads, delays=["PT0S"])
        process = FleetProcess(settings, ["sequencer"], tmp_path, "sequencer").start()
        await finished(settings, leads)
        assert 0 == process.stop()
        before = await scalar(settings.database_url, _WRITTEN)
        await reset_group_offsets(settings, group_id(settings.topic_prefix, "sequencer"))
        await scalar(settings.database_url, "DELETE FROM consumer_offsets RETURNING 1")
        process.start()
        try:
            await eventually(lambda: _offsets_back_at_end(settings, leads + 1))
        finally:
            assert 0 == process.stop()
        assert before == await scalar(settings.database_url, _WRITTEN)
        assert_exactly_once_on_time(await read_sends(settings), expected)


async def _offsets_back_at_end(settings: Settings, records: int) -> bool:
    """True when the stored offsets of commands and campaigns cover every record again."""
    total = await scalar(
        settings.database_url, "SELECT coalesce(sum(next_offset), 0) FROM consumer_offsets"
    )
    return int(total) == records
