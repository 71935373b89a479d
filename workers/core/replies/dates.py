"""The return date of an absence notice: the first day its writer is back.

Conventions (see docs/architecture.md, "Reply understanding"):

- "back on X" / "wieder ab X" / "de retour le X" / "de vuelta el X" / "rientro il X" /
  "weer op X" / "de volta em X": the return date is X;
- "until X" / "bis X" / "jusqu'au X" / "hasta el X" / "fino al X" / "tot X" / "até X": X too
  (the day named is the day back: "out until 05/01" = "back on 5 January");
- an inclusive marker ("through X", "X inclusive", "bis einschließlich X", "bis und mit X",
  "jusqu'au X inclus", "hasta el X incluido", "fino al X compreso", "t/m X", "até X, inclusive")
  makes X the last day away: X + 1; a range "from X to Y" / "20.12. - 06.01.": Y + 1 day;
- a month alone ("returning in June 2027"): its first day; a calendar week ("KW 2", "week 2"):
  its Monday;
- "back tomorrow", "back (next) Monday", "back in two weeks", "back next week" (its Monday,
  also after "until"): relative to the message's own
  ``Date`` (no ``Date``: no return date); a weekday is its first occurrence after that date;
- a date without a year takes the message's year, and the next one when it falls before the
  message's date (a December notice saying "back 5 January" means January next year);
- numeric dates are day-first, except in US English: English text with a US cue (a month-name
  date written month-first, a ``Date`` zone between UTC-10 and UTC-4, or a numeric date that
  only reads month-first);
- of several dates, the one attached to return wording wins, then "until" wording, then the end
  of a range; an unattached date counts only when it is the only one after the message's date.

Only the reply's own text is read, so dates in the quoted thread and its "Sent:" block never count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from workers.core.replies.prefilter import Prefiltered
from workers.core.replies.tables import LANGUAGES, collect

_FILLER = 28
_ANCHOR_WINDOW = 80


def _merged(section: str) -> dict[str, int]:
    merged: dict[str, int] = {}
    for lang in LANGUAGES:
        for name, value in lang.raw[section].items():
            merged.setdefault(name.lower(), value)
    return merged


def _names(table: dict[str, int], shortest: int = 1) -> str:
    names = sorted((n for n in table if len(n) >= shortest), key=len, reverse=True)
    return "|".join(re.escape(n) for n in names)


_MONTHS = _merged("months")
_WEEKDAYS = _merged("weekdays")
_NUMBERS = _merged("numbers")
_MONTH = rf"(?P<mon>{_names(_MONTHS)})\.?(?!\w)"
_FLAGS = re.IGNORECASE


def _prefiltered(pattern: str, flags: int = 0) -> Prefiltered:
    """A pattern searched over whole texts, run only where one of its words can be."""
    return Prefiltered(re.compile(pattern, flags), partition="dates")


_ISO = _prefiltered(r"(?<!\d)(?P<y>\d{4})([-/.])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?!\d)")
_DMY = _prefiltered(
    r"(?<![\d.])(?P<d>\d{1,2})(?:st|nd|rd|th|er|e|º|°|\.)?(?:-|\s*)(?:of\s+|de\s+)?"
    + _MONTH
    + r"(?:[,\s-]*(?:de\s+)?(?P<y>\d{4}))?",
    _FLAGS,
)
_MDY = _prefiltered(
    r"(?<!\w)" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\d:])(?:,?\s*(?P<y>\d{4}))?",
    _FLAGS,
)
_NUMERIC = _prefiltered(
    r"(?<![\d./:-])(?P<a>\d{1,2})[./-](?P<b>\d{1,2})(?:[./-](?P<c>\d{4}|\d{2}))?\.?(?![\d/:-]|\.\d)"
)
_RELATIVE = _prefiltered(
    rf"(?P<next_week>{'|'.join(collect('dates', 'next_week'))})(?!\w)"
    rf"|(?P<tomorrow>{'|'.join(collect('dates', 'tomorrow'))})(?!\w)"
    rf"|(?:{'|'.join(collect('dates', 'in'))})\s+(?P<n>\d{{1,2}}|{_names(_NUMBERS)})\s+"
    rf"(?:(?P<weeks>{'|'.join(collect('dates', 'weeks'))})"
    rf"|(?P<days>{'|'.join(collect('dates', 'days'))}))(?!\w)"
    rf"|(?<!\w)(?P<wd>{_names(_WEEKDAYS, 3)})(?!\w)"
    r"|(?<![\w.])(?:the\s+)?(?P<dom>\d{1,2})(?:st|nd|rd|th)(?!\w)",
    _FLAGS,
)
_BACK = _prefiltered("|".join(f"(?:{p})" for p in collect("dates", "back")), _FLAGS)
_BACK_AFTER = re.compile("|".join(f"(?:{p})" for p in collect("dates", "back_after")), _FLAGS)
_UNTIL = _prefiltered("|".join(f"(?:{p})" for p in collect("dates", "until")), _FLAGS)
_THROUGH = _prefiltered("|".join(f"(?:{p})" for p in collect("dates", "through")), _FLAGS)
#: A marker right after an "until" date that makes it the last day away ("until 6 January
#: inclusive", "jusqu'au 3 janvier inclus", "fino al 6 gennaio compreso").
_INCLUSIVE_AFTER = re.compile(
    r"^[\s,(]{0,3}(?:" + "|".join(collect("dates", "inclusive_after")) + r")(?!\w)", _FLAGS
)
_MONTH_YEAR = _prefiltered(
    r"(?<!\w)" + _MONTH + r"[,\s]+(?:de\s+|of\s+)?(?P<y>\d{4})(?!\d)", _FLAGS
)
_WEEK = _prefiltered(
    r"(?<!\w)(?:" + "|".join(collect("dates", "week_number")) + r")\.?\s*(?P<w>\d{1,2})(?![\d.])",
    _FLAGS,
)
_ISO_WEEKS = 53
#: Wording after a date belongs to it only within its sentence.
_SENTENCE_END = re.compile(r"\s*+[.!?;]\s")
_NEW_SENTENCE = re.compile(r"\s++[A-ZÀ-Þ]")


def _ends_sentence(text: str, end: int) -> bool:
    """Whether the sentence ends right after the date ending at ``end`` ("... 1er janvier. Je")."""
    if _SENTENCE_END.match(text, end):
        return True
    return text[end - 1 : end] == "." and _NEW_SENTENCE.match(text, end) is not None


_RANGE_TO = re.compile(
    r"\s*+(?:" + "|".join(re.escape(p) for p in collect("dates", "range_to")) + r")\s*+", _FLAGS
)
_DAY_RANGE = re.compile(
    r"(?<![\d.])\d{1,2}\.?\s*(?:"
    + "|".join(re.escape(p) for p in collect("dates", "range_to"))
    + r")\s*$",
    _FLAGS,
)
_US_ZONE = (-10 * 3600, -4 * 3600)
_MONTHS_IN_YEAR = 12
_CENTURY = 2000

BACK, UNTIL, THROUGH, RANGE_END, NONE = "back", "until", "through", "range_end", "none"


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    day: date | None
    #: The day is the return day whatever the wording ("until next week" means back then).
    fixed: bool = False


def return_date(
    text: str, sent: datetime | None, language: str, *, anchored: bool = False
) -> date | None:
    """The first day the writer of ``text`` (an absence notice) is back, or None.

    ``anchored``: only a date attached to return, "until" or range wording counts (an
    unattached date does not make an automatic answer an absence notice).
    """
    us = language == "en" and _is_us(text, sent)
    found = _absolute(text, sent, us)
    picked = _pick(text, found, sent, allow_unanchored=not anchored)
    if picked is not None:
        return picked
    if sent is None:
        return None
    # "Monday to Friday" names office hours, not an absence: relative days need return wording.
    return _pick(text, _relative(text, sent), sent, allow_unanchored=False, ranges=False)


def _is_us(text: str, sent: datetime | None) -> bool:
    if _MDY.search(text) and not _DMY.search(text):
        return True
    offset = sent.utcoffset() if sent is not None else None
    if offset is not None and _US_ZONE[0] <= offset.total_seconds() <= _US_ZONE[1]:
        return True
    return any(
        int(m.group("b")) > _MONTHS_IN_YEAR >= int(m.group("a")) for m in _NUMERIC.finditer(text)
    )


def _year(day: int, month: int, year: str | None, sent: datetime | None) -> date | None:
    if year:
        full = int(year) + (_CENTURY if int(year) < _CENTURY else 0)
        return _safe(full, month, day)
    if sent is None:
        return None
    candidate = _safe(sent.year, month, day)
    if candidate is not None and candidate < sent.date():
        return _safe(sent.year + 1, month, day)
    return candidate


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _absolute(text: str, sent: datetime | None, us: bool) -> list[_Found]:
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match[str], day: date | None) -> None:
        span = match.span()
        if any(span[0] < end and start < span[1] for start, end in taken):
            return
        taken.append(span)
        found.append(_Found(span[0], span[1], day))

    for match in _ISO.finditer(text):
        add(match, _safe(int(match["y"]), int(match["m"]), int(match["d"])))
    for match in _DMY.finditer(text):
        add(match, _year(int(match["d"]), _MONTHS[match["mon"].lower()], match["y"], sent))
    for match in _MDY.finditer(text):
        add(match, _year(int(match["d"]), _MONTHS[match["mon"].lower()], match["y"], sent))
    for match in _NUMERIC.finditer(text):
        add(match, _numeric(match, sent, us))
    for match in _MONTH_YEAR.finditer(text):
        # "returning in June 2027": the first day of that month.
        add(match, _safe(int(match["y"]), _MONTHS[match["mon"].lower()], 1))
    for match in _WEEK.finditer(text):
        add(match, _week_monday(int(match["w"]), sent))
    found.sort(key=lambda item: item.start)
    return found


def _numeric(match: re.Match[str], sent: datetime | None, us: bool) -> date | None:
    first, second = int(match["a"]), int(match["b"])
    day, month = (second, first) if us else (first, second)
    if month > _MONTHS_IN_YEAR:
        day, month = month, day
    return _year(day, month, match["c"], sent)


def _week_monday(week: int, sent: datetime | None) -> date | None:
    """The Monday of ISO week ``week`` ("in KW 2 wieder im Büro"), on or after the message date."""
    if sent is None or not 1 <= week <= _ISO_WEEKS:
        return None
    for year in (sent.year, sent.year + 1):
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            continue
        if monday + timedelta(days=6) >= sent.date():
            return monday
    return None


def _relative(text: str, sent: datetime) -> list[_Found]:
    today = sent.date()
    return [
        _Found(match.start(), match.end(), _relative_day(match, today), bool(match["next_week"]))
        for match in _RELATIVE.finditer(text)
    ]


def _relative_day(match: re.Match[str], today: date) -> date | None:
    """The day a relative form names, counted from ``today`` (the message's date)."""
    if match["next_week"]:
        return today + timedelta(days=7 - today.weekday())
    if match["tomorrow"]:
        return today + timedelta(days=1)
    if match["wd"]:
        ahead = (_WEEKDAYS[match["wd"].lower()] - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)
    if match["dom"]:
        # "back on the 5th": the next 5th after the message's date.
        day = int(match["dom"])
        month_ahead = today.replace(day=1) + timedelta(days=32)
        if day > today.day:
            return _safe(today.year, today.month, day)
        return _safe(month_ahead.year, month_ahead.month, day)
    count = _NUMBERS.get(match["n"].lower()) or int(match["n"])
    return today + timedelta(weeks=count) if match["weeks"] else today + timedelta(count)


def _anchor(text: str, start: int, end: int) -> str:
    """BACK, UNTIL or THROUGH from the wording just before the date, else BACK from the
    wording after it. "until X" means back on X; "through X" / "until X inclusive" means X is
    the last day away.
    """
    low = max(0, start - _ANCHOR_WINDOW)
    best, best_end = NONE, -1
    for kind, pattern in ((UNTIL, _UNTIL), (THROUGH, _THROUGH), (BACK, _BACK)):
        for match in pattern.finditer(text, low, min(len(text), start + 40)):
            found_end = match.end()
            if found_end <= start and start - found_end <= _FILLER and found_end >= best_end:
                best, best_end = kind, found_end
    if best != NONE and "\n\n" in text[best_end:start]:
        best = NONE
    after = text[end : end + _FILLER + 12]
    if best == UNTIL and _INCLUSIVE_AFTER.match(after):
        return THROUGH
    if best == NONE and not _ends_sentence(text, end) and _BACK_AFTER.match(after):
        return BACK
    return best


def _kinds(text: str, found: list[_Found]) -> list[str]:
    kinds = [_anchor(text, item.start, item.end) for item in found]
    for index, item in enumerate(found):
        if kinds[index] not in (NONE, UNTIL, THROUGH):
            continue
        before = text[max(0, item.start - 12) : item.start]
        joined = index > 0 and _RANGE_TO.fullmatch(text[found[index - 1].end : item.start])
        if joined or (kinds[index] == NONE and _DAY_RANGE.search(before)):
            # "from 20.12. to 06.01.", "vom 20.12. bis 06.01.": both ends are days away.
            kinds[index] = RANGE_END
    return kinds


def _pick(
    text: str,
    found: list[_Found],
    sent: datetime | None,
    *,
    allow_unanchored: bool = True,
    ranges: bool = True,
) -> date | None:
    usable = [item for item in found if item.day is not None]
    kinds = _kinds(text, usable)
    shifts = {UNTIL: 0, THROUGH: 1, RANGE_END: 1}
    order = ((BACK,), (UNTIL, THROUGH), (RANGE_END,)) if ranges else ((BACK,), (UNTIL, THROUGH))
    for wanted in order:
        for item, kind in zip(usable, kinds, strict=True):
            if kind in wanted and item.day is not None:
                return item.day + timedelta(days=0 if item.fixed else shifts.get(kind, 0))
    if not allow_unanchored:
        return None
    future = {item.day for item in usable if sent is None or (item.day and item.day > sent.date())}
    return future.pop() if len(future) == 1 else None
