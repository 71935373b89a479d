"""``format_duration``: ISO 8601 text of a duration, the same from its cache as computed."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas._types import format_duration, parse_duration

DURATIONS = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3650))


class TestFormatDuration:
    """The cached text is the text computed afresh, and reads back as the same duration."""

    @settings(max_examples=300, deadline=None)
    @given(durations=st.lists(DURATIONS, min_size=1, max_size=20))
    def test_cached_equals_computed(self, durations: list[timedelta]) -> None:
        """Any durations, repeats included: each text is the uncached function's."""
        computed = [format_duration.__wrapped__(d) for d in durations + durations]

        assert computed == [format_duration(d) for d in durations + durations]

    @settings(max_examples=300, deadline=None)
    @given(duration=DURATIONS)
    def test_round_trip(self, duration: timedelta) -> None:
        """The text parses back to the duration."""
        assert duration == parse_duration(format_duration(duration))

    def test_examples(self) -> None:
        """Days, hours and fractions of a second as the contract writes them."""
        assert ["P7D", "PT12H", "P1DT2H", "PT0.5S", "PT0S"] == [
            format_duration(timedelta(days=7)),
            format_duration(timedelta(hours=12)),
            format_duration(timedelta(days=1, hours=2)),
            format_duration(timedelta(seconds=0.5)),
            format_duration(timedelta(0)),
        ]
