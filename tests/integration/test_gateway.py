"""The gateway over real HTTP against the real broker: every route, every refusal, a burst."""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.integration.conftest import TEST_PARTITIONS
from tests.integration.gateway_helpers import (
    BEARER,
    RunningGateway,
    configured,
    reading,
    running_gateway,
)
from tests.unit.gateway.payloads import (
    TOKEN,
    calcom_event,
    calcom_signed,
    calendly_event,
    calendly_signed,
    mailgun_event,
    mailgun_inbound,
    mailgun_json,
    postmark_auth,
    postmark_inbound,
    postmark_record,
    reply_mime,
    sendgrid_event,
    sendgrid_inbound_body,
    sendgrid_signed,
)
from workers.gateway.publisher import Publisher, Record, RecordTooLarge
from workers.health import Health
from workers.settings import Settings
from workers.setup_cmd import SetupReport, ensure_topics
from workers.topics import Topics

pytestmark = pytest.mark.integration


@pytest.fixture
async def gateway_settings(kafka_bootstrap: str, prefix: str) -> Settings:
    """Settings for a gateway on a free port, every provider configured, this test's topics."""
    made = configured(
        kafka_bootstrap_servers=kafka_bootstrap, topic_prefix=prefix, metrics_port=0, gateway_port=0
    )
    await ensure_topics(made, TEST_PARTITIONS, 1, SetupReport())
    return made


@pytest.fixture
async def gateway(gateway_settings: Settings) -> AsyncIterator[RunningGateway]:
    """The gateway running against the session's broker."""
    async with running_gateway(gateway_settings) as running:
        yield running


def now() -> datetime:
    return datetime.now(UTC)


def dumps(value: Any) -> bytes:
    return json.dumps(value).encode()


