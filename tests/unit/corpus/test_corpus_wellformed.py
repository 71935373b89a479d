"""The labelled reply corpus is well formed: files, labels, parsing and coverage.

This checks the corpus itself, not any classifier (none is imported here).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import functools
import json
from collections import Counter
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "replies"
KINDS = {"human", "out_of_office", "auto_reply", "unsubscribe", "bounce", "soft_bounce"}
LANGUAGES = {"en", "de", "fr", "es", "it", "nl", "pt"}
MIN_TOTAL = 200
MIN_PER_LANGUAGE = 20
MIN_PER_KIND = 10
LABEL_KEYS = {"file", "kind", "return_date", "language", "note"}


def _labels() -> list[dict[str, Any]]:
    data = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


LABELS = _labels()


@functools.cache
def _parse(name: str) -> EmailMessage:
    """The message parsed once with the modern policy (tests only read it)."""
    raw = (CORPUS / name).read_bytes()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def _ids(labels: list[dict[str, Any]]) -> list[str]:
    return [str(label["file"]) for label in labels]


class TestLabelFile:
    """labels.json lists every message once, with allowed values only."""

    def test_every_label_has_exactly_the_documented_keys(self) -> None:
        """Each entry has file, kind, return_date, language and note, nothing else."""
        assert [] == [entry for entry in LABELS if set(entry) != LABEL_KEYS]

    def test_file_names_are_unique(self) -> None:
        """No file is labelled twice."""
        counts = Counter(_ids(LABELS))
        assert [] == [name for name, n in counts.items() if n > 1]

    def test_every_labelled_file_exists(self) -> None:
        """Each labelled file is present in the corpus folder."""
        assert [] == [name for name in _ids(LABELS) if not (CORPUS / name).is_file()]

    def test_every_eml_file_is_labelled(self) -> None:
        """No .eml file in the folder is left without a label."""
        labelled = set(_ids(LABELS))
        assert [] == sorted(p.name for p in CORPUS.glob("*.eml") if p.name not in labelled)

    def test_kinds_are_the_contract_reply_classes(self) -> None:
        """Kinds are the contract's classes (complaint is webhook-only, so absent)."""
        assert [] == [e["file"] for e in LABELS if e["kind"] not in KINDS]

    def test_languages_are_the_seven_supported_ones(self) -> None:
        """Languages are en, de, fr, es, it, nl or pt."""
        assert [] == [e["file"] for e in LABELS if e["language"] not in LANGUAGES]

    def test_return_date_only_on_out_of_office(self) -> None:
        """Only out_of_office notices carry a return date."""
        wrong = [
            e["file"]
            for e in LABELS
            if e["return_date"] is not None and e["kind"] != "out_of_office"
        ]
        assert [] == wrong

    def test_return_dates_are_iso_calendar_dates(self) -> None:
        """Return dates are YYYY-MM-DD strings of real days."""
        bad = []
        for e in LABELS:
            value = e["return_date"]
            if value is None:
                continue
            try:
                dt.date.fromisoformat(value)
            except (TypeError, ValueError):
                bad.append(e["file"])
            else:
                if len(value) != 10:
                    bad.append(e["file"])
        assert [] == bad

    def test_notes_are_strings(self) -> None:
        """Notes are strings (possibly empty)."""
        assert [] == [e["file"] for e in LABELS if not isinstance(e["note"], str)]


class TestCoverage:
    """The corpus is big and varied enough to score a classifier."""

    def test_total_size(self) -> None:
        """At least 200 messages."""
        assert len(LABELS) >= MIN_TOTAL

    @pytest.mark.parametrize("language", sorted(LANGUAGES))
    def test_each_language_has_enough_messages(self, language: str) -> None:
        """Every language has at least 20 messages."""
        assert sum(1 for e in LABELS if e["language"] == language) >= MIN_PER_LANGUAGE

    @pytest.mark.parametrize("kind", sorted(KINDS))
    def test_each_class_is_represented(self, kind: str) -> None:
        """Every reply class has at least 10 messages."""
        assert sum(1 for e in LABELS if e["kind"] == kind) >= MIN_PER_KIND

    @pytest.mark.parametrize("language", sorted(LANGUAGES))
    def test_each_language_has_humans_absences_and_unsubscribes(self, language: str) -> None:
        """Every language has human, out_of_office, auto_reply and unsubscribe messages."""
        kinds = {e["kind"] for e in LABELS if e["language"] == language}
        assert set() == {"human", "out_of_office", "auto_reply", "unsubscribe"} - kinds

    def test_absences_with_and_without_a_return_date(self) -> None:
        """Out-of-office notices include both dated and undated ones."""
        dated = [e for e in LABELS if e["kind"] == "out_of_office" and e["return_date"]]
        undated = [e for e in LABELS if e["kind"] == "out_of_office" and not e["return_date"]]
        assert (True, True) == (len(dated) >= 40, len(undated) >= 5)


