"""Which relay shards an outbox notification wakes."""

from __future__ import annotations

import pytest

from workers.sequencer.store import notified_shards


class TestNotifiedShards:
    """``store.notified_shards``: the shards a payload names, or all of them."""

    @pytest.mark.parametrize(
        ("payload", "expected"),
        [
            ("2", [2]),
            ("0,3", [0, 3]),
            ("", [0, 1, 2, 3]),
            ("7", [0, 1, 2, 3]),
            ("x", [0, 1, 2, 3]),
            ("1,9", [1]),
        ],
    )
    def test_payload_to_shards(self, payload: str, expected: list[int]) -> None:
        """A payload wakes the known shards it names; an empty or unknown one wakes all."""
        assert expected == list(notified_shards(payload, 4))
