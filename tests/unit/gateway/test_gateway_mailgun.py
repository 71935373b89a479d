"""Mailgun: signature of event webhooks and inbound routes, and the mapping of its events."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from schemas import ClickEvent, ReplyEvent, ReplyKind
from tests.unit.gateway.payloads import (
    MAILGUN_KEY,
    TOKEN,
    mailgun_event,
    mailgun_inbound,
    mailgun_json,
    mailgun_sign,
    reply_mime,
)
from workers.gateway import mailgun
from workers.gateway.core import BadBody, Ignored, IgnoreReason, Mapped, Result

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def run(headers: dict[str, str], body: bytes) -> list[Result]:
    return mailgun.map(mailgun.parse(headers, body, NOW))


class TestVerify:
    def test_documented_signature_verifies(self) -> None:
        """A body signed with the signing key over timestamp + token verifies."""
        headers, body = mailgun_json(mailgun_event("clicked", NOW))
        assert True is mailgun.verify(headers, body, MAILGUN_KEY, NOW)

    def test_other_key_fails(self) -> None:
        """A signature made with another key does not verify."""
        headers, body = mailgun_json(mailgun_event("clicked", NOW))
        assert False is mailgun.verify(headers, body, "another-key", NOW)

    def test_tampered_token_fails(self) -> None:
        """Changing the signed token breaks the signature."""
        event = mailgun_event("clicked", NOW)
        event["signature"]["token"] = "x" + event["signature"]["token"][1:]
        headers, body = mailgun_json(event)
        assert False is mailgun.verify(headers, body, MAILGUN_KEY, NOW)

    def test_parent_signature_of_a_subaccount_verifies(self) -> None:
        """A subaccount's event verifies by its parent-signature (the primary account's key)."""
        event = mailgun_event("clicked", NOW, token=TOKEN)
        own = dict(event["signature"])
        mailgun_sign(event["signature"], NOW, key="subaccount-key")
        mailgun_sign(own, NOW, key=MAILGUN_KEY)
        event["signature"]["parent-signature"] = own["signature"]
        headers, body = mailgun_json(event)
        assert True is mailgun.verify(headers, body, MAILGUN_KEY, NOW)

    def test_retry_hours_later_still_verifies(self) -> None:
        """A retry 8 hours later carries the original timestamp and is accepted."""
        headers, body = mailgun_json(mailgun_event("clicked", NOW - timedelta(hours=8)))
        assert True is mailgun.verify(headers, body, MAILGUN_KEY, NOW)

    def test_stale_timestamp_fails(self) -> None:
        """A signature older than Mailgun's retry period is refused."""
        headers, body = mailgun_json(mailgun_event("clicked", NOW - timedelta(hours=9)))
        assert False is mailgun.verify(headers, body, MAILGUN_KEY, NOW)

    def test_future_timestamp_fails(self) -> None:
        """A timestamp more than 5 minutes ahead is refused."""
        headers, body = mailgun_json(mailgun_event("clicked", NOW + timedelta(minutes=6)))
        assert False is mailgun.verify(headers, body, MAILGUN_KEY, NOW)

    @pytest.mark.parametrize("body", [b"not json", b"[]", b"{}", b'{"signature": "x"}'])
    def test_body_without_signature_fails(self, body: bytes) -> None:
        """A body with no signature block does not verify."""
        assert False is mailgun.verify({"Content-Type": "application/json"}, body, "k", NOW)

    def test_inbound_form_signature_verifies(self) -> None:
        """An inbound route's form fields timestamp, token and signature verify."""
        headers, body = mailgun_inbound(NOW, reply_mime())
        assert True is mailgun.verify(headers, body, MAILGUN_KEY, NOW)

    def test_inbound_form_with_other_key_fails(self) -> None:
        """An inbound form signed with another key does not verify."""
        headers, body = mailgun_inbound(NOW, reply_mime(), key="other")
        assert False is mailgun.verify(headers, body, MAILGUN_KEY, NOW)


