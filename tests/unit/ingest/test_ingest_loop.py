"""The ingest loop against in-memory doubles: what it publishes, and when it commits."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from prometheus_client import CollectorRegistry
from structlog.testing import capture_logs

from schemas import Automation, AutomationAction, CampaignSettings, LeadCommand
from tests.unit.core.core_factories import settings
from tests.unit.doubles import ConsumedRecord, InMemoryPublisher, InMemorySends, InMemorySource
from workers.core.tokens import Secrets, ref_for, sign
from workers.health import HealthBoard
from workers.ingest.resolver import Resolver
from workers.ingest.worker import INGEST_WORKERS, IngestLoop
from workers.metrics import Metrics
from workers.ports import Batch, OnPartitions, Partition
from workers.tokens_store import SendRef
from workers.topics import Topics

TOPICS = Topics("t.")
P0, P1 = Partition(TOPICS.replies, 0), Partition(TOPICS.replies, 1)
CAMPAIGN = settings(automation=Automation(reply=AutomationAction.PAUSE))
SECRETS = Secrets((b"loop-secret",))
#: The send_tokens row of c-42:l-7:2.
SENDS = {
    ref_for("c-42:l-7:2", SECRETS): SendRef("c-42", "l-7", 2, datetime(2026, 6, 1, tzinfo=UTC))
}


def lookup(campaign_id: str) -> CampaignSettings | None:
    """Only campaign c-42 is known."""
    return CAMPAIGN if campaign_id == "c-42" else None


async def never_synced(_timeout_s: float) -> bool:
    """The campaign table has nothing newer."""
    return False


def reply(event_id: str, *, campaign_id: str = "c-42") -> bytes:
    """A reply event of lead l-7, as bytes."""
    doc: dict[str, Any] = {
        "event_id": event_id,
        "campaign_id": campaign_id,
        "lead_id": "l-7",
        "occurred_at": "2026-06-01T10:00:00Z",
    }
    return json.dumps(doc).encode()


def batch(*values: bytes | None, partition: Partition = P0, first_offset: int = 0) -> Batch:
    """One partition's records with consecutive offsets."""
    records = [
        ConsumedRecord(partition.topic, partition.partition, first_offset + n, value)
        for n, value in enumerate(values)
    ]
    return {partition: records}


class Harness:
    """An ingest loop of the replies worker wired to doubles, with a shared journal."""

    def __init__(
        self,
        *batches: Batch,
        failure: Exception | None = None,
        source: type[InMemorySource] = InMemorySource,
        publisher: type[InMemoryPublisher] = InMemoryPublisher,
    ) -> None:
        self.journal: list[str] = []
        self.source = source(list(batches), journal=self.journal)
        self.publisher = publisher(journal=self.journal, failure=failure)
        self.health = HealthBoard().register("replies")
        self.sends = InMemorySends(SENDS)
        self.loop = IngestLoop(
            INGEST_WORKERS["replies"],
            topics=TOPICS,
            source=self.source,
            publisher=self.publisher,
            lookup=lookup,
            sync=never_synced,
            resolver=Resolver(
                SECRETS, self.sends, metrics=Metrics(CollectorRegistry()), worker="replies"
            ),
            metrics=Metrics(CollectorRegistry()),
            health=self.health,
        )

    async def run_until_drained(self) -> None:
        """Run the loop until the source has handed out every batch, then stop it."""
        stop = asyncio.Event()
        task = asyncio.create_task(self.loop.run(stop))
        drained = asyncio.create_task(self.source.drained.wait())
        await asyncio.wait([task, drained], return_when=asyncio.FIRST_COMPLETED)
        drained.cancel()
        stop.set()
        await task  # raises what the loop raised


