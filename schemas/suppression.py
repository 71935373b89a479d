"""Suppression (topic ``suppressions``, v2): a ``lead_id`` on the do-not-contact list."""

from __future__ import annotations

from schemas._base import Message
from schemas._types import Id, Timestamp
from schemas.enums import SuppressionReason


class Suppression(Message):
    """Never mail this person again, in any campaign; keyed by ``lead_id``, a null value lifts it.

    Of two records for one ``lead_id`` (a suppression and its lifting), the later ``at`` wins.
    """

    lead_id: Id
    reason: SuppressionReason
    #: The event behind it (an unsubscribe reply, a bounce); None for a manual one.
    event_id: Id | None = None
    at: Timestamp
    #: Free text for the operator (e.g. the words of the request).
    note: str | None = None
