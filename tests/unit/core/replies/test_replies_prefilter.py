"""The prefilter skips a pattern only where it cannot match: results never change.

``needles`` is tested on representative regex shapes; ``fold`` against what ``re`` itself
takes for equal; every compiled pattern of the classifier against plain ``re`` on the corpus
and on generated texts; the corpus classification with and without the prefilter.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.core.replies import classify_message, classify_parts, dates, prefilter, split
from workers.core.replies.mime import parse_message
from workers.core.replies.prefilter import Group, Prefiltered, fold, needles
from workers.core.replies.tables import LANGUAGES, Weighted

CORPUS = Path(__file__).resolve().parents[4] / "tests" / "corpus" / "replies"
PROPERTY = settings(max_examples=300, deadline=None)
#: The part of each corpus body every pattern is run over (the first screen of a reply).
BODY_CHARS = 400
#: Characters ``re`` IGNORECASE takes for others, and other oddities a text may hold.
ODD = [
    "\u017f",
    "\u212a",
    "\u0130",
    "\u0131",
    "ß",
    "µ",
    "Σ",
    "\u03c2",
    "\u03d0",
    "\ufb05",
    "\ufb06",
]
ODD += ["\u0663", "²", "\u0345", "\x00", "é", "É"]
PUNCTUATION = [" ", "  ", "\n", "\n\n", ".", ",", ":", "?", "!", "'", "-", "/", "\t", "\u00a0"]


def compiled() -> list[tuple[str, Prefiltered]]:
    """Every prefiltered pattern the classifier uses, named."""
    found: list[tuple[str, Prefiltered]] = []
    for lang in LANGUAGES:
        for name in lang.__dataclass_fields__:
            value = getattr(lang, name)
            if isinstance(value, Prefiltered):
                found.append((f"{lang.code}.{name}", value))
            elif isinstance(value, Weighted):
                found += [
                    (f"{lang.code}.{name}.{part}", getattr(value, part))
                    for part in ("strong", "weak", "boilerplate")
                ]
    for module in (split, dates):
        for name, value in vars(module).items():
            if isinstance(value, Prefiltered):
                found.append((f"{module.__name__}.{name}", value))
    return found


PATTERNS = compiled()


def spans(matches: Iterator[re.Match[str]]) -> list[tuple[int, int]]:
    """The spans of ``matches``."""
    return [match.span() for match in matches]


@cache
def corpus_texts() -> list[str]:
    """Subject, body (its start) and own text of every corpus message, each once."""
    labels = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    texts: dict[str, None] = {}
    for item in labels:
        mail = parse_message((CORPUS / item["file"]).read_bytes())
        body = split.normalise(mail.body)
        texts.update(dict.fromkeys((mail.subject, body[:BODY_CHARS], split.own_text(body))))
    return list(texts)


class TestNeedles:
    """The analyser: strings one of which every match contains."""

    @pytest.mark.parametrize(
        ("expected", "pattern"),
        [
            ({"out of office", "out of the office"}, r"\bout of (the )?office\b"),
            ({"subscribe"}, r"\b(?:un)?subscribe\b"),
            ({"contact", "kontact"}, r"[ck]ontact"),
            ({"stop"}, r"(?:^|[.!?]\s++)stop\s*+[.!]*+\s*+$"),
            ({"foo", "bar"}, r"foo|bar"),
            ({"office"}, r"(?<!\w)OFFICE(?!d)"),
            ({"0.0"}, r"(?<![\d.])\d{1,2}\.\d{1,2}"),
            ({"abc"}, r"(?:abc)+"),
            ({"abc"}, r"(?>abc)d?"),
            ({"abc"}, r"(?>\w+abc)"),
            ({"remove "}, r"\bremove (\w+) from"),
            ({"x", "y"}, r"(?:x|y)\w*"),
            ({"a", "b", "c"}, r"[a-c]"),
            ({"st"}, r"\w+st\b"),
            ({"ab"}, r"ab|(?:ab){2,3}"),
            ({"bc"}, r"[^a]bc"),
            ({"a"}, r"(a)\1"),
            ({"a"}, r"a{5,9}"),
            (set("abcdefghijklmnopqrstuvwxyz"), r"[a-z]{3}"),
        ],
    )
    def test_shapes(self, expected: set[str], pattern: str) -> None:
        """Literal runs, optional and alternative parts and small classes are expanded."""
        assert frozenset(expected) == needles(pattern, re.IGNORECASE)

    @pytest.mark.parametrize(
        "pattern",
        [
            r".*",
            r"\w+",
            r"foo|\w+",
            r"(?:foo|\w+)\s",
            r"[^a]",
            r"[\U0001f600-\U0001f64f]",
            r"(a)?\1",
            r"[à-ÿ]{2}",
            r"[a-z]?",
            r"a{0,9}",
            r"(?:ab|a\w){0,2}",
        ],
    )
    def test_unbounded(self, pattern: str) -> None:
        """A branch the analysis cannot bound makes the whole pattern unfilterable."""
        assert needles(pattern) is None

    def test_wide_alternation(self) -> None:
        """An alternation of more strings than a finite set holds is still a union of needles."""
        words = [f"{a}{b}qq" for a in "abcdefghij" for b in "abcdefghij"]
        assert frozenset(words) == needles(r"\b(?:" + "|".join(words) + r")\b")


class TestFold:
    """Folding: what ``re`` takes for equal folds alike."""

    @pytest.mark.parametrize("char", sorted({c for _, p in PATTERNS for c in p.pattern}))
    def test_re_equivalents_fold_alike(self, char: str) -> None:
        """Every character an IGNORECASE pattern's literal matches folds like that literal."""
        matched = re.compile(re.escape(char), re.IGNORECASE).findall(every_character())
        assert {fold(char)} == {fold(found) for found in matched}

    def test_digits_fold_to_zero(self) -> None:
        """Every character ``\\d`` matches folds to "0"."""
        assert {"0"} == {fold(found) for found in re.findall(r"\d", every_character())}

    def test_special_folds(self) -> None:
        """The letters ``re`` IGNORECASE treats as one fold to one."""
        sigma, mu = "\u03c3", "\u03bc"
        text = "\u017f\u212a\u0130\u0131S \u03a3\u03a3 \u00b5\u039c 1\u0663\u00b29"
        assert f"skiis {sigma}{sigma} {mu}{mu} 00\u00b20" == fold(text)

    @given(st.lists(st.sampled_from([*ODD, "A", "b", "ΟΔΟΣ", "1", " "]), max_size=12))
    def test_per_character(self, parts: list[str]) -> None:
        """Folding a text is folding each character (no final sigma, no two-character
        lower case)."""
        text = "".join(parts)
        assert "".join(fold(char) for char in text) == fold(text)

    def test_every_code_point(self) -> None:
        """A character folds to its simple lower case (``re``'s), one letter per ``re``
        case class, digits to "0"."""
        import _sre  # type: ignore[import-not-found]  # noqa: PLC0415 - the engine's lower case
        from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]  # noqa: PLC0415

        canonical = {
            other: fold(chr(lo)) for lo, others in _EXTRA_CASES.items() for other in others
        }
        for code in range(sys.maxunicode + 1):
            char = chr(code)
            if 0xD800 <= code <= 0xDFFF or char.isdecimal():
                continue
            lower = _sre.unicode_tolower(code)
            assert canonical.get(lower, chr(lower)) == fold(char), hex(code)