class TestProviderRoutes:
    async def test_mailgun_click_and_bounce(
        self, gateway: RunningGateway, gateway_settings: Settings
    ) -> None:
        """Mailgun's clicked and failed events land on clicks and replies, keyed by token."""
        topics = Topics(gateway_settings.topic_prefix)
        async with reading(gateway_settings, topics.clicks) as clicks:
            signed = mailgun_json(mailgun_event("clicked", now()))
            status, answer, _ = await gateway.send("/v1/webhooks/mailgun", signed)
            assert (200, {"published": 1, "ignored": 0}) == (status, answer)
            (click,) = await clicks.wait_for(1)
            assert (TOKEN, "https://example.com/pricing") == (click["tracking_token"], click["url"])
            assert TOKEN.encode() == clicks.records[0][0]
        async with reading(gateway_settings, topics.replies) as replies:
            body = mailgun_event("failed", now(), severity="permanent")
            status, _, _ = await gateway.send("/v1/webhooks/mailgun", mailgun_json(body))
            assert 200 == status
            (bounce,) = await replies.wait_for(1)
            assert "bounce" == bounce["kind"]

    async def test_mailgun_inbound_route(
        self, gateway: RunningGateway, gateway_settings: Settings
    ) -> None:
        """An inbound route's body-mime becomes a raw reply keyed by the Message-ID's token."""
        async with reading(gateway_settings, Topics(gateway_settings.topic_prefix).replies) as r:
            headers, body = mailgun_inbound(now(), reply_mime())
            status, _, _ = await gateway.post("/v1/webhooks/mailgun/mime", body, headers)
            assert 200 == status
            (reply,) = await r.wait_for(1)
            assert reply_mime() == base64.b64decode(reply["raw_message"])
            assert "campaign_id" not in reply
            assert TOKEN.encode() == r.records[0][0]

    async def test_sendgrid_batch_and_inbound_parse(
        self, gateway: RunningGateway, gateway_settings: Settings
    ) -> None:
        """A signed Event Webhook batch publishes its usable events; Inbound Parse a reply."""
        topics = Topics(gateway_settings.topic_prefix)
        events = [sendgrid_event(n) for n in ("click", "delivered", "spamreport", "unsubscribe")]
        headers, body = sendgrid_signed(dumps(events), now())
        async with reading(gateway_settings, topics.replies) as replies:
            status, answer, _ = await gateway.post("/v1/webhooks/sendgrid", body, headers)
            assert (200, {"published": 3, "ignored": 1}) == (status, answer)
            kinds = sorted(e["kind"] for e in await replies.wait_for(2))
            assert ["complaint", "unsubscribe"] == kinds
            ctype, form = sendgrid_inbound_body(reply_mime())
            headers, form = sendgrid_signed(form, now(), content_type=ctype)
            status, _, _ = await gateway.post("/v1/webhooks/sendgrid", form, headers)
            assert 200 == status
            assert "raw_message" in (await replies.wait_for(3))[2]

    async def test_postmark_records(
        self, gateway: RunningGateway, gateway_settings: Settings
    ) -> None:
        """Postmark's Click, Bounce, SpamComplaint, SubscriptionChange and Inbound are mapped."""
        topics = Topics(gateway_settings.topic_prefix)
        records = [
            postmark_record("HardBounce"),
            postmark_record("SpamComplaint"),
            postmark_record("SubscriptionChange"),
            postmark_inbound(reply_mime()),
        ]
        async with reading(gateway_settings, topics.replies) as replies:
            for record in records:
                status, _, _ = await gateway.post(
                    "/v1/webhooks/postmark", dumps(record), postmark_auth()
                )
                assert 200 == status
            values = await replies.wait_for(4)
            assert ["bounce", "complaint", "unsubscribe", None] == [v.get("kind") for v in values]
        async with reading(gateway_settings, topics.clicks) as clicks:
            status, _, _ = await gateway.post(
                "/v1/webhooks/postmark", dumps(postmark_record("Click")), postmark_auth()
            )
            assert 200 == status
            assert "https://example.com" == (await clicks.wait_for(1))[0]["url"]

    async def test_calendly_and_calcom_bookings(
        self, gateway: RunningGateway, gateway_settings: Settings
    ) -> None:
        """Calendly and Cal.com bookings land on bookings with status and meeting time."""
        async with reading(gateway_settings, Topics(gateway_settings.topic_prefix).bookings) as b:
            headers, body = calendly_signed(dumps(calendly_event("invitee.canceled")), now())
            assert 200 == (await gateway.post("/v1/webhooks/calendly", body, headers))[0]
            headers, body = calcom_signed(dumps(calcom_event("BOOKING_CREATED")))
            assert 200 == (await gateway.post("/v1/webhooks/calcom", body, headers))[0]
            values = await b.wait_for(2)
            assert ["cancelled", "booked"] == [v["status"] for v in values]
            assert "2023-05-25T09:30:00Z" == values[1]["meeting_at"]

    async def test_unused_and_unusable_events_are_answered_200_and_counted(
        self, gateway: RunningGateway
    ) -> None:
        """delivered is unused; a click without token is unusable: both 200, nothing sent."""
        body = mailgun_event("delivered", now())
        status, answer, _ = await gateway.send("/v1/webhooks/mailgun", mailgun_json(body))
        assert (200, {"published": 0, "ignored": 1}) == (status, answer)
        body = mailgun_event("clicked", now(), token=None)
        assert 200 == (await gateway.send("/v1/webhooks/mailgun", mailgun_json(body)))[0]
        route = "webhook/mailgun"
        assert 1 == gateway.sample(
            "leadflow_gateway_events_ignored_total", route=route, reason="unused"
        )
        assert 1 == gateway.sample(
            "leadflow_gateway_events_ignored_total", route=route, reason="no_lead"
        )

    async def test_same_webhook_twice_has_the_same_event_id(
        self, gateway: RunningGateway, gateway_settings: Settings
    ) -> None:
        """A provider's retry publishes the same event_id, which the fleet applies once."""
        async with reading(gateway_settings, Topics(gateway_settings.topic_prefix).bookings) as b:
            body = dumps(calcom_event())
            for _ in range(2):
                headers, signed = calcom_signed(body)
                assert 200 == (await gateway.post("/v1/webhooks/calcom", signed, headers))[0]
            first, second = await b.wait_for(2)
            assert first["event_id"] == second["event_id"]


