"""The replies worker's own step: what each reply is, before its campaign's rule applies.

A reply that carries ``kind`` was classified by a trusted upstream and is not read again. One
with ``raw_message`` is parsed whole (subject, headers and body come from the message); a v1
reply is classified from its ``subject``, ``body_text`` and ``headers``. Nothing here logs the
reply's text: the classification's evidence travels only in the command's ``reason``.

Every reply is classified as it comes: no verdict is kept for a text read again (real replies
rarely repeat, and a cache would make the benchmark's one reply text look free).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from prometheus_client import Counter

from schemas import ReplyEvent
from workers.core.replies import Classification, NotAMessage, classify_mail, parse_message
from workers.core.replies.mime import mail_from_parts
from workers.core.rules import upstream_classification
from workers.metrics import Metrics

#: Made-up replies that take the classifier through its tables (absence and dates, bounces,
#: unsubscribe and conversation wording), read once by each new classifier.
_WARM_UP: tuple[tuple[str, str, dict[str, str]], ...] = (
    (
        "Automatic reply: away",
        "I am out of the office until Monday 4 January 2027, back on the 5th.",
        {"Auto-Submitted": "auto-replied"},
    ),
    ("Undeliverable: hi", "550 5.1.1 user unknown", {"From": "MAILER-DAEMON@example.com"}),
    ("Re: hi", "Please remove me from your list. Let's talk?\nOn Mon, Sam wrote:\n> hi", {}),
    ("Re: hola", "Estoy de vacaciones hasta el 11/01. Saludos", {}),
)
_WARM_UP_SENT = datetime(2026, 12, 1, 9, tzinfo=UTC)


class UnreadableReply(ValueError):
    """The event's ``raw_message`` is not an RFC 5322 message (bad input: to the DLQ)."""


@dataclass(slots=True)
class ReplyClassifier:
    """Classifies replies and counts them by class and language."""

    metrics: Metrics | None = None
    #: ``replies_classified``'s child of each (class, language) seen: ``labels()`` once each.
    _counted: dict[tuple[str, str], Counter] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        """Classify a few made-up replies: the classifier builds its pattern indexes on first use
        (about half a second of CPU), so a new worker pays that here, not in its first batch.
        """
        for subject, body, headers in _WARM_UP:
            classify_mail(mail_from_parts(subject, body, headers, _WARM_UP_SENT))

    def __call__(self, event: ReplyEvent) -> Classification:
        """The class of ``event`` (``UnreadableReply`` when its raw message is none)."""
        started = time.perf_counter()
        verdict = self._classify(event)
        if self.metrics is not None:
            self.metrics.reply_classify_seconds.observe(time.perf_counter() - started)
            self._counter(verdict.kind.value, verdict.language).inc()
        return verdict

    def _classify(self, event: ReplyEvent) -> Classification:
        if event.kind is not None:
            return upstream_classification(event)
        raw = event.raw_bytes()
        if raw is None:
            mail = mail_from_parts(event.subject, event.body_text, event.headers, event.occurred_at)
            return classify_mail(mail)
        try:
            return classify_mail(parse_message(raw))
        except NotAMessage as error:
            raise UnreadableReply(f"raw_message is not a mail message: {error}") from None

    def _counter(self, kind: str, language: str) -> Counter:
        counter = self._counted.get((kind, language))
        if counter is None:
            assert self.metrics is not None
            counter = self.metrics.replies_classified.labels(kind, language)
            self._counted[kind, language] = counter
        return counter
