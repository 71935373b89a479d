"""Resolving events that do not name their lead: tracking tokens and leadflow Message-IDs.

Pure (no I/O): the worker asks the send store about the refs these functions find, then hands
the answers back::

    located = locate(event, secrets)        # Located(ref, via) or a readable reason (bad input)
    ... sends = await store.lookup({located.ref, ...})
    event = with_send(event, sends[ref])    # the event, its lead (and step) filled in

An event that names its lead (``campaign_id`` and ``lead_id``) is never resolved: the named
lead wins, whatever token it also carries. Otherwise the ``tracking_token`` is used when there
is one; a reply without a token is resolved from its raw message's ``In-Reply-To``, then
``References`` (newest first). Nothing here ever puts a token into a reason or a log line.
"""

from __future__ import annotations

import email.parser
import email.policy
from dataclasses import dataclass
from enum import StrEnum

from schemas import BookingEvent, ClickEvent, ReplyEvent
from workers.core.tokens import ReplyLink, Secrets, ref_from_threading, verify
from workers.tokens_store import SendRef

Event = ReplyEvent | ClickEvent | BookingEvent

#: Headers as their raw text (compat32 parses no header structure: nothing in a header can
#: make it raise), folded lines included; ``message_ids_in`` reads the ids out of them.
_HEADERS = email.parser.BytesParser(policy=email.policy.compat32)
_UNVERIFIED = "altered, forged, or signed with a secret no longer in LEADFLOW_TRACKING_SECRET"


class Via(StrEnum):
    """How an event was tied to its send."""

    TOKEN = "token"  #: the event's ``tracking_token``  # noqa: S105 (a label, not a secret)
    MESSAGE_ID = "message_id"  #: a leadflow Message-ID in the raw reply's threading headers


@dataclass(frozen=True, slots=True)
class Located:
    """The ref of the send an event answers, and how it was found."""

    ref: bytes
    via: Via


class Outcome(StrEnum):
    """What resolving one event came to (the ``outcome`` label of the resolution metric)."""

    RESOLVED = "resolved"  #: the ref verified and names a send of ours
    UNVERIFIED = "unverified"  #: a token or Message-ID that no secret signed
    UNKNOWN_SEND = "unknown_send"  #: it verified, but no send of ours has that ref
    ABSENT = "absent"  #: nothing to resolve from


@dataclass(frozen=True, slots=True)
class Unresolvable:
    """Why an event cannot be tied to a send (bad input), and what was tried."""

    reason: str
    via: Via | None
    outcome: Outcome


def locate(event: Event, secrets: Secrets) -> Located | Unresolvable:
    """The ref an event that names no lead points at, or why it points at none."""
    if event.tracking_token is not None:
        ref = verify(event.tracking_token, secrets)
        if ref is None:
            reason = f"tracking_token does not verify ({_UNVERIFIED})"
            return Unresolvable(reason, Via.TOKEN, Outcome.UNVERIFIED)
        return Located(ref, Via.TOKEN)
    if isinstance(event, ReplyEvent):
        return _from_threading(event, secrets)
    reason = "the event names no lead and carries no tracking_token"
    return Unresolvable(reason, None, Outcome.ABSENT)


def _from_threading(event: ReplyEvent, secrets: Secrets) -> Located | Unresolvable:
    in_reply_to, references = threading_headers(event)
    found = ref_from_threading(in_reply_to, references, secrets)
    if found.ref is not None:
        return Located(found.ref, Via.MESSAGE_ID)
    if found.link is ReplyLink.FORGED:
        reason = (
            f"the leadflow Message-ID in In-Reply-To/References does not verify ({_UNVERIFIED})"
        )
        return Unresolvable(reason, Via.MESSAGE_ID, Outcome.UNVERIFIED)
    reason = (
        "the event names no lead: no campaign_id/lead_id, no tracking_token, and no leadflow"
        " Message-ID in the raw message's In-Reply-To or References"
    )
    return Unresolvable(reason, Via.MESSAGE_ID, Outcome.ABSENT)


def threading_headers(event: ReplyEvent) -> tuple[list[str], list[str]]:
    """The values of ``In-Reply-To`` and ``References``: from the raw message, else the event's.

    Only the header block of the raw message is parsed (the stdlib parser, headers only). Any
    bytes at all give an answer, never an error: a raw message cannot stall a partition.
    """
    raw = event.raw_bytes()
    if raw is not None:
        message = _HEADERS.parsebytes(raw, headersonly=True)
        in_reply_to = [str(v) for v in message.get_all("In-Reply-To", [])]
        references = [str(v) for v in message.get_all("References", [])]
        if in_reply_to or references:
            return in_reply_to, references
    return _listed(event.header("In-Reply-To")), _listed(event.header("References"))


def _listed(value: str | None) -> list[str]:
    return [] if value is None else [value]


def unknown_send(via: Via) -> Unresolvable:
    """A ref that verifies but names no send in the store (e.g. a database restored too far)."""
    what = "tracking token" if via is Via.TOKEN else "leadflow Message-ID"
    return Unresolvable(f"{what} names no send of ours", via, Outcome.UNKNOWN_SEND)


def with_send(event: Event, send: SendRef) -> Event:
    """The event with its send's lead filled in (and, for a click, its step and sent time).

    A click's ``sent_at``, when absent, becomes the send's ``requested_at``: the email left no
    earlier, so the scanner rule's "under 30 s after sending" is never met too eagerly.
    """
    update: dict[str, object] = {"campaign_id": send.campaign_id, "lead_id": send.lead_id}
    if isinstance(event, ClickEvent):
        if event.step is None:
            update["step"] = send.step
        if event.sent_at is None:
            update["sent_at"] = send.requested_at
    return event.model_copy(update=update)
