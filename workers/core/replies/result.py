"""The classifier's answer, as ``leadflow classify`` prints it and the replies worker uses it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from schemas import ReplyKind


@dataclass(frozen=True, slots=True)
class Classification:
    """What a reply is, in which language, when its writer is back, and why we think so."""

    kind: ReplyKind
    #: The first day the writer is back (out-of-office notices that state one), else None.
    return_date: date | None
    #: ISO 639-1 code of the reply's language (``en``, ``de``, ``fr``, ...).
    language: str
    #: What was seen, in plain words, e.g. 'subject prefix "Automatische Antwort"' (no reply text
    #: beyond a short quoted phrase; never logged).
    evidence: str

    def as_json(self) -> dict[str, str | None]:
        """The object ``leadflow classify`` prints."""
        return {
            "kind": str(self.kind),
            "return_date": None if self.return_date is None else self.return_date.isoformat(),
            "language": self.language,
            "evidence": self.evidence,
        }
