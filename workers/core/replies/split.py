"""The reply's own new text, apart from the quoted thread and the signature.

We read the body line by line and stop at the first line that starts the quoted original or
the signature, in any language of the tables:

- an attribution line: "On <date>, <name> wrote:", "Am ... schrieb ...:", "Le ... a écrit :",
  "El ... escribió:", "Il giorno ... ha scritto:", "Op ... schreef ...:", "Em ... escreveu:"
  (also when the client wrapped it over two lines);
- a separator: "-----Original Message-----", "-----Ursprüngliche Nachricht-----", ...,
  "Begin forwarded message:", a line of underscores (Outlook);
- an Outlook header block: "From:/Von:/De :/Da:/Van:/De:" followed within five lines by
  "Sent:/Gesendet:/Envoyé :/Inviato:/Verzonden:/Enviado:/Date:/To:..." ;
- the HTML converter's marker for Gmail's and Outlook's quote containers;
- a signature: "-- ", "Sent from my iPhone", "Von meinem iPhone gesendet", ...

Lines quoted with ">" are dropped wherever they are, and so is any line of a mailing footer
("click here to unsubscribe", ...): our own email quoted below a reply never counts. When a
reply is written below the quote (bottom-posting), the unquoted lines after the attribution
line are the reply.
"""

from __future__ import annotations

import re

from workers.core.replies.html import QUOTE_MARKER
from workers.core.replies.prefilter import Prefiltered
from workers.core.replies.tables import alternation, collect

#: Longest body we read (characters); a reply's own text is at the top.
MAX_BODY = 20_000
_LOOKAHEAD = 5
#: An attribution line wrapped over two lines starts with a line shorter than this.
_WRAPPED = 200
#: Header lines (besides the first) that make a block of them the quoted original's header.
_HEADER_LINES = 2
_NOTES_SENDER_LINES = 2
_SENDER_OR_TIME = re.compile(r"@|\b\d{1,2}[:.]\d{2}\b")

_WROTE = alternation(collect("quote", "wrote"), partition="wrote")
#: Possessive runs (``*+``): a line of blanks or dashes must not make the pattern backtrack.
_SEPARATOR = re.compile(
    r"^\s*+(?:[-_=*]\s*+){2,}+(?:"
    + "|".join(collect("quote", "separator"))
    + r")(?:\s*+[-_=*]){2,}+\s*+$|^\s*+(?:"
    + "|".join(collect("quote", "separator"))
    + r")\s*:?\s*$|^\s*_{10,}\s*$",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(
    r"^\s*+\*?\s*+(?:" + "|".join(collect("quote", "header_from")) + r")\s*+\*?\s*+:", re.IGNORECASE
)
_HEADER_SENT = re.compile(
    r"^\s*+\*?\s*+(?:" + "|".join(collect("quote", "header_sent")) + r")\s*+\*?\s*+:", re.IGNORECASE
)
_HEADER_ANY = re.compile(
    r"^\s*+\*?\s*+(?:"
    + "|".join(collect("quote", "header_from") + collect("quote", "header_sent"))
    + r")\s*+\*?\s*+:",
    re.IGNORECASE,
)
_NOTES_SEPARATOR = re.compile(
    r"^\s*-{2,}.{0,200}\b(?:" + "|".join(collect("quote", "verb")) + r")\b.{0,40}-{2,}\s*$",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"^\s*(?:--|—)\s*$|^\s*(?:" + "|".join(collect("quote", "signature")) + r")",
    re.IGNORECASE,
)
#: Footer phrases are lower-case (a test says so): searching lower-cased text case-sensitively
#: is about twice as fast as a case-insensitive search, and this runs on every message.
_FOOTER = Prefiltered(
    re.compile("|".join(f"(?:{p})" for p in collect("footer", "phrases")), re.MULTILINE),
    partition="footer",
)
#: What ``normalise`` replaces (``str.replace`` per character: much faster than
#: ``str.translate`` with a table on long bodies).
_NORMALISE = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u00a0", " "),
    ("\u200b", ""),
    ("\ufeff", ""),
    ("\r", ""),
)


def normalise(text: str) -> str:
    """Straight apostrophes, plain spaces, ``\\n`` line ends."""
    text = text[:MAX_BODY]
    if text.isascii():  # of the characters replaced only "\r" is ASCII
        return text.replace("\r", "") if "\r" in text else text
    for old, new in _NORMALISE:
        if old in text:
            text = text.replace(old, new)
    return text


def _wrote_at(lines: list[str], index: int) -> bool:
    # Every attribution line of the tables ends with ":" (cheap test first: this runs per line).
    line = lines[index].strip()
    if line.endswith(":") and _WROTE.search(line):
        return True
    if index + 1 < len(lines) and len(line) < _WRAPPED:
        following = lines[index + 1].strip()
        return following.endswith(":") and bool(_WROTE.search(f"{line} {following}"))
    return False


def _header_block_at(lines: list[str], index: int) -> bool:
    """A "From:" line with a "Sent:"-like line after it, or three header lines in a row.

    The second form is Lotus Notes' and some mobile clients' ("An:", "Kopie:", "Thema:").
    """
    if not _HEADER_ANY.match(lines[index]):
        return False
    following = lines[index + 1 : index + 1 + _LOOKAHEAD]
    if _HEADER_FROM.match(lines[index]) and any(_HEADER_SENT.match(line) for line in following):
        return True
    return sum(1 for line in following if _HEADER_ANY.match(line)) >= _HEADER_LINES


def _cut_at(lines: list[str], index: int) -> str | None:
    """Why the own text ends at this line ("wrote", "quote", "notes", "signature"), or None."""
    line = lines[index]
    if line.startswith(">"):
        return None
    if line == QUOTE_MARKER or _SEPARATOR.match(line) or _NOTES_SEPARATOR.match(line):
        return "quote"
    if _header_block_at(lines, index):
        return "quote" if _HEADER_FROM.match(line) else "notes"
    if _wrote_at(lines, index):
        return "wrote"
    if _SIGNATURE.match(line):
        return "signature"
    return None


def _keep(line: str) -> bool:
    return not line.lstrip().startswith(">")


def own_text(body: str) -> str:
    """The reply's own new text (see the module docstring)."""
    lines = normalise(body).split("\n")
    text = _own_lines(lines)
    if _FOOTER.search(text.lower()):
        lines = text.split("\n")
        text = "\n".join(line for line in lines if not _FOOTER.search(line.lower())).strip()
    return text


def _own_lines(lines: list[str]) -> str:
    kept: list[str] = []
    for index in range(len(lines)):
        cut = _cut_at(lines, index)
        if cut is None:
            if _keep(lines[index]):
                kept.append(lines[index])
            continue
        if cut == "wrote" and not "".join(kept).strip():
            return _below_quote(lines, index + 1)
        if cut == "notes":
            _drop_sender_lines(kept)
        break
    return "\n".join(kept).strip()


def _drop_sender_lines(kept: list[str]) -> None:
    """Lotus Notes writes the sender and the date above its "An:/Kopie:/Thema:" block."""
    dropped = 0
    while (
        kept
        and dropped < _NOTES_SENDER_LINES
        and (not kept[-1].strip() or _SENDER_OR_TIME.search(kept[-1]))
    ):
        dropped += bool(kept.pop().strip())


def _below_quote(lines: list[str], start: int) -> str:
    """A bottom-posted reply: the unquoted lines after the attribution line."""
    kept: list[str] = []
    for index in range(start, len(lines)):
        if _cut_at(lines, index) is not None:
            break
        if _keep(lines[index]):
            kept.append(lines[index])
    return "\n".join(kept).strip()
