"""The benchmark's pure parts of its measurements: the relay split, the offer, the rates."""

from __future__ import annotations

import gc

import pytest

from tools.bench.kio import Seen, steady_rate
from tools.bench.measures import _latencies, no_collector_pauses, offered, relays_split


class TestRelaysSplit:
    """The sends run starts once every relay shard is led and each replica leads its share."""

    def test_one_replica_leading_every_shard(self) -> None:
        """One replica, 4 shards, all led by it: split."""
        assert relays_split(1, leaders=1, most=4, free=0, rows=4, shards=4)

    def test_two_replicas_sharing(self) -> None:
        """Two owners, 2 shards each, none free: split."""
        assert relays_split(2, leaders=2, most=2, free=0, rows=4, shards=4)

    def test_one_replica_leading_all_while_two_run(self) -> None:
        """The first replica still leads every shard (the second waits for its share): not yet."""
        assert not relays_split(2, leaders=1, most=4, free=0, rows=4, shards=4)

    def test_a_replica_over_its_share(self) -> None:
        """3 shards to 1: the first would hand one over mid-run: not yet."""
        assert not relays_split(2, leaders=2, most=3, free=0, rows=4, shards=4)

    def test_a_shard_being_handed_over(self) -> None:
        """A shard let go (owner NULL) and not taken yet: not yet, whatever the owners."""
        assert not relays_split(2, leaders=2, most=2, free=1, rows=4, shards=4)

    def test_a_shard_never_taken(self) -> None:
        """Shard 3 has no row yet (nobody took it): not yet."""
        assert not relays_split(2, leaders=2, most=2, free=0, rows=3, shards=4)

    def test_no_relay_started(self) -> None:
        """Before any relay ran, the outbox has no shards: not yet."""
        assert not relays_split(1, leaders=0, most=0, free=1, rows=1, shards=0)

    def test_fewer_shards_than_replicas(self) -> None:
        """One shard, two replicas: its one leader is the most there can be."""
        assert relays_split(2, leaders=1, most=1, free=0, rows=1, shards=1)

    def test_three_replicas_over_four_shards(self) -> None:
        """4 shards over 3 replicas: 2, 1, 1 is as fair as it gets."""
        assert relays_split(3, leaders=3, most=2, free=0, rows=4, shards=4)


class TestOffered:
    """The paced events' publication times and lateness, from the stamps taken at each send."""

    def test_published_by_key(self) -> None:
        """Each key maps to the stamp taken just before its event was sent."""
        result = offered([b"c:l-0", b"c:l-1"], [100.0, 100.5], 100.0, 2)

        assert {b"c:l-0": 100.0, b"c:l-1": 100.5} == result.published

    def test_lateness_against_the_schedule(self) -> None:
        """Event i is due at start + i/rate: an event sent 3 ms after that is 3 ms late."""
        result = offered([b"a", b"b", b"c"], [10.0, 10.001, 10.005], 10.0, 1000)

        assert [0.0, 0.0, 3.0] == pytest.approx(result.late_ms, abs=1e-6)

    def test_one_stamp_per_key(self) -> None:
        """A stamp missing for a key is an error, not a silently shorter run."""
        with pytest.raises(ValueError, match="shorter"):
            offered([b"a", b"b"], [1.0], 1.0, 1)


class TestLatencies:
    """The latency is publication → the first status received, per measured lead."""

    def test_received_minus_published(self) -> None:
        """A status received 120 ms after its event's publication counts 120 ms."""
        published = {b"k": 50.0}
        records = [Seen(b"k", b"{}", 50_100, 50.12), Seen(b"k", b"{}", 50_200, 50.3)]

        result = _latencies(published, records)

        assert (120.0, 1) == (round(result["p50"], 6), result["leads"])

    def test_unmeasured_keys_left_out(self) -> None:
        """A status of a warm-up lead (not published in the window) is not measured."""
        records = [Seen(b"warm", b"{}", 1, 1.0)]

        assert 0 == _latencies({}, records)["leads"]


class TestSteadyRate:
    """Records per second by CreateTime, the first tenth (the pipeline filling) left out."""

    def test_skips_the_start(self) -> None:
        """A slow first tenth does not lower the rate measured over the rest."""
        slow_start = [Seen(None, None, i * 100, 0.0) for i in range(10)]
        steady = [Seen(None, None, 1000 + i, 0.0) for i in range(90)]

        assert 90.0 * 1000 / 90 == pytest.approx(steady_rate(slow_start + steady))

    def test_too_few(self) -> None:
        """One record has no rate."""
        assert 0.0 == steady_rate([Seen(None, None, 5, 0.0)])


class TestNoCollectorPauses:
    """The latency window runs without the bench process's cyclic garbage collection."""

    def test_collection_is_off_and_objects_frozen_inside(self) -> None:
        """Inside: the collector is disabled and what existed before is frozen."""
        with no_collector_pauses():
            inside = (gc.isenabled(), gc.get_freeze_count() > 0)

        assert (False, True) == inside

    def test_collection_is_back_after(self) -> None:
        """After, even when the window failed: enabled again, nothing left frozen."""
        with pytest.raises(RuntimeError), no_collector_pauses():
            raise RuntimeError("the window failed")

        assert (True, 0) == (gc.isenabled(), gc.get_freeze_count())
