"""Bad input on every input topic and on the campaigns topic goes to the DLQ; work goes on."""

from __future__ import annotations

import json

import pytest

from tests.integration.ingest_helpers import (
    T0,
    Tail,
    campaign,
    event,
    publish,
    put_campaigns,
    ready,
    running,
    tail,
    until,
)
from tests.integration.test_ingest_rules import URL, topic_of
from workers.settings import Settings
from workers.topics import Topics

#: Extra fields each worker's events need to be valid.
REQUIRED = {"replies": {}, "clicks": {"url": URL}, "bookings": {}}


def bad_inputs(worker: str) -> dict[str, tuple[bytes, str]]:
    """Each kind of bad value for ``worker``'s topic, with a fragment of the expected reason."""
    extra = REQUIRED[worker]

    def doc(**fields: object) -> bytes:
        base = {"event_id": "e-x", "campaign_id": "c-42", "lead_id": "l-7", "occurred_at": T0}
        merged = {**base, **extra, **fields}
        return json.dumps({k: v for k, v in merged.items() if v is not None}).encode()

    cases = {
        "not-json": (b"{oops", "not valid JSON"),
        "not-object": (b"[1, 2, 3]", "not a JSON object"),
        "missing-field": (doc(lead_id=None), "lead_id: Field required"),
        "naive-timestamp": (doc(occurred_at="2026-06-01T10:00:00"), "occurred_at"),
        "bad-id": (doc(event_id="no spaces allowed"), "event_id: String should match pattern"),
        "unknown-campaign": (doc(campaign_id="c-404"), "unknown campaign c-404"),
    }
    if worker == "bookings":
        cases["bad-enum"] = (doc(status="tentative"), "status: Input should be")
    if worker == "clicks":
        cases["bad-number"] = (doc(step=0), "step: Input should be greater than or equal to 1")
    return cases


def headers(record: object) -> dict[str, str]:
    """A DLQ record's headers as text."""
    return {k: v.decode() for k, v in getattr(record, "headers", ())}


class TestBadEvents:
    """Every kind of bad event goes to the DLQ unchanged, and the next good one is processed."""

    @pytest.mark.parametrize("worker", ["replies", "clicks", "bookings"])
    async def test_each_bad_input(self, settings: Settings, worker: str) -> None:
        """Each bad value is dead-lettered with a readable reason and its source headers."""
        cases = bad_inputs(worker)
        key = b"c-42:l-7"  # one key: every record lands in one partition, bad before good
        records = [(key, value) for value, _ in cases.values()]
        records.append((key, event("e-good", **REQUIRED[worker])))
        topics = Topics(settings.topic_prefix)
        await put_campaigns(settings, campaign("c-42"))
        async with (
            tail(settings, topics.dlq) as dlq,
            tail(settings, topics.commands) as out,
            running(settings, worker) as run,
        ):
            await ready(run)
            await publish(settings, topic_of(settings, worker), records)
            await until(lambda: len(dlq.records) >= len(cases) and bool(out.records))
        self._check_dead_letters(dlq, cases, topic_of(settings, worker), worker)
        assert ["e-good"] == [c.event_id for c in out.commands()]
        assert len(cases) - 1 == run.sample(
            "leadflow_events_invalid_total", worker=worker, topic=topic_of(settings, worker)
        )

    @staticmethod
    def _check_dead_letters(
        dlq: Tail, cases: dict[str, tuple[bytes, str]], topic: str, worker: str
    ) -> None:
        by_value = {r.value: r for r in dlq.records}
        offsets = set()
        for value, fragment in cases.values():
            found = headers(by_value[value])
            assert fragment in found["leadflow.error"], found["leadflow.error"]
            assert (topic, worker) == (found["leadflow.source-topic"], found["leadflow.worker"])
            offsets.add((found["leadflow.source-partition"], found["leadflow.source-offset"]))
            assert b"c-42:l-7" == by_value[value].key
        assert len(cases) == len(offsets)


class TestBadSettings:
    """Bad campaign settings go to the DLQ and the good settings held stay in use."""

    async def test_bad_settings_keep_good_ones(self, settings: Settings) -> None:
        """Bad JSON, a schema violation and a key mismatch are refused; the rule stays pause."""
        topics = Topics(settings.topic_prefix)
        await put_campaigns(settings, campaign("c-42", 1, reply="pause"))
        bad = [
            (b"c-42", b"{broken"),
            (b"c-42", json.dumps({"campaign_id": "c-42", "version": 2}).encode()),
            (b"c-42", json.dumps(campaign("c-other", 3, reply="continue")).encode()),
        ]
        async with (
            tail(settings, topics.dlq) as dlq,
            tail(settings, topics.commands) as out,
            running(settings) as run,
        ):
            await ready(run)
            await publish(settings, topics.campaigns, bad)
            await until(lambda: len(dlq.records) >= len(bad), what="the bad settings in the DLQ")
            await publish(settings, topics.replies, [(b"c-42:l-7", event("r-1"))])
            await until(lambda: bool(out.records), what="the reply's command")
        reasons = sorted(headers(r)["leadflow.error"] for r in dlq.records)
        assert reasons[0].startswith("invalid CampaignSettings: message: not valid JSON")
        assert reasons[1].startswith("invalid CampaignSettings: ")
        assert "key 'c-42' does not match campaign_id 'c-other'" == reasons[2]
        assert {topics.campaigns} == {headers(r)["leadflow.source-topic"] for r in dlq.records}
        assert ["pause"] == [c.action.value for c in out.commands()]
        assert 1 == run.sample("leadflow_campaigns_held", worker="replies")

    async def test_bad_settings_dead_lettered_once_across_restarts(
        self, settings: Settings
    ) -> None:
        """A restarted worker re-reads a bad settings record but does not dead-letter it again."""
        topics = Topics(settings.topic_prefix)
        await put_campaigns(settings, campaign("c-42", 1, reply="pause"))
        await publish(settings, topics.campaigns, [(b"c-42", b"{broken")])
        async with tail(settings, topics.dlq) as dlq, tail(settings, topics.commands) as out:
            async with running(settings) as first:
                await ready(first)
                await until(lambda: len(dlq.records) >= 1, what="the bad settings in the DLQ")
            async with running(settings) as second:
                await ready(second)
                await publish(settings, topics.replies, [(b"c-42:l-7", event("r-1"))])
                await until(lambda: bool(out.records), what="the reply's command")
                skipped = second.sample(
                    "leadflow_dlq_total", worker="replies", topic=topics.campaigns
                )
        assert 1 == len(dlq.records)
        assert 0 == skipped
