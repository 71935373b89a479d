"""Events addressed by tracking token or Message-ID, resolved through an in-memory send store."""

from __future__ import annotations

import base64
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry

from schemas import (
    Action,
    Automation,
    AutomationAction,
    CampaignSettings,
    ClickEvent,
    ReplyEvent,
)
from tests.unit.core.core_factories import settings
from workers.core.tokens import Secrets, message_id, ref_for, sign
from workers.ingest.batch import (
    Command,
    DeadLetter,
    EventModel,
    Output,
    Pending,
    decide_batch,
    decide_record,
    finish_pending,
    pending_refs,
)
from workers.ingest.clicks_batch import Forward, Unnamed, read_click, route_click
from workers.ingest.resolve import Outcome, Via, threading_headers, with_send
from workers.ingest.resolver import Resolver
from workers.metrics import Metrics
from workers.tokens_store import CachedSends, SendRef

SECRETS = Secrets((b"unit-secret",))
FOREIGN = Secrets((b"not-ours",))
CAMPAIGN = settings(
    automation=Automation(reply=AutomationAction.PAUSE, link_click=AutomationAction.PAUSE)
)
SEND_ID = "c-42:l-7:2"
TOKEN = sign(SEND_ID, SECRETS)
REF = ref_for(SEND_ID, SECRETS)
SENT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
STORE = {REF: SendRef("c-42", "l-7", 2, SENT)}


@dataclass(frozen=True)
class FakeRecord:
    """A consumed record with only what the ingest worker reads."""

    value: bytes | None
    offset: int = 0
    partition: int = 0
    topic: str = "events.replies"
    key: bytes | None = None


def lookup(campaign_id: str) -> CampaignSettings | None:
    """Only campaign c-42 is known."""
    return CAMPAIGN if campaign_id == "c-42" else None


def doc(**fields: Any) -> bytes:
    """An event that names no lead unless told, as bytes."""
    base: dict[str, Any] = {"event_id": "e-1", "occurred_at": "2026-06-01T10:00:00Z", **fields}
    return json.dumps({k: v for k, v in base.items() if v is not None}).encode()