@cache
def every_character() -> str:
    """Every code point but the surrogates, as one text."""
    return "".join(chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF)


class TestPrefiltered:
    """A prefiltered pattern answers like plain ``re``."""

    def test_methods(self) -> None:
        """``search``, ``match``, ``fullmatch`` and ``finditer`` with positions, found or not."""
        pattern = Prefiltered(re.compile(r"\bout of (the )?office\b", re.IGNORECASE))
        text = "I am OUT OF THE OFFICE. Out of office."
        assert pattern.regex.search(text, 3).span() == pattern.search(text, 3).span()  # type: ignore[union-attr]
        assert pattern.match(text, 5).span() == (5, 22)  # type: ignore[union-attr]
        assert pattern.fullmatch(text, 24, 37).span() == (24, 37)  # type: ignore[union-attr]
        assert spans(pattern.regex.finditer(text, 0, 30)) == spans(pattern.finditer(text, 0, 30))
        assert pattern.search("in the office") is None
        assert pattern.match("in the office") is None
        assert pattern.fullmatch("in the office") is None
        assert [] == list(pattern.finditer("in the office"))
        assert pattern.pattern == pattern.regex.pattern
        assert repr(pattern).startswith("Prefiltered(")

    def test_unfilterable(self) -> None:
        """A pattern without needles is always searched."""
        pattern = Prefiltered(re.compile(r"\w+"))
        assert pattern.always
        assert "abc" == pattern.search("abc").group(0)  # type: ignore[union-attr]

    def test_never(self) -> None:
        """An empty category never runs and never matches."""
        pattern = Prefiltered(re.compile(r"(?!x)x"), never=True)
        assert pattern.search("x x") is None

    def test_short_needles(self) -> None:
        """Needles shorter than a trigram are looked up in the folded text."""
        pattern = Prefiltered(re.compile(r"\?|¿", re.IGNORECASE))
        assert [False, True, True] == [
            pattern.search(text) is not None for text in ("why", "why?", "¿qué")
        ]

    def test_new_pattern_after_texts(self) -> None:
        """A pattern compiled after texts were indexed is indexed too."""
        text = "zebra crossing"
        assert PATTERNS[0][1].search(text) is None
        late = Prefiltered(re.compile(r"zebra", re.IGNORECASE))
        assert "zebra" == late.search(text).group(0)  # type: ignore[union-attr]

    def test_many_texts(self) -> None:
        """More texts than the cache holds are each answered right."""
        pattern = Prefiltered(re.compile(r"needle\d", re.IGNORECASE))
        texts = [f"hay {n} NEEDLE{n % 10}" if n % 3 else f"hay {n}" for n in range(40)]
        assert [bool(pattern.regex.search(t)) for t in texts] == [
            bool(pattern.search(t)) for t in texts
        ]

    def test_disabled(self) -> None:
        """Within ``disabled()`` every pattern runs, and after it the filter is back."""
        pattern = Prefiltered(re.compile(r"needle", re.IGNORECASE))
        with prefilter.disabled():
            assert pattern.may_match("hay")
        assert not pattern.may_match("hay")


