"""What every provider module shares: results, event ids, tokens, time, bodies and raw mail.

Pure: no I/O, no clock (``now`` and ``received_at`` are arguments), no logging.

A provider module turns one verified request into a list of ``Result``: a ``Mapped`` event to
publish, or an ``Ignored`` provider event (``unused``: an event leadflow does not act on, such
as ``delivered``; ``unusable``: an event that names no lead, or whose token is malformed). Both
kinds of ``Ignored`` are answered 200 and counted: a provider must not retry them forever.
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import Message
from email.parser import BytesHeaderParser
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qsl

from schemas import BookingEvent, ClickEvent, ReplyEvent
from schemas._types import ID_PATTERN
from schemas.events import TRACKING_TOKEN_PATTERN

Event = ReplyEvent | ClickEvent | BookingEvent

_ID_RE = re.compile(ID_PATTERN)
_TOKEN_RE = re.compile(TRACKING_TOKEN_PATTERN)
_ANGLED_RE = re.compile(r"<([^<>\s]+)>")

#: Above this size an inbound message is published without its attachments (see ``slim_raw``).
SLIM_ABOVE_BYTES = 512 * 1024
#: The most text (UTF-8 bytes) kept from a slimmed or rebuilt message's body.
_SLIM_TEXT_BYTES = 256 * 1024


class BadBody(ValueError):
    """A verified request whose body cannot be read; the message is the 400's reason."""


class IgnoreReason(StrEnum):
    """Why a provider event was answered 200 without publishing anything."""

    #: An event leadflow does not act on (delivered, opened, ...).
    UNUSED = "unused"
    #: The event names no lead: no tracking token and no Message-ID reference.
    NO_LEAD = "no_lead"
    #: The ``leadflow`` variable is there but is not a tracking token (charset or length).
    BAD_TOKEN = "bad_token"  # noqa: S105 (a reason, not a secret)


class Topic(StrEnum):
    """The event topic a mapped event goes to."""

    REPLIES = "replies"  #: ``events.replies``
    CLICKS = "clicks"  #: ``events.clicks``
    BOOKINGS = "bookings"  #: ``events.bookings``


@dataclass(frozen=True, slots=True)
class Mapped:
    """One provider event turned into one of ours, with the reference that names its lead."""

    event: Event
    #: The tracking token, or the local part of the Message-ID a reply answers.
    ref: str

    @property
    def topic(self) -> Topic:
        if isinstance(self.event, ReplyEvent):
            return Topic.REPLIES
        return Topic.CLICKS if isinstance(self.event, ClickEvent) else Topic.BOOKINGS


@dataclass(frozen=True, slots=True)
class Ignored:
    """One provider event answered 200 without publishing."""

    reason: IgnoreReason
    #: The provider's own name of the event (``delivered``, ``Open``, ...), for the metric.
    what: str


Result = Mapped | Ignored


def event_key(mapped: Mapped) -> bytes:
    """The Kafka key of a published event: the one place that chooses it.

    Today the tracking token (or the Message-ID reference of a raw reply), which the contract
    allows upstream to use. Once the token resolver lands, this becomes the lead key.
    """
    if mapped.event.names_lead:
        return mapped.event.lead_key.encode()
    return mapped.ref.encode()


# --- ids ------------------------------------------------------------------------------------


def derive_event_id(provider: str, *parts: str) -> str:
    """``provider-part-part...`` when that is a valid id; else ``provider-`` + a SHA-256 prefix.

    Deterministic: the same provider event always gives the same id, so a provider's retry is
    deduplicated downstream.
    """
    joined = "-".join((provider, *parts))
    if _ID_RE.fullmatch(joined):
        return joined
    digest = hashlib.sha256(joined.encode()).hexdigest()[:40]
    return f"{provider}-{digest}"


def short_hash(text: str, length: int = 24) -> str:
    """A hex SHA-256 prefix of ``text`` (to name a long provider id inside an event id)."""
    return hashlib.sha256(text.encode()).hexdigest()[:length]


# --- tokens ---------------------------------------------------------------------------------


def token_result(value: object) -> str | IgnoreReason:
    """The tracking token in a provider's ``leadflow`` variable, or why there is none."""
    if value is None or value == "":
        return IgnoreReason.NO_LEAD
    if isinstance(value, str) and _TOKEN_RE.fullmatch(value):
        return value
    return IgnoreReason.BAD_TOKEN


def is_token_like(text: str) -> bool:
    """True when ``text`` has a tracking token's charset and length (nothing more is checked)."""
    return _TOKEN_RE.fullmatch(text) is not None