class TestIngestLoopCommit:
    """Offsets are committed only after every output of the batch is acknowledged."""

    async def test_commits_after_the_flush(self) -> None:
        """Sends, then one flush acknowledging them, then the commit: in that order."""
        harness = Harness(batch(reply("r-1"), reply("r-2")))
        await harness.run_until_drained()
        assert [
            "send t.commands",
            "send t.commands",
            "flush: 2 acknowledged",
            "commit",
        ] == harness.journal

    async def test_commits_the_next_offsets(self) -> None:
        """Each partition's committed offset is its last record's offset + 1."""
        harness = Harness(batch(reply("r-1"), first_offset=7), batch(reply("r-2"), partition=P1))
        await harness.run_until_drained()
        assert [{P0: 8}, {P1: 1}] == harness.source.committed

    async def test_batches_within_a_second_share_a_commit(self) -> None:
        """The first batch is committed at once, the next ones together (here: at the stop)."""
        harness = Harness(
            batch(reply("r-1")),
            batch(reply("r-2"), first_offset=1),
            batch(reply("r-3"), partition=P1),
        )
        await harness.run_until_drained()
        assert [{P0: 1}, {P0: 2, P1: 1}] == harness.source.committed

    async def test_failed_acknowledgement_means_no_commit(self) -> None:
        """A delivery error raises out of the loop and nothing is committed."""
        harness = Harness(batch(reply("r-1")), failure=RuntimeError("broker said no"))
        with pytest.raises(RuntimeError, match="broker said no"):
            await harness.run_until_drained()
        assert ([], ["send t.commands", "flush failed"]) == (
            harness.source.committed,
            harness.journal,
        )

    async def test_failed_acknowledgement_leaves_the_group(self) -> None:
        """The source is stopped (the group left) even when the loop fails."""
        harness = Harness(batch(reply("r-1")), failure=RuntimeError("broker said no"))
        with pytest.raises(RuntimeError):
            await harness.run_until_drained()
        assert harness.source.stopped

    async def test_refused_commit_is_logged_not_raised(self) -> None:
        """After a rebalance the commit is refused; the loop goes on and says so."""
        harness = Harness(batch(reply("r-1")))
        harness.source.refuse_commits = True
        with capture_logs() as logs:
            await harness.run_until_drained()
        assert ["commit refused after a rebalance"] == [
            entry["event"] for entry in logs if entry["log_level"] == "warning"
        ]


@dataclass
class GatedSource(InMemorySource):
    """A source whose commits wait for ``gate``; it keeps the loop's revocation callback."""

    gate: asyncio.Event = field(default_factory=asyncio.Event)
    commit_started: asyncio.Event = field(default_factory=asyncio.Event)
    on_revoked: OnPartitions | None = None

    async def start(self, on_revoked: OnPartitions, on_assigned: OnPartitions) -> None:
        self.on_revoked = on_revoked
        await super().start(on_revoked, on_assigned)

    async def commit(self, offsets: Mapping[Partition, int]) -> None:
        self.journal.append("commit started")
        self.commit_started.set()
        await self.gate.wait()
        await super().commit(offsets)


@dataclass
class CountingPublisher(InMemoryPublisher):
    """A publisher that says when it has flushed twice."""

    second_flush: asyncio.Event = field(default_factory=asyncio.Event)
    flushes: int = 0

    async def flush(self) -> None:
        await super().flush()
        self.flushes += 1
        if self.flushes == 2:
            self.second_flush.set()


#: Long enough for an in-memory loop to reach its next await many times over.
_STILL_WAITING_S = 0.2


class TestIngestLoopCommitBehind:
    """A batch's commit runs while the next batch is processed, never ahead of its flush."""

    async def test_next_batch_published_while_the_commit_runs(self) -> None:
        """The second batch is published while the first batch's commit is still pending."""
        harness = Harness(
            batch(reply("r-1")),
            batch(reply("r-2"), first_offset=1),
            source=GatedSource,
            publisher=CountingPublisher,
        )
        source, publisher = harness.source, harness.publisher
        assert isinstance(source, GatedSource)
        assert isinstance(publisher, CountingPublisher)
        stop = asyncio.Event()
        running = asyncio.create_task(harness.loop.run(stop))

        await publisher.second_flush.wait()
        pending = (list(harness.journal), list(source.committed))
        source.gate.set()
        stop.set()
        await running

        journal, committed = pending
        assert ["send t.commands", "flush: 1 acknowledged"] == journal[:2]
        assert (2, False, []) == (
            journal.count("flush: 1 acknowledged"),
            "commit" in journal,
            committed,
        )
        assert [{P0: 1}, {P0: 2}] == source.committed

    async def test_revocation_waits_for_the_commit(self) -> None:
        """Partitions are given up only once the commit of their last batch has ended."""
        harness = Harness(batch(reply("r-1")), source=GatedSource)
        source = harness.source
        assert isinstance(source, GatedSource)
        stop = asyncio.Event()
        running = asyncio.create_task(harness.loop.run(stop))
        await source.commit_started.wait()
        assert source.on_revoked is not None

        revoking = asyncio.ensure_future(source.on_revoked({P0}))
        done, _ = await asyncio.wait([revoking], timeout=_STILL_WAITING_S)
        source.gate.set()
        await revoking
        stop.set()
        await running

        assert (set(), [{P0: 1}]) == (done, source.committed)

    async def test_stop_waits_for_the_commit(self) -> None:
        """A stopping loop leaves its group only after the last commit has ended."""
        harness = Harness(batch(reply("r-1")), source=GatedSource)
        source = harness.source
        assert isinstance(source, GatedSource)
        stop = asyncio.Event()
        running = asyncio.create_task(harness.loop.run(stop))
        await source.commit_started.wait()

        stop.set()
        done, _ = await asyncio.wait([running], timeout=_STILL_WAITING_S)
        stopped_early = source.stopped
        source.gate.set()
        await running

        assert (set(), False, [{P0: 1}]) == (done, stopped_early, source.committed)


