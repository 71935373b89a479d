"""Suppression across campaigns on the real broker and database: once a person is suppressed,
no campaign mails them again, and nobody can enroll them until the suppression is lifted."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.integration import ingest_helpers as ingest
from tests.integration.helpers import TopicReader, eventually, publish
from tests.integration.scenarios import settle
from tests.integration.sequencer_helpers import command, running_sequencer
from tests.integration.suppression_helpers import (
    enroll_everywhere,
    publish_suppression,
    statuses,
    suppression,
    suppression_row,
    wait_statuses,
)
from workers.settings import Settings
from workers.topics import Topics

pytestmark = pytest.mark.integration

CAMPAIGNS = ["c1", "c2", "c3"]
#: Step 1 at once, step 2 a day later: the person is running in every campaign.
DELAYS = ["PT0S", "P1D"]
AT = datetime(2026, 6, 2, 8, 0, tzinfo=UTC)
REFUSAL = (
    "lead l-7 is suppressed (unsubscribe, 2026-06-02):"
    " lift it with `leadflow suppress remove l-7` first"
)


async def _result(reader: TopicReader, command_id: str) -> dict[str, Any]:
    async def found() -> dict[str, Any] | None:
        await reader.poll()
        return next((r for r in reader.values() if r["command_id"] == command_id), None)

    return await eventually(found)


async def _running_everywhere(settings: Settings) -> None:
    await enroll_everywhere(settings, "l-7", CAMPAIGNS, delays=DELAYS)
    await wait_statuses(settings.database_url, "l-7", len(CAMPAIGNS), "in_progress")


async def _do(settings: Settings, reader: TopicReader, body: dict[str, Any]) -> dict[str, Any]:
    key = f"{body['campaign_id']}:{body['lead_id']}"
    await publish(settings, Topics(settings.topic_prefix).commands, [(key, body)])
    return await _result(reader, body["command_id"])


class TestPlatformSuppression:
    """A Suppression published by the platform stops the person in every campaign."""

    async def test_stops_every_campaign_and_says_why(self, settings: Settings) -> None:
        """Every lead of l-7 is stopped with the suppression named; statuses carry the reason."""
        topics = Topics(settings.topic_prefix)
        async with (
            running_sequencer(settings),
            TopicReader(settings, topics.lead_status) as status_reader,
        ):
            await _running_everywhere(settings)
            await publish_suppression(settings, "l-7", suppression("l-7", AT))
            found = await wait_statuses(settings.database_url, "l-7", len(CAMPAIGNS), "stopped")

            published = await eventually(lambda: _stops(status_reader, len(CAMPAIGNS)))
        reason = "stopped: l-7 is suppressed (unsubscribe, 2026-06-02)"
        assert {c: ("stopped", reason) for c in CAMPAIGNS} == found
        assert {"unsubscribe"} == {s["suppressed"] for s in published}

    async def test_enroll_rejected_with_the_contract_reason(self, settings: Settings) -> None:
        """An enrolment of a suppressed person into any campaign is rejected, saying why."""
        topics = Topics(settings.topic_prefix)
        async with (
            running_sequencer(settings),
            TopicReader(settings, topics.command_results) as results,
        ):
            await _running_everywhere(settings)
            await publish_suppression(settings, "l-7", suppression("l-7", AT))
            await eventually(lambda: suppression_row(settings.database_url, "l-7"))
            result = await _do(settings, results, command("c9", "l-7", "enroll"))
        assert ("rejected", REFUSAL) == (result["outcome"], result["reason"])
        assert "c9" not in await statuses(settings.database_url, "l-7")


class TestLifting:
    """Lifting allows new enrolments and changes nothing else; the later ``at`` wins."""

    async def test_lift_allows_enrolment_only(self, settings: Settings) -> None:
        """After the lifting, stopped leads stay stopped and a new enrolment is applied."""
        topics = Topics(settings.topic_prefix)
        async with (
            running_sequencer(settings),
            TopicReader(settings, topics.command_results) as results,
        ):
            await _running_everywhere(settings)
            await publish_suppression(settings, "l-7", suppression("l-7", AT))
            await wait_statuses(settings.database_url, "l-7", len(CAMPAIGNS), "stopped")
            await publish_suppression(settings, "l-7", None, timestamp=AT + timedelta(hours=1))

            async def lifted() -> bool:
                row = await suppression_row(settings.database_url, "l-7")
                return bool(row and row["lifted"])

            await eventually(lifted)
            result = await _do(settings, results, command("c9", "l-7", "enroll"))
            resumed = await _do(settings, results, command("c1", "l-7", "resume"))
        assert "applied" == result["outcome"]
        assert "rejected" == resumed["outcome"]
        after = await statuses(settings.database_url, "l-7")
        assert {"c1", "c2", "c3"} == {c for c, (s, _) in after.items() if s == "stopped"}

    async def test_out_of_order_the_later_at_wins(self, settings: Settings) -> None:
        """A lifting stamped after the suppression's at, arriving first, makes it lose."""
        topics = Topics(settings.topic_prefix)
        async with (
            running_sequencer(settings),
            TopicReader(settings, topics.command_results) as results,
        ):
            await _running_everywhere(settings)
            await publish_suppression(settings, "l-7", None, timestamp=AT + timedelta(hours=1))
            await eventually(lambda: suppression_row(settings.database_url, "l-7"))
            await publish_suppression(settings, "l-7", suppression("l-7", AT))
            # a marker after the older suppression: once it is applied, so is the suppression
            await publish_suppression(settings, "l-8", suppression("l-8", AT))
            await eventually(lambda: suppression_row(settings.database_url, "l-8"))
            row = await suppression_row(settings.database_url, "l-7")
            still = await statuses(settings.database_url, "l-7")
            enrolled = await _do(settings, results, command("c9", "l-7", "enroll"))
            # then a newer suppression wins over the lifting
            await publish_suppression(settings, "l-7", suppression("l-7", AT + timedelta(hours=2)))
            stopped = await wait_statuses(settings.database_url, "l-7", 4, "stopped")
        assert row is not None
        assert (True, AT + timedelta(hours=1)) == (row["lifted"], row["at"])
        assert {"in_progress"} == {s for s, _ in still.values()}
        assert "applied" == enrolled["outcome"]
        assert {"c1", "c2", "c3", "c9"} == set(stopped)

    async def test_older_lifting_loses_and_the_suppression_is_kept_last(
        self, settings: Settings
    ) -> None:
        """A lifting stamped before the suppression's at is ignored; the suppression is
        re-published, so the compacted topic's last record for the person is the winner."""
        topics = Topics(settings.topic_prefix)
        async with (
            running_sequencer(settings),
            TopicReader(settings, topics.suppressions) as topic,
        ):
            await publish_suppression(settings, "l-7", suppression("l-7", AT))
            await eventually(lambda: suppression_row(settings.database_url, "l-7"))
            await publish_suppression(settings, "l-7", None, timestamp=AT - timedelta(hours=1))
            await topic.wait_for(3)
            row = await suppression_row(settings.database_url, "l-7")
        assert row is not None
        assert (False, AT) == (row["lifted"], row["at"])
        assert [b"l-7"] * 3 == [r.key for r in topic.records]
        reasons = [json.loads(r.value)["reason"] if r.value else None for r in topic.records]
        assert ["unsubscribe", None, "unsubscribe"] == reasons


