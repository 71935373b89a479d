"""Records the database refuses for good reach the DLQ; the rest of their batch is applied."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from tests.integration.helpers import TopicReader, eventually, publish
from tests.integration.sequencer_helpers import campaign, command, running_sequencer
from workers.settings import Settings
from workers.topics import Topics

pytestmark = pytest.mark.integration


def _headers(record: Any) -> dict[str, str]:
    return {k: v.decode() for k, v in record.headers}


async def _results_of(reader: TopicReader, command_ids: set[str]) -> dict[str, dict[str, Any]]:
    await reader.poll()
    found = {r["command_id"]: r for r in reader.values() if r["command_id"] in command_ids}
    return found if set(found) == command_ids else {}


async def _campaign_stored(settings: Settings, campaign_id: str) -> bool:
    conn = await asyncpg.connect(settings.database_url)
    try:
        found = await conn.fetchval("SELECT 1 FROM campaigns WHERE campaign_id = $1", campaign_id)
    finally:
        await conn.close()
    return found is not None


class TestPermanentErrors:
    """A schema-valid record PostgreSQL refuses is dead-lettered alone; nothing stalls."""

    async def test_text_with_a_nul_byte_is_dead_lettered_and_its_batch_applied(
        self, settings: Settings
    ) -> None:
        """A pause whose reason holds NUL (text cannot) goes to the DLQ; its neighbours apply."""
        topics = Topics(settings.topic_prefix)
        await publish(settings, topics.campaigns, [("c1", campaign("c1", delays=["PT0S", "P1D"]))])
        enrolls = [command("c1", f"l{i}", "enroll") for i in range(3)]
        bad = command("c1", "l1", "pause", reason="out of office\u0000")
        after = [command("c1", "l0", "pause"), command("c1", "l2", "stop")]
        async with running_sequencer(settings):
            await eventually(lambda: _campaign_stored(settings, "c1"))
            await publish(
                settings,
                topics.commands,
                [(f"c1:{c['lead_id']}", c) for c in [*enrolls, bad, *after]],
            )
            async with TopicReader(settings, topics.command_results) as results:
                wanted = {c["command_id"] for c in [*enrolls, *after]}
                applied = await eventually(lambda: _results_of(results, wanted))
            async with TopicReader(settings, topics.dlq) as dlq:
                dead = (await eventually(dlq.poll))[0]

        assert ["applied"] * 5 == [applied[c]["outcome"] for c in sorted(wanted)]
        assert "l1" in dead.key.decode()
        assert "22021" in _headers(dead)["leadflow.error"]
        assert topics.commands == _headers(dead)["leadflow.source-topic"]
        assert "sequencer" == _headers(dead)["leadflow.worker"]

    async def test_campaign_version_beyond_bigint_is_dead_lettered_and_the_next_one_applied(
        self, settings: Settings
    ) -> None:
        """Settings with a version beyond bigint go to the DLQ; the next campaign works."""
        topics = Topics(settings.topic_prefix)
        async with running_sequencer(settings):
            await publish(
                settings,
                topics.campaigns,
                [("c1", campaign("c1", version=2**63)), ("c2", campaign("c2"))],
            )
            async with TopicReader(settings, topics.dlq) as dlq:
                dead = (await eventually(dlq.poll))[0]
            enroll = command("c2", "l1", "enroll")
            await publish(settings, topics.commands, [("c2:l1", enroll)])
            async with TopicReader(settings, topics.sends) as sends:
                sent = await sends.wait_for(1)

        assert b"c1" == dead.key
        assert topics.campaigns == _headers(dead)["leadflow.source-topic"]
        assert "out of" in _headers(dead)["leadflow.error"]
        assert "c2:l1:1" == sent[0]["send_id"]

    async def test_campaign_with_an_endless_delay_is_dead_lettered(
        self, settings: Settings
    ) -> None:
        """A step delay of 10^8 days (it would overflow the calendar) is refused; c2 goes on."""
        topics = Topics(settings.topic_prefix)
        await publish(
            settings,
            topics.campaigns,
            [("c1", campaign("c1", delays=["PT0S", "P99999999D"])), ("c2", campaign("c2"))],
        )
        async with running_sequencer(settings):
            await eventually(lambda: _campaign_stored(settings, "c2"))
            await publish(settings, topics.commands, [("c2:l1", command("c2", "l1", "enroll"))])
            async with TopicReader(settings, topics.dlq) as dlq:
                dead = (await eventually(dlq.poll))[0]
            async with TopicReader(settings, topics.sends) as sends:
                sent = await sends.wait_for(1)

        assert b"c1" == dead.key
        assert "longer than the 3650 days allowed" in _headers(dead)["leadflow.error"]
        assert ["c2:l1:1"] == [s["send_id"] for s in sent]
