"""Collects what a batch of transitions did, for one transaction: lead rows and outbox records."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from schemas import LeadStatus, SendRequest, Suppression
from workers.core import Campaign, LeadState, Transition, wake_at
from workers.sequencer import store
from workers.sequencer.encoding import lead_status_json
from workers.sequencer.store import OutboxRecord
from workers.sequencer.tracking import SendStamp
from workers.topics import Topics


@dataclass(slots=True)
class Effects:
    """The leads to write and the messages to publish, in the order they happened."""

    topics: Topics
    #: Signs the sends (needed only where transitions send: the timers).
    stamp: SendStamp | None = None
    leads: dict[tuple[str, str], tuple[LeadState, datetime | None]] = field(default_factory=dict)
    #: Outbox records, each with the send_id it carries (None for results and statuses).
    entries: list[tuple[OutboxRecord, str | None]] = field(default_factory=list)
    #: The sends as the core built them; the outbox holds them stamped (token, Message-ID).
    sends: list[SendRequest] = field(default_factory=list)
    #: The ref of each send's tracking token, by send_id (its ``send_tokens`` row).
    refs: dict[str, bytes] = field(default_factory=dict)
    outcomes: Counter[str] = field(default_factory=Counter)
    #: Whether leads left unchanged got a wake-up time (a campaign resumed, its window moved).
    rescheduled: bool = False
    #: Whether leads already written by ``flush`` got a wake-up time.
    flushed_wake: bool = False
    #: DLQ records already written by ``flush``.
    flushed_dead: int = 0
    #: Outbox records go to the transaction's staging table (``store.stage_outbox``; the
    #: caller publishes them at the end with ``store.publish_staged``): a campaign change.
    staged: bool = False
    #: The count of relay shards, when the transaction read it already (a command batch).
    shards: int | None = None

    def add(self, transition: Transition, campaign: Campaign | None) -> None:
        """Record one transition: its result, new status and sends."""
        if transition.result is not None:
            result = transition.result
            self.outcomes[result.outcome.value] += 1
            self._emit(self.topics.command_results, result.lead_key, result.model_dump_json())
        state = transition.state
        if not transition.changed or state is None:
            return
        self.leads[(state.campaign_id, state.lead_id)] = (state, wake_at(state, campaign))
        for send in transition.sends:
            if self.stamp is None:
                raise RuntimeError("a transition sends, but these effects have no SendStamp")
            value, self.refs[send.send_id] = self.stamp.stamp_json(send)
            self.sends.append(send)
            record = OutboxRecord(self.topics.sends, send.lead_key, value)
            self.entries.append((record, send.send_id))
        assert transition.status is not None
        status = transition.status
        record = OutboxRecord(self.topics.lead_status, status.lead_key, lead_status_json(status))
        self.entries.append((record, None))

    def current(self, state: LeadState) -> LeadState:
        """``state`` as this batch last left it (the stored row when the batch did not touch it)."""
        written = self.leads.get((state.campaign_id, state.lead_id))
        return state if written is None else written[0]

    def emit_status(self, status: LeadStatus) -> None:
        """Publish a LeadStatus whose lead did not change (its ``suppressed`` did)."""
        self.entries.append(
            (OutboxRecord(self.topics.lead_status, status.lead_key, lead_status_json(status)), None)
        )

    def publish_suppression(self, suppression: Suppression) -> None:
        """Publish the Suppression the fleet itself decided, keyed by lead_id."""
        self._emit(self.topics.suppressions, suppression.lead_id, suppression.model_dump_json())

    def emit(self, topic: str, key: str, value: bytes) -> None:
        """Queue a record already serialized (a campaign change's statuses, see status_json)."""
        self.entries.append((OutboxRecord(topic, key, value), None))

    def _emit(self, topic: str, key: str, value: str, send_id: str | None = None) -> None:
        self.entries.append((OutboxRecord(topic, key, value.encode()), send_id))

    def dead_letter(self, record: OutboxRecord) -> None:
        """Queue a DLQ record (bad input) with the rest of the batch's output."""
        self.entries.append((record, None))

    async def write(self, conn: store.Conn) -> None:
        """Write the changed leads, the sends' tokens, and the outbox (caller's transaction).

        Leads and a few outbox records without sends (a command batch's) go in one statement.
        """
        leads, outbox = list(self.leads.values()), self.outbox
        together = leads and outbox and not self.sends and not self.staged
        if together and store.fits_one_statement(outbox):
            shards = self.shards or await store.count_shards(conn)
            await store.save_leads_write_outbox(conn, leads, outbox, shards=shards)
            return
        await store.save_leads(conn, leads)
        await store.save_send_tokens(conn, [(self.refs[s.send_id], s) for s in self.sends])
        if self.staged:
            await store.stage_outbox(conn, outbox)
        else:
            await store.write_outbox(conn, outbox, shards=self.shards)

    async def flush(self, conn: store.Conn, dead_topic: str) -> None:
        """Write what was collected so far and forget it (the transaction stays open).

        A campaign change fans out to every lead of the campaign: flushed per chunk, its
        memory stays bounded by the chunk, not the campaign's size.
        """
        self.flushed_wake = self.flushed_wake or self.schedules_wake
        self.flushed_dead += sum(1 for record, _ in self.entries if record.topic == dead_topic)
        await self.write(conn)
        self.leads.clear()
        self.entries.clear()

    @property
    def schedules_wake(self) -> bool:
        """Whether a written lead has a wake-up time (the timer loop should look again)."""
        return (
            self.rescheduled
            or self.flushed_wake
            or any(wake is not None for _, wake in self.leads.values())
        )

    @property
    def outbox(self) -> list[OutboxRecord]:
        return [record for record, _ in self.entries]

    def drop_sends(self, send_ids: set[str]) -> None:
        """Forget sends already requested once (the send log's last guard)."""
        if not send_ids:
            return
        self.sends = [s for s in self.sends if s.send_id not in send_ids]
        self.refs = {k: ref for k, ref in self.refs.items() if k not in send_ids}
        self.entries = [(r, sid) for r, sid in self.entries if sid is None or sid not in send_ids]
