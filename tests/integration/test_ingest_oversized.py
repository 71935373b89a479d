"""A near-limit bad event: its DLQ copy (with headers) would not fit, so it goes truncated."""

from __future__ import annotations

import pytest

from tests.integration.ingest_helpers import (
    campaign,
    event,
    publish,
    put_campaigns,
    ready,
    running,
    tail,
    until,
)
from workers.settings import Settings
from workers.topics import Topics

pytestmark = pytest.mark.integration

#: Fits the broker's 1 MiB limit as it is; its DLQ copy with the contract's headers does not.
_NEAR_LIMIT = 1_048_400


class TestOversizedDeadLetter:
    """The ingest workers' DLQ copies are bounded like the sequencer's."""

    async def test_near_limit_bad_event_is_dead_lettered_truncated_and_work_goes_on(
        self, settings: Settings
    ) -> None:
        """The copy arrives cut to fit, with its original size; the next event is processed."""
        topics = Topics(settings.topic_prefix)
        big = b"x" * _NEAR_LIMIT
        key = b"c-42:l-7"
        await put_campaigns(settings, campaign("c-42"))
        async with (
            tail(settings, topics.dlq) as dlq,
            tail(settings, topics.commands) as out,
            running(settings, "replies") as run,
        ):
            await ready(run)
            await publish(settings, topics.replies, [(key, big), (key, event("e-good"))])
            await until(lambda: bool(dlq.records) and bool(out.records))
        dead = dlq.records[0]
        found = {k: v.decode() for k, v in dead.headers}

        assert str(_NEAR_LIMIT) == found["leadflow.original-size"]
        assert "not valid JSON" in found["leadflow.error"]
        assert big.startswith(dead.value)
        assert key == dead.key
        assert ["e-good"] == [c.event_id for c in out.commands()]
