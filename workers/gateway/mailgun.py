"""Mailgun: event webhooks (JSON) and inbound routes (forms with ``body-mime``).

Signature (Mailgun, "Securing Webhooks"): hex HMAC-SHA256, keyed with the webhook signing key,
of ``timestamp + token``. Event webhooks carry them in the body's ``signature`` object (a
subaccount's event also has ``parent-signature``, made with the primary account's key: either
one verifies); inbound routes post them as the form fields ``timestamp``, ``token`` and
``signature``.

Timestamp tolerance: Mailgun retries a failed webhook for 8 hours (5, 10, 15 min, 1, 2, 4 h)
and the signature travels inside the body; its documentation does not say that a retry is
signed anew, so a retry may carry the first attempt's timestamp. We accept a timestamp up to
8 h 15 min old (and 5 min ahead): a shorter window could refuse Mailgun's own retries. A replay
inside that window has one effect anyway: the event id is derived from Mailgun's event id.

Events: ``clicked`` → click (``client-info.bot`` → ``bot_hint``); ``failed`` permanent →
bounce, temporary → soft_bounce; ``complained`` → complaint; ``unsubscribed`` → unsubscribe;
every other event is unused. The lead: ``user-variables.leadflow`` (sent as ``v:leadflow``).
Inbound: the route must forward to a URL ending in ``mime`` so that ``body-mime`` holds the
raw message; the lead comes from its In-Reply-To / References.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from schemas import ClickEvent, ReplyEvent, ReplyKind
from workers.gateway.core import (
    BadBody,
    Ignored,
    IgnoreReason,
    Mapped,
    Result,
    derive_event_id,
    form_text,
    from_epoch,
    inbound_reply,
    is_form,
    json_object,
    parse_form,
    parse_unix,
    short_hash,
    token_result,
    within,
)

NAME = "mailgun"
#: How old a signature may be: Mailgun's 8 hours of retries, plus a quarter of an hour.
MAX_AGE = timedelta(hours=8, minutes=15)
#: How far ahead of our clock a signature may be (clock skew).
MAX_AHEAD = timedelta(minutes=5)

_REPLY_KINDS = {
    "complained": ReplyKind.COMPLAINT,
    "unsubscribed": ReplyKind.UNSUBSCRIBE,
}


@dataclass(frozen=True, slots=True)
class Payload:
    """A verified Mailgun request: an event (JSON) or an inbound message (form)."""

    received_at: datetime
    event: dict[str, Any] | None = None
    form: dict[str, bytes] | None = None


def verify(headers: Mapping[str, str], raw_body: bytes, secret: str, now: datetime) -> bool:
    """True when the body's signature is Mailgun's, made with ``secret``, and recent enough."""
    try:
        fields = _signature_fields(headers, raw_body)
    except BadBody:
        return False
    timestamp, token, signatures = fields
    signed_at = parse_unix(timestamp)
    if signed_at is None or not within(signed_at, now, past=MAX_AGE, future=MAX_AHEAD):
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    digest = expected.hexdigest().encode()
    matches = [hmac.compare_digest(digest, given.encode()) for given in signatures]
    return any(matches)


def _signature_fields(headers: Mapping[str, str], raw_body: bytes) -> tuple[str, str, list[str]]:
    if is_form(headers):
        form = parse_form(headers, raw_body)
        values = [form_text(form, name) for name in ("timestamp", "token", "signature")]
        timestamp, token, signature = values
        if timestamp is None or token is None or signature is None:
            raise BadBody("signature fields missing")
        return timestamp, token, [signature]
    block = json_object(raw_body).get("signature")
    if not isinstance(block, dict):
        raise BadBody("signature missing")
    timestamp, token = str(block.get("timestamp", "")), block.get("token")
    given = [block.get(name) for name in ("signature", "parent-signature")]
    signatures = [s for s in given if isinstance(s, str)]
    if not isinstance(token, str) or not signatures:
        raise BadBody("signature missing")
    return timestamp, token, signatures


def parse(headers: Mapping[str, str], raw_body: bytes, received_at: datetime) -> Payload:
    """The event or inbound form of a verified body, or BadBody with the reason."""
    if is_form(headers):
        form = parse_form(headers, raw_body)
        if "body-mime" not in form:
            raise BadBody(
                "inbound form has no body-mime: forward the route to a URL ending in 'mime'"
            )
        return Payload(received_at=received_at, form=form)
    event = json_object(raw_body).get("event-data")
    if not isinstance(event, dict):
        raise BadBody("event-data is missing or not an object")
    return Payload(received_at=received_at, event=event)


def map(payload: Payload) -> list[Result]:
    """Our events for one verified Mailgun request (one at most)."""
    if payload.form is not None:
        return [_inbound(payload.form, payload.received_at)]
    assert payload.event is not None
    return [_event(payload.event)]


def _inbound(form: dict[str, bytes], received_at: datetime) -> Result:
    timestamp = parse_unix(form_text(form, "timestamp"))
    occurred_at = from_epoch(timestamp) if timestamp is not None else None
    return inbound_reply(NAME, form["body-mime"], received_at=received_at, occurred_at=occurred_at)


def _event(data: dict[str, Any]) -> Result:
    name = str(data.get("event", ""))
    kind = _reply_kind(name, data)
    if name != "clicked" and kind is None:
        return Ignored(IgnoreReason.UNUSED, name or "unnamed")
    variables = data.get("user-variables")
    token = token_result(variables.get("leadflow") if isinstance(variables, dict) else None)
    if isinstance(token, IgnoreReason):
        return Ignored(token, name)
    if kind is None:
        return Mapped(_click(data, token), token)
    return Mapped(_reply(data, token, kind), token)


def _reply_kind(name: str, data: dict[str, Any]) -> ReplyKind | None:
    if name == "failed":
        severity = data.get("severity")
        if severity == "permanent":
            return ReplyKind.BOUNCE
        return ReplyKind.SOFT_BOUNCE if severity == "temporary" else None
    return _REPLY_KINDS.get(name)


def _event_id(data: dict[str, Any]) -> str:
    """``mailgun-<id>-<unix time>``: Mailgun's event id is unique only within a day."""
    seconds = str(int(from_epoch(data.get("timestamp")).timestamp()))
    mailgun_id = data.get("id")
    if not isinstance(mailgun_id, str) or not mailgun_id:
        mailgun_id = short_hash(json.dumps(data, sort_keys=True))
    return derive_event_id(NAME, mailgun_id, seconds)


def _click(data: dict[str, Any], token: str) -> ClickEvent:
    client = data.get("client-info")
    client = client if isinstance(client, dict) else {}
    url = data.get("url")
    if not isinstance(url, str):
        raise BadBody("clicked event has no url")
    return ClickEvent(
        event_id=_event_id(data),
        occurred_at=from_epoch(data.get("timestamp")),
        tracking_token=token,
        url=url,
        user_agent=client.get("user-agent") or None,
        ip=data.get("ip") or None,
        bot_hint=client.get("bot") or None,
    )


def _reply(data: dict[str, Any], token: str, kind: ReplyKind) -> ReplyEvent:
    message = data.get("message")
    headers = message.get("headers", {}) if isinstance(message, dict) else {}
    status = data.get("delivery-status")
    status = status if isinstance(status, dict) else {}
    diagnostic = status.get("message") or status.get("description")
    return ReplyEvent(
        event_id=_event_id(data),
        occurred_at=from_epoch(data.get("timestamp")),
        tracking_token=token,
        kind=kind,
        subject=headers.get("subject") if isinstance(headers, dict) else None,
        body_text=str(diagnostic) if diagnostic else None,
    )
