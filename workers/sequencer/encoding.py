"""The timer path's two messages as JSON, from templates: the bytes ``model_dump_json`` writes.

Every send puts a SendRequest and a LeadStatus into the outbox; pydantic's serializer (with the
``model_copy`` that stamping needed before) was a tenth of the sequencer's time per send. These
templates write the same bytes for the values the core produces: ids and texts as JSON strings
(non-ASCII kept as it is, as pydantic does), timestamps in UTC as RFC 3339 with ``Z``. Any other
value (a timestamp in another zone, a float, a lone surrogate) falls back to ``model_dump_json``,
so the output never differs; ``tests/unit/sequencer/test_sequencer_encoding.py`` compares both
byte for byte.
"""

from __future__ import annotations

from datetime import UTC, datetime
from json.encoder import encode_basestring
from typing import Final

from schemas import LeadStatus, SendRequest

#: The fields the templates write, in the models' order (a test checks them against the schema).
SEND_FIELDS: Final = (
    "send_id",
    "campaign_id",
    "lead_id",
    "step",
    "sender_id",
    "template_id",
    "due_at",
    "requested_at",
    "message_id",
    "tracking_token",
)
STATUS_FIELDS: Final = (
    "campaign_id",
    "lead_id",
    "status",
    "next_step",
    "due_at",
    "remaining_seconds",
    "resume_at",
    "reason",
    "updated_at",
    "version",
    "campaign_paused",
    "suppressed",
)


class _Unusual(ValueError):
    """A value the templates do not write: the model's own serializer does."""


def _text(value: object) -> str:
    if type(value) is not str:
        raise _Unusual
    return str(encode_basestring(value))


def _text_or_null(value: object) -> str:
    return "null" if value is None else _text(value)


def _int(value: object) -> str:
    if type(value) is not int:
        raise _Unusual
    return str(value)


def _stamp(value: object) -> str:
    if not isinstance(value, datetime) or value.tzinfo is not UTC:
        raise _Unusual
    return '"' + value.isoformat()[:-6] + 'Z"'


def _stamp_or_null(value: object) -> str:
    return "null" if value is None else _stamp(value)


def _flag_or_null(value: object) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    raise _Unusual


def _enum_or_null(value: object) -> str:
    return "null" if value is None else _text(getattr(value, "value", None))


def send_request_json(send: SendRequest, token: str, message_id: str) -> bytes:
    """``send`` with ``tracking_token`` and ``message_id`` set, as ``model_dump_json`` writes it."""
    try:
        text = (
            f'{{"send_id":{_text(send.send_id)},"campaign_id":{_text(send.campaign_id)}'
            f',"lead_id":{_text(send.lead_id)},"step":{_int(send.step)}'
            f',"sender_id":{_text(send.sender_id)},"template_id":{_text_or_null(send.template_id)}'
            f',"due_at":{_stamp(send.due_at)},"requested_at":{_stamp(send.requested_at)}'
            f',"message_id":{_text(message_id)},"tracking_token":{_text(token)}}}'
        )
        return text.encode()
    except (_Unusual, UnicodeEncodeError):
        stamped = send.model_copy(update={"tracking_token": token, "message_id": message_id})
        return stamped.model_dump_json().encode()


def lead_status_json(status: LeadStatus) -> bytes:
    """``status`` as ``model_dump_json`` writes it."""
    if status.remaining_seconds is not None:  # float formatting: left to pydantic
        return status.model_dump_json().encode()
    try:
        text = (
            f'{{"campaign_id":{_text(status.campaign_id)},"lead_id":{_text(status.lead_id)}'
            f',"status":{_enum_or_null(status.status)},"next_step":{_int(status.next_step)}'
            f',"due_at":{_stamp_or_null(status.due_at)},"remaining_seconds":null'
            f',"resume_at":{_stamp_or_null(status.resume_at)},"reason":{_text(status.reason)}'
            f',"updated_at":{_stamp(status.updated_at)},"version":{_int(status.version)}'
            f',"campaign_paused":{_flag_or_null(status.campaign_paused)}'
            f',"suppressed":{_enum_or_null(status.suppressed)}}}'
        )
        return text.encode()
    except (_Unusual, UnicodeEncodeError):
        return status.model_dump_json().encode()
