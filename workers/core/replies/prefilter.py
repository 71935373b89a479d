"""An exact prefilter for the tables' alternations: skip a regex that cannot match.

Python's ``re`` tries every alternative of an alternation at every position of a text, so one
language category (dozens of phrases) costs tens of microseconds per search, and a message
runs about forty of them. Most texts contain none of a category's phrases, and that is cheap
to see beforehand: every match of ``\\bout of (the )?office\\b`` contains "out of ", so a text
without the trigrams "out", "ut ", "t o", " of" and "of " cannot match it.

At compile time ``needles`` reads a pattern with the standard library's own parser
(``re._parser``) and derives a finite set of strings such that every match contains at least
one of them (case-folded); a pattern for which no such set is found (``.*``, ``\\w+`` in every
branch, ...) is always searched. At search time a text is case-folded once the way ``re``'s
IGNORECASE compares characters (``fold``), and its set of trigrams is built once and shared by
every pattern (a small cache keyed by the text). A pattern then runs only when one of its
needles can be in the text: all trigrams of a needle of 3 or more characters present, or a
shorter needle a substring of the folded text.

The prefilter never changes a result, only skips work: a needle is a *necessary* condition
for a match, derived from what the regex engine itself compares (see ``fold``).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

#: Characters whose ``str.lower()`` differs from what ``re`` IGNORECASE compares: ``re``
#: compares the simple lower-case mapping (one character: U+0130 is "i", never "i" + U+0307)
#: and treats a few lower-case letters as one (its ``_casefix`` table: dotless i and i, long s
#: and s, micro sign and mu, final and medial sigma, ...). Each maps to the letter of its class
#: that ``str.lower()`` gives for the class's capital. Capital sigma is here for
#: ``str.lower()``'s final-sigma rule (context, not one character).
#: A unit test checks this table against every code point.
_SPECIAL_FOLDS = {
    "\u00b5": "\u03bc",
    "\u0130": "i",
    "\u0131": "i",
    "\u017f": "s",
    "\u0345": "\u03b9",
    "\u03a3": "\u03c3",
    "\u03c2": "\u03c3",
    "\u03d0": "\u03b2",
    "\u03d1": "\u03b8",
    "\u03d5": "\u03c6",
    "\u03d6": "\u03c0",
    "\u03f0": "\u03ba",
    "\u03f1": "\u03c1",
    "\u03f5": "\u03b5",
    "\u1c80": "\u0432",
    "\u1c81": "\u0434",
    "\u1c82": "\u043e",
    "\u1c83": "\u0441",
    "\u1c84": "\u0442",
    "\u1c85": "\u0442",
    "\u1c86": "\u044a",
    "\u1c87": "\u0463",
    "\u1c88": "\ua64b",
    "\u1e9b": "\u1e61",
    "\u1fbe": "\u03b9",
    "\u1fd3": "\u0390",
    "\u1fe3": "\u03b0",
    "\ufb06": "\ufb05",
}
_FOLD_TABLE = str.maketrans(_SPECIAL_FOLDS)
_HAS_SPECIAL = re.compile("[" + "".join(_SPECIAL_FOLDS) + "]")
_ASCII_DIGITS = str.maketrans("123456789", "0" * 9)
#: Any digit but "0" (``re``'s own ``\\d``: every Unicode decimal digit).
_DIGIT = re.compile(r"[^\D0]")

#: Most strings a finite set of needles (or a step of their construction) may hold.
_MOST_STRINGS = 64
#: Widest character range of a class expanded into single characters.
_WIDEST_RANGE = 26
#: Longest repetition (``x{0,4}``) expanded into strings.
_MOST_REPEATS = 4
#: Needles longer than this are no more selective (the best needle set is chosen by length).
_ENOUGH = 8
#: Texts (and folded texts) whose index is kept (a message reads a handful of texts in turn).
_CACHE_SIZE = 16
#: The letters that occur most in the tables' languages, most frequent first: a needle is
#: looked up by its least common trigram.
_COMMON = " eantirsoldhuc"

Trigram = tuple[str, str, str]


def fold(text: str) -> str:
    """``text`` as ``re`` IGNORECASE compares it, and every digit (``\\d``) as "0".

    Per character: lower case, one letter per ``re`` case class (long s is "s", the Kelvin
    sign is "k"), any decimal digit "0"; as long as ``text``. Two characters ``re`` can take
    for one another (a pattern's "K" and a text's "k", a ``\\d`` and "7") fold alike, so a
    needle folded like this is in the folded text wherever the pattern matches.
    """
    if text.isascii():
        return text.lower().translate(_ASCII_DIGITS)
    if _HAS_SPECIAL.search(text):
        text = text.translate(_FOLD_TABLE)
    return _DIGIT.sub("0", text.lower())


def _trigrams(folded: str) -> set[Trigram]:
    return set(zip(folded, folded[1:], folded[2:], strict=False))


class _Partition:
    """The needles of the patterns that are searched in the same texts (the tables, the date
    patterns, ...), indexed by trigram: a text is checked against a partition only when one
    of its patterns is searched in that text.
    """

    def __init__(self) -> None:
        #: Every pattern's needles, by pattern id.
        self.registered: list[frozenset[str]] = []
        #: Needles of 3 or more characters, by a trigram of theirs: ``(pattern id, trigrams)``.
        self.postings: dict[Trigram, list[tuple[int, frozenset[Trigram]]]] = {}
        self.keys: frozenset[Trigram] = frozenset()
        #: Needles of 1 or 2 characters: ``(pattern id, needle)``.
        self.shorts: list[tuple[int, str]] = []
        self.built = False

    def register(self, found: frozenset[str]) -> int:
        """A new pattern's id; the index is rebuilt with its needles before the next text."""
        self.registered.append(found)
        self.built = False
        _cache.clear()
        return len(self.registered) - 1

    def maybe(self, folded: str, grams: set[Trigram]) -> frozenset[int]:
        """The ids of the patterns one of whose needles is in the folded text."""
        if not self.built:
            self._build()
        postings = self.postings
        maybe: set[int] = set()
        for key in self.keys.intersection(grams):
            for pattern_id, clause in postings[key]:
                if pattern_id not in maybe and clause <= grams:
                    maybe.add(pattern_id)
        for pattern_id, needle in self.shorts:
            if needle in folded:
                maybe.add(pattern_id)
        return frozenset(maybe)

    def _build(self) -> None:
        """Index each needle by its trigram that fewest other needles share."""
        clauses = [
            (pattern_id, frozenset(_trigrams(needle)))
            for pattern_id, found in enumerate(self.registered)
            for needle in sorted(found)
            if len(needle) >= 3  # noqa: PLR2004 - a trigram's length
        ]
        shared = Counter(gram for _, grams in clauses for gram in grams)
        self.postings = {}
        for pattern_id, grams in clauses:
            key = min(grams, key=lambda gram: (shared[gram], _commonness(gram), gram))
            self.postings.setdefault(key, []).append((pattern_id, grams))
        self.keys = frozenset(self.postings)
        self.shorts = [
            (pattern_id, needle)
            for pattern_id, found in enumerate(self.registered)
            for needle in sorted(found)
            if len(needle) < 3  # noqa: PLR2004 - a trigram's length
        ]
        self.built = True


