"""Verified bodies that miss what a mapping needs: each is a bad body with its reason."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest

from schemas import BookingEvent, ClickEvent, ReplyEvent
from tests.unit.gateway.payloads import (
    TOKEN,
    calcom_event,
    calendly_event,
    mailgun_event,
    postmark_record,
    sendgrid_event,
)
from workers.gateway import calcom, calendly, mailgun, postmark, sendgrid
from workers.gateway.core import (
    BadBody,
    Ignored,
    IgnoreReason,
    Mapped,
    Result,
    Topic,
    from_epoch,
    from_iso,
    json_object,
    parse_unix,
    slim_raw,
)

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def _mailgun(body: dict[str, Any]) -> list[Result]:
    return mailgun.map(mailgun.parse({}, json.dumps(body).encode(), NOW))


def _sendgrid(event: dict[str, Any]) -> list[Result]:
    return sendgrid.map(sendgrid.parse({}, json.dumps([event]).encode(), NOW))


def _postmark(record: dict[str, Any]) -> list[Result]:
    return postmark.map(postmark.parse({}, json.dumps(record).encode(), NOW))


def _calendly(body: dict[str, Any]) -> list[Result]:
    return calendly.map(calendly.parse({}, json.dumps(body).encode(), NOW))


def _calcom(body: dict[str, Any]) -> list[Result]:
    return calcom.map(calcom.parse({}, json.dumps(body).encode(), NOW))


def _without(body: dict[str, Any], *path: str) -> dict[str, Any]:
    node = body
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return body


CASES: list[tuple[str, Callable[[], list[Result]], str]] = [
    (
        "mailgun click without url",
        lambda: _mailgun(_without(mailgun_event("clicked", NOW), "event-data", "url")),
        "no url",
    ),
    (
        "sendgrid event without sg_event_id",
        lambda: _sendgrid(_without(sendgrid_event("bounce"), "sg_event_id")),
        "sg_event_id",
    ),
    (
        "sendgrid click without url",
        lambda: _sendgrid(_without(sendgrid_event("click"), "url")),
        "no url",
    ),
    (
        "postmark click without link",
        lambda: _postmark(_without(postmark_record("Click"), "OriginalLink")),
        "OriginalLink",
    ),
    (
        "postmark bounce with a bad time",
        lambda: _postmark(postmark_record("HardBounce", BouncedAt="yesterday")),
        "ISO 8601",
    ),
    (
        "postmark bounce with a naive time",
        lambda: _postmark(postmark_record("HardBounce", BouncedAt="2025-03-25T19:27:23")),
        "UTC offset",
    ),
    ("calendly without payload", lambda: _calendly({"event": "invitee.created"}), "payload"),
    (
        "calendly without invitee uri",
        lambda: _calendly(_without(calendly_event(), "payload", "uri")),
        "payload.uri",
    ),
    ("calcom without payload", lambda: _calcom({"triggerEvent": "BOOKING_CREATED"}), "payload"),
    (
        "calcom without uid",
        lambda: _calcom(_without(calcom_event(), "payload", "uid")),
        "payload.uid",
    ),
    (
        "calcom without createdAt",
        lambda: _calcom(_without(calcom_event(), "createdAt")),
        "createdAt is missing",
    ),
]


class TestMalformedEvents:
    @pytest.mark.parametrize(("what", "run", "reason"), CASES, ids=[c[0] for c in CASES])
    def test_is_a_bad_body_with_its_reason(
        self, what: str, run: Callable[[], list[Result]], reason: str
    ) -> None:
        """A signed event missing what its mapping needs is refused with the reason."""
        with pytest.raises(BadBody, match=reason):
            run()


class TestEdges:
    def test_mailgun_event_without_id_gets_a_content_id(self) -> None:
        """Without Mailgun's id, the event's content names it, the same every time."""
        body = _without(mailgun_event("clicked", NOW), "event-data", "id")
        (first,) = _mailgun(body)
        (again,) = _mailgun(body)
        assert isinstance(first, Mapped)
        assert isinstance(again, Mapped)
        assert first.event.event_id == again.event.event_id

    @pytest.mark.parametrize("name", ["HardBounce", "SubscriptionChange"])
    def test_postmark_record_without_token_is_unusable(self, name: str) -> None:
        """Bounces and subscription changes without Metadata.leadflow name no lead."""
        (result,) = _postmark(postmark_record(name, token=None))
        assert isinstance(result, Ignored)
        assert IgnoreReason.NO_LEAD == result.reason

    @pytest.mark.parametrize(
        ("event", "topic"),
        [
            (ReplyEvent(event_id="r", occurred_at=NOW, tracking_token=TOKEN), Topic.REPLIES),
            (
                ClickEvent(event_id="c", occurred_at=NOW, tracking_token=TOKEN, url="u"),
                Topic.CLICKS,
            ),
            (BookingEvent(event_id="b", occurred_at=NOW, tracking_token=TOKEN), Topic.BOOKINGS),
        ],
    )
    def test_each_event_type_has_its_topic(
        self, event: ReplyEvent | ClickEvent | BookingEvent, topic: Topic
    ) -> None:
        """Replies, clicks and bookings go to their own topics."""
        assert topic == Mapped(event, TOKEN).topic

    @pytest.mark.parametrize("value", ["soon", None, [1]])
    def test_epoch_that_is_not_a_number_is_bad(self, value: object) -> None:
        """A timestamp that is not seconds is a bad body."""
        with pytest.raises(BadBody, match="number of seconds"):
            from_epoch(value)

    def test_iso_time_with_seven_digit_fraction_reads(self) -> None:
        """.NET's seven-digit fractions (Postmark) are read."""
        expected = datetime(2016, 4, 27, 20, 28, 50, 396393, tzinfo=UTC)
        assert expected == from_iso("2016-04-27T16:28:50.3963933-04:00", "x")

    @pytest.mark.parametrize(
        ("text", "expected"), [("12", 12), (7, 7), ("1e3", None), (True, None)]
    )
    def test_unix_seconds_are_whole_numbers(self, text: object, expected: int | None) -> None:
        """Only whole numbers of seconds are timestamps."""
        assert expected == parse_unix(text)

    def test_body_that_is_not_utf8_is_bad(self) -> None:
        """Bytes that are not UTF-8 are a bad body."""
        with pytest.raises(BadBody, match="UTF-8"):
            json_object(b'{"a": "\xff"}')

    def test_slimmed_message_without_text_keeps_its_headers(self) -> None:
        """A large message with only an attachment keeps its headers and an empty text."""
        message = EmailMessage()
        message["In-Reply-To"] = f"<{TOKEN}@leadflow.invalid>"
        message.set_content(b"\x00" * 50_000, maintype="application", subtype="pdf")
        slim = slim_raw(message.as_bytes(), above=1000)
        assert slim.endswith(b"\r\n\r\n")
        assert TOKEN.encode() in slim

    def test_slimmed_message_in_an_unknown_charset_is_read_as_utf8(self) -> None:
        """A text part in a charset Python does not know is decoded as UTF-8."""
        raw = (
            b"Subject: x\r\nContent-Type: text/plain; charset=x-unknown-42\r\n\r\n"
            + "héllo ".encode() * 500
        )
        assert "héllo".encode() in slim_raw(raw, above=100)