# --- time -----------------------------------------------------------------------------------


def within(signed_at: int, now: datetime, *, past: timedelta, future: timedelta) -> bool:
    """True when the signature time is no more than ``past`` before and ``future`` after now."""
    at = datetime.fromtimestamp(signed_at, UTC)
    return now - past <= at <= now + future


def parse_unix(text: object) -> int | None:
    """A whole number of seconds from a header or field, or None."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    if isinstance(text, str) and text.isascii() and text.isdigit() and len(text) <= 12:  # noqa: PLR2004
        return int(text)
    return None


def from_epoch(value: object) -> datetime:
    """An aware UTC datetime from epoch seconds (int, float or numeric text)."""
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        raise BadBody(f"timestamp {value!r} is not a number of seconds") from error
    return datetime.fromtimestamp(seconds, UTC)


def from_iso(value: object, field: str) -> datetime:
    """An aware datetime from an ISO 8601 string with an offset (7-digit fractions allowed)."""
    if not isinstance(value, str):
        raise BadBody(f"{field} is missing")
    text = re.sub(r"(\.\d{6})\d+", r"\1", value.strip())
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as error:
        raise BadBody(f"{field} is not an ISO 8601 time") from error
    if parsed.tzinfo is None:
        raise BadBody(f"{field} has no UTC offset")
    return parsed


# --- bodies ---------------------------------------------------------------------------------


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A request header, looked up case-insensitively (works on plain dicts too)."""
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


def parse_json(raw_body: bytes) -> Any:
    """The JSON value of a body, or BadBody with the reason."""
    try:
        return json.loads(raw_body)
    except UnicodeDecodeError as error:
        raise BadBody("the body is not UTF-8") from error
    except json.JSONDecodeError as error:
        raise BadBody(f"the body is not valid JSON ({error.msg} at {error.pos})") from error


def json_object(raw_body: bytes) -> dict[str, Any]:
    """The body as a JSON object, or BadBody."""
    value = parse_json(raw_body)
    if not isinstance(value, dict):
        raise BadBody("the body is not a JSON object")
    return value


def is_form(headers: Mapping[str, str]) -> bool:
    """True when the body is a form (``multipart/form-data`` or urlencoded)."""
    ctype = (header(headers, "Content-Type") or "").lower()
    return ctype.startswith(("multipart/form-data", "application/x-www-form-urlencoded"))


