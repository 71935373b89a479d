"""The reply's own text, apart from the quoted thread and the signature."""

from __future__ import annotations

import pytest

from tests.unit.core.replies.factories import OUTREACH
from workers.core.replies.html import QUOTE_MARKER
from workers.core.replies.split import own_text
from workers.core.replies.tables import collect

QUOTED = "\n".join(f"> {line}" for line in OUTREACH.split("\n"))
ORIGINAL = OUTREACH

STYLES = [
    # attribution lines, every language (Gmail, Apple Mail, Thunderbird)
    ("gmail-en", f"On Mon, Dec 14, 2026 at 9:12 AM Tom <tom@leadflow.test> wrote:\n{QUOTED}"),
    ("apple-en", f"On 14 Dec 2026, at 09:12, Tom <tom@leadflow.test> wrote:\n\n{QUOTED}"),
    ("gmail-de", f"Am Mo., 14. Dez. 2026 um 09:12 Uhr schrieb Tom <tom@leadflow.test>:\n{QUOTED}"),
    ("apple-de", f"Am 14.12.2026 um 09:12 schrieb Tom <tom@leadflow.test>:\n{QUOTED}"),
    ("gmail-fr", f"Le lun. 14 déc. 2026 à 09:12, Tom <tom@leadflow.test> a écrit :\n{QUOTED}"),
    ("gmail-es", f"El lun, 14 dic 2026 a las 9:12, Tom (<tom@leadflow.test>) escribió:\n{QUOTED}"),
    (
        "gmail-it",
        f"Il giorno lun 14 dic 2026 alle ore 09:12 Tom <tom@leadflow.test> ha scritto:\n{QUOTED}",
    ),
    ("gmail-nl", f"Op ma 14 dec 2026 om 09:12 schreef Tom <tom@leadflow.test>:\n{QUOTED}"),
    (
        "gmail-pt",
        f"Em seg., 14 de dez. de 2026 às 09:12, Tom <tom@leadflow.test> escreveu:\n{QUOTED}",
    ),
    (
        "wrapped-en",
        f"On Mon, Dec 14, 2026 at 9:12 AM Tom Sender <tom@leadflow.test>\nwrote:\n{QUOTED}",
    ),
    ("thunderbird", f"Tom Sender <tom@leadflow.test> wrote:\n{QUOTED}"),
    # Outlook separators and header blocks, every language
    ("outlook-original-en", f"-----Original Message-----\nFrom: Tom\nSent: Monday\n{ORIGINAL}"),
    ("outlook-original-de", f"-----Ursprüngliche Nachricht-----\nVon: Tom\n{ORIGINAL}"),
    ("outlook-underscores", f"________________________________\nFrom: Tom\n{ORIGINAL}"),
    (
        "outlook-block-en",
        f"From: Tom <tom@leadflow.test>\nSent: Monday, December 14, 2026 9:12 AM\nTo: Jane\nSubject: Quick\n\n{ORIGINAL}",
    ),
    (
        "outlook-block-de",
        f"Von: Tom <tom@leadflow.test>\nGesendet: Montag, 14. Dezember 2026 09:12\nAn: Jane\nBetreff: Quick\n\n{ORIGINAL}",
    ),
    (
        "outlook-block-fr",
        f"De : Tom <tom@leadflow.test>\nEnvoyé : lundi 14 décembre 2026 09:12\nÀ : Jane\nObjet : Quick\n\n{ORIGINAL}",
    ),
    (
        "outlook-block-es",
        f"De: Tom <tom@leadflow.test>\nEnviado el: lunes, 14 de diciembre de 2026 9:12\nPara: Jane\nAsunto: Quick\n\n{ORIGINAL}",
    ),
    (
        "outlook-block-it",
        f"Da: Tom <tom@leadflow.test>\nInviato: lunedì 14 dicembre 2026 09:12\nA: Jane\nOggetto: Quick\n\n{ORIGINAL}",
    ),
    (
        "outlook-block-nl",
        f"Van: Tom <tom@leadflow.test>\nVerzonden: maandag 14 december 2026 09:12\nAan: Jane\nOnderwerp: Quick\n\n{ORIGINAL}",
    ),
    (
        "outlook-block-pt",
        f"De: Tom <tom@leadflow.test>\nEnviado: segunda-feira, 14 de dezembro de 2026 09:12\nPara: Jane\nAssunto: Quick\n\n{ORIGINAL}",
    ),
    ("outlook-bold-block", f"*From:* Tom <tom@leadflow.test>\n*Sent:* Monday\n{ORIGINAL}"),
    ("forwarded", f"---------- Forwarded message ---------\nFrom: Tom\n{ORIGINAL}"),
    ("notes-separator-en", f'-----"Tom Sender" <tom@leadflow.test> wrote: -----\n{ORIGINAL}'),
    ("notes-separator-de", f"-----Tom Sender <tom@leadflow.test> schrieb: -----\n{ORIGINAL}"),
    (
        "notes-block-de",
        f"Tom Sender <tom@leadflow.test>\n14.12.2026 09:12\n\nAn\t: jane@acme.test\nKopie\t:\nThema\t: Quick question\n\n{ORIGINAL}",
    ),
    ("html-quote-marker", f"{QUOTE_MARKER}\n{ORIGINAL}"),
    # signatures
    ("sig-dashes", "-- \nJane Doe\nUnsubscribe from our newsletter: reply STOP"),
    ("sig-iphone-en", "Sent from my iPhone"),
    ("sig-iphone-de", "Von meinem iPhone gesendet"),
    ("sig-iphone-fr", "Envoyé de mon iPhone"),
    ("sig-iphone-es", "Enviado desde mi iPhone"),
    ("sig-iphone-it", "Inviato da iPhone"),
    ("sig-iphone-nl", "Verzonden vanaf mijn iPhone"),
    ("sig-iphone-pt", "Enviado do meu iPhone"),
    ("sig-outlook-mobile", "Get Outlook for iOS"),
]