class TestBadInput:
    """A bad record on the suppressions topic goes to the DLQ; the next one is applied."""

    async def test_bad_record_dead_lettered(self, settings: Settings) -> None:
        """Bad JSON and a key that is not the lead_id are dead-lettered with a reason."""
        topics = Topics(settings.topic_prefix)
        async with running_sequencer(settings), TopicReader(settings, topics.dlq) as dlq:
            await publish_suppression(settings, "l-7", b"{")
            await publish_suppression(settings, "l-9", suppression("l-7", AT))
            await publish_suppression(settings, "l-8", suppression("l-8", AT))
            await eventually(lambda: suppression_row(settings.database_url, "l-8"))
            await eventually(lambda: _count(dlq, 2))
        # two keys, two partitions: the DLQ copies come in either order
        errors = {r.key: dict(r.headers)["leadflow.error"].decode() for r in dlq.records}
        assert errors[b"l-7"].startswith("bad suppression: message: not valid JSON")
        assert "key 'l-9' does not match lead_id 'l-7'" in errors[b"l-9"]
        assert None is await suppression_row(settings.database_url, "l-7")


async def _count(reader: TopicReader, wanted: int) -> bool:
    return len(await reader.poll()) >= wanted


class TestDuplicates:
    """The same suppression twice has one effect."""

    async def test_same_suppression_twice(self, settings: Settings) -> None:
        """The second copy changes no lead and publishes no status."""
        topics = Topics(settings.topic_prefix)
        async with (
            running_sequencer(settings),
            TopicReader(settings, topics.lead_status) as status_reader,
        ):
            await _running_everywhere(settings)
            await publish_suppression(settings, "l-7", suppression("l-7", AT))
            await wait_statuses(settings.database_url, "l-7", len(CAMPAIGNS), "stopped")
            await publish_suppression(settings, "l-7", suppression("l-7", AT))
            await publish_suppression(settings, "l-8", suppression("l-8", AT))
            await eventually(lambda: suppression_row(settings.database_url, "l-8"))
            await eventually(lambda: _stops(status_reader, len(CAMPAIGNS)))
            await settle(1.0)  # a second copy's statuses, if any, would be relayed by now
            stops = await _stops(status_reader, 0)
        assert stops is not None
        assert len(CAMPAIGNS) == len(stops)