class _Index:
    """One text, folded, its trigrams, and what it may match in each partition (lazily)."""

    __slots__ = ("folded", "grams", "maybe")

    def __init__(self, folded: str) -> None:
        self.folded = folded
        self.grams = _trigrams(folded)
        self.maybe: dict[str, frozenset[int]] = {}

    def may_match(self, partition: str) -> frozenset[int]:
        """The ids of the patterns of ``partition`` the text may match."""
        found = self.maybe.get(partition)
        if found is None:
            found = self.maybe[partition] = _partitions[partition].maybe(self.folded, self.grams)
        return found


_partitions: dict[str, _Partition] = {}
_cache: dict[str, _Index] = {}
_enabled = True


def _index(text: str) -> _Index:
    """``text``'s index, cached.

    The cache holds a text and its folded form (``fold`` of either is the same), so a text
    and its ``str.lower()`` usually share one index.
    """
    found = _cache.get(text)
    if found is None:
        folded = fold(text)
        found = _cache.get(folded) or _Index(folded)
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        _cache[text] = _cache[folded] = found
    return found


@contextmanager
def disabled() -> Iterator[None]:
    """Within the block every pattern is searched (for comparing results with the filter off)."""
    global _enabled  # noqa: PLW0603 - one switch for every compiled table
    _enabled = False
    try:
        yield
    finally:
        _enabled = True


