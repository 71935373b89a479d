"""HTML mail to plain text with the standard library's ``html.parser``.

Block elements become line breaks; ``<blockquote>`` content is prefixed with ``> `` (so the quote
splitter treats it like plain-text quoting); scripts, styles and the head are dropped; Gmail's
and Outlook's quote containers (``gmail_quote``, ``divRplyFwdMsg``, ``appendonsend``) start a
quoted section with a marker line the splitter cuts at.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: The line the splitter cuts at when HTML said "the quoted original starts here".
QUOTE_MARKER = "\x00quote\x00"

_BLOCK = frozenset(
    (
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "tr",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "address",
        "center",
        "dd",
        "dt",
    )
)
_SKIP = frozenset(("script", "style", "head", "title", "template"))
_QUOTE_CLASSES = re.compile(r"gmail_quote|yahoo_quoted|moz-cite-prefix|protonmail_quote", re.I)
_QUOTE_IDS = re.compile(r"divRplyFwdMsg|appendonsend|mail-editor-reference-message", re.I)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.quote_depth = 0
        self.skip_depth = 0

    def _newline(self) -> None:
        text = _SPACES.sub(" ", "".join(self.current)).strip()
        self.current = []
        self.lines.append(("> " * self.quote_depth + text) if text else "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
            return
        if tag in _BLOCK:
            self._newline()
        if tag == "blockquote":
            self.quote_depth += 1
        attributes = dict(attrs)
        if _QUOTE_CLASSES.search(attributes.get("class") or "") or _QUOTE_IDS.search(
            attributes.get("id") or ""
        ):
            self._newline()
            self.lines.append(QUOTE_MARKER)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag in _BLOCK:
            self._newline()
        if tag == "blockquote":
            self._newline()
            self.quote_depth = max(0, self.quote_depth - 1)

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.current.append(data.replace("\n", " "))


def html_to_text(html: str) -> str:
    """The visible text of an HTML body, one block per line, blockquotes prefixed ``> ``."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    parser._newline()
    return "\n".join(parser.lines)