def parse_form(headers: Mapping[str, str], raw_body: bytes) -> dict[str, bytes]:
    """The fields of a form body (first value wins; files are kept as bytes), or BadBody."""
    ctype = header(headers, "Content-Type") or ""
    if ctype.lower().startswith("application/x-www-form-urlencoded"):
        try:
            pairs = parse_qsl(raw_body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError as error:
            raise BadBody("the form is not UTF-8") from error
        fields: dict[str, bytes] = {}
        for name, value in pairs:
            fields.setdefault(name, value.encode())
        return fields
    if ctype.lower().startswith("multipart/form-data"):
        return _multipart_fields(ctype, raw_body)
    raise BadBody("the body is not a form (multipart/form-data or urlencoded)")


def _multipart_fields(ctype: str, raw_body: bytes) -> dict[str, bytes]:
    head = f"Content-Type: {ctype}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = message_from_bytes(head + raw_body, policy=policy.HTTP)
    if not message.is_multipart() or message.defects:
        raise BadBody("the multipart form cannot be read")
    fields: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            fields.setdefault(name, payload)
    return fields


def form_text(fields: Mapping[str, bytes], name: str) -> str | None:
    """A form field as text (UTF-8, undecodable bytes replaced), or None."""
    value = fields.get(name)
    return None if value is None else value.decode("utf-8", "replace")


# --- raw mail -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RawMail:
    """What the gateway reads from an inbound message's headers (never its content)."""

    #: The local part of the first Message-ID in In-Reply-To / References that looks like a
    #: tracking token; None when the message answers nothing of ours.
    ref: str | None
    #: The message's own Message-ID, without angle brackets.
    message_id: str | None
    date: datetime | None


def read_raw_mail(raw: bytes) -> RawMail:
    """The headers of an RFC 5322 message that name the lead, the message and its date."""
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
    return RawMail(
        ref=_reference(headers),
        message_id=_first_angled(headers.get("Message-ID")),
        date=_mail_date(headers.get("Date")),
    )


def _reference(headers: Message) -> str | None:
    for name in ("In-Reply-To", "References"):
        for value in headers.get_all(name) or []:
            for found in _ANGLED_RE.findall(str(value)):
                local, at, _domain = str(found).rpartition("@")
                if at and is_token_like(local):
                    return local
    return None


def _first_angled(value: object) -> str | None:
    if value is None:
        return None
    found = _ANGLED_RE.search(str(value))
    return found.group(1) if found else None


def _mail_date(value: object) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else None


def slim_raw(raw: bytes, *, above: int = SLIM_ABOVE_BYTES) -> bytes:
    """The message itself, or, when larger than ``above``, its headers and first text part.

    A Kafka record holds about 1 MB; attachments say nothing about what a reply is, so a large
    message is published with its header fields (In-Reply-To, Date, Auto-Submitted, ...; see
    ``build_mail`` for the caps) and its first ``text/plain`` part (else ``text/html``), cut
    to 256 KiB.
    """
    if len(raw) <= above:
        return raw
    message = message_from_bytes(raw, policy=policy.compat32)
    text, subtype = _first_text(message)
    return build_mail(((k, str(v)) for k, v in message.items()), text, subtype)


def _first_text(message: Message) -> tuple[str, str]:
    found: dict[str, Message] = {}
    for part in message.walk():
        disposition = str(part.get("Content-Disposition", "")).lower()
        subtype = part.get_content_subtype()
        if part.get_content_maintype() == "text" and not disposition.startswith("attachment"):
            found.setdefault(subtype, part)
    chosen = found.get("plain") or found.get("html")
    if chosen is None:
        return "", "plain"
    payload = chosen.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    charset = chosen.get_content_charset() or "utf-8"
    try:
        text = data.decode(charset, "replace")
    except LookupError:  # a charset Python does not know
        text = data.decode("utf-8", "replace")
    return text, chosen.get_content_subtype()


#: Header fields a rebuilt message drops and writes itself.
_CONTENT_FIELDS = {"content-type", "content-transfer-encoding", "mime-version"}
_FIELD_NAME_RE = re.compile(r"^[!-9;-~]{1,76}$")
#: A header field longer than this is dropped from a rebuilt message.
_MAX_FIELD_BYTES = 16 * 1024
#: A rebuilt message keeps at most this much of header fields.
_MAX_HEADER_BYTES = 256 * 1024


def build_mail(fields: Iterable[tuple[str, str]], text: str, subtype: str = "plain") -> bytes:
    """An RFC 5322 message written directly (no ``email`` generator: its header folding is
    quadratic on huge fields): the header fields, each unfolded onto one line, none over
    16 KiB and 256 KiB in all, the content fields replaced; then ``text`` as UTF-8, cut to
    256 KiB."""
    lines: list[bytes] = []
    size = 0
    for name, value in fields:
        if name.lower() in _CONTENT_FIELDS or not _FIELD_NAME_RE.fullmatch(name):
            continue
        line = _encode(f"{name}: {' '.join(str(value).split())}\r\n")
        if len(line) > _MAX_FIELD_BYTES or size + len(line) > _MAX_HEADER_BYTES:
            continue
        lines.append(line)
        size += len(line)
    body = text.encode("utf-8")[:_SLIM_TEXT_BYTES].decode("utf-8", "ignore").encode("utf-8")
    kind = "html" if subtype == "html" else "plain"
    head = (
        "MIME-Version: 1.0\r\n"
        f"Content-Type: text/{kind}; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return b"".join(lines) + head.encode() + body


def _encode(line: str) -> bytes:
    try:
        return line.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return line.encode("utf-8", "replace")


def b64(raw: bytes) -> str:
    """Base64 text of ``raw`` (the contract's ``raw_message``)."""
    return base64.b64encode(raw).decode("ascii")


def inbound_reply(
    provider: str,
    raw: bytes,
    *,
    received_at: datetime,
    occurred_at: datetime | None = None,
    event_id: str | None = None,
) -> Result:
    """A ReplyEvent carrying the raw message, named by the Message-ID reference it answers.

    ``event_id`` defaults to one derived from the message's own Message-ID (or, without one,
    from its bytes), so a provider's retry of the same mail gives the same id.
    """
    mail = read_raw_mail(raw)
    if mail.ref is None:
        return Ignored(IgnoreReason.NO_LEAD, "inbound")
    identity = mail.message_id or hashlib.sha256(raw).hexdigest()
    event = ReplyEvent(
        event_id=event_id or derive_event_id(provider, "in", short_hash(identity, 32)),
        occurred_at=occurred_at or mail.date or received_at,
        raw_message=b64(slim_raw(raw)),
        message_id=f"<{mail.message_id}>" if mail.message_id else None,
    )
    return Mapped(event, mail.ref)
