"""Sending-window arithmetic, timezone- and DST-correct.

A window is a set of weekdays and a ``[start, end)`` wall-clock range in an IANA
timezone. Wall times are turned into instants with ``fold=0``: a start that does
not exist on a spring-forward day (02:30 in Paris) lands at the same distance
after the gap (03:30 local), and one that happens twice on a fall-back day takes
the first occurrence. All comparisons are made in UTC: Python compares two
datetimes sharing a tzinfo by wall time, ignoring ``fold``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from schemas import SendingWindow, Weekday

_WEEKDAYS = tuple(Weekday)  # date.weekday(): 0 is Monday


def _instant(day: date, wall: time, window: SendingWindow) -> datetime:
    return datetime.combine(day, wall, tzinfo=window.tz).astimezone(UTC)


def next_window_open(window: SendingWindow | None, t: datetime) -> datetime:
    """The first instant at or after ``t`` inside ``window``.

    ``t`` itself when it is inside the window, or when there is no window.
    """
    if window is None:
        return t
    t_utc = t.astimezone(UTC)
    today = t.astimezone(window.tz).date()
    for offset in range(8):
        day = today + timedelta(days=offset)
        if _WEEKDAYS[day.weekday()] not in window.days:
            continue
        start = _instant(day, window.start, window)
        if t_utc < start:
            return start
        if t_utc < _instant(day, window.end, window):
            return t
    raise AssertionError("unreachable: a window has at least one day")  # pragma: no cover


def in_window(window: SendingWindow | None, t: datetime) -> bool:
    """True when ``t`` is inside ``window`` (always, without a window)."""
    return next_window_open(window, t) == t