class Prefiltered:
    """A compiled pattern that runs only on texts that may contain one of its needles.

    ``search``, ``match``, ``fullmatch`` and ``finditer`` take the arguments and give the
    results of ``re.Pattern``'s methods.
    """

    __slots__ = ("_id", "_partition", "always", "regex")

    def __init__(self, regex: re.Pattern[str], *, partition: str = "", never: bool = False) -> None:
        """Analyse ``regex``; ``partition``: the patterns searched in the same texts as this
        one; ``never``: it matches nothing (an empty category), never run it.
        """
        self.regex = regex
        found = frozenset() if never else needles(regex.pattern, regex.flags)
        #: No needle bounds this pattern: it is always searched.
        self.always = found is None
        self._partition = partition
        self._id = -1
        if found is not None:
            self._id = _partitions.setdefault(partition, _Partition()).register(found)

    @property
    def pattern(self) -> str:
        """The regular expression's source."""
        return self.regex.pattern

    def may_match(self, text: str) -> bool:
        """False when no match of the pattern can be in ``text`` (True is only "maybe")."""
        return self.always or not _enabled or self._id in _index(text).may_match(self._partition)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """``re.Pattern.search``."""
        return self.regex.search(text, pos, endpos) if self.may_match(text) else None

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """``re.Pattern.match``."""
        return self.regex.match(text, pos, endpos) if self.may_match(text) else None

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """``re.Pattern.fullmatch``."""
        return self.regex.fullmatch(text, pos, endpos) if self.may_match(text) else None

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """``re.Pattern.finditer``."""
        return self.regex.finditer(text, pos, endpos) if self.may_match(text) else iter(())

    def __repr__(self) -> str:
        return f"Prefiltered({self.regex!r})"


class Group:
    """Several prefiltered patterns: whether any of them may match a text, in one look-up."""

    __slots__ = ("_ids", "always")

    def __init__(self, patterns: Iterable[Prefiltered]) -> None:
        """The group of ``patterns``."""
        patterns = list(patterns)
        #: A member is always searched: so is the group.
        self.always = any(pattern.always for pattern in patterns)
        ids: dict[str, set[int]] = {}
        for pattern in patterns:
            ids.setdefault(pattern._partition, set()).add(pattern._id)
        self._ids = tuple((partition, frozenset(found)) for partition, found in ids.items())

    def may_match(self, text: str) -> bool:
        """False when no member can match in ``text`` (True is only "maybe")."""
        if self.always or not _enabled:
            return True
        index = _index(text)
        # A loop, not ``any(...)``: no generator per look-up (this runs several times a message).
        for name, ids in self._ids:  # noqa: SIM110
            if not ids.isdisjoint(index.may_match(name)):
                return True
        return False


def _commonness(gram: Trigram) -> int:
    return sum(len(_COMMON) - _COMMON.find(char) if char in _COMMON else 0 for char in gram)


# --- the analyser -----------------------------------------------------------------------------

Item = tuple[Any, Any]
_REPEATS = frozenset((sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT))
_BMP = 0xFFFF