class TestMap:
    def test_clicked_becomes_a_click(self) -> None:
        """clicked → ClickEvent with url, user agent, ip and the token."""
        (result,) = run(*mailgun_json(mailgun_event("clicked", NOW)))
        assert isinstance(result, Mapped)
        event = result.event
        assert isinstance(event, ClickEvent)
        assert ("https://example.com/pricing", TOKEN, "50.56.129.169") == (
            event.url,
            event.tracking_token,
            event.ip,
        )
        assert "mailgun-Ase7i2zsRYeDXztHGENqRA-1521243339" == event.event_id
        assert event.bot_hint is None
        assert event.campaign_id is None

    def test_bot_flag_becomes_bot_hint(self) -> None:
        """client-info.bot → bot_hint."""
        body = mailgun_event("clicked", NOW)
        body["event-data"]["client-info"]["bot"] = "generic"
        (result,) = run(*mailgun_json(body))
        assert isinstance(result, Mapped)
        assert isinstance(result.event, ClickEvent)
        assert "generic" == result.event.bot_hint

    @pytest.mark.parametrize(
        ("kind", "severity", "expected"),
        [
            ("failed", "permanent", ReplyKind.BOUNCE),
            ("failed", "temporary", ReplyKind.SOFT_BOUNCE),
            ("complained", None, ReplyKind.COMPLAINT),
            ("unsubscribed", None, ReplyKind.UNSUBSCRIBE),
        ],
    )
    def test_delivery_problems_become_replies_with_kind(
        self, kind: str, severity: str | None, expected: ReplyKind
    ) -> None:
        """failed/complained/unsubscribed → ReplyEvent with the contract's kind."""
        fields = {"severity": severity} if severity else {}
        (result,) = run(*mailgun_json(mailgun_event(kind, NOW, **fields)))
        assert isinstance(result, Mapped)
        assert isinstance(result.event, ReplyEvent)
        assert expected == result.event.kind
        assert TOKEN == result.ref

    @pytest.mark.parametrize("kind", ["delivered", "opened", "accepted"])
    def test_other_events_are_unused(self, kind: str) -> None:
        """Events leadflow does not act on are ignored as unused."""
        assert [Ignored(IgnoreReason.UNUSED, kind)] == run(*mailgun_json(mailgun_event(kind, NOW)))

    def test_event_without_token_is_unusable(self) -> None:
        """A click with no v:leadflow names no lead."""
        body = mailgun_event("clicked", NOW, token=None)
        assert [Ignored(IgnoreReason.NO_LEAD, "clicked")] == run(*mailgun_json(body))

    def test_malformed_token_is_unusable(self) -> None:
        """A v:leadflow that is not a token's charset is refused."""
        body = mailgun_event("clicked", NOW, token="not a token!")
        assert [Ignored(IgnoreReason.BAD_TOKEN, "clicked")] == run(*mailgun_json(body))

    def test_same_webhook_twice_gives_same_event_id(self) -> None:
        """A retry (same event, new signature) maps to the same event id."""
        first = run(*mailgun_json(mailgun_event("clicked", NOW)))
        again = run(*mailgun_json(mailgun_event("clicked", NOW + timedelta(minutes=5))))
        assert [r.event.event_id for r in first if isinstance(r, Mapped)] == [
            r.event.event_id for r in again if isinstance(r, Mapped)
        ]

    def test_inbound_reply_carries_the_raw_message(self) -> None:
        """An inbound route's body-mime becomes a ReplyEvent with raw_message."""
        mime = reply_mime()
        (result,) = run(*mailgun_inbound(NOW, mime))
        assert isinstance(result, Mapped)
        event = result.event
        assert isinstance(event, ReplyEvent)
        assert mime == base64.b64decode(event.raw_message or "")
        assert (TOKEN, None, None) == (result.ref, event.tracking_token, event.kind)
        assert "<CAEPk3R+4Zr@mail.example.org>" == event.message_id

    def test_inbound_without_reference_is_unusable(self) -> None:
        """A message that answers nothing of ours names no lead."""
        assert [Ignored(IgnoreReason.NO_LEAD, "inbound")] == run(
            *mailgun_inbound(NOW, reply_mime(ref=None))
        )

    def test_inbound_without_body_mime_is_bad(self) -> None:
        """A route that forwards parsed fields instead of MIME is a bad body."""
        with pytest.raises(BadBody, match="body-mime"):
            mailgun.parse(
                {"Content-Type": "application/x-www-form-urlencoded"}, b"token=a&signature=b", NOW
            )

    def test_event_without_event_data_is_bad(self) -> None:
        """A JSON body with no event-data is a bad body."""
        with pytest.raises(BadBody, match="event-data"):
            mailgun.parse({}, json.dumps({"signature": {}}).encode(), NOW)
