"""The sequencer on the real broker and database: commands, timers, campaigns, output."""

from __future__ import annotations

import pytest

from tests.integration.helpers import TopicReader, publish
from tests.integration.sequencer_helpers import campaign, command, running_sequencer
from workers.settings import Settings
from workers.topics import Topics

pytestmark = pytest.mark.integration


class TestSequencing:
    """A lead enrolled into an active campaign is sent every step once, in order, then completes."""

    async def test_enrolled_lead_gets_every_step_once(self, settings: Settings) -> None:
        """Three steps are requested once each, in order, and the lead ends completed."""
        topics = Topics(settings.topic_prefix)
        await publish(
            settings,
            topics.campaigns,
            [("c1", campaign("c1", delays=["PT0S", "PT0.5S", "PT0.5S"]))],
        )
        async with running_sequencer(settings), TopicReader(settings, topics.sends) as sends:
            await publish(settings, topics.commands, [("c1:l1", command("c1", "l1", "enroll"))])
            got = await sends.wait_for(3)
            async with TopicReader(settings, topics.lead_status) as statuses:
                await statuses.wait_for(1)

                async def completed() -> bool:
                    await statuses.poll()
                    return statuses.values()[-1]["status"] == "completed"

                from tests.integration.helpers import eventually

                await eventually(completed)
        assert ["c1:l1:1", "c1:l1:2", "c1:l1:3"] == [s["send_id"] for s in got]
