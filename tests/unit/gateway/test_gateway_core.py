"""The gateway's shared pure helpers: ids, tokens, keys, forms and raw mail."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest

from schemas import ClickEvent
from schemas._types import ID_PATTERN
from tests.unit.gateway.payloads import TOKEN, reply_mime
from workers.gateway.core import (
    BadBody,
    IgnoreReason,
    Mapped,
    build_mail,
    derive_event_id,
    event_key,
    parse_form,
    read_raw_mail,
    slim_raw,
    token_result,
    within,
)

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def click(**fields: object) -> ClickEvent:
    return ClickEvent.model_validate(
        {"event_id": "c-1", "occurred_at": NOW, "url": "https://x", **fields}
    )


class TestDeriveEventId:
    def test_short_valid_ids_read_as_they_are(self) -> None:
        """provider-part-part when it fits the id pattern."""
        assert "calcom-abc-BOOKING_CREATED" == derive_event_id("calcom", "abc", "BOOKING_CREATED")

    @pytest.mark.parametrize("part", ["a" * 200, "has/slash", "pad==", "sp ace"])
    def test_other_ids_are_hashed_deterministically(self, part: str) -> None:
        """Too long or foreign characters → provider-<hash>, the same every time."""
        first = derive_event_id("sendgrid", part)
        assert first == derive_event_id("sendgrid", part)
        assert re.fullmatch(ID_PATTERN, first)
        assert first.startswith("sendgrid-")


class TestTokenResult:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (TOKEN, TOKEN),
            (None, IgnoreReason.NO_LEAD),
            ("", IgnoreReason.NO_LEAD),
            ("a b", IgnoreReason.BAD_TOKEN),
            ("x" * 81, IgnoreReason.BAD_TOKEN),
            (42, IgnoreReason.BAD_TOKEN),
        ],
    )
    def test_only_the_charset_and_length_are_checked(
        self, value: object, expected: str | IgnoreReason
    ) -> None:
        """A token-shaped value is taken; anything else says why not."""
        assert expected == token_result(value)


class TestWithin:
    def test_bounds_are_inclusive(self) -> None:
        """A signature exactly at the edge of the window is accepted."""
        signed = int((NOW - timedelta(minutes=5)).timestamp())
        assert within(signed, NOW, past=timedelta(minutes=5), future=timedelta(0))
        assert not within(signed - 1, NOW, past=timedelta(minutes=5), future=timedelta(0))


class TestEventKey:
    def test_token_keys_an_event_without_lead(self) -> None:
        """An event named by its token is keyed by the token."""
        assert TOKEN.encode() == event_key(Mapped(click(tracking_token=TOKEN), TOKEN))

    def test_lead_key_wins_when_the_event_names_its_lead(self) -> None:
        """An event naming campaign and lead is keyed by the lead key."""
        event = click(campaign_id="c-1", lead_id="l-1")
        assert b"c-1:l-1" == event_key(Mapped(event, "c-1"))


class TestParseForm:
    def test_multipart_fields_are_read(self) -> None:
        """multipart/form-data fields are read by name."""
        body = (
            b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\none\r\n'
            b'--b\r\nContent-Disposition: form-data; name="b"\r\n\r\ntwo\r\n--b--\r\n'
        )
        fields = parse_form({"Content-Type": "multipart/form-data; boundary=b"}, body)
        assert {"a": b"one", "b": b"two"} == fields

    def test_urlencoded_first_value_wins(self) -> None:
        """A repeated urlencoded field keeps its first value."""
        headers = {"content-type": "application/x-www-form-urlencoded"}
        assert {"a": b"1"} == parse_form(headers, b"a=1&a=2")

    @pytest.mark.parametrize(
        ("ctype", "body"),
        [
            ("multipart/form-data; boundary=b", b"no parts at all"),
            ("application/x-www-form-urlencoded", b"\xff\xfe"),
            ("application/json", b"{}"),
        ],
    )
    def test_unreadable_forms_are_bad(self, ctype: str, body: bytes) -> None:
        """A form that cannot be read is a bad body."""
        with pytest.raises(BadBody):
            parse_form({"Content-Type": ctype}, body)


class TestReadRawMail:
    def test_in_reply_to_names_the_reference(self) -> None:
        """The token-shaped local part of In-Reply-To is the reference."""
        mail = read_raw_mail(reply_mime())
        assert TOKEN == mail.ref
        assert "CAEPk3R+4Zr@mail.example.org" == mail.message_id
        assert datetime(2017, 10, 12, 1, 31, 4, tzinfo=UTC) == mail.date

    def test_references_are_searched_past_foreign_ids(self) -> None:
        """References with other ids before ours still find ours."""
        message = EmailMessage()
        message["References"] = f"<a.b+c@x.org> <{TOKEN}@sender.example>"
        message.set_content("hi")
        assert TOKEN == read_raw_mail(message.as_bytes()).ref

    def test_message_answering_nothing_has_no_reference(self) -> None:
        """No In-Reply-To / References: no reference, no date."""
        message = EmailMessage()
        message["Date"] = "not a date"
        message.set_content("hi")
        mail = read_raw_mail(message.as_bytes())
        assert (None, None, None) == (mail.ref, mail.message_id, mail.date)


class TestSlimRaw:
    def test_small_messages_are_kept_whole(self) -> None:
        """A message under the limit is published byte for byte."""
        raw = reply_mime()
        assert raw == slim_raw(raw)

    def test_large_messages_lose_their_attachments(self) -> None:
        """A message over the limit keeps its headers and text, not its attachments."""
        message = EmailMessage()
        message["In-Reply-To"] = f"<{TOKEN}@leadflow.invalid>"
        message["Subject"] = "Re: hello"
        message.set_content("Thanks, see attached.")
        message.add_attachment(b"\x00" * 200_000, maintype="application", subtype="pdf")
        raw = message.as_bytes()
        slim = slim_raw(raw, above=10_000)
        assert len(slim) < 10_000
        assert TOKEN == read_raw_mail(slim).ref
        assert b"Thanks, see attached." in slim


class TestBuildMail:
    def test_fields_are_unfolded_and_content_fields_replaced(self) -> None:
        """Each field on one line; the message's own content fields are written anew."""
        raw = build_mail(
            [("Subject", "a\r\n b"), ("Content-Type", "multipart/mixed"), ("Bad Name", "x")],
            "héllo",
        )
        head, _, body = raw.partition(b"\r\n\r\n")
        assert b"Subject: a b\r\n" in head
        assert b"multipart" not in head
        assert b"Bad Name" not in head
        assert b"Content-Type: text/plain; charset=utf-8" in head
        assert "héllo".encode() == body

    def test_oversized_fields_and_text_are_cut(self) -> None:
        """A field over 16 KiB is dropped; the text is cut to 256 KiB on a character edge."""
        raw = build_mail([("X-Big", "x" * 20_000), ("Subject", "kept")], "é" * 200_000)
        head, _, body = raw.partition(b"\r\n\r\n")
        assert b"X-Big" not in head
        assert b"Subject: kept" in head
        assert 256 * 1024 == len(body)
        body.decode("utf-8")
