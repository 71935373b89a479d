"""The relay's pure helpers: fair share, surplus, ids and the last seq per shard."""

from __future__ import annotations

import pytest

from workers.sequencer.lease import fair_share, surplus
from workers.sequencer.progress import legacy_transactional_id, transactional_id
from workers.sequencer.relay import last_seqs


class TestFairShare:
    """``lease.fair_share``: shards per relaying replica, rounded up."""

    @pytest.mark.parametrize(
        ("shards", "members", "expected"),
        [(4, 1, 4), (4, 2, 2), (4, 3, 2), (4, 4, 1), (4, 5, 1), (4, 0, 4), (1, 2, 1)],
    )
    def test_share(self, shards: int, members: int, expected: int) -> None:
        """Each replica may lead ceil(shards / members) shards (members below 1 count as 1)."""
        assert expected == fair_share(shards, members)


class TestSurplus:
    """``lease.surplus``: which held shards to hand over to get down to the fair share."""

    def test_the_highest_shards_go(self) -> None:
        """Holding 0-3 with a share of 2, shards 3 and 2 are handed over."""
        assert [3, 2] == surplus({0, 1, 2, 3}, 2)

    def test_nothing_goes_within_the_share(self) -> None:
        """Holding no more than the share hands nothing over."""
        assert [] == surplus({1, 3}, 2)


class TestTransactionalIds:
    """A session's transactional id, and the per-shard ids of the earlier release."""

    def test_a_session_publishes_under_its_owner(self) -> None:
        """``{prefix}relay-{owner}``: covered by the prefixed ``{prefix}relay`` ACL."""
        assert "acme.relay-host-12-abc123" == transactional_id("acme.", "host-12-abc123")

    def test_the_earlier_ids_are_per_shard_with_shard_0_unsuffixed(self) -> None:
        """Shard 0 kept the single relay's id; shard n had ``relay-n``."""
        assert ["acme.relay", "acme.relay-3"] == [
            legacy_transactional_id("acme.", 0),
            legacy_transactional_id("acme.", 3),
        ]


class TestLastSeqs:
    """``relay.last_seqs``: the position each shard reaches with a fetched batch."""

    def test_the_last_seq_of_each_shard(self) -> None:
        """Rows in seq order per shard give each shard's last seq; absent shards are absent."""
        assert {0: 7, 2: 4} == last_seqs([(0, 5), (0, 6), (0, 7), (2, 4)])
