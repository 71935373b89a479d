"""The classifier scores at or above issue 11's targets on the labelled reply corpus.

Every message in ``tests/corpus/replies`` is classified once (module-scoped); each target is its
own test, and a failure lists every file that missed it with what was expected and what came out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from workers.core.replies import Classification, classify_message

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "replies"
MIN_CLASS_ACCURACY = 0.97
MIN_DATE_ACCURACY = 0.95
STOPPING = {"unsubscribe", "bounce"}


@dataclass(frozen=True, slots=True)
class Scored:
    """One corpus message: its label and the classifier's answer."""

    file: str
    kind: str
    return_date: str | None
    got: Classification

    @property
    def got_kind(self) -> str:
        """The class the classifier gave."""
        return str(self.got.kind)

    @property
    def got_date(self) -> str | None:
        """The return date the classifier gave, ISO formatted."""
        return None if self.got.return_date is None else self.got.return_date.isoformat()

    def line(self, expected: str | None, got: str | None) -> str:
        """One line of a failure report."""
        return f"  {self.file}: expected {expected}, got {got} ({self.got.evidence})"


@pytest.fixture(scope="module")
def scored() -> list[Scored]:
    """Every corpus message with its label and classification."""
    labels = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    return [
        Scored(
            item["file"],
            item["kind"],
            item["return_date"],
            classify_message((CORPUS / item["file"]).read_bytes()),
        )
        for item in labels
    ]


def _report(title: str, rate: str, misses: list[str]) -> str:
    return "\n".join([f"{title}: {rate}; misses:", *misses])


class TestCorpusScore:
    """Issue 11's targets, measured on the labelled corpus."""

    def test_class_accuracy(self, scored: list[Scored]) -> None:
        """At least 97% of the messages get their labelled class."""
        misses = [s for s in scored if s.got_kind != s.kind]
        accuracy = 1 - len(misses) / len(scored)
        rate = f"{len(scored) - len(misses)}/{len(scored)} = {accuracy:.3f}"
        print(f"class accuracy {rate}")
        lines = [s.line(s.kind, s.got_kind) for s in misses]
        assert accuracy >= MIN_CLASS_ACCURACY, _report("class accuracy", rate, lines)

    def test_return_dates(self, scored: list[Scored]) -> None:
        """At least 95% of the absence notices that state a return date get that date."""
        dated = [s for s in scored if s.kind == "out_of_office" and s.return_date]
        misses = [s for s in dated if s.got_date != s.return_date]
        accuracy = 1 - len(misses) / len(dated)
        rate = f"{len(dated) - len(misses)}/{len(dated)} = {accuracy:.3f}"
        print(f"return dates {rate}")
        lines = [s.line(s.return_date, f"{s.got_kind} {s.got_date}") for s in misses]
        assert accuracy >= MIN_DATE_ACCURACY, _report("return dates", rate, lines)

    def test_no_human_reply_stops_a_lead(self, scored: list[Scored]) -> None:
        """No reply a person wrote is classified unsubscribe or bounce."""
        misses = [s for s in scored if s.kind == "human" and s.got_kind in STOPPING]
        assert [] == [s.line(s.kind, s.got_kind) for s in misses]

    def test_no_unsubscribe_missed(self, scored: list[Scored]) -> None:
        """Every unsubscribe request is classified unsubscribe."""
        misses = [s for s in scored if s.kind == "unsubscribe" and s.got_kind != "unsubscribe"]
        assert [] == [s.line(s.kind, s.got_kind) for s in misses]
