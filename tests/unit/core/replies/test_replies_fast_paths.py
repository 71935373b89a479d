"""The classifier's fast paths answer exactly as the plain code they replace.

Each reference below is the code as it was before the fast path (kept here as the
specification); a property compares the two on generated texts.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workers.core.replies import classify, split
from workers.core.replies.classify import detect_language
from workers.core.replies.split import normalise
from workers.core.replies.tables import LANGUAGES

PROPERTY = settings(max_examples=400, deadline=None)
STOPWORDS = sorted(set().union(*(lang.stopwords for lang in LANGUAGES)))
#: Pieces of text: stopwords in any case, letters of other scripts, digits, separators.
PIECES = st.one_of(
    st.sampled_from(STOPWORDS),
    st.sampled_from(STOPWORDS).map(str.upper),
    st.sampled_from(["\u0130", "\u017f", "ß", "é", "É", "\u03a3", "\u0663", "_", "1", "x"]),
    st.sampled_from([" ", "\n", "\r\n", "'", "\u2019", "\u00a0", "\u200b", "\ufeff", ",", "-"]),
    st.text(max_size=4),
)
TEXTS = st.lists(PIECES, max_size=160).map("".join)


def reference_language(text: str) -> str:
    """``detect_language`` as it was: a loop over the first words, a dict of counts."""
    counts = dict.fromkeys(classify._ORDER, 0)
    for token in classify._WORD.findall(text.lower())[: classify._MAX_TOKENS]:
        for code in classify._STOPWORDS.get(token, ()):
            counts[code] += 1
    best, best_count = "", 0
    for code in classify._ORDER:
        if counts[code] > best_count:
            best, best_count = code, counts[code]
    return best


def reference_normalise(text: str) -> str:
    """``normalise`` as it was: every replacement tried on every text."""
    text = text[: split.MAX_BODY]
    for old, new in split._NORMALISE:
        if old in text:
            text = text.replace(old, new)
    return text


class TestDetectLanguage:
    """Packed counts over a window of words give the language the plain count gives."""

    @PROPERTY
    @given(text=TEXTS)
    def test_generated(self, text: str) -> None:
        """Any text of stopwords, other scripts and separators gets the reference's language."""
        assert reference_language(text) == detect_language(text)

    @PROPERTY
    @given(
        first=st.sampled_from(STOPWORDS),
        second=st.sampled_from(STOPWORDS),
        pad=st.integers(min_value=0, max_value=classify._LANGUAGE_WINDOW + 20),
        count=st.integers(min_value=50, max_value=70),
    )
    def test_window_edges(self, first: str, second: str, pad: int, count: int) -> None:
        """A word cut by the window's end, around the 60th word, counts as the reference says."""
        text = " " * pad + " ".join([first] * (count // 2) + [second] * count)
        assert reference_language(text) == detect_language(text)

    @PROPERTY
    @given(
        cut=st.integers(min_value=-4, max_value=4),
        words=st.integers(min_value=classify._MAX_TOKENS - 2, max_value=classify._MAX_TOKENS + 1),
        last=st.sampled_from(STOPWORDS),
    )
    def test_word_cut_by_the_window(self, cut: int, words: int, last: str) -> None:
        """The last word that counts, cut by the window's end, is read whole."""
        before = "zz " * (words - 1)
        pad = classify._LANGUAGE_WINDOW - len(before) + cut
        text = " " * pad + before + last + " end"
        assert reference_language(text) == detect_language(text)

    def test_every_stopword(self) -> None:
        """Each stopword alone names its first language, as before."""
        assert [reference_language(word) for word in STOPWORDS] == [
            detect_language(word) for word in STOPWORDS
        ]

    def test_counts_never_overflow(self) -> None:
        """A field holds the most words ever counted (a count never spills into the next)."""
        assert classify._MAX_TOKENS <= classify._COUNT_MASK


class TestNormalise:
    """The ASCII shortcut of ``normalise`` changes nothing."""

    @PROPERTY
    @given(text=TEXTS)
    def test_generated(self, text: str) -> None:
        """Any text normalises as the reference normalises it."""
        assert reference_normalise(text) == normalise(text)

    def test_ascii_line_ends(self) -> None:
        """An ASCII text loses its carriage returns, and nothing else."""
        assert "a\nb\n" == normalise("a\r\nb\r\n")