async def _stops(reader: TopicReader, at_least: int) -> list[dict[str, Any]] | None:
    """The stopped statuses of l-7 seen so far, once there are ``at_least``."""
    await reader.poll()
    found = [s for s in reader.values() if s["lead_id"] == "l-7" and s["status"] == "stopped"]
    return found if len(found) >= at_least else None


class TestAutomationSuppresses:
    """An unsubscribe applied by the fleet stops the person everywhere and writes the record."""

    async def test_unsubscribe_command(self, settings: Settings) -> None:
        """The automation command stops every campaign and publishes the Suppression."""
        topics = Topics(settings.topic_prefix)
        async with (
            running_sequencer(settings),
            TopicReader(settings, topics.suppressions) as written,
        ):
            await _running_everywhere(settings)
            body = command(
                "c2",
                "l-7",
                "stop",
                source="automation",
                trigger="unsubscribe",
                event_id="r-9",
                occurred_at=AT.isoformat(),
                reason="asked to be removed",
            )
            del body["actor"]
            await publish(settings, topics.commands, [("c2:l-7", body)])
            found = await wait_statuses(settings.database_url, "l-7", len(CAMPAIGNS), "stopped")
            records = await written.wait_for(1)
        expected = {
            "lead_id": "l-7",
            "reason": "unsubscribe",
            "event_id": "r-9",
            "at": "2026-06-02T08:00:00Z",
            "note": "asked to be removed",
        }
        assert [expected] == records
        assert "l-7 is suppressed" in found["c1"][1]

    async def test_unsubscribe_reply_end_to_end(self, settings: Settings) -> None:
        """A reply marked unsubscribe upstream: the replies worker, then the sequencer, suppress."""
        topics = Topics(settings.topic_prefix)
        reply = ingest.event("r-9", "c2", "l-7", kind="unsubscribe", body_text="remove me")
        async with (
            running_sequencer(settings),
            ingest.running(settings, "replies") as replies,
            TopicReader(settings, topics.suppressions) as written,
        ):
            await _running_everywhere(settings)
            await ingest.ready(replies)
            await ingest.publish(settings, topics.replies, [(b"c2:l-7", reply)])
            found = await wait_statuses(settings.database_url, "l-7", len(CAMPAIGNS), "stopped")
            [record] = await written.wait_for(1)
        assert ("l-7", "unsubscribe", "r-9") == (
            record["lead_id"],
            record["reason"],
            record["event_id"],
        )
        assert {"stopped: l-7 is suppressed (unsubscribe, 2026-06-01)"} == {
            reason for c, (_, reason) in found.items() if c != "c2"
        }
