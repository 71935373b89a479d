"""Reading raw messages: charsets, encodings, structure, and inputs that are not messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.unit.core.replies.factories import raw_text, reply
from workers.core.replies import NotAMessage, parse_message
from workers.core.replies.mime import MAX_HTML, decode_bytes, mail_from_parts, read_date


class TestNotAMessage:
    """Inputs that are not an email message are refused with ``NotAMessage``."""

    @pytest.mark.parametrize(
        "raw",
        [
            pytest.param(b"", id="empty"),
            pytest.param(b"\r\n\r\n", id="blank"),
            pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", id="binary"),
            pytest.param(b"Subject: x\x00\x00\n\nbody", id="nul-bytes"),
            pytest.param(b"hello world\nthis is text\n", id="no-headers"),
            pytest.param(b"X-Foo: bar\n\nbody\n", id="no-known-header"),
        ],
    )
    def test_refused(self, raw: bytes) -> None:
        """Empty, binary or header-less input is not a message."""
        with pytest.raises(NotAMessage):
            parse_message(raw)


class TestDecodeBytes:
    """``decode_bytes``: declared charset, UTF-8, cp1252, latin-1."""

    @pytest.mark.parametrize(
        ("data", "declared", "expected"),
        [
            pytest.param("Grüße".encode(), "utf-8", "Grüße", id="utf8"),
            pytest.param("Grüße".encode(), "iso-8859-1", "Grüße", id="utf8-labelled-latin1"),
            pytest.param("Grüße".encode("latin-1"), "utf-8", "Grüße", id="latin1-labelled-utf8"),
            pytest.param("Grüße".encode("latin-1"), "x-unknown", "Grüße", id="unknown-charset"),
            pytest.param("Grüße".encode("latin-1"), None, "Grüße", id="undeclared"),
            pytest.param("привет".encode("koi8-r"), "koi8-r", "привет", id="koi8-r"),
            pytest.param(b"a\x81b", "x-unknown", "a\x81b", id="latin1-last-resort"),
            pytest.param("€".encode("cp1252"), '"windows-1252"', "€", id="quoted-label"),
        ],
    )
    def test_decode(self, data: bytes, declared: str | None, expected: str) -> None:
        """Each byte string decodes to its text whatever its label."""
        assert expected == decode_bytes(data, declared)


class TestParseMessage:
    """``parse_message`` reads subject, headers, body and date."""

    def test_rfc2047_subject(self) -> None:
        """Encoded words in the subject are decoded, mixed with plain text."""
        raw = raw_text(
            "From: a@acme.test\nSubject: Re: =?iso-8859-1?q?Abwesenheitsnotiz=3A_F=FCr?= Sie",
            "x\n",
        )
        assert "Re: Abwesenheitsnotiz: Für Sie" == parse_message(raw).subject

    def test_rfc2047_unknown_charset(self) -> None:
        """An encoded word in an unknown charset falls back to UTF-8."""
        raw = raw_text("From: a@acme.test\nSubject: =?x-unknown?q?R=C3=A9ponse?=", "x\n")
        assert "Réponse" == parse_message(raw).subject

    def test_rfc2047_broken_base64(self) -> None:
        """A broken encoded word is kept as it is."""
        raw = raw_text("From: a@acme.test\nSubject: =?utf-8?b?abcde?=", "x\n")
        assert parse_message(raw).subject.startswith("=?utf-8?b?")

    def test_raw_8bit_header(self) -> None:
        """A header written in raw latin-1 bytes is read as text."""
        raw = b"From: a@acme.test\r\nSubject: Abwesenheitsnotiz f\xfcr Sie\r\n\r\nx\r\n"
        assert "Abwesenheitsnotiz für Sie" == parse_message(raw).subject

    def test_mbox_envelope_line(self) -> None:
        """A message saved from an mbox, with its "From " envelope line, is read."""
        raw = b"From jane@acme.test Mon Dec 14 10:00:00 2026\n" + reply("Bitte austragen.")
        assert "Bitte austragen." == parse_message(raw).body.strip()

    def test_folded_header(self) -> None:
        """A folded header is unfolded."""
        raw = raw_text("From: a@acme.test\nSubject: Automatic\n reply: hello", "x\n")
        assert "Automatic reply: hello" == parse_message(raw).subject

    def test_first_header_wins(self) -> None:
        """Of two Auto-Submitted headers, the first is read."""
        raw = raw_text("From: a@acme.test\nAuto-Submitted: no\nAuto-Submitted: auto-replied", "x\n")
        assert {"from": "a@acme.test", "auto-submitted": "no"} == dict(parse_message(raw).headers)

    @pytest.mark.parametrize("cte", ["quoted-printable", "base64", "8bit"])
    def test_transfer_encodings(self, cte: str) -> None:
        """Quoted-printable, base64 and 8-bit bodies decode to the same text."""
        raw = reply("Grüße aus Köln, bitte austragen.", charset="utf-8", cte=cte)
        assert "Grüße aus Köln, bitte austragen." == parse_message(raw).body.strip()

    def test_alternative_prefers_plain(self) -> None:
        """multipart/alternative: the text/plain part is read."""
        raw = reply("plain words", html="<p>html words</p>")
        assert "plain words" == parse_message(raw).body.strip()

    def test_html_only(self) -> None:
        """An HTML-only body is converted to text."""
        raw = reply(html="<p>Hello&nbsp;<b>there</b></p><script>x()</script>", html_only=True)
        assert "Hello there" == parse_message(raw).body.strip()

    def test_huge_html_is_read_from_its_top(self) -> None:
        """Only the first ``MAX_HTML`` characters of an HTML body are converted."""
        raw = reply(html="<p>Please remove me</p>" + "<p>filler</p>" * 50_000, html_only=True)
        body = parse_message(raw).body.strip()
        assert (True, True) == (body.startswith("Please remove me"), len(body) < MAX_HTML)

    def test_attachments_and_rfc822_are_not_read(self) -> None:
        """Attached text and attached messages are never the body."""
        raw = raw_text(
            'From: a@acme.test\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"',
            "--b\nContent-Type: text/plain\n\nmine\n"
            '--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename="a.txt"\n\nattached\n'
            "--b\nContent-Type: message/rfc822\n\nFrom: t@leadflow.test\n\nunsubscribe here\n"
            "--b\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--b--\n",
        )
        assert "mine" == parse_message(raw).body.strip()

    def test_delivery_status_fields(self) -> None:
        """A delivery-status part gives (Status, Action) per recipient, comments dropped."""
        raw = raw_text(
            "From: MAILER-DAEMON@mx.test\nMIME-Version: 1.0\n"
            'Content-Type: multipart/report; report-type="delivery-status"; boundary="b"',
            "--b\nContent-Type: text/plain\n\nfailed\n"
            "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.test\n\n"
            "Final-Recipient: rfc822; a@acme.test\nAction: Failed\nStatus: 5.1.1 (bad mailbox)\n\n"
            "Final-Recipient: rfc822; b@acme.test\nAction: delayed\n\n--b--\n",
        )
        mail = parse_message(raw)
        assert ("delivery-status", (("5.1.1", "failed"), ("", "delayed"))) == (
            mail.report_type,
            mail.dsn,
        )


class TestReadDate:
    """``read_date`` reads the ``Date`` header."""

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            pytest.param(
                "Mon, 14 Dec 2026 10:00:00 +0100",
                datetime(2026, 12, 14, 10, 0, tzinfo=timezone(timedelta(hours=1))),
                id="zoned",
            ),
            pytest.param(
                "Mon, 14 Dec 2026 10:00:00 -0000",
                datetime(2026, 12, 14, 10, 0, tzinfo=UTC),
                id="no-zone",
            ),
            pytest.param("next tuesday-ish", None, id="garbage"),
            pytest.param(None, None, id="absent"),
        ],
    )
    def test_read(self, value: str | None, expected: datetime | None) -> None:
        """A parsable date is aware; anything else is None."""
        assert expected == read_date(value)


class TestMailFromParts:
    """``mail_from_parts`` builds the classifier's input from a v1 event."""

    def test_fields(self) -> None:
        """Headers match case-insensitively; an HTML body is converted; a naive date is UTC."""
        mail = mail_from_parts(
            None,
            "<div>Bitte <b>austragen</b></div>",
            {"Subject": "Re: hi", "AUTO-SUBMITTED": "no", "X-Other": "1"},
            datetime(2026, 12, 14, 10, 0),
        )
        assert (
            "Re: hi",
            {"auto-submitted": "no"},
            "Bitte austragen",
            datetime(2026, 12, 14, 10, 0, tzinfo=UTC),
        ) == (mail.subject, dict(mail.headers), mail.body.strip(), mail.sent)

    def test_empty(self) -> None:
        """Nothing given: empty subject and body, no date."""
        mail = mail_from_parts(None, None, None, None)
        assert ("", "", None) == (mail.subject, mail.body, mail.sent)