def raw(**headers: str) -> str:
    """A raw RFC 5322 reply with these headers, base64 as the contract carries it."""
    lines = [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    text = "\r\n".join(["From: lead@example.com", "Subject: Re: hello", *lines, "", "Thanks!"])
    return base64.b64encode(text.encode()).decode()


def decided(value: bytes, model: EventModel = ReplyEvent) -> Output | Pending:
    """One record decided with the unit secrets."""
    return decide_record(FakeRecord(value), model, lookup, secrets=SECRETS)


def finished(value: bytes, model: EventModel = ReplyEvent) -> Output:
    """One record decided and resolved against STORE."""
    (output,) = finish_pending([decided(value, model)], STORE, lookup)
    return output


class TestDecideRecord:
    """An event that names no lead waits on its ref, or is bad input with a readable reason."""

    def test_token_only_is_pending(self) -> None:
        """A token that verifies makes the event wait for its send."""
        output = decided(doc(tracking_token=TOKEN))
        assert isinstance(output, Pending)
        assert (REF, Via.TOKEN) == (output.located.ref, output.located.via)

    def test_named_lead_wins(self) -> None:
        """An event naming its lead is decided for that lead; its token is not even checked."""
        forged = sign(SEND_ID, FOREIGN)
        output = decided(doc(campaign_id="c-42", lead_id="l-9", tracking_token=forged))
        assert isinstance(output, Command)
        assert ("c-42", "l-9") == (output.command.campaign_id, output.command.lead_id)

    def test_forged_token(self) -> None:
        """A token no secret of ours signed is bad input; the reason never holds the token."""
        forged = sign(SEND_ID, FOREIGN)
        output = decided(doc(tracking_token=forged))
        assert isinstance(output, DeadLetter)
        assert output.reason.startswith("invalid ReplyEvent: tracking_token does not verify")
        assert forged not in output.reason
        assert output.unresolved is not None
        assert Outcome.UNVERIFIED == output.unresolved.outcome

    def test_altered_token(self) -> None:
        """One character changed in a real token: bad input."""
        altered = TOKEN[:-1] + ("A" if TOKEN[-1] != "A" else "B")
        output = decided(doc(tracking_token=altered, url="https://x.test/a"), ClickEvent)
        assert isinstance(output, DeadLetter)
        assert "invalid ClickEvent: tracking_token does not verify" in output.reason

    def test_no_secrets_configured(self) -> None:
        """Without secrets, an event naming no lead cannot be resolved: bad input, said so."""
        output = decide_record(FakeRecord(doc(tracking_token=TOKEN)), ReplyEvent, lookup)
        assert isinstance(output, DeadLetter)
        assert "no LEADFLOW_TRACKING_SECRET" in output.reason

    def test_reply_by_in_reply_to(self) -> None:
        """A raw reply whose In-Reply-To is our Message-ID waits for that send."""
        output = decided(doc(raw_message=raw(In_Reply_To=message_id(TOKEN, "mail.example.com"))))
        assert isinstance(output, Pending)
        assert (REF, Via.MESSAGE_ID) == (output.located.ref, output.located.via)

    def test_reply_by_references(self) -> None:
        """Without In-Reply-To, References (newest last) is read."""
        refs = f"<CAF1@mail.gmail.com> {message_id(TOKEN)}"
        output = decided(doc(raw_message=raw(References=refs)))
        assert isinstance(output, Pending)
        assert REF == output.located.ref

    def test_reply_token_before_message_id(self) -> None:
        """A reply's tracking_token is used before its raw message's headers."""
        other = sign("c-42:l-7:1", SECRETS)
        output = decided(doc(tracking_token=TOKEN, raw_message=raw(In_Reply_To=message_id(other))))
        assert isinstance(output, Pending)
        assert Via.TOKEN == output.located.via

    def test_reply_with_forged_message_id(self) -> None:
        """A leadflow-shaped Message-ID that does not verify: bad input, said so."""
        output = decided(doc(raw_message=raw(In_Reply_To=message_id(sign(SEND_ID, FOREIGN)))))
        assert isinstance(output, DeadLetter)
        assert "the leadflow Message-ID in In-Reply-To/References does not verify" in (
            output.reason
        )

    def test_reply_with_no_leadflow_message_id(self) -> None:
        """A raw reply answering someone else's mail names no lead."""
        output = decided(doc(raw_message=raw(In_Reply_To="<CAF1@mail.gmail.com>")))
        assert isinstance(output, DeadLetter)
        assert "no leadflow Message-ID in the raw message's In-Reply-To or References" in (
            output.reason
        )
        assert output.unresolved is not None
        assert Outcome.ABSENT == output.unresolved.outcome


class TestThreadingHeaders:
    """``threading_headers`` reads the raw message's header block, else the event's headers."""

    def test_from_the_raw_message(self) -> None:
        """Both headers as they stand, a folded one with its line break."""
        event = ReplyEvent.model_validate_json(
            doc(raw_message=raw(In_Reply_To="<a@x>", References="<b@y>\r\n <a@x>"))
        )
        assert (["<a@x>"], ["<b@y>\r\n <a@x>"]) == threading_headers(event)

    def test_from_the_event_headers(self) -> None:
        """A raw message without them leaves the event's own headers to fill in."""
        event = ReplyEvent.model_validate_json(
            doc(raw_message=raw(), headers={"in-reply-to": "<a@x>"})
        )
        assert (["<a@x>"], []) == threading_headers(event)


class TestWithSend:
    """``with_send`` fills in what the send knows and the event lacks."""

    def test_click_gets_lead_step_and_sent_at(self) -> None:
        """A token-only click gets the lead, the step and (as sent_at) the send's time."""
        click = ClickEvent.model_validate_json(doc(tracking_token=TOKEN, url="https://x.test/a"))
        done = with_send(click, STORE[REF])
        assert isinstance(done, ClickEvent)
        assert ("c-42", "l-7", 2, SENT) == (done.campaign_id, done.lead_id, done.step, done.sent_at)

    def test_click_keeps_its_own_step_and_sent_at(self) -> None:
        """What the event says itself is kept."""
        click = ClickEvent.model_validate_json(
            doc(tracking_token=TOKEN, url="u", step=1, sent_at="2026-06-01T09:30:00Z")
        )
        done = with_send(click, STORE[REF])
        assert isinstance(done, ClickEvent)
        assert (1, datetime(2026, 6, 1, 9, 30, tzinfo=UTC)) == (done.step, done.sent_at)

    def test_reply_gets_its_lead(self) -> None:
        """A reply gets only the lead."""
        reply = ReplyEvent.model_validate_json(doc(tracking_token=TOKEN))
        assert "c-42:l-7" == with_send(reply, STORE[REF]).lead_key


class TestFinishPending:
    """``finish_pending`` decides each pending event with the send its ref names."""

    def test_resolved_click_pauses_the_right_lead(self) -> None:
        """A click with only a token becomes the lead's command, step and sent time filled in."""
        output = finished(doc(tracking_token=TOKEN, url="https://x.test/a"), ClickEvent)
        assert isinstance(output, Command)
        command = output.command
        assert ("c-42", "l-7", Action.PAUSE, "click-e-1", b"c-42:l-7") == (
            command.campaign_id,
            command.lead_id,
            command.action,
            command.command_id,
            output.key,
        )

    def test_unknown_send(self) -> None:
        """A token that verifies but names no send of ours is bad input."""
        other = sign("c-42:l-8:1", SECRETS)
        output = finished(doc(tracking_token=other))
        assert isinstance(output, DeadLetter)
        assert "invalid ReplyEvent: tracking token names no send of ours" == output.reason
        assert output.unresolved is not None
        assert Outcome.UNKNOWN_SEND == output.unresolved.outcome

    def test_unknown_send_by_message_id(self) -> None:
        """The same for a Message-ID, named as such."""
        other = message_id(sign("c-42:l-8:1", SECRETS))
        output = finished(doc(raw_message=raw(In_Reply_To=other)))
        assert isinstance(output, DeadLetter)
        assert "invalid ReplyEvent: leadflow Message-ID names no send of ours" == output.reason

    def test_resolved_campaign_unknown(self) -> None:
        """A send of a campaign the worker does not hold is an unknown campaign, as usual."""
        store = {REF: SendRef("c-9", "l-7", 2, SENT)}
        (output,) = finish_pending([decided(doc(tracking_token=TOKEN))], store, lookup)
        assert isinstance(output, DeadLetter)
        assert "c-9" == output.unknown_campaign

    def test_order_and_refs(self) -> None:
        """Outputs keep the batch's order; the pending refs are asked for once."""
        values = [doc(tracking_token=TOKEN), doc(campaign_id="c-42", lead_id="l-1"), b"{"]
        batch = decide_batch([FakeRecord(v) for v in values], ReplyEvent, lookup, secrets=SECRETS)
        assert {REF} == pending_refs(batch)
        kinds = [type(o) for o in finish_pending(batch, STORE, lookup)]
        assert [Command, Command, DeadLetter] == kinds


@dataclass
class MemorySends:
    """An in-memory send store that counts its calls and can fail a few times first."""

    rows: dict[bytes, SendRef]
    failures: int = 0
    calls: list[set[bytes]] = field(default_factory=list)

    async def lookup(self, refs: Collection[bytes]) -> dict[bytes, SendRef]:
        """The known refs among ``refs``; raises OSError while failures remain."""
        self.calls.append(set(refs))
        if self.failures:
            self.failures -= 1
            raise OSError("database away")
        return {r: self.rows[r] for r in refs if r in self.rows}


def resolver(sends: MemorySends | CachedSends, **kw: Any) -> tuple[Resolver, Metrics]:
    """A resolver over ``sends`` with a fresh registry."""
    metrics = Metrics(CollectorRegistry())
    return Resolver(SECRETS, sends, metrics=metrics, worker="replies", **kw), metrics


def counted(metrics: Metrics, via: str, outcome: str) -> float:
    """The resolution counter's value."""
    value = metrics.registry.get_sample_value(
        "leadflow_tracking_resolutions_total",
        {"worker": "replies", "via": via, "outcome": outcome},
    )
    return value or 0.0


class TestResolver:
    """``Resolver.finish`` asks the store once per batch and retries a store that is away."""

    async def test_one_lookup_per_batch(self) -> None:
        """Three events with two refs: one call, with both refs."""
        second = sign("c-42:l-7:3", SECRETS)
        store = MemorySends({**STORE, ref_for("c-42:l-7:3", SECRETS): STORE[REF]})
        values = [doc(tracking_token=t) for t in (TOKEN, second, TOKEN)]
        batch = decide_batch([FakeRecord(v) for v in values], ReplyEvent, lookup, secrets=SECRETS)
        made, metrics = resolver(store)
        outputs = await made.finish(batch, lookup)
        assert [Command, Command, Command] == [type(o) for o in outputs]
        assert 1 == len(store.calls)
        assert 3.0 == counted(metrics, "token", "resolved")

    async def test_no_lookup_without_pending(self) -> None:
        """A batch of events naming their leads never touches the store."""
        store = MemorySends(STORE)
        batch = [decided(doc(campaign_id="c-42", lead_id="l-7"))]
        made, _ = resolver(store)
        await made.finish(batch, lookup)
        assert [] == store.calls

    async def test_retries_a_store_that_is_away(self) -> None:
        """Two failures, then an answer: the batch resolves, nothing is dead-lettered."""
        store = MemorySends(STORE, failures=2)
        beats: list[int] = []
        made, _ = resolver(store, beat=lambda: beats.append(1))
        outputs = await made.finish([decided(doc(tracking_token=TOKEN))], lookup)
        assert [Command] == [type(o) for o in outputs]
        assert (3, 2) == (len(store.calls), len(beats))

    async def test_gives_up_after_its_deadline(self) -> None:
        """A store still away after ``retry_for_s``: the error is raised (the batch is retried
        after the restart, never dead-lettered)."""
        store = MemorySends(STORE, failures=100)
        made, _ = resolver(store, retry_for_s=0.0)
        with pytest.raises(OSError, match="database away"):
            await made.finish([decided(doc(tracking_token=TOKEN))], lookup)

    async def test_counts_failures(self) -> None:
        """Unverified and unknown sends are counted by how they failed."""
        values = [
            doc(tracking_token=sign(SEND_ID, FOREIGN)),
            doc(tracking_token=sign("c-42:l-8:1", SECRETS)),
        ]
        batch = decide_batch([FakeRecord(v) for v in values], ReplyEvent, lookup, secrets=SECRETS)
        made, metrics = resolver(MemorySends(STORE))
        await made.finish(batch, lookup)
        assert (1.0, 1.0) == (
            counted(metrics, "token", "unverified"),
            counted(metrics, "token", "unknown_send"),
        )

    async def test_cached_refs_are_not_asked_again(self) -> None:
        """Through the cache, a second batch with the same token asks the store nothing."""
        store = MemorySends(STORE)
        made, _ = resolver(CachedSends(store))
        for _ in range(2):
            await made.finish([decided(doc(tracking_token=TOKEN))], lookup)
        assert 1 == len(store.calls)


class TestCachedSends:
    """``CachedSends`` is a bounded LRU of found refs."""

    async def test_only_found_refs_are_cached(self) -> None:
        """A missing ref is asked again next time; a found one is not."""
        store = MemorySends(STORE)
        cache = CachedSends(store)
        missing = b"x" * 12
        for _ in range(2):
            assert STORE == await cache.lookup([REF, missing])
        assert [{REF, missing}, {missing}] == store.calls
        assert (1, 3) == (cache.hits, cache.misses)

    async def test_least_recently_used_is_evicted(self) -> None:
        """At capacity, the ref used longest ago goes first."""
        rows = {bytes([n]) * 12: SendRef("c-42", f"l-{n}", 1, SENT) for n in range(3)}
        store = MemorySends(rows)
        cache = CachedSends(store, capacity=2)
        a, b, c = rows
        await cache.lookup([a])
        await cache.lookup([b])
        await cache.lookup([a])  # a is now the most recent
        await cache.lookup([c])  # evicts b
        store.calls.clear()
        await cache.lookup([a, b, c])
        assert ([{b}], 2) == (store.calls, len(cache))

    async def test_empty_lookup(self) -> None:
        """No refs: no call."""
        store = MemorySends(STORE)
        assert {} == await CachedSends(store).lookup([])
        assert [] == store.calls

    def test_capacity_must_be_positive(self) -> None:
        """A cache that can hold nothing is a configuration error."""
        with pytest.raises(ValueError, match="at least 1"):
            CachedSends(MemorySends({}), capacity=0)


class TestRawMessagesNeverFail:
    """Whatever the raw message holds, reading its threading headers gives an answer."""

    @hypothesis_settings(max_examples=300, deadline=None)
    @given(st.binary(max_size=400), st.sampled_from(["In-Reply-To", "References", "X"]))
    def test_any_bytes(self, body: bytes, name: str) -> None:
        """Arbitrary bytes, even under a threading header's name, never raise."""
        data = name.encode() + b": " + body
        event = ReplyEvent.model_validate_json(doc(raw_message=base64.b64encode(data).decode()))
        in_reply_to, references = threading_headers(event)
        assert all(isinstance(v, str) for v in [*in_reply_to, *references])
        decided(doc(raw_message=base64.b64encode(data).decode()))


class TestResolverCounting:
    """A batch decided twice (after a campaign table sync) is counted once."""

    async def test_count_false_counts_nothing(self) -> None:
        """``count=False`` resolves as usual without touching the metric."""
        made, metrics = resolver(MemorySends(STORE))
        outputs = await made.finish([decided(doc(tracking_token=TOKEN))], lookup, count=False)
        assert [Command] == [type(o) for o in outputs]
        assert 0.0 == counted(metrics, "token", "resolved")


class TestClicksWorkerResolution:
    """The clicks worker's own pipeline reads and routes token-only clicks the same way."""

    def test_resolved_click_is_forwarded_lead_named(self) -> None:
        """A token-only click routes to its lead, its forwarded bytes naming lead and step."""
        record = FakeRecord(doc(tracking_token=TOKEN, url="https://x.test/a"), topic="t.clicks")
        read = read_click(record, SECRETS)
        assert isinstance(read, Unnamed)
        routed = route_click(record, read, STORE, lookup)
        assert isinstance(routed, Forward)
        forwarded = ClickEvent.model_validate_json(routed.value)
        assert (b"c-42:l-7", "l-7", 2, SENT) == (
            routed.key,
            forwarded.lead_id,
            forwarded.step,
            forwarded.sent_at,
        )

    def test_named_click_keeps_its_bytes(self) -> None:
        """A click naming its lead is forwarded unchanged, whatever token it carries."""
        value = doc(campaign_id="c-42", lead_id="l-3", url="u", tracking_token=TOKEN)
        record = FakeRecord(value)
        routed = route_click(record, read_click(record, SECRETS), {}, lookup)
        assert isinstance(routed, Forward)
        assert (b"c-42:l-3", value) == (routed.key, routed.value)

    @pytest.mark.parametrize(
        ("token", "fragment"),
        [
            (sign(SEND_ID, FOREIGN), "tracking_token does not verify"),
            (sign("c-42:l-8:1", SECRETS), "tracking token names no send of ours"),
        ],
        ids=["forged", "unknown"],
    )
    def test_bad_tokens_dead_lettered(self, token: str, fragment: str) -> None:
        """A forged token or one naming no send goes to the DLQ, the token not in the reason."""
        record = FakeRecord(doc(tracking_token=token, url="u"))
        routed = route_click(record, read_click(record, SECRETS), STORE, lookup)
        assert isinstance(routed, DeadLetter)
        assert fragment in routed.reason
        assert token not in routed.reason

    def test_without_secrets(self) -> None:
        """Without a tracking secret a token-only click is bad input, said so."""
        record = FakeRecord(doc(tracking_token=TOKEN, url="u"))
        read = read_click(record, None)
        assert isinstance(read, DeadLetter)
        assert "no tracking secret" in read.reason
