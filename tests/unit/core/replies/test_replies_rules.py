"""The decision rules one by one: automation headers, subjects, delivery reports, wording."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from schemas import ReplyKind
from tests.unit.core.replies.factories import dsn, raw_text, reply
from workers.core.replies import Classification, classify_message, classify_parts, detect_language
from workers.core.replies.tables import LANGUAGES, alternation

H, OOO, AUTO, UNSUB, BOUNCE, SOFT = (
    ReplyKind.HUMAN,
    ReplyKind.OUT_OF_OFFICE,
    ReplyKind.AUTO_REPLY,
    ReplyKind.UNSUBSCRIBE,
    ReplyKind.BOUNCE,
    ReplyKind.SOFT_BOUNCE,
)
TICKET = "Thanks, we will look into it."


class TestAutomationHeaders:
    """Automation headers make a message automatic; ``X-Auto-Response-Suppress`` does not."""

    @pytest.mark.parametrize(
        ("headers", "kind", "evidence"),
        [
            ({"Auto-Submitted": "auto-replied"}, AUTO, "header Auto-Submitted: auto-replied"),
            ({"Auto-Submitted": "no"}, H, "no automation signal"),
            ({"X-Autoreply": "yes"}, AUTO, "header x-autoreply"),
            ({"X-Autorespond": "Out of office"}, AUTO, "header x-autorespond"),
            ({"X-Autoreply": "no"}, H, "no automation signal"),
            ({"Precedence": "bulk"}, AUTO, "header precedence: bulk"),
            ({"Precedence": "junk"}, AUTO, "header precedence: junk"),
            ({"X-Precedence": "auto_reply"}, AUTO, "header x-precedence: auto_reply"),
            ({"Precedence": "list"}, H, "no automation signal"),
            (
                {"X-MS-Exchange-Inbox-Rules-Loop": "j@acme.test"},
                AUTO,
                "header X-MS-Exchange-Inbox-Rules-Loop",
            ),
            ({"X-Auto-Response-Suppress": "All"}, H, "no automation signal"),
        ],
    )
    def test_header(self, headers: dict[str, str], kind: ReplyKind, evidence: str) -> None:
        """Each header is read as the RFCs and the mail servers mean it."""
        result = classify_message(reply(TICKET, headers=headers))
        assert (kind, evidence) == (result.kind, result.evidence)

    def test_no_reply_sender(self) -> None:
        """A no-reply sender is automatic."""
        result = classify_message(reply(TICKET, sender="Acme <no-reply@acme.test>"))
        assert (AUTO, "no-reply sender") == (result.kind, result.evidence)


class TestSubjectPrefixes:
    """Automatic subject prefixes, in each language, without any automation header."""

    @pytest.mark.parametrize(
        ("subject", "kind"),
        [
            ("Automatic reply: Quick question", AUTO),
            ("Out of Office: Quick question", OOO),
            ("AutoReply: Quick question", AUTO),
            ("Automatische Antwort: Quick question", AUTO),
            ("Abwesenheitsnotiz: Quick question", OOO),
            ("Réponse automatique : Quick question", AUTO),
            ("Absence : Quick question", OOO),
            ("Respuesta automática: Quick question", AUTO),
            ("Fuera de la oficina: Quick question", OOO),
            ("Risposta automatica: Quick question", AUTO),
            ("Fuori sede: Quick question", OOO),
            ("Automatisch antwoord: Quick question", AUTO),
            ("Afwezig: Quick question", OOO),
            ("Resposta automática: Quick question", AUTO),
            ("Ausente: Quick question", OOO),
            ("Re: Out of office next week?", H),
        ],
    )
    def test_prefix(self, subject: str, kind: ReplyKind) -> None:
        """A subject prefix alone makes the message automatic; "Re:" first means a person."""
        assert kind == classify_message(reply(TICKET, subject=subject)).kind

    def test_automatic_reply_with_absence_wording_is_an_absence(self) -> None:
        """Outlook's "Automatic reply:" with absence wording is an out-of-office notice."""
        result = classify_message(
            reply("I am on vacation and back on 4 January.", subject="Automatic reply: Hi")
        )
        assert (OOO, date(2027, 1, 4)) == (result.kind, result.return_date)


