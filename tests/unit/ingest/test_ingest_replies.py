"""The replies worker's classification step, inside the pure batch decision."""

from __future__ import annotations

import base64
import json
from typing import Any

from prometheus_client import CollectorRegistry

from schemas import Action, ReplyEvent, Trigger
from tests.unit.ingest.test_ingest_batch import FakeRecord, lookup
from workers.core.replies import prefilter
from workers.ingest.batch import Command, DeadLetter, decide_record
from workers.ingest.replies import ReplyClassifier
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


#: When the replies of the metric test were sent.
DATE = "2026-06-01T10:00:00Z"


def event_of(fields: dict[str, Any], index: int = 0) -> ReplyEvent:
    """A reply event of lead l-{index} with ``fields``."""
    doc = {"event_id": f"r-{index}", "campaign_id": "c-42", "lead_id": f"l-{index}", **fields}
    return ReplyEvent.model_validate(doc)


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
            classifier(event_of({**fields, "occurred_at": DATE}))

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

    def test_nothing_counted(self) -> None:
        """The made-up replies are not counted in the metrics."""
        metrics = Metrics(CollectorRegistry())

        ReplyClassifier(metrics)

        assert 0.0 == metrics.registry.get_sample_value("leadflow_reply_classify_seconds_count")