def needles(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Case-folded strings one of which every match of ``pattern`` contains, or None.

    None when the analysis finds no such set (a branch that can match without any literal
    text the analysis can bound, such as ``.*`` or ``\\w+``). Flags do not matter: every
    comparison the regex makes (case-sensitive or not) implies equality of ``fold``.
    """
    found = _need(list(_parser.parse(pattern, flags)))
    if found is None:
        return None
    # A needle that contains another is implied by it.
    return frozenset(n for n in found if not any(o != n and o in n for o in found))


def _need(items: list[Item]) -> set[str] | None:
    """Strings one of which every match of the sequence ``items`` contains, or None.

    Consecutive items of finite sets are joined into one run of strings (zero-width
    assertions join nothing and break nothing); every run, and what each unbounded item
    itself needs, is a candidate; the most selective candidate wins.
    """
    candidates: list[set[str] | None] = []
    run: set[str] = {""}
    for item in items:
        strings = _finite(item)
        if strings is not None:
            joined = _product(run, strings)
            if joined is not None:
                run = joined
                continue
            candidates.append(run)
            run = strings
            continue
        candidates.append(run)
        candidates.append(_need_item(item))
        run = {""}
    candidates.append(run)
    return _best(candidates)


def _best(candidates: Iterable[set[str] | None]) -> set[str] | None:
    best: set[str] | None = None
    best_score = (0, 0)
    for candidate in candidates:
        if not candidate:
            continue
        score = (min(*map(len, candidate), _ENOUGH), -len(candidate))
        if score[0] > 0 and score > best_score:
            best, best_score = candidate, score
    return best


def _need_item(item: Item) -> set[str] | None:
    """What an item with no finite set of strings needs (a group, an alternation, ``x+``)."""
    op, av = item
    if op is sre.SUBPATTERN:
        return _need(list(av[3]))
    if op is sre.ATOMIC_GROUP:
        return _need(list(av))
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            found = _need(list(branch))
            if found is None:
                return None
            union |= found
        return union
    if op in _REPEATS and av[0] >= 1:
        return _need(list(av[2]))
    return None


def _finite(item: Item) -> set[str] | None:
    """Every (folded) string ``item`` can match, when there are few; else None."""
    op, av = item
    read = _FINITE.get(op)
    return read(av) if read is not None else None


def _literal(code: int) -> set[str]:
    return {fold(chr(code))}


def _zero_width(_: object) -> set[str]:
    return {""}


def _finite_branch(av: Any) -> set[str] | None:
    union: set[str] = set()
    for branch in av[1]:
        found = _finite_sequence(list(branch))
        if found is None:
            return None
        union |= found
    return union if len(union) <= _MOST_STRINGS else None


def _finite_sequence(items: list[Item]) -> set[str] | None:
    strings: set[str] | None = {""}
    for item in items:
        found = _finite(item)
        if found is None or strings is None:
            return None
        strings = _product(strings, found)
    return strings


def _repeat(least: int, most: int, sub: Any) -> set[str] | None:
    if most > _MOST_REPEATS:
        return None
    once = _finite_sequence(list(sub))
    if once is None:
        return None
    strings: set[str] = set()
    current: set[str] | None = {""}
    for count in range(most + 1):
        if current is None:
            return None
        if count >= least:
            strings |= current
        current = _product(current, once)
    return strings if len(strings) <= _MOST_STRINGS else None


def _finite_repeat(av: Any) -> set[str] | None:
    return _repeat(*av)


def _charset(members: list[Item]) -> set[str] | None:
    chars: set[str] = set()
    for op, av in members:
        if op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            chars.add("0")
        elif op is sre.LITERAL and av <= _BMP:
            chars.add(fold(chr(av)))
        elif op is sre.RANGE and av[1] - av[0] < _WIDEST_RANGE and av[1] <= _BMP:
            chars.update(fold(chr(code)) for code in range(av[0], av[1] + 1))
        else:
            return None
    return chars


def _product(left: set[str], right: set[str]) -> set[str] | None:
    if len(left) * len(right) > _MOST_STRINGS:
        return None
    return {a + b for a in left for b in right}


_FINITE: dict[Any, Callable[[Any], set[str] | None]] = {
    sre.LITERAL: _literal,
    sre.AT: _zero_width,
    sre.ASSERT: _zero_width,
    sre.ASSERT_NOT: _zero_width,
    sre.IN: _charset,
    sre.SUBPATTERN: lambda av: _finite_sequence(list(av[3])),
    sre.ATOMIC_GROUP: lambda av: _finite_sequence(list(av)),
    sre.BRANCH: _finite_branch,
    sre.MAX_REPEAT: _finite_repeat,
    sre.MIN_REPEAT: _finite_repeat,
    sre.POSSESSIVE_REPEAT: _finite_repeat,
}
