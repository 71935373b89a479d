"""SendGrid: the signed Event Webhook (JSON array) and Inbound Parse with raw MIME (form).

Signature (Twilio SendGrid, "Getting Started with the Event Webhook Security Features", and
the ``EventWebhook`` helper of sendgrid-python / sendgrid-nodejs): ECDSA P-256 with SHA-256
over ``timestamp + raw body``; the signature, base64 of its DER encoding, in
``X-Twilio-Email-Event-Webhook-Signature``; the timestamp in
``X-Twilio-Email-Event-Webhook-Timestamp``; the verification key is base64 of the DER public
key (SubjectPublicKeyInfo), as the SendGrid console shows it. Inbound Parse signs the same way
when a security policy with signature verification is attached to it. Several keys may be
given, comma-separated (the Event Webhook's and the Parse policy's, or an old and a new one):
any verifies.

Timestamp tolerance: SendGrid's helpers check none and its documentation gives none; SendGrid
retries a failed POST for up to 24 hours. We accept a timestamp up to 24 h 15 min old (and
5 min ahead), so that no retry of SendGrid's is refused; a replay inside the window has one
effect (the event id is SendGrid's ``sg_event_id``).

Events: ``click`` → click; ``bounce`` (type ``bounce``) → bounce, type ``blocked`` →
soft_bounce; ``dropped`` with reason "Bounced Address" → bounce; ``spamreport`` → complaint;
``unsubscribe`` and ``group_unsubscribe`` → unsubscribe; every other event is unused. The lead:
the ``leadflow`` custom argument (``custom_args``), which SendGrid puts at the top level of
each event. Inbound Parse must post the raw message ("POST the raw, full MIME message"): the
form field ``email``.
"""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_der_public_key

from schemas import ClickEvent, ReplyEvent, ReplyKind
from workers.gateway.core import (
    BadBody,
    Ignored,
    IgnoreReason,
    Mapped,
    Result,
    derive_event_id,
    from_epoch,
    header,
    inbound_reply,
    is_form,
    parse_form,
    parse_json,
    parse_unix,
    token_result,
    within,
)

NAME = "sendgrid"
SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"
#: How old a signature may be: SendGrid's 24 hours of retries, plus a quarter of an hour.
MAX_AGE = timedelta(hours=24, minutes=15)
#: How far ahead of our clock a signature may be (clock skew).
MAX_AHEAD = timedelta(minutes=5)

_REPLY_KINDS = {
    "spamreport": ReplyKind.COMPLAINT,
    "unsubscribe": ReplyKind.UNSUBSCRIBE,
    "group_unsubscribe": ReplyKind.UNSUBSCRIBE,
}


@dataclass(frozen=True, slots=True)
class Payload:
    """A verified SendGrid request: a batch of events, or one inbound message."""

    received_at: datetime
    events: list[Any] | None = None
    raw_email: bytes | None = None


@functools.lru_cache(maxsize=16)
def _public_key(text: str) -> ec.EllipticCurvePublicKey | None:
    try:
        key = load_der_public_key(base64.b64decode(text.strip(), validate=True))
    except (ValueError, binascii.Error):
        return None
    return key if isinstance(key, ec.EllipticCurvePublicKey) else None


def verify(headers: Mapping[str, str], raw_body: bytes, secret: str, now: datetime) -> bool:
    """True when the body carries a valid ECDSA signature by one of ``secret``'s public keys."""
    signature_b64 = header(headers, SIGNATURE_HEADER)
    timestamp = header(headers, TIMESTAMP_HEADER)
    signed_at = parse_unix(timestamp)
    if signature_b64 is None or timestamp is None or signed_at is None:
        return False
    if not within(signed_at, now, past=MAX_AGE, future=MAX_AHEAD):
        return False
    try:
        signature = base64.b64decode(signature_b64, validate=True)
    except (ValueError, binascii.Error):
        return False
    signed = timestamp.encode() + raw_body
    keys = [key for part in secret.split(",") if (key := _public_key(part)) is not None]
    return any(_valid(key, signature, signed) for key in keys)


def _valid(key: ec.EllipticCurvePublicKey, signature: bytes, signed: bytes) -> bool:
    try:
        key.verify(signature, signed, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def parse(headers: Mapping[str, str], raw_body: bytes, received_at: datetime) -> Payload:
    """The events or the inbound message of a verified body, or BadBody with the reason."""
    if is_form(headers):
        email = parse_form(headers, raw_body).get("email")
        if email is None:
            raise BadBody(
                "inbound form has no 'email' field: enable 'POST the raw, full MIME message'"
            )
        return Payload(received_at=received_at, raw_email=email)
    events = parse_json(raw_body)
    if not isinstance(events, list):
        raise BadBody("the Event Webhook body is not a JSON array")
    return Payload(received_at=received_at, events=events)


def map(payload: Payload) -> list[Result]:
    """Our events for one verified SendGrid request, one result per SendGrid event."""
    if payload.raw_email is not None:
        return [inbound_reply(NAME, payload.raw_email, received_at=payload.received_at)]
    assert payload.events is not None
    return [_event(item, index) for index, item in enumerate(payload.events)]


def _event(item: object, index: int) -> Result:
    if not isinstance(item, dict):
        raise BadBody(f"event {index} is not a JSON object")
    name = str(item.get("event", ""))
    kind = _reply_kind(name, item)
    if name != "click" and kind is None:
        return Ignored(IgnoreReason.UNUSED, name or "unnamed")
    token = token_result(item.get("leadflow"))
    if isinstance(token, IgnoreReason):
        return Ignored(token, name)
    if kind is None:
        return Mapped(_click(item, token), token)
    return Mapped(_reply(item, token, kind), token)


def _reply_kind(name: str, item: dict[str, Any]) -> ReplyKind | None:
    if name == "bounce":
        return ReplyKind.SOFT_BOUNCE if item.get("type") == "blocked" else ReplyKind.BOUNCE
    if name == "dropped":
        return ReplyKind.BOUNCE if item.get("reason") == "Bounced Address" else None
    return _REPLY_KINDS.get(name)


def _event_id(item: dict[str, Any]) -> str:
    sg_event_id = item.get("sg_event_id")
    if not isinstance(sg_event_id, str) or not sg_event_id:
        raise BadBody("event has no sg_event_id")
    return derive_event_id(NAME, sg_event_id)


def _click(item: dict[str, Any], token: str) -> ClickEvent:
    url = item.get("url")
    if not isinstance(url, str):
        raise BadBody("click event has no url")
    return ClickEvent(
        event_id=_event_id(item),
        occurred_at=from_epoch(item.get("timestamp")),
        tracking_token=token,
        url=url,
        user_agent=item.get("useragent") or None,
        ip=item.get("ip") or None,
    )


def _reply(item: dict[str, Any], token: str, kind: ReplyKind) -> ReplyEvent:
    reason = item.get("reason")
    return ReplyEvent(
        event_id=_event_id(item),
        occurred_at=from_epoch(item.get("timestamp")),
        tracking_token=token,
        kind=kind,
        body_text=str(reason) if reason else None,
    )
