"""Tracking tokens and Message-IDs: name a send in a way nobody can forge (pure, no I/O).

A token names one send (``send_id = "{campaign_id}:{lead_id}:{step}"``) without containing it::

    ref   = HMAC-SHA256(signing secret, b"leadflow-ref\\0" + send_id)[:12]   # 12 bytes, per send
    mac   = HMAC-SHA256(secret,         b"leadflow-tok\\0" + ref)[:12]
    token = "1" + b64url(ref) + b64url(mac)                                # 33 chars [A-Za-z0-9_-]

The ``ref`` is the primary key of the sequencer's ``send_tokens`` row, which holds the send;
the ``mac`` proves the ref came from us. ``LEADFLOW_TRACKING_SECRET`` holds a list of secrets:
the first signs, every one verifies, so a secret can be rotated in (put the new one first) and
later out (drop the old one once its tokens no longer matter). The same send always gets the
same token under the same signing secret.

A send's Message-ID is ``<{token}@{domain}>``; a reply's ``In-Reply-To`` / ``References`` name
it back, and any Message-ID whose local part verifies as a token is ours, whatever its domain.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

#: The first character of every token of this format.
VERSION = "1"
#: Bytes of the ref (the store's key) and of the MAC.
REF_BYTES = 12
MAC_BYTES = 12
#: ``1`` + 16 base64url characters of ref + 16 of MAC.
TOKEN_LENGTH = 33
#: Used when ``LEADFLOW_MESSAGE_ID_DOMAIN`` is not set: a reserved name that never resolves.
DEFAULT_DOMAIN = "leadflow.invalid"

_REF_LABEL = b"leadflow-ref\x00"
_MAC_LABEL = b"leadflow-tok\x00"
_B64_LEN = 16  # 12 bytes in base64url, no padding (96 bits: every 16-char text is canonical)
_TOKEN_SHAPE = re.compile(rf"{VERSION}[A-Za-z0-9_-]{{{2 * _B64_LEN}}}")
_ANGLED = re.compile(r"<([^<>]*)>")


@dataclass(frozen=True, slots=True)
class Secrets:
    """The tracking secrets, in order: the first signs, every one verifies.

    Its ``repr`` shows how many there are, never what they are.
    """

    keys: tuple[bytes, ...] = field(repr=False)
    #: One keyed HMAC-SHA256 per secret, copied for each use (saves re-keying every time).
    prepared: tuple[hmac.HMAC, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.keys or not all(self.keys):
            raise ValueError("tracking secrets: give at least one, none of them empty")
        prepared = tuple(hmac.new(key, digestmod=hashlib.sha256) for key in self.keys)
        object.__setattr__(self, "prepared", prepared)

    @classmethod
    def parse(cls, text: str) -> Secrets:
        """Secrets from ``LEADFLOW_TRACKING_SECRET``: comma-separated, blanks stripped."""
        keys = tuple(part.strip().encode() for part in text.split(","))
        return cls(tuple(key for key in keys if key))

    @property
    def signing(self) -> bytes:
        """The secret that signs new tokens (the first)."""
        return self.keys[0]

    def __repr__(self) -> str:
        return f"Secrets(<{len(self.keys)} hidden>)"


@dataclass(frozen=True, slots=True)
class Tracking:
    """What a send carries: its ref (the store's key), its token and its Message-ID."""

    ref: bytes
    token: str
    message_id: str


def _hmac(prepared: hmac.HMAC, label: bytes, data: bytes, size: int) -> bytes:
    mac = prepared.copy()
    mac.update(label + data)
    return mac.digest()[:size]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def ref_for(send_id: str, secrets: Secrets) -> bytes:
    """The 12-byte ref of a send: the primary key its token resolves through."""
    return _hmac(secrets.prepared[0], _REF_LABEL, send_id.encode(), REF_BYTES)


def sign(send_id: str, secrets: Secrets) -> str:
    """The token of a send, signed with the first secret; the same send gives the same token."""
    return _token(ref_for(send_id, secrets), secrets)


def _token(ref: bytes, secrets: Secrets) -> str:
    return VERSION + _b64(ref) + _b64(_hmac(secrets.prepared[0], _MAC_LABEL, ref, MAC_BYTES))


def verify(token: str, secrets: Secrets) -> bytes | None:
    """The ref a token names when one of the secrets signed it, else None.

    The shape is checked first (version, length, alphabet); the MAC is then compared with each
    secret's in constant time, every secret tried, so the time taken does not tell which one
    matched or how much of a forged MAC was right.
    """
    if not looks_like_token(token):
        return None
    # 16 characters of the alphabet always decode, to exactly 12 bytes.
    ref = base64.urlsafe_b64decode(token[1 : 1 + _B64_LEN])
    mac = base64.urlsafe_b64decode(token[1 + _B64_LEN :])
    matched = False
    for prepared in secrets.prepared:
        matched |= hmac.compare_digest(mac, _hmac(prepared, _MAC_LABEL, ref, MAC_BYTES))
    return ref if matched else None


def looks_like_token(text: str) -> bool:
    """True when ``text`` has a token's shape (version, length, alphabet), whatever its MAC."""
    return _TOKEN_SHAPE.fullmatch(text) is not None


def message_id(token: str, domain: str = DEFAULT_DOMAIN) -> str:
    """The ``Message-ID`` header of the send this token names: ``<{token}@{domain}>``."""
    return f"<{token}@{domain}>"


def tracking(send_id: str, secrets: Secrets, domain: str = DEFAULT_DOMAIN) -> Tracking:
    """Ref, token and Message-ID of a send, all at once (what the sequencer stores and sends)."""
    ref = ref_for(send_id, secrets)
    token = _token(ref, secrets)
    return Tracking(ref, token, message_id(token, domain))


def token_from_message_id(msg_id: str) -> str | None:
    """The local part of a Message-ID (``<tok@host>`` or ``tok@host``) with a token's shape."""
    text = msg_id.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    local, at, _domain = text.rpartition("@")
    if not at or not looks_like_token(local):
        return None
    return local


def message_ids_in(header_value: str) -> list[str]:
    """The Message-IDs of an ``In-Reply-To`` or ``References`` value, in order.

    Message-IDs are ``<...>``; a value without angle brackets (some clients drop them) is read
    as whitespace- or comma-separated ids.
    """
    angled = _ANGLED.findall(header_value)
    if angled:
        return [item.strip() for item in angled if item.strip()]
    return [item for item in re.split(r"[\s,]+", header_value) if item]


class ReplyLink(StrEnum):
    """What the threading headers of a raw reply say about the send it answers."""

    FOUND = "found"  #: a leadflow Message-ID that verifies
    FORGED = "forged"  #: a leadflow-shaped Message-ID, but no secret signed it
    ABSENT = "absent"  #: no leadflow-shaped Message-ID at all


@dataclass(frozen=True, slots=True)
class ReplyRef:
    """The result of reading a reply's ``In-Reply-To`` / ``References``."""

    link: ReplyLink
    ref: bytes | None = None


def ref_from_threading(
    in_reply_to: Iterable[str], references: Iterable[str], secrets: Secrets
) -> ReplyRef:
    """The send a reply answers, from its threading headers' values.

    ``In-Reply-To`` comes first, then ``References`` from the newest (last) id back: the
    nearest of our Message-IDs that verifies wins. Ids of other systems are skipped.
    """
    candidates = [i for value in in_reply_to for i in message_ids_in(value)]
    candidates += [i for value in references for i in reversed(message_ids_in(value))]
    return _first_verified(candidates, secrets)


def _first_verified(message_ids: Sequence[str], secrets: Secrets) -> ReplyRef:
    shaped = False
    for msg_id in message_ids:
        token = token_from_message_id(msg_id)
        if token is None:
            continue
        shaped = True
        ref = verify(token, secrets)
        if ref is not None:
            return ReplyRef(ReplyLink.FOUND, ref)
    return ReplyRef(ReplyLink.FORGED if shaped else ReplyLink.ABSENT)
