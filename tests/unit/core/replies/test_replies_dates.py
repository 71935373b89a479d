"""Return dates: the first day the writer of an absence notice is back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from workers.core.replies import dates
from workers.core.replies.dates import return_date

#: Monday 14 December 2026, 10:00 in Paris.
DECEMBER = datetime(2026, 12, 14, 10, 0, tzinfo=timezone(timedelta(hours=1)))
#: Wednesday 3 June 2026, 9:00 in New York.
NEW_YORK = datetime(2026, 6, 3, 9, 0, tzinfo=timezone(timedelta(hours=-4)))
#: Monday 14 December 2026, 10:00 in New York.
US_DECEMBER = datetime(2026, 12, 14, 10, 0, tzinfo=timezone(timedelta(hours=-5)))
#: Wednesday 3 June 2026, 9:00 UTC.
JUNE = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)

CASES = [
    # "back on X" is X
    ("back-on", "I will be back on Monday 5 January.", DECEMBER, "en", date(2027, 1, 5)),
    (
        "back-in-office",
        "I'll be back in the office on January 5th.",
        DECEMBER,
        "en",
        date(2027, 1, 5),
    ),
    ("returning", "Returning 7 Jan 2027.", DECEMBER, "en", date(2027, 1, 7)),
    ("de-ab-wieder", "Ab dem 7. Januar bin ich wieder im Büro.", DECEMBER, "de", date(2027, 1, 7)),
    ("de-wieder-ab", "Ich bin wieder ab 7.1. erreichbar.", DECEMBER, "de", date(2027, 1, 7)),
    ("fr-retour", "Je serai de retour le 7 janvier.", DECEMBER, "fr", date(2027, 1, 7)),
    ("es-vuelta", "Estaré de vuelta el 7 de enero.", DECEMBER, "es", date(2027, 1, 7)),
    ("it-rientro", "Rientro in ufficio il 7 gennaio.", DECEMBER, "it", date(2027, 1, 7)),
    ("nl-weer", "Ik ben weer op kantoor op 7 januari.", DECEMBER, "nl", date(2027, 1, 7)),
    ("pt-volta", "Estarei de volta em 7 de janeiro.", DECEMBER, "pt", date(2027, 1, 7)),
    # "until X" means back on X; an inclusive marker makes X the last day away (X + 1)
    ("until", "I am out of the office until 4 January.", DECEMBER, "en", date(2027, 1, 4)),
    ("out-until-numeric", "Out until 05/01.", DECEMBER, "en", date(2027, 1, 5)),
    ("through", "I am out through Monday 4 January.", DECEMBER, "en", date(2027, 1, 5)),
    (
        "de-bis-und-mit",
        "Ich bin bis und mit 3. Januar in den Ferien.",
        DECEMBER,
        "de",
        date(2027, 1, 4),
    ),
    ("nl-tm", "Ik ben t/m 3 januari afwezig.", DECEMBER, "nl", date(2027, 1, 4)),
    ("es-incluido", "Fuera hasta el 6 de enero incluido.", DECEMBER, "es", date(2027, 1, 7)),
    (
        "de-bis",
        "Ich bin bis einschließlich 6. Januar nicht im Büro.",
        DECEMBER,
        "de",
        date(2027, 1, 7),
    ),
    ("fr-jusqu", "Je suis absent jusqu'au 6 janvier inclus.", DECEMBER, "fr", date(2027, 1, 7)),
    ("es-hasta", "Estoy fuera hasta el 6 de enero.", DECEMBER, "es", date(2027, 1, 6)),
    ("it-fino", "Sono in ferie fino al 6 gennaio.", DECEMBER, "it", date(2027, 1, 6)),
    ("nl-tot-en-met", "Ik ben afwezig tot en met 6 januari.", DECEMBER, "nl", date(2027, 1, 7)),
    ("pt-ate", "Estou de férias até 6 de janeiro.", DECEMBER, "pt", date(2027, 1, 6)),
    # ranges: the day after the end
    ("de-range", "Ich bin vom 20.12. bis 06.01. im Urlaub.", DECEMBER, "de", date(2027, 1, 7)),
    ("en-range-dash", "On vacation 21.12.2026 - 06.01.2027.", DECEMBER, "en", date(2027, 1, 7)),
    ("day-range", "Out of office 21-23 December.", DECEMBER, "en", date(2026, 12, 24)),
    # US English reads numeric dates month-first
    ("us-zone", "I am out of the office until 06/10.", NEW_YORK, "en", date(2026, 6, 10)),
    ("us-impossible-day-first", "Back on 6/15.", JUNE, "en", date(2026, 6, 15)),
    ("uk-day-first", "Back on 10/06.", JUNE, "en", date(2026, 6, 10)),
    # several dates: the one attached to return wording wins
    (
        "several",
        "I am away from 20 December and back on 7 January. Sent 14 December.",
        DECEMBER,
        "en",
        date(2027, 1, 7),
    ),
    ("iso", "Back on 2027-01-07.", DECEMBER, "en", date(2027, 1, 7)),
    ("only-future-date", "Vacation. 7 January.", DECEMBER, "en", date(2027, 1, 7)),
    (
        "nl-weer-after",
        "Ik ben afwezig van 21 december en ben maandag 4 januari weer aanwezig.",
        DECEMBER,
        "nl",
        date(2027, 1, 4),
    ),
    (
        "de-wieder-after",
        "Ab 21.12. bin ich im Urlaub, am 4.1. bin ich wieder da.",
        DECEMBER,
        "de",
        date(2027, 1, 4),
    ),
    (
        "en-back-after",
        "Away 21 December to 3 January; 4 January I'll be back.",
        DECEMBER,
        "en",
        date(2027, 1, 4),
    ),
    ("it-in-ufficio", "Sarò in ufficio a partire dal 5 gennaio.", DECEMBER, "it", date(2027, 1, 5)),
    # relative forms, from the message's own date
    ("tomorrow", "I'll be back tomorrow.", DECEMBER, "en", date(2026, 12, 15)),
    ("next-monday", "Back next Monday.", DECEMBER, "en", date(2026, 12, 21)),
    (
        "de-montag",
        "Ich bin am Montag wieder da, bis Freitag nicht im Büro.",
        DECEMBER,
        "de",
        date(2026, 12, 21),
    ),
    ("next-week", "Back next week.", DECEMBER, "en", date(2026, 12, 21)),
    ("until-next-week", "Ich bin bis nächste Woche im Urlaub.", DECEMBER, "de", date(2026, 12, 21)),
    ("two-weeks", "I'm travelling, back in two weeks.", DECEMBER, "en", date(2026, 12, 28)),
    (
        "de-drei-tage",
        "Ich bin in 3 Tagen wieder da, zurück in 3 Tagen.",
        DECEMBER,
        "de",
        date(2026, 12, 17),
    ),
    ("day-of-month", "I am out of the office until the 18th.", DECEMBER, "en", date(2026, 12, 18)),
    ("day-of-month-next-month", "Back on the 5th.", DECEMBER, "en", date(2027, 1, 5)),
    ("day-of-month-impossible", "Back on the 31st.", datetime(2027, 2, 3, tzinfo=UTC), "en", None),
    ("iso-slashes", "Back on 2027/01/07.", DECEMBER, "en", date(2027, 1, 7)),
    ("dashed-month", "Out until 04-Jan-2027.", DECEMBER, "en", date(2027, 1, 4)),
    # no date, or none we can place
    ("none", "I am out of the office with limited access to email.", DECEMBER, "en", None),
    ("two-unattached", "Vacation 7 January, 9 January.", DECEMBER, "en", None),
    ("no-year-no-date", "Back on 7 January.", None, "en", None),
    ("relative-no-date", "Back next Monday.", None, "en", None),
    ("explicit-year", "Back on 7 January 2027.", None, "en", date(2027, 1, 7)),
    ("two-digit-year", "Back on 07.01.27.", None, "de", date(2027, 1, 7)),
    ("impossible", "Back on 31.02.", DECEMBER, "en", None),
    ("paragraph-apart", "Back on\n\n7 January is our party.", DECEMBER, "en", date(2027, 1, 7)),
]


#: Phrasings of real notices (text, message date, language, return date).
PHRASINGS = [
    (
        "Please note I will be on annual leave from Friday 18 December, returning on Monday 4 January.",
        DECEMBER,
        "en",
        date(2027, 1, 4),
    ),
    ("I'm away until the new year.", DECEMBER, "en", None),
    (
        "Ich bin bis zum 6. Januar 2027 (einschließlich) nicht erreichbar.",
        DECEMBER,
        "de",
        date(2027, 1, 7),
    ),
    ("Je suis absent du 21/12 au 04/01 inclus.", DECEMBER, "fr", date(2027, 1, 5)),
    ("Estoy de vacaciones. Vuelvo el 7 de enero.", DECEMBER, "es", date(2027, 1, 7)),
    ("I will be back in the office on the 4th of January.", DECEMBER, "en", date(2027, 1, 4)),
    ("Back Jan. 4.", US_DECEMBER, "en", date(2027, 1, 4)),
    ("I'm out of the office until 1/4.", US_DECEMBER, "en", date(2027, 1, 4)),
    (
        "I am out of the office from 12/21 through 1/3 and will return 1/4.",
        US_DECEMBER,
        "en",
        date(2027, 1, 4),
    ),
    (
        "Out of office 21.12.\u201303.01. Ab 04.01. wieder erreichbar.",
        DECEMBER,
        "de",
        date(2027, 1, 4),
    ),
    (
        "Ich bin in der Zeit vom 21.12.2026 bis 03.01.2027 nicht im Büro.",
        DECEMBER,
        "de",
        date(2027, 1, 4),
    ),
    ("Ich bin bis Ende Dezember nicht im Büro.", DECEMBER, "de", None),
    ("I am on leave until 4 January 2027 inclusive.", DECEMBER, "en", date(2027, 1, 5)),
    ("I'm out until Monday 4th January.", DECEMBER, "en", date(2027, 1, 4)),
    ("I'm on maternity leave, returning in June 2027.", DECEMBER, "en", date(2027, 6, 1)),
    ("Ich bin in KW 2 wieder im Büro.", DECEMBER, "de", date(2027, 1, 11)),
    ("Ik ben in week 2 weer aanwezig.", DECEMBER, "nl", date(2027, 1, 11)),
    ("Je reprendrai mon poste en avril 2027.", DECEMBER, "fr", date(2027, 4, 1)),
    (
        "Fermé du 24 décembre au 1er janvier. Je serai de retour le lundi 11 janvier.",
        DECEMBER,
        "fr",
        date(2027, 1, 11),
    ),
    ("We will get back to you within 24 hours (Monday to Friday).", DECEMBER, "en", None),
    ("Vacation: Dec 21 - Jan 3", US_DECEMBER, "en", date(2027, 1, 4)),
    ("Sarò fuori ufficio fino al 3/1 compreso.", DECEMBER, "it", date(2027, 1, 4)),
    ("Ik ben tot 4 januari afwezig.", DECEMBER, "nl", date(2027, 1, 4)),
    ("Estou fora até 04/01/2027.", DECEMBER, "pt", date(2027, 1, 4)),
    ("Retornarei no dia 4 de janeiro.", DECEMBER, "pt", date(2027, 1, 4)),
    ("Estaré de vuelta el lunes 4 de enero.", DECEMBER, "es", date(2027, 1, 4)),
    ("Je serai de retour lundi.", DECEMBER, "fr", date(2026, 12, 21)),
    ("I'm out today, back tomorrow.", DECEMBER, "en", date(2026, 12, 15)),
    ("Out of office until Wednesday, December 16th.", US_DECEMBER, "en", date(2026, 12, 16)),
    ("I will return to the office on 01/04/2027.", DECEMBER, "en", date(2027, 4, 1)),
]


class TestReturnDate:
    """``return_date(text, sent, language)``."""

    @pytest.mark.parametrize(
        ("text", "sent", "language", "expected"),
        [pytest.param(text, sent, lang, exp, id=name) for name, text, sent, lang, exp in CASES],
    )
    def test_case(
        self, text: str, sent: datetime | None, language: str, expected: date | None
    ) -> None:
        """The return date of each notice follows the documented conventions."""
        assert expected == return_date(text, sent, language)

    @pytest.mark.parametrize(("text", "sent", "language", "expected"), PHRASINGS)
    def test_phrasing(
        self, text: str, sent: datetime, language: str, expected: date | None
    ) -> None:
        """Real phrasings: ranges, weekdays, US numeric dates, "inclusive", relative forms."""
        assert expected == return_date(text, sent, language)

    def test_naive_date_header_is_read_as_utc(self) -> None:
        """A date written without a year rolls forward from a message date before it."""
        assert date(2027, 1, 7) == return_date("Back on 7 January.", DECEMBER, "en")


class TestWeekMonday:
    """A calendar week ("KW 2", "week 2") is read as its Monday, on or after the message."""

    def test_no_message_date_no_week(self) -> None:
        """Without the message's date a week number names no day."""
        assert None is dates._week_monday(2, None)

    def test_week_out_of_range(self) -> None:
        """Week 54 does not exist."""
        assert None is dates._week_monday(54, datetime(2026, 12, 1, tzinfo=UTC))

    def test_week_53_of_years_without_one(self) -> None:
        """Week 53 in mid-2027: neither 2027 nor 2028 has one, so no date."""
        assert None is dates._week_monday(53, datetime(2027, 6, 1, tzinfo=UTC))

    def test_week_of_next_year(self) -> None:
        """Week 2 named in December is next January's."""
        assert date(2027, 1, 11) == dates._week_monday(2, datetime(2026, 12, 1, tzinfo=UTC))