class TestDeliveryReports:
    """Delivery status notifications and bounces without one."""

    @pytest.mark.parametrize(
        ("statuses", "kind", "evidence"),
        [
            ([("5.1.1", "failed")], BOUNCE, "delivery report Status 5.1.1"),
            ([("4.2.2", "delayed"), ("5.7.1", "failed")], BOUNCE, "delivery report Status 5.7.1"),
            ([("4.4.1", "delayed")], SOFT, "delivery report Status 4.4.1"),
            ([("5.2.2", "failed")], SOFT, "delivery report Status 5.2.2"),
            ([("", "failed")], BOUNCE, "delivery report Action: failed"),
            ([("", "delayed")], SOFT, "delivery report Action: delayed"),
            ([("2.0.0", "delivered")], AUTO, "delivery report: delivered"),
        ],
    )
    def test_dsn(self, statuses: list[tuple[str, str]], kind: ReplyKind, evidence: str) -> None:
        """Status codes decide; x.2.2 (mailbox full) is soft; actions decide without codes."""
        result = classify_message(dsn(statuses))
        assert (kind, evidence) == (result.kind, result.evidence)

    def test_dsn_without_fields_reads_the_text(self) -> None:
        """A delivery report with no usable field is read by its text."""
        raw = dsn(
            [("", "unknown")], text="Your message could not be delivered: 550 5.1.1 user unknown"
        )
        assert BOUNCE == classify_message(raw).kind

    @pytest.mark.parametrize(
        ("sender", "subject", "body", "kind"),
        [
            (
                "postmaster@acme.test",
                "Returned mail",
                "421 4.4.2 connection dropped, will retry",
                SOFT,
            ),
            (
                "postmaster@acme.test",
                "Returned mail",
                "550 Requested action not taken: mailbox unavailable",
                BOUNCE,
            ),
            ("postmaster@acme.test", "Returned mail", "452 Insufficient system storage", SOFT),
            ("postmaster@acme.test", "Returned mail", "550 mailbox full, try again later", SOFT),
            ("postmaster@acme.test", "Delivery delayed", "Your message is delayed.", SOFT),
            ("postmaster@acme.test", "Undeliverable: hi", "Sorry.", BOUNCE),
            ("postmaster@acme.test", "Hello", "The recipient mailbox does not exist.", BOUNCE),
            ("postmaster@acme.test", "Hello", "Please update your contact details.", AUTO),
            (
                "Mail Delivery System <MAILER-DAEMON@mx.test>",
                "Delivery Status Notification (Success)",
                "Your message was delivered.",
                AUTO,
            ),
            (
                "Jane <jane@acme.test>",
                "Undeliverable: hi",
                "Remote server said 550 5.1.1 user unknown",
                BOUNCE,
            ),
            (
                "Jane <jane@acme.test>",
                "Undeliverable: hi",
                "Did you get my parcel? It could not be delivered.",
                H,
            ),
            ("Jane <jane@acme.test>", "Re: Undeliverable: hi", "550 5.1.1? Your mail bounced.", H),
            ("Jane <jane@acme.test>", "Unzustellbar", "Ihre Nachricht wurde nicht zugestellt.", H),
            ("Jane <jane@acme.test>", "Great news", "Version 5.1.1 is out, 550 users love it", H),
            (
                "MAILER-DAEMON@acme.test",
                "Mail delivery report",
                "Status 2.0.0 queued 550 5.1.1 unknown",
                BOUNCE,
            ),
        ],
    )
    def test_without_dsn(self, sender: str, subject: str, body: str, kind: ReplyKind) -> None:
        """A mail system's sender, a bounce subject and SMTP codes or wording are needed."""
        assert kind == classify_message(reply(body, sender=sender, subject=subject)).kind

    def test_null_return_path_with_bounce_subject(self) -> None:
        """A null envelope sender under a bounce subject is a mail system."""
        raw = raw_text(
            "Return-Path: <>\nFrom: Acme Mail <mail@acme.test>\nSubject: Non remis : hi",
            "Le destinataire est introuvable.\n",
        )
        assert BOUNCE == classify_message(raw).kind


class TestUnsubscribeSubject:
    """A new message's subject can be the request (a List-Unsubscribe mailto)."""

    @pytest.mark.parametrize(
        ("subject", "body", "kind"),
        [
            ("unsubscribe", "", UNSUB),
            ("Unsubscribe", "This message was automatically generated by Gmail.", UNSUB),
            ("Please remove me from your list", "", UNSUB),
            ("Re: unsubscribe", "", H),
            ("Quick question", "", H),
        ],
    )
    def test_subject(self, subject: str, body: str, kind: ReplyKind) -> None:
        """A new message's subject counts, never a reply's ("Re: ..." is our subject)."""
        assert kind == classify_parts(subject, body, None, None).kind


