"""Tracking tokens and Message-IDs on the real broker and database: ingest workers resolve them."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from pydantic import SecretStr

from schemas import Action, SendRequest, Trigger
from tests.integration.gateway_helpers import configured, running_gateway
from tests.integration.helpers import TopicReader, eventually
from tests.integration.helpers import publish as publish_json
from tests.integration.infra import TRACKING_SECRET
from tests.integration.ingest_helpers import (
    Tail,
    campaign,
    publish,
    put_campaigns,
    ready,
    running,
    tail,
    until,
)
from tests.integration.sequencer_helpers import campaign as sequencer_campaign
from tests.integration.sequencer_helpers import command, running_sequencer
from tests.unit.gateway.payloads import calcom_event, calcom_signed
from workers.core.tokens import Secrets, sign, tracking, verify
from workers.settings import Settings
from workers.tokens_store import PgSends, SendRef
from workers.topics import Topics

pytestmark = pytest.mark.integration

SECRETS = Secrets.parse(TRACKING_SECRET)
SENT_AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


async def store_send(settings: Settings, send_id: str, secrets: Secrets = SECRETS) -> str:
    """Write the send_tokens row of ``send_id`` as the sequencer does; return its token."""
    made = tracking(send_id, secrets)
    campaign_id, lead_id, step = send_id.split(":")
    conn = await asyncpg.connect(settings.database_url)
    try:
        await conn.execute(
            "INSERT INTO send_tokens (ref, campaign_id, lead_id, step, requested_at)"
            " VALUES ($1, $2, $3, $4, $5)",
            made.ref,
            campaign_id,
            lead_id,
            int(step),
            SENT_AT,
        )
    finally:
        await conn.close()
    return made.token


def token_event(event_id: str, occurred_at: str = "2026-06-01T10:00:00Z", **fields: Any) -> bytes:
    """An event that names no lead (give it a token or a raw message)."""
    return json.dumps({"event_id": event_id, "occurred_at": occurred_at, **fields}).encode()


def raw_reply(in_reply_to: str) -> str:
    """A raw reply answering ``in_reply_to``, base64 of its bytes."""
    text = (
        "From: Lead <lead@example.com>\r\nTo: sales@example.com\r\nSubject: Re: hello\r\n"
        f"Message-ID: <CAF1@mail.example.com>\r\nIn-Reply-To: {in_reply_to}\r\n"
        f"References: <older@example.com> {in_reply_to}\r\n\r\nSounds good, call me.\r\n"
    )
    return base64.b64encode(text.encode()).decode()


def errors_of(dlq: Tail) -> dict[bytes, str]:
    """The DLQ's ``leadflow.error`` header by original value."""
    return {r.value: dict(r.headers)["leadflow.error"].decode() for r in dlq.records}


