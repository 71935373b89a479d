"""The replies worker's own step: what each reply is, before its campaign's rule applies.

A reply that carries ``kind`` was classified by a trusted upstream and is not read again. One
with ``raw_message`` is parsed whole (subject, headers and body come from the message); a v1
reply is classified from its ``subject``, ``body_text`` and ``headers``. Nothing here logs the
reply's text: the classification's evidence travels only in the command's ``reason``.

The classifier is a pure function of what it reads of a message (``Mail``), so the worker keeps
the verdicts of the last messages it read: a message read again (a batch redelivered after a
rebalance or a restart, the same notice to many leads, the bench's one reply text) is not
classified again. Only what the classifier reads is in the key (not the Message-ID, not the
lead), and the cache is bounded: ``_VERDICTS`` entries of at most ``_CACHED_CHARS`` characters.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from prometheus_client import Counter

from schemas import ReplyEvent
from workers.core.replies import Classification, Mail, NotAMessage, classify_mail, parse_message
from workers.core.replies.mime import mail_from_parts
from workers.core.rules import upstream_classification
from workers.metrics import Metrics

#: Verdicts kept (the cache is emptied when full: no per-hit bookkeeping).
_VERDICTS = 512
#: Messages whose subject and body are longer than this (characters) are not kept.
_CACHED_CHARS = 16_384

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

#: Everything ``classify_mail`` reads of a ``Mail``; the date with its zone and fold, since
#: two equal instants in different zones can fall on different days.
MailKey = tuple[
    str,
    str,
    tuple[tuple[str, str], ...],
    tuple[datetime, tzinfo | None, int] | None,
    str,
    tuple[tuple[str, str], ...],
]


class UnreadableReply(ValueError):
    """The event's ``raw_message`` is not an RFC 5322 message (bad input: to the DLQ)."""


@dataclass(slots=True)
class ReplyClassifier:
    """Classifies replies and counts them by class and language."""

    metrics: Metrics | None = None
    #: ``replies_classified``'s child of each (class, language) seen: ``labels()`` once each.
    _counted: dict[tuple[str, str], Counter] = field(default_factory=dict, init=False, repr=False)
    #: The verdicts of the last messages read, by what the classifier reads of them.
    _verdicts: dict[MailKey, Classification] = field(default_factory=dict, init=False, repr=False)

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
            return self._classify_mail(mail)
        try:
            return self._classify_mail(parse_message(raw))
        except NotAMessage as error:
            raise UnreadableReply(f"raw_message is not a mail message: {error}") from None

    def _classify_mail(self, mail: Mail) -> Classification:
        """``classify_mail(mail)``, from the cache when the same message was read lately."""
        key = mail_key(mail)
        if key is None:
            return classify_mail(mail)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = classify_mail(mail)
            if len(self._verdicts) >= _VERDICTS:
                self._verdicts.clear()
            self._verdicts[key] = verdict
        return verdict

    def _counter(self, kind: str, language: str) -> Counter:
        counter = self._counted.get((kind, language))
        if counter is None:
            assert self.metrics is not None
            counter = self.metrics.replies_classified.labels(kind, language)
            self._counted[kind, language] = counter
        return counter


def mail_key(mail: Mail) -> MailKey | None:
    """Every field of ``mail`` the classifier reads, hashable (None: too long to keep)."""
    if len(mail.subject) + len(mail.body) > _CACHED_CHARS:
        return None
    sent = None if mail.sent is None else (mail.sent, mail.sent.tzinfo, mail.sent.fold)
    headers = tuple(mail.headers.items())
    return (mail.subject, mail.body, headers, sent, mail.report_type, mail.dsn)