class TestRefusals:
    async def test_bad_signature_is_401_without_detail(self, gateway: RunningGateway) -> None:
        """A signature made with another key: 401, a bare reason, counted."""
        headers, body = calcom_signed(dumps(calcom_event()), secret="not-ours")
        status, answer, _ = await gateway.post("/v1/webhooks/calcom", body, headers)
        assert (401, {"error": "unauthorized"}) == (status, answer)
        assert 1 == gateway.sample(
            "leadflow_gateway_signature_failures_total", route="webhook/calcom"
        )

    async def test_stale_timestamp_is_401(self, gateway: RunningGateway) -> None:
        """A Calendly signature ten minutes old is refused."""
        stale = now() - timedelta(minutes=10)
        headers, body = calendly_signed(dumps(calendly_event()), stale)
        assert 401 == (await gateway.post("/v1/webhooks/calendly", body, headers))[0]

    async def test_missing_credentials_are_401(self, gateway: RunningGateway) -> None:
        """Postmark without basic auth, a bearer route without token: 401."""
        body = dumps(postmark_record("Click"))
        assert 401 == (await gateway.post("/v1/webhooks/postmark", body))[0]
        assert 401 == (await gateway.post("/v1/events/clicks", b"{}"))[0]

    async def test_unreadable_body_is_400_with_the_reason(self, gateway: RunningGateway) -> None:
        """A correctly signed body that is not JSON: 400 saying so."""
        headers, body = calcom_signed(b"{not json")
        status, answer, _ = await gateway.post("/v1/webhooks/calcom", body, headers)
        assert 400 == status
        assert answer["error"].startswith("the body is not valid JSON")

    async def test_declared_oversized_body_is_413(self, gateway: RunningGateway) -> None:
        """A Content-Length over 1 MiB on a JSON route is refused before it is read."""
        headers, body = calcom_signed(b" " * (1024 * 1024 + 1))
        assert 413 == (await gateway.post("/v1/webhooks/calcom", body, headers))[0]

    async def test_streamed_oversized_body_is_413(self, gateway: RunningGateway) -> None:
        """A chunked body is counted while it is read and refused once it passes the limit."""

        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(40):
                yield b" " * 65536

        headers = {"Content-Type": "application/json", "X-Cal-Signature-256": "00"}
        async with gateway.session.post(
            gateway.url + "/v1/webhooks/calcom", data=chunks(), headers=headers
        ) as reply:
            assert 413 == reply.status

    async def test_compressed_body_is_counted_after_decompression(
        self, gateway: RunningGateway
    ) -> None:
        """A gzip body is read decompressed: a small bomb is 413, a real event goes through."""
        headers, body = calcom_signed(dumps(calcom_event()))
        headers["Content-Encoding"] = "gzip"
        status, _, _ = await gateway.post("/v1/webhooks/calcom", gzip.compress(body), headers)
        assert 200 == status
        bomb = gzip.compress(b" " * (3 * 1024 * 1024))
        status, _, _ = await gateway.post("/v1/webhooks/calcom", bomb, headers)
        assert 413 == status

    async def test_mail_routes_take_up_to_25_mib(self, gateway: RunningGateway) -> None:
        """A 2 MiB inbound form is read (and checked); 26 MiB is refused."""
        headers, body = mailgun_inbound(now(), reply_mime())
        padded = body + b"&pad=" + b"x" * (2 * 1024 * 1024)
        assert 200 == (await gateway.post("/v1/webhooks/mailgun", padded, headers))[0]
        huge = body + b"&pad=" + b"x" * (26 * 1024 * 1024)
        assert 413 == (await gateway.post("/v1/webhooks/mailgun", huge, headers))[0]

    async def test_huge_header_fields_are_dropped_not_choked_on(
        self, gateway: RunningGateway, gateway_settings: Settings
    ) -> None:
        """A 1.2 MB header field is left out of the published reply, and quickly."""
        record = postmark_inbound(None)
        record["Headers"].append({"Name": "X-Padding", "Value": "x " * 600_000})
        async with reading(gateway_settings, Topics(gateway_settings.topic_prefix).replies) as r:
            status, _, _ = await asyncio.wait_for(
                gateway.post("/v1/webhooks/postmark", dumps(record), postmark_auth()), 10
            )
            assert 200 == status
            (reply,) = await r.wait_for(1)
        raw = base64.b64decode(reply["raw_message"])
        assert b"X-Padding" not in raw
        assert b"In-Reply-To: <" + TOKEN.encode() in raw

    async def test_unknown_or_unconfigured_routes_are_404(self, kafka_bootstrap: str) -> None:
        """Without secrets and bearer tokens, every route answers 404."""
        bare = Settings(kafka_bootstrap_servers=kafka_bootstrap, gateway_port=0, metrics_port=0)
        async with running_gateway(bare, wait_ready=False) as running:
            for path in ("/v1/webhooks/mailgun", "/v1/webhooks/calcom", "/v1/events/clicks"):
                status, _, _ = await running.post(
                    path, b"{}", {"Authorization": f"Bearer {BEARER}"}
                )
                assert 404 == status, path
            assert 404 == (await running.post("/v1/webhooks/other", b"{}"))[0]
            assert 404 == (await running.post("/v1/webhooks/calcom/mime", b"{}"))[0]
            async with running.session.get(running.url + "/v1/webhooks/calcom") as reply:
                assert (405, {"error": "method not allowed"}) == (reply.status, await reply.json())

    async def test_slow_client_is_cut_off(self, gateway_settings: Settings) -> None:
        """A client that stops sending its body gets 408 when the read deadline passes."""
        async with running_gateway(gateway_settings, body_timeout_s=0.5) as running:
            reader, writer = await asyncio.open_connection("127.0.0.1", running.worker.port)
            writer.write(
                b"POST /v1/webhooks/calcom HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
            )
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n"), 10)
            writer.close()
            assert head.startswith(b"HTTP/1.1 408")