class TestMessages:
    """Each .eml file parses as the RFC 5322 message it claims to be."""

    @pytest.mark.parametrize("name", _ids(LABELS))
    def test_parses_with_date_and_from(self, name: str) -> None:
        """The message parses with the modern policy and has Date and From headers."""
        msg = _parse(name)
        assert (True, True) == (msg["Date"] is not None, msg["From"] is not None)

    @pytest.mark.parametrize("name", _ids(LABELS))
    def test_date_header_is_readable(self, name: str) -> None:
        """The Date header parses to a datetime (naive only for the '-0000' unknown zone)."""
        value = str(_parse(name)["Date"])
        when = email.utils.parsedate_to_datetime(value)
        assert (when.tzinfo is None) == value.endswith("-0000")

    @pytest.mark.parametrize("name", _ids(LABELS))
    def test_every_text_part_decodes_in_its_charset(self, name: str) -> None:
        """Every text/* part decodes with its declared charset and transfer encoding."""
        failures = []
        for part in _parse(name).walk():
            if part.get_content_maintype() != "text":
                continue
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            charset = part.get_content_charset() or "us-ascii"
            try:
                payload.decode(charset)
            except (LookupError, UnicodeDecodeError):
                failures.append(part.get_content_type())
        assert [] == failures

    @pytest.mark.parametrize("name", _ids(LABELS))
    def test_has_a_readable_body(self, name: str) -> None:
        """A text/plain or text/html body is found and its content can be read."""
        body = _parse(name).get_body(("plain", "html"))
        assert body is not None
        assert isinstance(body.get_content(), str)

    def test_return_dates_are_not_before_the_message(self) -> None:
        """A return date is never earlier than the day the notice was sent."""
        early = []
        for e in LABELS:
            if not e["return_date"]:
                continue
            sent = email.utils.parsedate_to_datetime(str(_parse(e["file"])["Date"])).date()
            if dt.date.fromisoformat(e["return_date"]) < sent:
                early.append(e["file"])
        assert [] == early


def _dsn_statuses(msg: EmailMessage) -> list[str]:
    """Status codes of every message/delivery-status part."""
    found: list[str] = []
    for part in msg.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        text = part.as_bytes().decode("latin-1")
        found += [
            line.split(":", 1)[1].strip()
            for line in text.splitlines()
            if line.lower().startswith("status:")
        ]
    return found


class TestLabelConsistency:
    """Labels follow the conventions the README states."""

    def test_dsn_status_class_decides_between_bounce_and_soft_bounce(self) -> None:
        """A DSN with 5.x.x is a bounce and 4.x.x a soft bounce (mailbox full is always soft)."""
        wrong = []
        for e in LABELS:
            statuses = _dsn_statuses(_parse(e["file"]))
            if not statuses:
                continue
            expected = "bounce" if statuses[0].startswith("5") else "soft_bounce"
            if "full" in e["note"].lower():
                expected = "soft_bounce"
            if e["kind"] != expected:
                wrong.append(e["file"])
        assert [] == wrong

    def test_several_dsns_carry_a_status(self) -> None:
        """At least 25 messages are multipart/report DSNs with a Status field."""
        assert sum(1 for e in LABELS if _dsn_statuses(_parse(e["file"]))) >= 25

    def test_people_never_carry_an_auto_submitted_marker(self) -> None:
        """Human and unsubscribe messages have no Auto-Submitted other than 'no'."""
        marked = []
        for e in LABELS:
            if e["kind"] not in {"human", "unsubscribe"}:
                continue
            value = _parse(e["file"])["Auto-Submitted"]
            if value is not None and str(value).strip().lower() != "no":
                marked.append(e["file"])
        assert [] == marked
