"""Sending windows: the next opening, in the window's timezone, across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.unit.core.core_factories import T0, window
from workers.core import next_window_open


def utc(text: str) -> datetime:
    """A UTC instant from ``YYYY-MM-DD HH:MM``."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


class TestNextWindowOpen:
    """next_window_open(window, t): t when inside, else the next opening."""

    def test_no_window_is_always_open(self) -> None:
        """Without a window, any time is a sending time."""
        assert T0 == next_window_open(None, T0)

    @pytest.mark.parametrize(
        ("t", "expected"),
        [
            ("2026-06-01 07:00", "2026-06-01 07:00"),  # Mon 09:00 CEST: start is inside
            ("2026-06-01 12:00", "2026-06-01 12:00"),  # Mon 14:00: inside
            ("2026-06-01 06:59", "2026-06-01 07:00"),  # Mon 08:59: before start
            ("2026-06-01 16:00", "2026-06-02 07:00"),  # Mon 18:00: end is exclusive
            ("2026-06-05 20:00", "2026-06-08 07:00"),  # Fri evening: after the weekend
            ("2026-06-06 12:00", "2026-06-08 07:00"),  # Saturday: closed
            ("2026-05-31 23:30", "2026-06-01 07:00"),  # Mon 01:30 local, Sun in UTC
        ],
    )
    def test_weekday_window_in_paris_summer(self, t: str, expected: str) -> None:
        """A Monday-to-Friday 09:00-18:00 Paris window in summer time (UTC+2)."""
        assert utc(expected) == next_window_open(window("Europe/Paris"), utc(t))

    @pytest.mark.parametrize(
        ("tz", "t", "expected"),
        [
            # Paris springs forward on Sun 29 March 2026 (CET +1 -> CEST +2).
            ("Europe/Paris", "2026-03-26 20:00", "2026-03-27 08:00"),  # Fri 09:00 CET
            ("Europe/Paris", "2026-03-27 17:00", "2026-03-30 07:00"),  # Mon 09:00 CEST
            # Paris falls back on Sun 25 October 2026 (CEST +2 -> CET +1).
            ("Europe/Paris", "2026-10-22 17:00", "2026-10-23 07:00"),  # Fri 09:00 CEST
            ("Europe/Paris", "2026-10-23 19:00", "2026-10-26 08:00"),  # Mon 09:00 CET
            # New York springs forward on Sun 8 March 2026 (EST -5 -> EDT -4).
            ("America/New_York", "2026-03-05 12:00", "2026-03-05 14:00"),  # Thu 09:00 EST
            ("America/New_York", "2026-03-06 23:00", "2026-03-09 13:00"),  # Mon 09:00 EDT
            # New York falls back on Sun 1 November 2026 (EDT -4 -> EST -5).
            ("America/New_York", "2026-10-29 12:00", "2026-10-29 13:00"),  # Thu 09:00 EDT
            ("America/New_York", "2026-10-30 22:00", "2026-11-02 14:00"),  # Mon 09:00 EST
        ],
    )
    def test_opens_at_nine_local_on_both_sides_of_dst(self, tz: str, t: str, expected: str) -> None:
        """The window opens at 09:00 local time before and after a DST change."""
        assert utc(expected) == next_window_open(window(tz), utc(t))

    @pytest.mark.parametrize(
        ("tz", "t", "expected"),
        [
            ("Europe/Paris", "2026-03-28 20:00", "2026-03-29 07:00"),  # change day, CEST
            ("Europe/Paris", "2026-10-24 20:00", "2026-10-25 08:00"),  # change day, CET
            ("America/New_York", "2026-03-07 23:30", "2026-03-08 13:00"),  # change day, EDT
            ("America/New_York", "2026-10-31 23:30", "2026-11-01 14:00"),  # change day, EST
        ],
    )
    def test_opens_at_nine_local_on_the_day_of_the_change(
        self, tz: str, t: str, expected: str
    ) -> None:
        """A daily window opens at 09:00 local on the day the clocks change."""
        assert utc(expected) == next_window_open(window(tz, days="mtwtfss"), utc(t))

    def test_start_in_spring_gap_opens_after_the_gap(self) -> None:
        """02:30 does not exist in Paris on 29 March: the window opens at 03:30 CEST."""
        w = window("Europe/Paris", start="02:30", end="05:00", days="mtwtfss")

        assert utc("2026-03-29 01:30") == next_window_open(w, utc("2026-03-29 00:00"))

    def test_start_in_autumn_overlap_opens_at_first_occurrence(self) -> None:
        """01:30 happens twice in New York on 1 November: the window opens at the first (EDT)."""
        w = window("America/New_York", start="01:30", end="05:00", days="mtwtfss")

        assert utc("2026-11-01 05:30") == next_window_open(w, utc("2026-11-01 04:00"))

    def test_inside_the_repeated_hour_is_inside(self) -> None:
        """An instant in the second 01:xx of a fall-back night is inside a 01:00-05:00 window."""
        w = window("America/New_York", start="01:00", end="05:00", days="mtwtfss")
        second_one_forty = utc("2026-11-01 06:40")  # 01:40 EST

        assert second_one_forty == next_window_open(w, second_one_forty)

    def test_single_day_window_waits_a_week(self) -> None:
        """A Monday-only window seen on Monday evening opens the next Monday."""
        w = window("UTC", days="m------")

        assert utc("2026-06-08 09:00") == next_window_open(w, utc("2026-06-01 18:00"))

    def test_keeps_the_callers_timezone_when_inside(self) -> None:
        """An instant already inside is returned as given."""
        t = datetime.fromisoformat("2026-06-01T12:00:00+02:00")

        assert t is next_window_open(window("Europe/Paris"), t)
