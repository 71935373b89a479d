"""The relay lease on real PostgreSQL: one holder at a time, handed over only when it lapses."""

from __future__ import annotations

import pytest

from tests.integration.helpers import eventually
from workers.sequencer import store
from workers.sequencer.lease import LeaseLost, RelayLease

pytestmark = pytest.mark.integration


class TestRelayLease:
    """``RelayLease``: acquire, renew, release."""

    async def test_one_holder_until_the_lease_lapses_then_the_next_at_a_new_epoch(
        self, database_url: str
    ) -> None:
        """A second relay waits while the first holds; after expiry it leads at epoch + 1."""
        pool = await store.connect_pool(database_url)
        try:
            first = RelayLease(pool, lease_s=0.5, owner="first")
            second = RelayLease(pool, lease_s=0.5, owner="second")

            assert await first.acquire()
            assert not await second.acquire()
            await eventually(second.acquire, timeout_s=10)

            assert first.epoch + 1 == second.epoch
            with pytest.raises(LeaseLost):
                await first.renew()
        finally:
            await pool.close()

    async def test_released_lease_is_taken_at_once(self, database_url: str) -> None:
        """After a release, another relay acquires without waiting for the expiry."""
        pool = await store.connect_pool(database_url)
        try:
            first = RelayLease(pool, lease_s=60, owner="first")
            second = RelayLease(pool, lease_s=60, owner="second")
            await first.acquire()
            await first.release()

            assert await second.acquire()
        finally:
            await pool.close()

    async def test_noted_position_needs_the_current_epoch(self, database_url: str) -> None:
        """A deposed holder cannot note a position: only the current epoch's can."""
        pool = await store.connect_pool(database_url)
        try:
            async with pool.acquire() as conn:
                epoch = await store.acquire_lease(conn, "first", 60)
                assert epoch is not None
                await store.record_relayed(conn, 7, "first", epoch)
                await store.record_relayed(conn, 9, "first", epoch - 1)
                noted = await conn.fetchval("SELECT relayed_seq FROM relay_state")
        finally:
            await pool.close()

        assert 7 == noted
