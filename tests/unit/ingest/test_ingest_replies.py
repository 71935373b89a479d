"""The replies worker's classification step, inside the pure batch decision."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry

from schemas import Action, ReplyEvent, Trigger
from tests.unit.ingest.test_ingest_batch import FakeRecord, lookup
from workers.core.replies import Classification, classify_message, classify_parts, prefilter
from workers.core.replies.mime import mail_from_parts
from workers.ingest import replies
from workers.ingest.batch import Command, DeadLetter, decide_record
from workers.ingest.replies import ReplyClassifier, mail_key
from workers.metrics import Metrics

NOTICE = (
    b"From: Lena <lena@example.com>\r\nTo: sales@leadflow.example\r\n"
    b"Subject: Automatic reply: our call\r\nDate: Tue, 01 Dec 2026 09:00:00 +0000\r\n"
    b"Auto-Submitted: auto-replied\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    b"I am on annual leave and will be back on Monday 4 January 2027.\r\n"
)


def reply(**fields: Any) -> FakeRecord:
    """A reply record of lead l-7 in campaign c-42."""
    doc = {
        "event_id": "r-1",
        "campaign_id": "c-42",
        "lead_id": "l-7",
        "occurred_at": "2026-12-01T09:00:05Z",
        **fields,
    }
    return FakeRecord(json.dumps(doc).encode())


class TestReplyClassifier:
    """Replies are classified before their campaign's rule applies."""

    def test_raw_notice_pauses_until_the_return(self) -> None:
        """An out-of-office notice in raw_message becomes a timed out_of_office pause."""
        metrics = Metrics(CollectorRegistry())
        raw = base64.b64encode(NOTICE).decode()

        output = decide_record(
            reply(raw_message=raw), ReplyEvent, lookup, classify=ReplyClassifier(metrics)
        )

        assert isinstance(output, Command)
        assert (Trigger.OUT_OF_OFFICE, Action.PAUSE) == (
            output.command.trigger,
            output.command.action,
        )
        assert output.command.resume_at is not None
        assert "2027-01-05" == output.command.resume_at.date().isoformat()
        assert 1.0 == metrics.registry.get_sample_value(
            "leadflow_replies_classified_total", {"kind": "out_of_office", "language": "en"}
        )

    def test_v1_fields_are_classified(self) -> None:
        """A v1 reply (subject and body, no raw message) is classified from its fields."""
        output = decide_record(
            reply(subject="Re: hi", body_text="Please remove me from your list."),
            ReplyEvent,
            lookup,
            classify=ReplyClassifier(),
        )

        assert isinstance(output, Command)
        assert (Trigger.UNSUBSCRIBE, Action.STOP) == (output.command.trigger, output.command.action)

    def test_upstream_kind_is_not_classified_again(self) -> None:
        """A reply that carries kind keeps upstream's verdict."""
        output = decide_record(
            reply(kind="soft_bounce", body_text="Please remove me from your list."),
            ReplyEvent,
            lookup,
            classify=ReplyClassifier(),
        )

        assert isinstance(output, Command)
        assert Trigger.SOFT_BOUNCE == output.command.trigger

    def test_unreadable_raw_message_is_dead_lettered(self) -> None:
        """raw_message that holds no mail is bad input, with the reason."""
        raw = base64.b64encode(b"\x00\x01\x02 not a message").decode()

        output = decide_record(
            reply(raw_message=raw), ReplyEvent, lookup, classify=ReplyClassifier()
        )

        assert isinstance(output, DeadLetter)
        assert output.reason.startswith("invalid ReplyEvent: raw_message is not a mail message")


#: Texts a reply may hold: phrases of several classes, in several languages, and noise.
PHRASES = [
    "I am out of the office until Monday.",
    "Bin im Urlaub bis 4. Januar.",
    "Please remove me from your list.",
    "This is an automated response.",
    "Thanks, let's talk next week?",
    "Je suis absent jusqu'au 12 mars.",
    "STOP",
    "550 5.1.1 user unknown",
    "> quoted line",
    "On Mon, 1 Jun 2026, Sam wrote:",
]
SUBJECTS = ["Re: a quick question", "Automatic reply: away", "Undeliverable: hi", ""]
HEADERS = [
    {},
    {"Auto-Submitted": "auto-replied"},
    {"Auto-Submitted": "no", "Message-ID": "<1@mail.example>"},
    {"From": "MAILER-DAEMON@example.com"},
]
DATES = [
    "2026-06-01T10:00:00Z",
    "2026-06-01T10:00:00+00:00",
    "2026-06-01T12:00:00+02:00",
    "2026-06-01T23:30:00-05:00",
]
MAILS = st.fixed_dictionaries(
    {
        "subject": st.sampled_from(SUBJECTS),
        "body_text": st.lists(
            st.one_of(st.sampled_from(PHRASES), st.text(max_size=6)), max_size=5
        ).map("\n".join),
        "headers": st.sampled_from(HEADERS),
        "occurred_at": st.sampled_from(DATES),
    }
)


CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "replies"


def corpus() -> list[bytes]:
    """The raw bytes of every labelled corpus message, in label order."""
    labels = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    return [(CORPUS / item["file"]).read_bytes() for item in labels]


