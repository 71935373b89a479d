"""Relay leadership on real PostgreSQL: one session leads a shard; a dead session frees it."""

from __future__ import annotations

import pytest

from workers.sequencer import store
from workers.sequencer.lease import LeaseLost, RelaySession, ShardLease

pytestmark = pytest.mark.integration


async def _session(url: str, owner: str) -> RelaySession:
    return await RelaySession.open(url, lease_s=10, owner=owner)


class TestRelaySession:
    """``RelaySession``: shard locks, members, hand-over at a new epoch."""

    async def test_a_held_shard_is_refused_then_taken_the_moment_its_session_dies(
        self, database_url: str
    ) -> None:
        """A second session cannot lead a held shard; once the first closes it leads at once."""
        first = await _session(database_url, "first")
        second = await _session(database_url, "second")
        try:
            assert await first.try_lead(2)
            first_lease = ShardLease(first, 2, lease_s=10)
            await first_lease.take()
            refused = await second.try_lead(2)
            await first.close()
            taken = await second.try_lead(2)
            second_lease = ShardLease(second, 2, lease_s=10)
            await second_lease.take()
        finally:
            await second.close()

        assert (False, True) == (refused, taken)
        assert first_lease.epoch + 1 == second_lease.epoch

    async def test_a_deposed_leader_loses_its_lease_at_renewal(self, database_url: str) -> None:
        """After another session took the shard, the former leader's renewal raises LeaseLost."""
        first = await _session(database_url, "first")
        second = await _session(database_url, "second")
        try:
            first_lease = ShardLease(first, 0, lease_s=10)
            await first_lease.take()
            await ShardLease(second, 0, lease_s=10).take()
            with pytest.raises(LeaseLost):
                await first_lease.renew()
        finally:
            await first.close()
            await second.close()

    async def test_a_released_shard_is_taken_at_once(self, database_url: str) -> None:
        """After ``let_go``, another session leads the shard without waiting."""
        first = await _session(database_url, "first")
        second = await _session(database_url, "second")
        try:
            await first.try_lead(1)
            await first.let_go(1)

            assert await second.try_lead(1)
        finally:
            await first.close()
            await second.close()

    async def test_previous_owner_tells_a_clean_release_from_an_unclean_one(
        self, database_url: str
    ) -> None:
        """A dead owner is named; a clean release, and a never-led shard, need no fence."""
        first = await _session(database_url, "first")
        second = await _session(database_url, "second")
        try:
            await first.try_lead(1)
            await ShardLease(first, 1, lease_s=10).take()
            await first.try_lead(2)
            await ShardLease(first, 2, lease_s=10).take()
            await first.let_go(2)
            await first.close()  # shard 1: its session ended without a hand-over
            seen = [await second.previous(shard) for shard in (0, 1, 2, 3)]
        finally:
            await second.close()

        # shard 0: migration 0005's row, as an earlier release left it (fence its legacy id)
        assert [(None, False), ("first", False), (None, True), (None, True)] == seen

    async def test_members_are_the_open_sessions(self, database_url: str) -> None:
        """Two open sessions count 2 members; after one closes, 1."""
        first = await _session(database_url, "first")
        second = await _session(database_url, "second")
        try:
            both = await first.members()
            await second.close()
            one = await first.members()
        finally:
            await first.close()

        assert (2, 1) == (both, one)

    async def test_noted_position_needs_the_current_epoch(self, database_url: str) -> None:
        """A deposed holder cannot note a position: only the current epoch's can."""
        pool = await store.connect_pool(database_url)
        try:
            async with pool.acquire() as conn:
                epoch = await store.take_shard(conn, 0, "first")
                await store.record_relayed(conn, 0, 7, "first", epoch)
                await store.record_relayed(conn, 0, 9, "first", epoch - 1)
                noted = await conn.fetchval("SELECT relayed_seq FROM relay_shards WHERE shard = 0")
        finally:
            await pool.close()

        assert 7 == noted


class TestShardOf:
    """``store.shard_of``: a stable hash of the key."""

    def test_a_key_always_maps_to_the_same_shard_and_none_to_shard_0(self) -> None:
        """The same key gives the same shard; a missing key and a single shard give 0."""
        assert store.shard_of("c1:l1", 4) == store.shard_of("c1:l1", 4)
        assert 0 == store.shard_of(None, 4)
        assert 0 == store.shard_of("c1:l1", 1)
        assert {0, 1, 2, 3} == {store.shard_of(f"c:{i}", 4) for i in range(100)}
