"""LeadStatus JSON for many leads that share all but a few fields, without a model per lead.

A campaign change gives every lead of a kind the same status, reason, update time and (mostly)
countdown: only ``lead_id``, ``next_step``, ``version`` and at most one countdown field differ.
:class:`StatusTemplate` renders ``status_message(state).model_dump_json()`` once with markers in
those fields, keeps the text around them, and fills in each lead's values serialized by pydantic's
own serializer (``pydantic_core.to_json``): the same bytes as the model's, at a fraction of the
cost (``tests/unit/sequencer/test_status_json.py`` compares them for random leads).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic_core import to_json

from workers.core import LeadState, status_message

#: The one countdown field a kind's leads do not share (None: they share both).
Variable = Literal["due_at", "remaining_seconds"] | None

_SHARED_BY_NONE = ("lead_id", "next_step", "version")


@dataclass(frozen=True, slots=True)
class StatusTemplate:
    """The LeadStatus JSON of ``sample``'s kind, with holes for each lead's own values."""

    #: The text between the holes (one more than ``holes``).
    parts: tuple[str, ...]
    #: The field of each hole, in the message's order.
    holes: tuple[str, ...]

    @classmethod
    def of(cls, sample: LeadState, variable: Variable = None) -> StatusTemplate:
        """The template of leads like ``sample`` (its shared fields are taken from it)."""
        fields = (*_SHARED_BY_NONE, variable) if variable else _SHARED_BY_NONE
        marks = {name: f"\x00{name}\x00" for name in fields}
        message = status_message(sample).model_copy(update=marks)
        text = message.model_dump_json(warnings=False)
        found = sorted((text.index(to_json(mark).decode()), name) for name, mark in marks.items())
        parts, start = [], 0
        for at, name in found:
            parts.append(text[start:at])
            start = at + len(to_json(marks[name]))
        parts.append(text[start:])
        return cls(tuple(parts), tuple(name for _, name in found))

    def render(
        self,
        lead_id: str,
        next_step: int,
        version: int,
        countdown: datetime | float | None = None,
    ) -> bytes:
        """The JSON of one lead (``countdown``: the value of the template's variable field)."""
        values = {
            "lead_id": to_json(lead_id).decode(),
            "next_step": str(next_step),
            "version": str(version),
        }
        out = [self.parts[0]]
        for name, part in zip(self.holes, self.parts[1:], strict=True):
            out.append(values[name] if name in values else to_json(countdown).decode())
            out.append(part)
        return "".join(out).encode()
