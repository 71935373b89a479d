"""Postmark: basic auth, and the mapping of Click, Bounce, SpamComplaint, SubscriptionChange,
Inbound."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from schemas import ClickEvent, ReplyEvent, ReplyKind
from tests.unit.gateway.payloads import (
    POSTMARK_PASSWORD,
    POSTMARK_USER,
    TOKEN,
    postmark_auth,
    postmark_inbound,
    postmark_record,
    reply_mime,
)
from workers.gateway import postmark
from workers.gateway.core import BadBody, Ignored, IgnoreReason, Mapped, Result

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
SECRET = f"{POSTMARK_USER}:{POSTMARK_PASSWORD}"


def run(record: dict[str, Any]) -> list[Result]:
    return postmark.map(postmark.parse({}, json.dumps(record).encode(), NOW))


def mapped(record: dict[str, Any]) -> Mapped:
    (result,) = run(record)
    assert isinstance(result, Mapped)
    return result


class TestVerify:
    def test_configured_credentials_verify(self) -> None:
        """Basic auth with the configured user and password is accepted."""
        assert True is postmark.verify(postmark_auth(), b"{}", SECRET, NOW)

    @pytest.mark.parametrize(
        "headers",
        [
            {},
            postmark_auth(password="wrong"),
            postmark_auth(user="other"),
            {"Authorization": "Bearer " + SECRET},
            {"Authorization": "Basic %%%"},
        ],
    )
    def test_anything_else_fails(self, headers: dict[str, str]) -> None:
        """Missing, wrong or malformed credentials are refused."""
        assert False is postmark.verify(headers, b"{}", SECRET, NOW)


class TestMap:
    def test_click_becomes_a_click(self) -> None:
        """Click → ClickEvent with OriginalLink, UserAgent and Geo.IP."""
        result = mapped(postmark_record("Click"))
        event = result.event
        assert isinstance(event, ClickEvent)
        assert ("https://example.com", "188.2.95.4", TOKEN) == (
            event.url,
            event.ip,
            event.tracking_token,
        )
        assert event.event_id.startswith("postmark-00000000-0000-0000-0000-000000000000-Click-")

    @pytest.mark.parametrize(
        ("bounce_type", "expected"),
        [
            ("HardBounce", ReplyKind.BOUNCE),
            ("SoftBounce", ReplyKind.SOFT_BOUNCE),
            ("Transient", ReplyKind.SOFT_BOUNCE),
        ],
    )
    def test_bounces_become_replies_with_kind(self, bounce_type: str, expected: ReplyKind) -> None:
        """Bounce types → ReplyEvent with the contract's kind."""
        event = mapped(postmark_record("HardBounce", Type=bounce_type)).event
        assert isinstance(event, ReplyEvent)
        assert expected == event.kind

    def test_auto_responder_is_left_to_the_classifier(self) -> None:
        """An AutoResponder bounce becomes a reply without kind, with its content."""
        event = mapped(postmark_record("HardBounce", Type="AutoResponder")).event
        assert isinstance(event, ReplyEvent)
        assert (None, "Test content") == (event.kind, event.body_text)

    def test_spam_complaint_becomes_a_complaint(self) -> None:
        """SpamComplaint → ReplyEvent kind complaint."""
        event = mapped(postmark_record("SpamComplaint")).event
        assert isinstance(event, ReplyEvent)
        assert ReplyKind.COMPLAINT == event.kind

    def test_suppressing_subscription_change_becomes_unsubscribe(self) -> None:
        """A SubscriptionChange that suppresses sending manually → unsubscribe."""
        event = mapped(postmark_record("SubscriptionChange")).event
        assert isinstance(event, ReplyEvent)
        assert ReplyKind.UNSUBSCRIBE == event.kind

    def test_reactivation_is_unused(self) -> None:
        """A SubscriptionChange that allows sending again is unused."""
        record = postmark_record("SubscriptionChange", SuppressSending=False)
        assert [Ignored(IgnoreReason.UNUSED, "SubscriptionChange.reactivated")] == run(record)

    @pytest.mark.parametrize("name", ["Delivery"])
    def test_other_records_are_unused(self, name: str) -> None:
        """Record types leadflow does not act on are unused."""
        assert [Ignored(IgnoreReason.UNUSED, name)] == run(postmark_record(name))

    def test_unknown_bounce_type_is_unused(self) -> None:
        """A bounce type outside the contract's table is unused."""
        record = postmark_record("HardBounce", Type="DnsError")
        assert [Ignored(IgnoreReason.UNUSED, "Bounce.DnsError")] == run(record)

    def test_record_without_metadata_token_is_unusable(self) -> None:
        """A Click without Metadata.leadflow names no lead."""
        assert [Ignored(IgnoreReason.NO_LEAD, "Click")] == run(postmark_record("Click", token=None))

    def test_inbound_raw_email_is_carried(self) -> None:
        """Inbound with RawEmail → ReplyEvent whose raw_message is that message."""
        mime = reply_mime()
        result = mapped(postmark_inbound(mime))
        assert isinstance(result.event, ReplyEvent)
        assert mime == base64.b64decode(result.event.raw_message or "")
        assert "postmark-73e6d360-66eb-11e1-8e72-a8904824019b-Inbound" == result.event.event_id

    def test_inbound_without_raw_email_is_rebuilt(self) -> None:
        """Inbound without RawEmail → a message rebuilt from Headers, Subject and TextBody."""
        result = mapped(postmark_inbound(None))
        assert isinstance(result.event, ReplyEvent)
        raw = base64.b64decode(result.event.raw_message or "")
        assert b"In-Reply-To: <" + TOKEN.encode() in raw
        assert b"This is a test text body." in raw
        assert TOKEN == result.ref

    def test_inbound_answering_nothing_is_unusable(self) -> None:
        """An inbound message without a reference to one of ours names no lead."""
        assert [Ignored(IgnoreReason.NO_LEAD, "inbound")] == run(postmark_inbound(None, ref=None))

    def test_record_without_message_id_is_bad(self) -> None:
        """A Click without MessageID cannot be named: a bad body."""
        record = postmark_record("Click")
        del record["MessageID"]
        with pytest.raises(BadBody, match="MessageID"):
            run(record)