def event_of(fields: dict[str, Any], index: int = 0) -> ReplyEvent:
    """A reply event of lead l-{index} with ``fields``."""
    doc = {"event_id": f"r-{index}", "campaign_id": "c-42", "lead_id": f"l-{index}", **fields}
    return ReplyEvent.model_validate(doc)


def classify_afresh(event: ReplyEvent) -> Classification:
    """The classification of ``event`` without any cache (what the worker did before)."""
    if event.raw_message is not None:
        return classify_message(base64.b64decode(event.raw_message))
    return classify_parts(event.subject, event.body_text, event.headers, event.occurred_at)


class TestVerdictCache:
    """A message read again is given the verdict it was given, never another message's."""

    @settings(max_examples=300, deadline=None)
    @given(mails=st.lists(MAILS, min_size=1, max_size=12))
    def test_generated(self, mails: list[dict[str, Any]]) -> None:
        """Any sequence of replies (repeats included) gets the verdicts of a fresh classifier."""
        classifier = ReplyClassifier()
        events = [event_of(fields, i) for i, fields in enumerate(mails + mails)]

        assert [classify_afresh(e) for e in events] == [classifier(e) for e in events]

    def test_raw_messages(self) -> None:
        """Every corpus message, read twice as raw_message, keeps its fresh verdict."""
        classifier = ReplyClassifier()
        raws = corpus()
        assert raws
        events = [
            event_of({"raw_message": base64.b64encode(raw).decode(), "occurred_at": DATES[0]}, i)
            for i, raw in enumerate(raws + raws)
        ]

        assert [classify_afresh(e) for e in events] == [classifier(e) for e in events]

    def test_same_instant_other_zone(self) -> None:
        """Two dates of one instant in different zones are two keys (a day can differ)."""
        utc = mail_from_parts("s", "b", {}, datetime.fromisoformat("2026-06-01T23:30:00+00:00"))
        east = mail_from_parts("s", "b", {}, datetime.fromisoformat("2026-06-02T01:30:00+02:00"))

        assert utc.sent == east.sent
        assert mail_key(utc) != mail_key(east)

    def test_what_is_not_read_is_not_in_the_key(self) -> None:
        """Replies differing only in a header the classifier does not read share a key."""
        first = mail_from_parts("s", "b", {"Message-ID": "<1@x>", "Auto-Submitted": "no"}, None)
        second = mail_from_parts("s", "b", {"Message-ID": "<2@x>", "Auto-Submitted": "no"}, None)

        assert mail_key(first) == mail_key(second)

    def test_long_message_not_kept(self) -> None:
        """A message longer than the cache keeps is classified, not kept."""
        classifier = ReplyClassifier()
        body = "word " * (replies._CACHED_CHARS // 5 + 1)

        verdict = classifier(event_of({"body_text": body, "occurred_at": DATES[0]}))

        assert (classify_afresh(event_of({"body_text": body, "occurred_at": DATES[0]})), {}) == (
            verdict,
            classifier._verdicts,
        )

    def test_bounded(self) -> None:
        """The cache never holds more than its bound."""
        classifier = ReplyClassifier()
        for i in range(replies._VERDICTS + 10):
            classifier(event_of({"body_text": f"reply {i}", "occurred_at": DATES[0]}))

        assert 10 == len(classifier._verdicts)


class TestClassifiedMetric:
    """The classified-replies counter counts as ``labels(...).inc()`` per reply did."""

    def test_counts_by_class_and_language(self) -> None:
        """Three replies of two classes: each (class, language) counted once per reply."""
        metrics = Metrics(CollectorRegistry())
        classifier = ReplyClassifier(metrics)
        for fields in (
            {"body_text": "Please remove me from your list."},
            {"body_text": "Please remove me from your list."},
            {"body_text": "Thanks, let's talk next week?"},
        ):
            classifier(event_of({**fields, "occurred_at": DATES[0]}))

        def count(kind: str) -> float | None:
            labels = {"kind": kind, "language": "en"}
            return metrics.registry.get_sample_value("leadflow_replies_classified_total", labels)

        assert (2.0, 1.0, 3.0) == (
            count("unsubscribe"),
            count("human"),
            metrics.registry.get_sample_value("leadflow_reply_classify_seconds_count"),
        )


#: The partitions of the classifier's own patterns (tests may add others).
CLASSIFIER_PARTITIONS = ("tables", "dates", "wrote", "footer")


class TestWarmUp:
    """A new classifier has its pattern indexes built before the first reply it is given."""

    def test_every_partition_built(self) -> None:
        """After construction no partition of the classifier's patterns waits to be built."""
        for name in CLASSIFIER_PARTITIONS:
            prefilter._partitions[name].built = False

        ReplyClassifier()

        assert dict.fromkeys(CLASSIFIER_PARTITIONS, True) == {
            name: prefilter._partitions[name].built for name in CLASSIFIER_PARTITIONS
        }

    def test_nothing_counted_or_kept(self) -> None:
        """The made-up replies are neither counted in the metrics nor kept as verdicts."""
        metrics = Metrics(CollectorRegistry())

        classifier = ReplyClassifier(metrics)

        assert (0.0, {}) == (
            metrics.registry.get_sample_value("leadflow_reply_classify_seconds_count"),
            classifier._verdicts,
        )