class TestGroup:
    """A group answers whether any member may match."""

    def test_members_in_partitions(self) -> None:
        """Members of several partitions: any member's needle makes the group a "maybe"."""
        first = Prefiltered(re.compile("alpha", re.IGNORECASE), partition="one")
        second = Prefiltered(re.compile("bravo", re.IGNORECASE), partition="two")
        group = Group((first, second))
        assert [False, True, True] == [
            group.may_match(text) for text in ("charlie", "ALPHA", "a bravo")
        ]

    def test_always(self) -> None:
        """A member without needles makes the group always searched."""
        group = Group((Prefiltered(re.compile("alpha")), Prefiltered(re.compile(r"\w+"))))
        assert group.may_match("")

    @PROPERTY
    @given(data=st.data())
    def test_answers_as_its_members(self, data: st.DataObject) -> None:
        """A group of table patterns may match a text exactly when one of them may."""
        members = data.draw(st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=6))
        group = Group(pattern for _, pattern in members)
        needle = st.sampled_from(sorted({n for _, p in members for n in needles(p.pattern) or ()}))
        text = " ".join(data.draw(st.lists(st.one_of(needle, st.text(max_size=4)), max_size=8)))
        assert any(pattern.may_match(text) for _, pattern in members) == group.may_match(text)

    def test_disabled(self) -> None:
        """Within ``disabled()`` a group always may match."""
        group = Group((Prefiltered(re.compile("alpha")),))
        with prefilter.disabled():
            assert group.may_match("")


class TestTablePatterns:
    """Every pattern the classifier compiles, prefiltered, against plain ``re``."""

    @pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[name for name, _ in PATTERNS])
    def test_corpus(self, name: str, pattern: Prefiltered) -> None:
        """On every corpus message's subject, body and own text, no text it skips has a match.

        (Where it does not skip, it runs the same compiled pattern.)
        """
        skipped = [text for text in corpus_texts() if not pattern.may_match(text)]
        assert [] == [text[:80] for text in skipped if pattern.regex.search(text)], name

    @PROPERTY
    @given(data=st.data())
    def test_generated(self, data: st.DataObject) -> None:
        """On texts made of the pattern's own needles, in any case, with odd characters."""
        name, pattern = data.draw(st.sampled_from(PATTERNS))
        found = needles(pattern.pattern, pattern.regex.flags) or frozenset(("x",))
        fragment = st.sampled_from(sorted(found)).flatmap(_cut)
        part = st.one_of(fragment, st.sampled_from(ODD + PUNCTUATION), st.text(max_size=3))
        text = "".join(data.draw(st.lists(part, max_size=10)))
        assert pattern.regex.search(text) is None or pattern.may_match(text), name
        assert spans(pattern.regex.finditer(text)) == spans(pattern.finditer(text)), name


def _cut(needle: str) -> st.SearchStrategy[str]:
    """A needle, a piece of it, in upper, title or lower case."""
    pieces = st.sampled_from(
        [needle, needle[: len(needle) // 2], needle[len(needle) // 2 :], needle[1:]]
    )
    cases = st.sampled_from([str.upper, str.title, str.lower, str.swapcase])
    return st.tuples(pieces, cases).map(lambda pair: pair[1](pair[0]))


class TestClassification:
    """The classifier's answers with the prefilter equal those without it."""

    def test_corpus(self) -> None:
        """Every corpus message is classified the same."""
        raws = [path.read_bytes() for path in sorted(CORPUS.glob("*.eml"))]
        assert raws
        with_filter = [classify_message(raw) for raw in raws]
        with prefilter.disabled():
            without = [classify_message(raw) for raw in raws]
        assert without == with_filter

    @PROPERTY
    @given(
        words=st.lists(
            st.sampled_from(
                sorted({n for _, p in PATTERNS for n in needles(p.pattern) or ()})
                + ODD
                + PUNCTUATION
            ),
            max_size=25,
        ),
        subject=st.sampled_from(["Re: hi", "Automatic reply: away", "Undeliverable", ""]),
    )
    def test_generated(self, words: list[str], subject: str) -> None:
        """Texts of phrases from every table are classified the same."""
        text = " ".join(words)
        with_filter = classify_parts(subject, text, {}, None)
        with prefilter.disabled():
            assert classify_parts(subject, text, {}, None) == with_filter