class TestOwnText:
    """``own_text`` keeps only the writer's new words."""

    @pytest.mark.parametrize("tail", [pytest.param(tail, id=name) for name, tail in STYLES])
    def test_quote_and_signature_are_cut(self, tail: str) -> None:
        """Everything from the quote or the signature on is dropped."""
        assert "Sounds good, call me Thursday." == own_text(
            f"Sounds good, call me Thursday.\n\n{tail}\nAfter the cut: unsubscribe"
        )

    def test_bottom_posted_reply(self) -> None:
        """A reply written below the quote is the unquoted text after the attribution line."""
        body = f"On Mon, Dec 14, 2026 at 9:12 AM Tom <tom@leadflow.test> wrote:\n{QUOTED}\n\nPlease remove me.\n\n-- \nJane"
        assert "Please remove me." == own_text(body)

    def test_bottom_posted_reply_to_the_end(self) -> None:
        """A bottom-posted reply runs to the end of the body when nothing follows it."""
        body = (
            f"Am 14.12.2026 um 09:12 schrieb Tom <tom@leadflow.test>:\n{QUOTED}\n\nBitte austragen."
        )
        assert "Bitte austragen." == own_text(body)

    def test_inline_quotes_are_dropped(self) -> None:
        """Lines quoted with ">" between the writer's own lines are dropped."""
        assert "Yes.\n\nNo." == own_text("> Are you free?\nYes.\n\n> Is it far?\nNo.")

    @pytest.mark.parametrize(
        "footer",
        [
            "Click here to unsubscribe from these emails.",
            "Wilt u geen e-mails meer ontvangen? Klik hier om u af te melden.",
            "Newsletter abbestellen? Klicken Sie hier, um sich abzumelden.",
            "Pour vous désabonner, cliquez ici.",
            "Haga clic aquí para darse de baja.",
            "Clicca qui per disiscriverti.",
            "Clique aqui para se descadastrar.",
        ],
    )
    def test_footer_lines_are_dropped(self, footer: str) -> None:
        """A mailing footer in the writer's text never counts, in any language."""
        assert "Thanks!" == own_text(f"Thanks!\n{footer}")

    def test_two_header_like_lines_are_kept(self) -> None:
        """Two header-like lines are not yet a quoted header block."""
        assert "To: the board\nDate: Friday\nWe agree." == own_text(
            "To: the board\nDate: Friday\nWe agree."
        )

    def test_header_like_line_alone_is_kept(self) -> None:
        """A "From:" line with no header block after it is the writer's text."""
        assert "From: the team\nWe agree." == own_text("From: the team\nWe agree.")

    def test_curly_apostrophes_and_spaces(self) -> None:
        """Curly apostrophes become straight; non-breaking spaces become spaces."""
        assert "don't email me" == own_text("don\u2019t\u00a0email me\u200b")


class TestTables:
    """The language tables keep the shapes the splitter's fast paths rely on."""

    def test_footer_phrases_are_lower_case(self) -> None:
        """Footer phrases are lower-case: they are searched case-sensitively in lower-cased text."""
        assert [] == [p for p in collect("footer", "phrases") if p != p.lower()]

    def test_attribution_lines_end_with_a_colon(self) -> None:
        """Every attribution-line pattern ends with ":" (lines without one are never searched)."""
        assert [] == [p for p in collect("quote", "wrote") if not p.endswith(":$")]
