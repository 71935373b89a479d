"""SendGrid: ECDSA signature of the Event Webhook and Inbound Parse, and the event mapping."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from schemas import ClickEvent, ReplyEvent, ReplyKind
from tests.unit.gateway.payloads import (
    SENDGRID_PUBLIC,
    TOKEN,
    reply_mime,
    sendgrid_event,
    sendgrid_inbound_body,
    sendgrid_signed,
)
from workers.gateway import sendgrid
from workers.gateway.core import BadBody, Ignored, IgnoreReason, Mapped, Result

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def batch(*events: dict[str, object]) -> bytes:
    return json.dumps(list(events)).encode()


def run(headers: dict[str, str], body: bytes) -> list[Result]:
    return sendgrid.map(sendgrid.parse(headers, body, NOW))


class TestVerify:
    def test_documented_signature_verifies(self) -> None:
        """An ECDSA P-256 signature of timestamp + body, base64 DER, verifies."""
        headers, body = sendgrid_signed(batch(sendgrid_event("click")), NOW)
        assert True is sendgrid.verify(headers, body, SENDGRID_PUBLIC, NOW)

    def test_one_of_several_keys_verifies(self) -> None:
        """Any key of a comma-separated list verifies (rotation, Parse's own key)."""
        headers, body = sendgrid_signed(batch(sendgrid_event("click")), NOW)
        other = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE" + "A" * 88
        assert True is sendgrid.verify(headers, body, f"{other}, {SENDGRID_PUBLIC}", NOW)

    def test_changed_body_fails(self) -> None:
        """A byte changed in the body breaks the signature."""
        headers, body = sendgrid_signed(batch(sendgrid_event("click")), NOW)
        assert False is sendgrid.verify(
            headers, body.replace(b"click", b"clack"), SENDGRID_PUBLIC, NOW
        )

    def test_changed_timestamp_fails(self) -> None:
        """The timestamp is signed: another one fails."""
        headers, body = sendgrid_signed(batch(sendgrid_event("click")), NOW)
        headers["X-Twilio-Email-Event-Webhook-Timestamp"] = str(int(NOW.timestamp()) - 1)
        assert False is sendgrid.verify(headers, body, SENDGRID_PUBLIC, NOW)

    def test_missing_headers_fail(self) -> None:
        """A request without the signature headers does not verify."""
        assert False is sendgrid.verify({}, b"[]", SENDGRID_PUBLIC, NOW)

    @pytest.mark.parametrize("key", ["", "not base64!", base64.b64encode(b"junk").decode()])
    def test_unusable_key_fails(self, key: str) -> None:
        """A key that is not a base64 DER EC public key verifies nothing."""
        headers, body = sendgrid_signed(batch(sendgrid_event("click")), NOW)
        assert False is sendgrid.verify(headers, body, key, NOW)

    def test_garbage_signature_fails(self) -> None:
        """A signature that is not base64 does not verify."""
        headers, body = sendgrid_signed(b"[]", NOW)
        headers["X-Twilio-Email-Event-Webhook-Signature"] = "%%%"
        assert False is sendgrid.verify(headers, body, SENDGRID_PUBLIC, NOW)

    def test_retry_a_day_later_verifies(self) -> None:
        """SendGrid retries for 24 hours: a day-old timestamp is accepted."""
        headers, body = sendgrid_signed(b"[]", NOW - timedelta(hours=24))
        assert True is sendgrid.verify(headers, body, SENDGRID_PUBLIC, NOW)

    def test_stale_timestamp_fails(self) -> None:
        """A timestamp older than SendGrid's retry period is refused."""
        headers, body = sendgrid_signed(b"[]", NOW - timedelta(hours=25))
        assert False is sendgrid.verify(headers, body, SENDGRID_PUBLIC, NOW)

    def test_inbound_parse_signature_verifies(self) -> None:
        """An Inbound Parse post signed the same way verifies."""
        ctype, body = sendgrid_inbound_body(reply_mime())
        headers, body = sendgrid_signed(body, NOW, content_type=ctype)
        assert True is sendgrid.verify(headers, body, SENDGRID_PUBLIC, NOW)


class TestMap:
    def test_click_becomes_a_click(self) -> None:
        """click → ClickEvent with url, user agent and ip."""
        (result,) = run(*sendgrid_signed(batch(sendgrid_event("click")), NOW))
        assert isinstance(result, Mapped)
        event = result.event
        assert isinstance(event, ClickEvent)
        assert ("http://www.sendgrid.com/", "255.255.255.255", TOKEN) == (
            event.url,
            event.ip,
            event.tracking_token,
        )
        assert "sendgrid-sg_event_id" == event.event_id

    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("bounce", ReplyKind.BOUNCE),
            ("blocked", ReplyKind.SOFT_BOUNCE),
            ("dropped", ReplyKind.BOUNCE),
            ("spamreport", ReplyKind.COMPLAINT),
            ("unsubscribe", ReplyKind.UNSUBSCRIBE),
            ("group_unsubscribe", ReplyKind.UNSUBSCRIBE),
        ],
    )
    def test_delivery_problems_become_replies_with_kind(
        self, name: str, expected: ReplyKind
    ) -> None:
        """Each of SendGrid's problem events → ReplyEvent with the contract's kind."""
        (result,) = run(*sendgrid_signed(batch(sendgrid_event(name)), NOW))
        assert isinstance(result, Mapped)
        assert isinstance(result.event, ReplyEvent)
        assert expected == result.event.kind

    def test_dropped_for_another_reason_is_unused(self) -> None:
        """dropped for a reason other than a bounced address is unused."""
        event = sendgrid_event("dropped", reason="Unsubscribed Address")
        assert [Ignored(IgnoreReason.UNUSED, "dropped")] == run({}, batch(event))

    def test_batch_maps_item_by_item(self) -> None:
        """A batch gives one result per event, in order, unused ones included."""
        body = batch(
            sendgrid_event("delivered"),
            sendgrid_event("click"),
            sendgrid_event("click", token=None),
        )
        results = run({}, body)
        assert [Ignored, Mapped, Ignored] == [type(r) for r in results]

    def test_ids_with_base64_padding_are_hashed_into_the_pattern(self) -> None:
        """sg_event_id with '=' gives a deterministic id within the id pattern."""
        (first,) = run({}, batch(sendgrid_event("bounce")))
        (again,) = run({}, batch(sendgrid_event("bounce")))
        assert isinstance(first, Mapped)
        assert isinstance(again, Mapped)
        assert first.event.event_id == again.event.event_id
        assert first.event.event_id.startswith("sendgrid-")

    def test_inbound_parse_carries_the_raw_message(self) -> None:
        """Inbound Parse's raw 'email' field becomes a ReplyEvent with raw_message."""
        mime = reply_mime()
        ctype, body = sendgrid_inbound_body(mime)
        (result,) = run({"Content-Type": ctype}, body)
        assert isinstance(result, Mapped)
        assert isinstance(result.event, ReplyEvent)
        assert mime == base64.b64decode(result.event.raw_message or "")
        assert TOKEN == result.ref

    @pytest.mark.parametrize(
        ("body", "reason"),
        [(b"{}", "not a JSON array"), (b"[1]", "not a JSON object"), (b"[", "not valid JSON")],
    )
    def test_unreadable_bodies_are_bad(self, body: bytes, reason: str) -> None:
        """Bodies that are not arrays of events are bad, with the reason."""
        with pytest.raises(BadBody, match=reason):
            run({"Content-Type": "application/json"}, body)

    def test_parse_form_without_raw_email_is_bad(self) -> None:
        """An Inbound Parse post without the raw message is a bad body."""
        with pytest.raises(BadBody, match="raw, full MIME"):
            sendgrid.parse(
                {"Content-Type": "application/x-www-form-urlencoded"}, b"text=hello", NOW
            )
