"""Postmark: Click, Bounce, SpamComplaint, SubscriptionChange and Inbound webhooks (JSON).

Authentication (Postmark, "Webhooks overview": "secure them using HTTP Auth"): Postmark signs
nothing; the webhook URL carries basic-auth credentials (``https://user:password@host/...``)
and Postmark sends them in ``Authorization: Basic``. ``secret`` is ``"user:password"``
(``LEADFLOW_POSTMARK_WEBHOOK_USER`` and ``_PASSWORD``); the comparison is constant-time. There
is no timestamp to check.

Events (``RecordType``): ``Click`` → click; ``Bounce`` with ``Type`` ``HardBounce`` → bounce,
``SoftBounce`` / ``Transient`` → soft_bounce, ``AutoResponder`` → a reply the replies worker
classifies from its content; ``SpamComplaint`` → complaint; ``SubscriptionChange`` that
suppresses sending → unsubscribe (or bounce / complaint when Postmark names that reason);
Inbound (no ``RecordType``) → a reply with the raw message (``RawEmail`` when "Include raw email
content" is on, else rebuilt from ``Headers``, ``Subject`` and ``TextBody``). Every other
record is unused. The lead: ``Metadata.leadflow``; for inbound mail, In-Reply-To / References.

Postmark reports only the first click per link and recipient (within its retention period).
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from schemas import ClickEvent, ReplyEvent, ReplyKind
from workers.gateway.core import (
    BadBody,
    Ignored,
    IgnoreReason,
    Mapped,
    Result,
    build_mail,
    derive_event_id,
    from_iso,
    header,
    inbound_reply,
    json_object,
    short_hash,
    token_result,
)

NAME = "postmark"

_BOUNCE_KINDS: dict[str, ReplyKind | None] = {
    "HardBounce": ReplyKind.BOUNCE,
    "SoftBounce": ReplyKind.SOFT_BOUNCE,
    "Transient": ReplyKind.SOFT_BOUNCE,
    "AutoResponder": None,  # a reply the fleet classifies from its content
}
_SUPPRESSION_KINDS = {
    "ManualSuppression": ReplyKind.UNSUBSCRIBE,
    "HardBounce": ReplyKind.BOUNCE,
    "SpamComplaint": ReplyKind.COMPLAINT,
}


@dataclass(frozen=True, slots=True)
class Payload:
    """A verified Postmark request: one record."""

    received_at: datetime
    record: dict[str, Any]


def verify(headers: Mapping[str, str], raw_body: bytes, secret: str, now: datetime) -> bool:
    """True when ``Authorization: Basic`` holds exactly ``secret`` (``user:password``)."""
    del raw_body, now  # basic auth covers neither the body nor the time
    value = header(headers, "Authorization") or ""
    scheme, _, encoded = value.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        given = base64.b64decode(encoded.strip(), validate=True)
    except (ValueError, binascii.Error):
        return False
    return hmac.compare_digest(given, secret.encode())


def parse(headers: Mapping[str, str], raw_body: bytes, received_at: datetime) -> Payload:
    """The record of a verified body, or BadBody with the reason."""
    del headers
    return Payload(received_at=received_at, record=json_object(raw_body))


def map(payload: Payload) -> list[Result]:
    """Our event for one verified Postmark record (one at most)."""
    record = payload.record
    kind = record.get("RecordType")
    if kind is None or kind == "Inbound":
        return [_inbound(record, payload.received_at)]
    if kind == "Click":
        return [_click(record)]
    if kind in {"Bounce", "SpamComplaint"}:
        return [_bounce(record)]
    if kind == "SubscriptionChange":
        return [_subscription(record)]
    return [Ignored(IgnoreReason.UNUSED, str(kind))]


def _token(record: dict[str, Any]) -> str | IgnoreReason:
    metadata = record.get("Metadata")
    return token_result(metadata.get("leadflow") if isinstance(metadata, dict) else None)


def _message_id(record: dict[str, Any]) -> str:
    value = record.get("MessageID")
    if not isinstance(value, str) or not value:
        raise BadBody("the record has no MessageID")
    return value


def _click(record: dict[str, Any]) -> Result:
    token = _token(record)
    if isinstance(token, IgnoreReason):
        return Ignored(token, "Click")
    url = record.get("OriginalLink")
    if not isinstance(url, str):
        raise BadBody("Click record has no OriginalLink")
    geo = record.get("Geo")
    # Postmark posts one Click per link and recipient: the pair names the click.
    which = short_hash(f"{url}\n{record.get('Recipient', '')}", 16)
    event = ClickEvent(
        event_id=derive_event_id(NAME, _message_id(record), "Click", which),
        occurred_at=from_iso(record.get("ReceivedAt"), "ReceivedAt"),
        tracking_token=token,
        url=url,
        user_agent=record.get("UserAgent") or None,
        ip=(geo.get("IP") if isinstance(geo, dict) else None) or None,
    )
    return Mapped(event, token)


def _bounce(record: dict[str, Any]) -> Result:
    bounce_type = str(record.get("Type", ""))
    if record.get("RecordType") == "SpamComplaint" or bounce_type == "SpamComplaint":
        kind: ReplyKind | None = ReplyKind.COMPLAINT
    elif bounce_type in _BOUNCE_KINDS:
        kind = _BOUNCE_KINDS[bounce_type]
    else:
        return Ignored(IgnoreReason.UNUSED, f"Bounce.{bounce_type}")
    token = _token(record)
    if isinstance(token, IgnoreReason):
        return Ignored(token, bounce_type)
    text = record.get("Content") or record.get("Details") or record.get("Description")
    event = ReplyEvent(
        event_id=derive_event_id(NAME, _message_id(record), bounce_type, str(record.get("ID"))),
        occurred_at=from_iso(record.get("BouncedAt"), "BouncedAt"),
        tracking_token=token,
        kind=kind,
        subject=record.get("Subject") or None,
        body_text=str(text) if text else None,
    )
    return Mapped(event, token)


def _subscription(record: dict[str, Any]) -> Result:
    if record.get("SuppressSending") is not True:
        return Ignored(IgnoreReason.UNUSED, "SubscriptionChange.reactivated")
    kind = _SUPPRESSION_KINDS.get(str(record.get("SuppressionReason")), ReplyKind.UNSUBSCRIBE)
    token = _token(record)
    if isinstance(token, IgnoreReason):
        return Ignored(token, "SubscriptionChange")
    changed_at = record.get("ChangedAt")
    event = ReplyEvent(
        event_id=derive_event_id(NAME, _message_id(record), "SubscriptionChange", str(changed_at)),
        occurred_at=from_iso(changed_at, "ChangedAt"),
        tracking_token=token,
        kind=kind,
    )
    return Mapped(event, token)


def _inbound(record: dict[str, Any], received_at: datetime) -> Result:
    raw = record.get("RawEmail")
    message = raw.encode("utf-8") if isinstance(raw, str) and raw else _rebuild(record)
    return inbound_reply(
        NAME,
        message,
        received_at=received_at,
        event_id=derive_event_id(NAME, _message_id(record), "Inbound"),
    )


def _rebuild(record: dict[str, Any]) -> bytes:
    """An RFC 5322 message from an Inbound record without ``RawEmail``."""
    headers = record.get("Headers")
    fields = [
        (str(item["Name"]), str(item["Value"]))
        for item in (headers if isinstance(headers, list) else [])
        if isinstance(item, dict) and item.get("Name") and item.get("Value") is not None
    ]
    present = {name.lower() for name, _ in fields}
    for name in ("From", "To", "Subject", "Date"):
        value = record.get(name)
        if value and name.lower() not in present:
            fields.append((name, str(value)))
    return build_mail(fields, str(record.get("TextBody") or ""))
