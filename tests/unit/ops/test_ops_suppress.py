"""The do-not-contact list on the command line: input checks and what people read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas import LeadStatusValue, Suppression, SuppressionReason
from tests.unit.ops.factories import T0, campaign, lead
from workers.errors import CliError
from workers.ops.render import show_lines, suppressed_line
from workers.ops.suppress import NOTE_LIMIT, new_suppression, table_lines

AT = datetime(2026, 6, 2, 8, 0, tzinfo=UTC)


def unsubscribed(note: str | None = "please remove me") -> Suppression:
    """The contract's example Suppression of l-7."""
    return Suppression(
        lead_id="l-7", reason=SuppressionReason.UNSUBSCRIBE, event_id="r-9", at=AT, note=note
    )


class TestNewSuppression:
    """``suppress add`` builds a valid Suppression or refuses in one line."""

    def test_manual_by_default(self) -> None:
        """A manual suppression stamped now, with the operator's note and no event."""
        expected = Suppression(
            lead_id="l-7", reason=SuppressionReason.MANUAL, at=T0, note="asked by phone"
        )

        assert expected == new_suppression("l-7", "manual", "asked by phone", T0)

    def test_empty_note_is_none(self) -> None:
        """An empty ``--note`` is no note."""
        assert None is new_suppression("l-7", "bounce", "", T0).note

    @pytest.mark.parametrize(
        ("expected", "lead_id", "reason", "note"),
        [
            ("lead id 'bad id' is not a valid id", "bad id", "manual", None),
            (
                "--reason 'tired' is not one of: unsubscribe, bounce, complaint, manual",
                "l-7",
                "tired",
                None,
            ),
            (f"--note is 1001 characters long: at most {NOTE_LIMIT}", "l-7", "manual", "x" * 1001),
        ],
    )
    def test_refusals(self, expected: str, lead_id: str, reason: str, note: str | None) -> None:
        """A bad id, reason or note is one line (exit 2) naming the problem."""
        with pytest.raises(CliError) as caught:
            new_suppression(lead_id, reason, note, T0)

        assert (True, 2) == (str(caught.value).startswith(expected), caught.value.exit_code)


class TestTable:
    """``suppressions list`` prints one aligned row per suppression."""

    def test_rows(self) -> None:
        """Lead, reason, since, event and note, under a header."""
        manual = Suppression(lead_id="l-10", reason=SuppressionReason.MANUAL, at=T0)

        assert [
            "LEAD  REASON       SINCE                 EVENT  NOTE",
            "l-7   unsubscribe  2026-06-02T08:00:00Z  r-9    please remove me",
            "l-10  manual       2026-06-01T10:00:00Z  -      -",
        ] == table_lines([unsubscribed(), manual])

    def test_long_note_is_cut_on_one_line(self) -> None:
        """A long or multi-line note is shown on one line, cut with an ellipsis."""
        line = table_lines([unsubscribed("stop\n" + "x" * 80)])[1]

        assert line.endswith("stop " + "x" * 34 + "…")


class TestLeadShow:
    """``lead show`` says when a lead's person is suppressed, and why."""

    def test_suppressed_row(self) -> None:
        """The row names the reason, the time, the event, the note and how to lift it."""
        assert (
            'unsubscribe since 2026-06-02T08:00:00Z (event r-9): "please remove me";'
            " no campaign mails l-7 (lift: leadflow suppress remove l-7)"
        ) == suppressed_line(unsubscribed())

    def test_without_event_or_note(self) -> None:
        """A manual suppression has neither."""
        manual = Suppression(lead_id="l-7", reason=SuppressionReason.MANUAL, at=AT)

        assert suppressed_line(manual).startswith("manual since 2026-06-02T08:00:00Z; no campaign")

    def test_in_the_block(self) -> None:
        """The row comes after the stored status rows, only while suppressed."""
        state = lead(LeadStatusValue.STOPPED)
        plain = show_lines(state, campaign(), T0)
        shown = show_lines(state, campaign(), T0, unsubscribed())

        assert [*plain[:-1], f"  suppressed {suppressed_line(unsubscribed())}", plain[-1]] == shown