class TestIngestLoopOutputs:
    """What the loop publishes for a batch."""

    async def test_command_keyed_by_lead(self) -> None:
        """A valid reply becomes one LeadCommand on the commands topic, keyed by the lead."""
        harness = Harness(batch(reply("r-1")))
        await harness.run_until_drained()
        (sent,) = harness.publisher.acknowledged
        command = LeadCommand.model_validate_json(sent.value or b"")
        assert (TOPICS.commands, b"c-42:l-7", "reply-r-1") == (
            sent.topic,
            sent.key,
            command.command_id,
        )

    async def test_token_only_event_resolved_through_the_store(self) -> None:
        """A reply naming no lead, with the token of c-42:l-7:2, becomes l-7's command."""
        token = sign("c-42:l-7:2", SECRETS)
        value = json.dumps(
            {"event_id": "r-9", "occurred_at": "2026-06-01T10:00:00Z", "tracking_token": token}
        ).encode()
        harness = Harness(batch(value, reply("r-1")))
        await harness.run_until_drained()
        keys = [(s.topic, s.key) for s in harness.publisher.acknowledged]
        assert [(TOPICS.commands, b"c-42:l-7"), (TOPICS.commands, b"c-42:l-7")] == keys
        assert [set(SENDS)] == harness.sends.calls

    async def test_forged_token_dead_lettered_without_a_lookup(self) -> None:
        """A token no secret of ours signed goes to the DLQ; the store is never asked."""
        forged = sign("c-42:l-7:2", Secrets((b"guess",)))
        value = json.dumps(
            {"event_id": "r-9", "occurred_at": "2026-06-01T10:00:00Z", "tracking_token": forged}
        ).encode()
        harness = Harness(batch(value))
        await harness.run_until_drained()
        (sent,) = harness.publisher.acknowledged
        reason = sent.headers["leadflow.error"].decode()
        assert (TOPICS.dlq, []) == (sent.topic, harness.sends.calls)
        assert reason.startswith("invalid ReplyEvent: tracking_token does not verify")
        assert forged not in reason

    async def test_bad_input_dead_lettered_with_the_contract_headers(self) -> None:
        """An invalid record goes to the DLQ unchanged, with the reason and its origin."""
        harness = Harness(batch(b"not json", first_offset=3))
        await harness.run_until_drained()
        (sent,) = harness.publisher.acknowledged
        assert (TOPICS.dlq, b"not json", b"t.events.replies", b"0", b"3", b"replies") == (
            sent.topic,
            sent.value,
            sent.headers["leadflow.source-topic"],
            sent.headers["leadflow.source-partition"],
            sent.headers["leadflow.source-offset"],
            sent.headers["leadflow.worker"],
        )

    async def test_unknown_campaign_dead_lettered_after_a_sync(self) -> None:
        """An event of a campaign the table does not hold goes to the DLQ with the reason."""
        harness = Harness(batch(reply("r-1", campaign_id="c-9")))
        await harness.run_until_drained()
        (sent,) = harness.publisher.acknowledged
        assert b"unknown campaign c-9" == sent.headers["leadflow.error"]

    async def test_records_of_a_partition_no_longer_held_not_published(self) -> None:
        """Records of a partition revoked after the fetch are left to its new owner."""
        harness = Harness({**batch(reply("r-1")), **batch(reply("r-2"), partition=P1)})
        harness.source.held = {P0}
        await harness.run_until_drained()
        assert ([TOPICS.commands], [{P0: 1}]) == (
            harness.publisher.topics(),
            harness.source.committed,
        )


class TestIngestLoopReadiness:
    """Readiness follows the partitions held."""

    async def test_ready_while_holding_partitions(self) -> None:
        """After a batch with partitions held, the worker is ready."""
        harness = Harness(batch(reply("r-1")))
        await harness.run_until_drained()
        assert (True, "ready") == (harness.health.ready, harness.health.detail)

    async def test_not_ready_without_partitions(self) -> None:
        """Without partitions the worker waits and says so."""
        harness = Harness()
        await harness.run_until_drained()
        assert (False, "waiting for partitions") == (harness.health.ready, harness.health.detail)