class TestIngestResolution:
    """Events that carry only a token or a Message-ID reach the right lead, or the DLQ."""

    async def test_click_with_only_a_token(self, settings: Settings) -> None:
        """A click naming no lead, with the token of c-42:l-7:1, pauses c-42/l-7."""
        token = await store_send(settings, "c-42:l-7:1")
        await put_campaigns(settings, campaign("c-42", link_click="pause"))
        topics = Topics(settings.topic_prefix)
        click = token_event("k-1", tracking_token=token, url="https://x.test/offer")
        async with tail(settings, topics.commands) as out, running(settings, "clicks") as run:
            await ready(run)
            await publish(settings, topics.clicks, [(token.encode(), click)])
            await until(lambda: bool(out.records), what="the click's command")
        (command,) = out.commands()
        assert ("c-42", "l-7", Trigger.LINK_CLICK, Action.PAUSE, "click-k-1") == (
            command.campaign_id,
            command.lead_id,
            command.trigger,
            command.action,
            command.command_id,
        )
        assert b"c-42:l-7" == out.records[0].key
        assert 1.0 == run.sample(
            "leadflow_tracking_resolutions_total", worker="clicks", via="token", outcome="resolved"
        )

    async def test_booking_with_only_a_token(self, settings: Settings) -> None:
        """A booking naming no lead (e.g. Calendly's utm_content) stops the token's lead."""
        token = await store_send(settings, "c-42:l-9:3")
        await put_campaigns(settings, campaign("c-42"))
        topics = Topics(settings.topic_prefix)
        booking = token_event("b-1", tracking_token=token)
        async with tail(settings, topics.commands) as out, running(settings, "bookings") as run:
            await ready(run)
            await publish(settings, topics.bookings, [(None, booking)])
            await until(lambda: bool(out.records), what="the booking's command")
        (command,) = out.commands()
        assert ("l-9", Trigger.MEETING_BOOKED, Action.STOP) == (
            command.lead_id,
            command.trigger,
            command.action,
        )

    async def test_reply_by_in_reply_to(self, settings: Settings) -> None:
        """A raw reply whose In-Reply-To is our Message-ID (any domain) reaches its lead."""
        token = await store_send(settings, "c-42:l-8:2")
        await put_campaigns(settings, campaign("c-42", reply="pause"))
        topics = Topics(settings.topic_prefix)
        reply = token_event("r-1", raw_message=raw_reply(f"<{token}@mail.example.com>"))
        async with tail(settings, topics.commands) as out, running(settings, "replies") as run:
            await ready(run)
            await publish(settings, topics.replies, [(None, reply)])
            await until(lambda: bool(out.records), what="the reply's command")
        (command,) = out.commands()
        assert ("c-42", "l-8", Action.PAUSE) == (
            command.campaign_id,
            command.lead_id,
            command.action,
        )

    async def test_forged_altered_and_unknown_go_to_the_dlq(self, settings: Settings) -> None:
        """A forged token, an altered one, a forged Message-ID and a token naming no send are
        dead-lettered with readable reasons that never hold the token; a good event after them
        still goes through."""
        good = await store_send(settings, "c-42:l-7:1")
        forged = sign("c-42:l-7:1", Secrets((b"an attacker's guess",)))
        altered = good[:-2] + ("AA" if good[-2:] != "AA" else "BB")
        unknown = sign("c-42:l-404:1", SECRETS)
        cases = {
            token_event("r-forged", tracking_token=forged): "tracking_token does not verify",
            token_event("r-altered", tracking_token=altered): "tracking_token does not verify",
            token_event(
                "r-forged-mid", raw_message=raw_reply(f"<{forged}@leadflow.invalid>")
            ): "Message-ID in In-Reply-To/References does not verify",
            token_event("r-unknown", tracking_token=unknown): "tracking token names no send",
        }
        await put_campaigns(settings, campaign("c-42"))
        topics = Topics(settings.topic_prefix)
        records = [(b"k", value) for value in cases]
        records.append((b"k", token_event("r-good", tracking_token=good)))
        async with (
            tail(settings, topics.dlq) as dlq,
            tail(settings, topics.commands) as out,
            running(settings, "replies") as run,
        ):
            await ready(run)
            await publish(settings, topics.replies, records)
            await until(lambda: len(dlq.records) >= len(cases) and bool(out.records))
        errors = errors_of(dlq)
        for value, fragment in cases.items():
            assert fragment in errors[value], errors[value]
            assert errors[value].startswith("invalid ReplyEvent: ")
        for token in (forged, altered, unknown):
            assert all(token not in e for e in errors.values())
        assert ["r-good"] == [c.event_id for c in out.commands()]

    async def test_rotation(self, settings: Settings) -> None:
        """A token signed with the old secret still resolves once a new first secret is added."""
        old_token = await store_send(settings, "c-42:l-7:1")
        rotated = settings.model_copy(
            update={"tracking_secret": SecretStr(f"a-brand-new-secret,{TRACKING_SECRET}")}
        )
        await put_campaigns(settings, campaign("c-42", link_click="stop"))
        topics = Topics(settings.topic_prefix)
        click = token_event("k-old", tracking_token=old_token, url="https://x.test/offer")
        async with tail(settings, topics.commands) as out, running(rotated, "clicks") as run:
            await ready(run)
            await publish(settings, topics.clicks, [(None, click)])
            await until(lambda: bool(out.records), what="the old token's command")
        (command,) = out.commands()
        assert ("l-7", Action.STOP) == (command.lead_id, command.action)


