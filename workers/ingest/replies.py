"""The replies worker's own step: what each reply is, before its campaign's rule applies.

A reply that carries ``kind`` was classified by a trusted upstream and is not read again. One
with ``raw_message`` is parsed whole (subject, headers and body come from the message); a v1
reply is classified from its ``subject``, ``body_text`` and ``headers``. Nothing here logs the
reply's text: the classification's evidence travels only in the command's ``reason``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from schemas import ReplyEvent
from workers.core.replies import Classification, NotAMessage, classify_message, classify_parts
from workers.core.rules import upstream_classification
from workers.metrics import Metrics


class UnreadableReply(ValueError):
    """The event's ``raw_message`` is not an RFC 5322 message (bad input: to the DLQ)."""


@dataclass(slots=True)
class ReplyClassifier:
    """Classifies replies and counts them by class and language."""

    metrics: Metrics | None = None

    def __call__(self, event: ReplyEvent) -> Classification:
        """The class of ``event`` (``UnreadableReply`` when its raw message is none)."""
        started = time.perf_counter()
        verdict = _classify(event)
        if self.metrics is not None:
            self.metrics.reply_classify_seconds.observe(time.perf_counter() - started)
            self.metrics.replies_classified.labels(verdict.kind.value, verdict.language).inc()
        return verdict


def _classify(event: ReplyEvent) -> Classification:
    if event.kind is not None:
        return upstream_classification(event)
    raw = event.raw_bytes()
    if raw is None:
        return classify_parts(event.subject, event.body_text, event.headers, event.occurred_at)
    try:
        return classify_message(raw)
    except NotAMessage as error:
        raise UnreadableReply(f"raw_message is not a mail message: {error}") from None
