"""Topic and consumer-group names follow the configured prefix."""

import pytest

from workers.topics import Topics, group_id


class TestGroupId:
    """Every worker's consumer group is named after the topic prefix, the same way."""

    @pytest.mark.parametrize(
        ("prefix", "worker", "expected"),
        [
            ("leadflow.", "replies", "leadflow-replies"),
            ("leadflow.", "sequencer", "leadflow-sequencer"),
            ("acme.", "clicks", "acme-clicks"),
            ("acme_", "bookings", "acme-bookings"),
            ("staging-", "sequencer", "staging-sequencer"),
            ("", "replies", "leadflow-replies"),
        ],
    )
    def test_group_follows_prefix(self, prefix: str, worker: str, expected: str) -> None:
        """The default prefix gives the contract's group name; others replace its stem."""
        assert expected == group_id(prefix, worker)


def test_topics_carry_the_prefix() -> None:
    """Every topic name starts with the prefix, the internal one included."""
    topics = Topics("acme.")

    assert "acme.events.replies" == topics.replies
    assert "acme.internal.relay-progress" == topics.relay_progress
    assert "acme.internal.clicks-by-lead" == topics.clicks_by_lead