class TestWording:
    """Messages without automation signals, read by their words."""

    @pytest.mark.parametrize(
        ("body", "kind"),
        [
            ("I have left the company. Please contact sales@acme.test.", AUTO),
            ("Jane is no longer with Acme; please write to Sam.", AUTO),
            ("This is an automated response. Your request has been received.", AUTO),
            ("We will get back to you within 24 hours.", H),
            ("Ich bin bis 7.1. nicht im Büro.", OOO),
            ("Ich bin nicht im Büro.", H),
            ("I'm out of office next week, let's talk after.", H),
            ("I'm on vacation. Please stop by our booth when I'm back!", H),
            ("We should stop sending invoices by post.", H),
            ("stop!", UNSUB),
            ("Baja", UNSUB),
            ("I don't want to unsubscribe, just send fewer emails.", H),
            ("No need to unsubscribe me, I'm interested!", H),
            ("Ich möchte mich nicht abmelden, nur weniger Mails.", H),
            ("Je ne veux pas me désabonner, envoyez-moi la suite.", H),
            ("No quiero darme de baja, me interesa.", H),
            ("Non voglio disiscrivermi, anzi.", H),
            ("Ik wil me niet afmelden hoor.", H),
            ("Não quero me descadastrar, obrigado.", H),
            ("I don't want to unsubscribe. Please remove me from this list.", UNSUB),
            ("Sair.\n\nAna", UNSUB),
            ("Stop.\n\nJane Doe\nCEO, Acme", UNSUB),
            ("Stop sending me these emails.", UNSUB),
            ("", H),
        ],
    )
    def test_wording(self, body: str, kind: ReplyKind) -> None:
        """Template-like wording decides; a person's mention of absence or stopping does not."""
        assert kind == classify_message(reply(body, subject="Re: Quick question")).kind


class TestEvidence:
    """The evidence quotes a few words of the reply at most."""

    def test_long_phrase_is_cut(self) -> None:
        """A long matched phrase is cut to 40 characters."""
        body = "I will respond to your many important and pressing messages when I return."
        result = classify_message(reply(body, headers={"Auto-Submitted": "auto-replied"}))
        quoted = result.evidence.split('"')[1]
        assert (40, True) == (len(quoted), quoted.endswith("…"))


class TestClassifyParts:
    """``classify_parts`` classifies a v1 event without a raw message."""

    def test_v1_event(self) -> None:
        """Subject, body, headers and date are read as from a raw message."""
        result = classify_parts(
            "Automatic reply: hi",
            "I am out of the office until 4 January.",
            {"Auto-Submitted": "auto-replied"},
            datetime(2026, 12, 14, 10, 0, tzinfo=UTC),
        )
        assert (
            Classification(
                OOO,
                date(2027, 1, 4),
                "en",
                'header Auto-Submitted: auto-replied; absence wording "out of the office"',
            )
            == result
        )

    def test_json(self) -> None:
        """The CLI's JSON object has the contract's four fields."""
        result = classify_parts("Re: hi", "Bitte austragen", None, None)
        assert {
            "kind": "unsubscribe",
            "return_date": None,
            "language": "de",
            "evidence": 'unsubscribe wording "austragen"',
        } == result.as_json()

    def test_json_with_date(self) -> None:
        """A return date is printed as YYYY-MM-DD."""
        result = classify_parts("Out of office", "Back on 7 January 2027.", None, None)
        assert "2027-01-07" == result.as_json()["return_date"]


class TestDetectLanguage:
    """``detect_language``: a stopword score over the tables."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Thank you for your email, I am out of the office.", "en"),
            ("Vielen Dank für Ihre Nachricht, ich bin nicht im Büro.", "de"),
            ("Merci pour votre message, je suis absent.", "fr"),
            ("Gracias por su mensaje, estoy fuera de la oficina.", "es"),
            ("Grazie per il messaggio, sono fuori sede.", "it"),
            ("Bedankt voor uw bericht, ik ben afwezig.", "nl"),
            ("Obrigado pela sua mensagem, estou fora do escritório.", "pt"),
            ("12345 !!!", ""),
        ],
    )
    def test_language(self, text: str, expected: str) -> None:
        """Each language is recognised by its frequent words."""
        assert expected == detect_language(text)

    @pytest.mark.parametrize(
        ("body", "expected"),
        [("Cancellatemi.", "it"), ("Descadastrar", "pt"), ("Uitschrijven!", "nl")],
    )
    def test_request_without_stopwords_takes_its_words_language(
        self, body: str, expected: str
    ) -> None:
        """An unsubscribe request with no stopword is in the language of its own words."""
        assert expected == classify_parts("Re: Quick question", body, None, None).language

    def test_no_words_falls_back_to_the_subject_then_english(self) -> None:
        """A reply without words takes its subject's language, else English."""
        assert ("de", "en") == (
            classify_parts("Abwesenheitsnotiz: mit Ihnen", "", None, None).language,
            classify_parts("", "", None, None).language,
        )


class TestTables:
    """The language data files: adding a language is adding a file."""

    def test_seven_languages(self) -> None:
        """en, de, fr, es, it, nl and pt are shipped, English first."""
        assert ["en", "de", "es", "fr", "it", "nl", "pt"] == [lang.code for lang in LANGUAGES]

    @pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
    def test_complete(self, lang: object) -> None:
        """Every table names all twelve months and seven weekdays and has stopwords."""
        table = lang.raw  # type: ignore[attr-defined]
        assert (set(range(1, 13)), set(range(7)), True) == (
            set(table["months"].values()),
            set(table["weekdays"].values()),
            len(table["stopwords"]) >= 20,
        )

    def test_empty_category_never_matches(self) -> None:
        """A category a language leaves empty matches nothing."""
        assert alternation([]).search("anything at all") is None
