"""The language tables (``lang/*.toml``), compiled once.

Each data file holds one language: its stopwords, month and weekday names, subject prefixes,
quoting styles, signatures, absence / auto-reply / unsubscribe / bounce wording and the words
around return dates. Adding a language is adding a file. The files are package data, read once
at import (like the sequencer's migrations); nothing here reads them again.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from workers.core.replies.prefilter import Group, Prefiltered

_FLAGS = re.IGNORECASE | re.MULTILINE

#: A pattern that never matches (a category a language leaves empty).
_NEVER = Prefiltered(re.compile(r"(?!x)x"), partition="tables", never=True)


#: Longest phrase quoted in the evidence (characters).
EVIDENCE_CHARS = 40


def short(phrase: str) -> str:
    """A matched phrase cut to a few words for the evidence (no more reply text than that)."""
    phrase = " ".join(phrase.split())
    return phrase if len(phrase) <= EVIDENCE_CHARS else phrase[: EVIDENCE_CHARS - 1] + "…"


def _alternation(patterns: list[str], partition: str = "tables") -> Prefiltered:
    if not patterns:
        return _NEVER
    regex = re.compile("|".join(f"(?:{p})" for p in patterns), _FLAGS)
    return Prefiltered(regex, partition=partition)


@dataclass(frozen=True, slots=True)
class Score:
    """What a text says of one kind of message: a strong phrase, weak hints, boilerplate."""

    strong: bool
    #: Distinct weak hints outside the strong phrase, at most 2.
    hints: int
    boilerplate: bool
    #: The strong phrase, else the first hint ("" when none).
    phrase: str

    @property
    def total(self) -> int:
        """Strong phrase 2, each hint 1, boilerplate 1."""
        return 2 * self.strong + self.hints + self.boilerplate


#: The score of a text without any of the wording.
NOTHING = Score(strong=False, hints=0, boilerplate=False, phrase="")


@dataclass(frozen=True, slots=True)
class Weighted:
    """Strong, weak and boilerplate wording of one kind of message."""

    strong: Prefiltered
    weak: Prefiltered
    boilerplate: Prefiltered
    #: The three, for one quick look whether the text has any of this wording.
    group: Group

    def score(self, text: str) -> Score:
        """How much ``text`` reads like this kind of message."""
        if not self.group.may_match(text):
            return NOTHING
        strong = self.strong.search(text)
        start, end = strong.span() if strong else (0, 0)
        hints = [m for m in self.weak.finditer(text) if m.end() <= start or m.start() >= end]
        distinct = len({m.group(0).lower() for m in hints})
        phrase = strong.group(0) if strong else (hints[0].group(0) if hints else "")
        return Score(
            strong=strong is not None,
            hints=min(distinct, 2),
            boilerplate=self.boilerplate.search(text) is not None,
            phrase=short(phrase),
        )


@dataclass(frozen=True, slots=True)
class Language:
    """One language's compiled table."""

    code: str
    stopwords: frozenset[str]
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    subject_ooo: Prefiltered
    subject_auto: Prefiltered
    subject_bounce: Prefiltered
    subject_soft: Prefiltered
    footer: Prefiltered
    absence: Weighted
    #: A person talking to us: vetoes an absence notice without automation signals.
    conversation: Prefiltered
    auto_reply: Weighted
    departed: Prefiltered
    unsubscribe: Prefiltered
    unsubscribe_negation: Prefiltered
    unsubscribe_whole: frozenset[str]
    bounce_failure: Prefiltered
    bounce_temporary: Prefiltered
    raw: dict[str, Any]


def _weighted(section: dict[str, list[str]]) -> Weighted:
    strong = _alternation(section["strong"])
    weak = _alternation(section["weak"])
    boilerplate = _alternation(section.get("boilerplate", []))
    return Weighted(strong, weak, boilerplate, Group((strong, weak, boilerplate)))


def _language(data: dict[str, Any]) -> Language:
    subject = data["subject"]
    return Language(
        code=data["code"],
        stopwords=frozenset(data["stopwords"]),
        months=dict(data["months"]),
        weekdays=dict(data["weekdays"]),
        numbers=dict(data["numbers"]),
        subject_ooo=_alternation(subject["out_of_office"]),
        subject_auto=_alternation(subject["auto_reply"]),
        subject_bounce=_alternation(subject["bounce"]),
        subject_soft=_alternation(subject["soft_bounce"]),
        footer=_alternation(data["footer"]["phrases"]),
        absence=_weighted(data["absence"]),
        conversation=_alternation(data["absence"].get("conversation", [])),
        auto_reply=_weighted(data["auto_reply"]),
        departed=_alternation(data["auto_reply"]["departed"]),
        unsubscribe=_alternation(data["unsubscribe"]["phrases"]),
        unsubscribe_negation=_alternation(data["unsubscribe"].get("negation", [])),
        unsubscribe_whole=frozenset(w.lower() for w in data["unsubscribe"]["whole"]),
        bounce_failure=_alternation(data["bounce"]["failure"]),
        bounce_temporary=_alternation(data["bounce"]["temporary"]),
        raw=data,
    )


def _load() -> tuple[Language, ...]:
    folder = resources.files("workers.core.replies").joinpath("lang")
    files = sorted(
        (item for item in folder.iterdir() if item.name.endswith(".toml")),
        key=lambda item: item.name,
    )
    languages = [_language(tomllib.loads(item.read_text(encoding="utf-8"))) for item in files]
    # English first: it wins ties in language detection and is the default.
    languages.sort(key=lambda lang: (lang.code != "en", lang.code))
    return tuple(languages)


#: Every language, English first.
LANGUAGES: tuple[Language, ...] = _load()
BY_CODE: dict[str, Language] = {lang.code: lang for lang in LANGUAGES}


def collect(section: str, key: str) -> list[str]:
    """One list of every language's ``[section] key`` entries, in language order, deduplicated."""
    seen: dict[str, None] = {}
    for lang in LANGUAGES:
        for item in lang.raw[section][key]:
            seen.setdefault(item, None)
    return list(seen)


def alternation(patterns: list[str], partition: str = "tables") -> Prefiltered:
    """Compile ``patterns`` as one case-insensitive alternation (prefiltered, see ``prefilter``)."""
    return _alternation(patterns, partition)


@dataclass(frozen=True, slots=True)
class Across:
    """One category's pattern in every language (English first), and their group."""

    patterns: tuple[tuple[str, Prefiltered], ...]
    group: Group


def across(pick: Callable[[Language], Prefiltered]) -> Across:
    """``pick(lang)`` of every language, by language code, English first."""
    patterns = tuple((lang.code, pick(lang)) for lang in LANGUAGES)
    return Across(patterns, Group(pattern for _, pattern in patterns))


def across_weighted(pick: Callable[[Language], Weighted]) -> Group:
    """The group of every pattern of ``pick(lang)`` in every language."""
    return Group(
        pattern
        for lang in LANGUAGES
        for pattern in (pick(lang).strong, pick(lang).weak, pick(lang).boilerplate)
    )