class TestBearerRoutes:
    async def test_events_of_each_kind_are_published(
        self, gateway: RunningGateway, gateway_settings: Settings
    ) -> None:
        """One event or an array, with a bearer token, is published as it is."""
        topics = Topics(gateway_settings.topic_prefix)
        auth = {"Authorization": f"Bearer {BEARER}", "Content-Type": "application/json"}
        reply = {
            "event_id": "r-1",
            "campaign_id": "c-1",
            "lead_id": "l-1",
            "occurred_at": "2026-06-01T10:00:00Z",
            "body_text": "Thanks!",
        }
        click = {
            "event_id": "k-1",
            "tracking_token": TOKEN,
            "occurred_at": "2026-06-01T10:00:00Z",
            "url": "https://x.example",
        }
        booking = {
            "event_id": "b-1",
            "campaign_id": "c-1",
            "lead_id": "l-1",
            "occurred_at": "2026-06-01T10:00:00Z",
        }
        for kind, topic, body in (
            ("replies", topics.replies, reply),
            ("clicks", topics.clicks, [click, {**click, "event_id": "k-2"}]),
            ("bookings", topics.bookings, booking),
        ):
            async with reading(gateway_settings, topic) as r:
                status, _, _ = await gateway.post(f"/v1/events/{kind}", dumps(body), auth)
                assert 200 == status
                values = await r.wait_for(len(body) if isinstance(body, list) else 1)
                assert values[0]["event_id"] in {"r-1", "k-1", "b-1"}
        assert 1 == gateway.sample("leadflow_gateway_events_published_total", type="replies")
        assert 2 == gateway.sample("leadflow_gateway_events_published_total", type="clicks")

    async def test_one_invalid_item_publishes_nothing(
        self, gateway: RunningGateway, gateway_settings: Settings
    ) -> None:
        """All or none: a reason per invalid item, and nothing on the topic."""
        auth = {"Authorization": f"Bearer {BEARER}"}
        good = {
            "event_id": "k-1",
            "tracking_token": TOKEN,
            "occurred_at": "2026-06-01T10:00:00Z",
            "url": "https://x.example",
        }
        status, answer, _ = await gateway.post(
            "/v1/events/clicks", dumps([good, {**good, "occurred_at": "yesterday"}]), auth
        )
        assert 400 == status
        assert [1] == [item["index"] for item in answer["items"]]
        async with reading(gateway_settings, Topics(gateway_settings.topic_prefix).clicks) as r:
            assert [] == await r.settle()


class TestPublisher:
    async def test_a_record_kafka_cannot_hold_is_refused_for_good(
        self, gateway_settings: Settings
    ) -> None:
        """A record over the producer's size limit raises RecordTooLarge (413), not 503."""
        publisher = Publisher(gateway_settings, timeout_s=5)
        await publisher.keep_started(asyncio.Event(), Health("gateway"))
        topic = Topics(gateway_settings.topic_prefix).replies
        try:
            with pytest.raises(RecordTooLarge):
                await publisher.publish([Record(topic, b"k", b"x" * 2_000_000)])
            await publisher.publish([Record(topic, b"k", b"{}")])
        finally:
            await publisher.close()


class TestKafkaUnreachable:
    async def test_503_with_retry_after_and_nothing_acknowledged(self, prefix: str) -> None:
        """With no broker answering, a valid webhook gets 503 and Retry-After."""
        with socket.socket() as probe:  # a port nobody listens on
            probe.bind(("127.0.0.1", 0))
            closed = f"127.0.0.1:{probe.getsockname()[1]}"
        settings = configured(
            kafka_bootstrap_servers=closed, topic_prefix=prefix, gateway_port=0, metrics_port=0
        )
        async with running_gateway(settings, wait_ready=False) as running:
            headers, body = calcom_signed(dumps(calcom_event()))
            status, answer, response_headers = await running.post(
                "/v1/webhooks/calcom", body, headers
            )
            assert 503 == status
            assert "5" == response_headers["Retry-After"]
            assert "error" in answer
            assert False is running.health.ready
            assert 0 == running.sample("leadflow_gateway_events_published_total", type="bookings")


class TestBurst:
    async def test_ten_thousand_webhooks_lose_nothing(
        self, gateway: RunningGateway, gateway_settings: Settings
    ) -> None:
        """10,000 signed Cal.com webhooks, 100 at a time: every one is on the topic."""
        total, concurrency = 10_000, 100
        template = calcom_event()

        async def send(worker: int) -> None:
            for index in range(worker, total, concurrency):
                event = {**template, "payload": {**template["payload"], "uid": f"burst-{index}"}}
                headers, body = calcom_signed(dumps(event))
                status, _, _ = await gateway.post("/v1/webhooks/calcom", body, headers)
                assert 200 == status

        await asyncio.gather(*(send(w) for w in range(concurrency)))
        async with reading(gateway_settings, Topics(gateway_settings.topic_prefix).bookings) as b:
            values = await b.wait_for(total, timeout_s=60)
        assert total == len({v["event_id"] for v in values})