async def latest_status(reader: TopicReader, lead_id: str, wanted: str) -> dict[str, Any]:
    """The lead's latest LeadStatus once it is ``wanted``."""

    async def found() -> dict[str, Any] | None:
        await reader.poll()
        mine = [v for v in reader.values() if v["lead_id"] == lead_id]
        return mine[-1] if mine and mine[-1]["status"] == wanted else None

    return await eventually(found)


async def sent(reader: TopicReader, send_id: str) -> dict[str, Any]:
    """The SendRequest ``send_id`` once it is published."""

    async def found() -> dict[str, Any] | None:
        await reader.poll()
        return next((v for v in reader.values() if v["send_id"] == send_id), None)

    return await eventually(found)


class TestEndToEnd:
    """The sequencer signs every send; the ingest workers bring events back to its lead."""

    async def test_sends_resolve_and_events_find_their_leads(self, settings: Settings) -> None:
        """A send carries its token and Message-ID, its send_tokens row resolves them, a click
        with only the token pauses its lead, and a raw reply answering the other lead's
        Message-ID pauses that lead."""
        topics = Topics(settings.topic_prefix)
        # A click seconds after the send would be a scanner's under the default ``ignore``.
        automation = {"link_click": "pause", "reply": "pause", "scanner_clicks": "count"}
        body = sequencer_campaign("c1", delays=["PT0S", "P1D"], automation=automation)
        await publish_json(settings, topics.campaigns, [("c1", body)])
        async with (
            running_sequencer(settings),
            running(settings, "clicks") as clicks,
            running(settings, "replies") as replies,
            TopicReader(settings, topics.sends) as sends,
            TopicReader(settings, topics.lead_status) as statuses,
        ):
            await ready(clicks)
            await ready(replies)
            for lead in ("l1", "l2"):
                await publish_json(
                    settings, topics.commands, [(f"c1:{lead}", command("c1", lead, "enroll"))]
                )
            first = await sent(sends, "c1:l1:1")
            second = await sent(sends, "c1:l2:1")
            token = sign("c1:l1:1", SECRETS)
            SendRequest.model_validate(first)  # both v2 fields are required by the schema
            assert (token, f"<{token}@leadflow.invalid>") == (
                first["tracking_token"],
                first["message_id"],
            )
            ref = verify(first["tracking_token"], SECRETS)
            assert ref is not None
            found = await PgSends(settings.database_url).lookup([ref])
            requested_at = datetime.fromisoformat(first["requested_at"])
            assert {ref: SendRef("c1", "l1", 1, requested_at)} == found

            now = datetime.now(UTC).isoformat()  # after the enrolment: not stale automation
            click = token_event("k-1", now, tracking_token=token, url="https://x.test/offer")
            await publish(settings, topics.clicks, [(token.encode(), click)])
            paused = await latest_status(statuses, "l1", "paused")
            reply = token_event("r-1", now, raw_message=raw_reply(second["message_id"]))
            await publish(settings, topics.replies, [(None, reply)])
            other = await latest_status(statuses, "l2", "paused")
        assert "link_click" in paused["reason"]
        assert "reply" in other["reason"]


class TestGatewayToIngest:
    """A provider's webhook carries only our token; the gateway and an ingest worker resolve it."""

    async def test_calcom_booking_reaches_the_tokens_lead(self, settings: Settings) -> None:
        """A signed Cal.com BOOKING_CREATED with ``metadata.leadflow`` = the token of
        c-42:l-5:1 becomes a meeting_booked command for l-5."""
        token = await store_send(settings, "c-42:l-5:1")
        await put_campaigns(settings, campaign("c-42"))
        topics = Topics(settings.topic_prefix)
        headers, body = calcom_signed(json.dumps(calcom_event(token=token)).encode())
        async with (
            tail(settings, topics.commands) as out,
            running(settings, "bookings") as bookings,
            running_gateway(configured(**settings.model_dump())) as gateway,
        ):
            await ready(bookings)
            status, _, _ = await gateway.post("/v1/webhooks/calcom", body, headers)
            assert 200 == status
            await until(lambda: bool(out.records), what="the booking's command")
        (command,) = out.commands()
        assert ("c-42", "l-5", Trigger.MEETING_BOOKED, Action.STOP) == (
            command.campaign_id,
            command.lead_id,
            command.trigger,
            command.action,
        )
