"""LeadStatus JSON for many leads that share all but a few fields, without a model per lead.

A campaign change gives every lead of a kind the same status, reason, update time and (mostly)
countdown: only ``lead_id``, ``next_step``, ``version`` and at most one countdown field differ.
:class:`StatusTemplate` renders ``status_message(state).model_dump_json()`` once with markers in
those fields, keeps the text around them, and fills in each lead's values serialized by pydantic's
own serializer (``pydantic_core.to_json``): the same bytes as the model's, at a fraction of the
cost (``tests/unit/sequencer/test_status_json.py`` compares them for random leads).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic_core import to_json

from workers.core import LeadState, status_message

#: JSON string literal, escaped exactly as pydantic-core escapes (ensure_ascii off).
_json_string: Callable[[str], str] = json.encoder.encode_basestring

#: The one countdown field a kind's leads do not share (None: they share both).
Variable = Literal["due_at", "remaining_seconds"] | None

_SHARED_BY_NONE = ("lead_id", "next_step", "version")


@dataclass(frozen=True, slots=True)
class StatusTemplate:
    """The LeadStatus JSON of ``sample``'s kind, with holes for each lead's own values."""

    #: The JSON with a ``%(field)s`` hole per lead's own value (``%`` of the text doubled).
    text: str
    #: The variable countdown field (None: shared by the kind's leads).
    variable: Variable

    @classmethod
    def of(cls, sample: LeadState, variable: Variable = None) -> StatusTemplate:
        """The template of leads like ``sample`` (its shared fields are taken from it)."""
        fields = (*_SHARED_BY_NONE, variable) if variable else _SHARED_BY_NONE
        marks = {name: f"\x00{name}\x00" for name in fields}
        message = status_message(sample).model_copy(update=marks)
        text = message.model_dump_json(warnings=False).replace("%", "%%")
        for name, mark in marks.items():
            hole = "%(countdown)s" if name == variable else f"%({name})s"
            text = text.replace(to_json(mark).decode(), hole, 1)
        return cls(text, variable)

    def render(
        self,
        lead_id: str,
        next_step: int,
        version: int,
        countdown: datetime | float | None = None,
    ) -> bytes:
        """The JSON of one lead (``countdown``: the value of the template's variable field).

        The lead id is escaped as pydantic's serializer escapes strings (``"``, backslash and
        control characters; the rest as UTF-8); numbers and instants are formatted by it.
        """
        values = {
            "lead_id": _json_string(lead_id),
            "next_step": next_step,
            "version": version,
            "countdown": "" if self.variable is None else to_json(countdown).decode(),
        }
        return (self.text % values).encode()
