"""The timer path's two messages as JSON: the bytes ``model_dump_json`` writes, for less.

Every send puts a SendRequest and a LeadStatus into the outbox. ``model_dump_json`` wraps the
compiled serializer (``__pydantic_serializer__.to_json``, the same bytes) in Python argument
handling that cost a third of the serialization; and stamping a send made a ``model_copy`` of
it first, which cost as much as serializing it. Here a status goes straight to the serializer,
and a send is serialized as the core built it (its two v2 fields blank, always last) and the
blanks are replaced with the token and the Message-ID. Measured per message (CPU time, this
machine): a send 5.4 µs → 2.3 µs, a status 2.7 µs → 1.8 µs.
``tests/unit/sequencer/test_sequencer_encoding.py`` compares the bytes with ``model_dump_json``.
"""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import Final

from schemas import LeadStatus, SendRequest

#: How a send the core built (token and Message-ID blank) ends; a test checks the field order.
_UNSIGNED_END: Final = b'"message_id":"","tracking_token":""}'
_SEND_JSON = SendRequest.__pydantic_serializer__.to_json
_STATUS_JSON = LeadStatus.__pydantic_serializer__.to_json


def send_request_json(send: SendRequest, token: str, message_id: str) -> bytes:
    """``send`` with ``tracking_token`` and ``message_id`` set, as ``model_dump_json`` writes it."""
    unsigned = _SEND_JSON(send)
    if not unsigned.endswith(_UNSIGNED_END):  # already stamped, or the schema's order changed
        stamped = send.model_copy(update={"tracking_token": token, "message_id": message_id})
        return bytes(_SEND_JSON(stamped))
    stamps = (
        f'"message_id":{encode_basestring(message_id)}'
        f',"tracking_token":{encode_basestring(token)}}}'
    )
    return unsigned[: -len(_UNSIGNED_END)] + stamps.encode()


def lead_status_json(status: LeadStatus) -> bytes:
    """``status`` as ``model_dump_json`` writes it."""
    return bytes(_STATUS_JSON(status))
