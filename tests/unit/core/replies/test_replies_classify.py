"""The classifier on realistic messages: each class, each language, the hard cases."""

from __future__ import annotations

from datetime import date

import pytest

from schemas import ReplyKind
from tests.unit.core.replies.factories import dsn, quoted_original, raw_text, reply
from workers.core.replies import classify_message

H, OOO, AUTO, UNSUB, BOUNCE, SOFT = (
    ReplyKind.HUMAN,
    ReplyKind.OUT_OF_OFFICE,
    ReplyKind.AUTO_REPLY,
    ReplyKind.UNSUBSCRIBE,
    ReplyKind.BOUNCE,
    ReplyKind.SOFT_BOUNCE,
)
AUTO_REPLIED = {"Auto-Submitted": "auto-replied"}
EXCHANGE_OOF = {"Auto-Submitted": "auto-generated", "X-MS-Exchange-Inbox-Rules-Loop": "j@acme.test"}

# (id, raw message, kind, return date, language)
CASES: list[tuple[str, bytes, ReplyKind, date | None, str]] = [
    # --- human replies, including the ones that mention absence or removing something -------
    (
        "en-human",
        reply("Sounds good, Tuesday at 3pm works.\n\n" + quoted_original()),
        H,
        None,
        "en",
    ),
    (
        "en-human-out-next-week",
        reply("I'm out next week, call me after the 12th.\n\nJane\n\n" + quoted_original()),
        H,
        None,
        "en",
    ),
    (
        "en-human-remove-paragraph",
        reply("Can you remove the second paragraph and resend? Then I'll forward it.\n"),
        H,
        None,
        "en",
    ),
    ("en-human-booth", reply("Please stop by our booth at SaaStr, we are at B12!"), H, None, "en"),
    (
        "en-human-take-me-through",
        reply("Interesting - please take me through it on a call."),
        H,
        None,
        "en",
    ),
    (
        "en-human-outlook-quote-footer",
        reply("Happy to chat. How about Thursday?\n\n" + quoted_original("outlook")),
        H,
        None,
        "en",
    ),
    ("en-human-not-interested", reply("Not interested at the moment, thanks."), H, None, "en"),
    (
        "de-human",
        reply(
            "Hallo Tom,\n\ndas klingt interessant. Können wir am Donnerstag telefonieren?\n\nViele Grüße\nJana"
        ),
        H,
        None,
        "de",
    ),
    (
        "fr-human",
        reply(
            "Bonjour,\n\nmerci pour votre message, je suis intéressée. Pouvez-vous m'envoyer une proposition ?\n"
        ),
        H,
        None,
        "fr",
    ),
    (
        "es-human",
        reply("Hola Tom, gracias por el correo. ¿Podemos hablar el jueves por la tarde?"),
        H,
        None,
        "es",
    ),
    (
        "it-human",
        reply("Buongiorno, grazie per il messaggio. Possiamo sentirci giovedì?"),
        H,
        None,
        "it",
    ),
    (
        "nl-human",
        reply("Hoi Tom, bedankt voor je bericht. Kunnen we donderdag bellen?"),
        H,
        None,
        "nl",
    ),
    (
        "pt-human",
        reply("Olá Tom, obrigado pela mensagem. Podemos conversar na quinta-feira?"),
        H,
        None,
        "pt",
    ),
    # --- unsubscribe requests, each language -------------------------------------------------
    (
        "en-unsub-remove",
        reply("Please remove me from your list.\n\n" + quoted_original()),
        UNSUB,
        None,
        "en",
    ),
    ("en-unsub-take-off", reply("Take me off your mailing list."), UNSUB, None, "en"),
    ("en-unsub-dont-email", reply("Not interested, don't email me again."), UNSUB, None, "en"),
    ("en-unsub-stop", reply("STOP"), UNSUB, None, "en"),
    ("en-unsub-word", reply("unsubscribe\n\n" + quoted_original("outlook")), UNSUB, None, "en"),
    ("de-unsub", reply("Bitte austragen.\n\nMit freundlichen Grüßen"), UNSUB, None, "de"),
    (
        "de-unsub-keine",
        reply("Ich möchte keine weiteren E-Mails von Ihnen erhalten."),
        UNSUB,
        None,
        "de",
    ),
    ("fr-unsub", reply("Désabonnez-moi s'il vous plaît."), UNSUB, None, "fr"),
    (
        "fr-unsub-ne-plus",
        reply("Je ne souhaite plus recevoir vos messages. Merci de ne plus me contacter."),
        UNSUB,
        None,
        "fr",
    ),
    ("es-unsub", reply("Por favor, darme de baja de su lista."), UNSUB, None, "es"),
    ("es-unsub-no-escribas", reply("No me escribas más, gracias."), UNSUB, None, "es"),
    ("it-unsub", reply("Cancellatemi dalla vostra lista, grazie."), UNSUB, None, "it"),
    ("it-unsub-non-contattatemi", reply("Non contattatemi più."), UNSUB, None, "it"),
    ("nl-unsub", reply("Graag uitschrijven, dank u."), UNSUB, None, "nl"),
    ("nl-unsub-afmelden", reply("Ik wil me afmelden voor deze e-mails."), UNSUB, None, "nl"),
    ("pt-unsub", reply("Por favor, descadastrar meu e-mail."), UNSUB, None, "pt"),
    ("pt-unsub-nao-quero", reply("Não quero receber mais e-mails de vocês."), UNSUB, None, "pt"),
    # --- out of office, each language, with the return date ---------------------------------
    (
        "en-ooo-outlook",
        reply(
            "Thank you for your email. I am out of the office until Monday 4 January with limited "
            "access to email. For urgent matters please contact Sam Lee.",
            subject="Automatic reply: Quick question",
            headers=EXCHANGE_OOF,
        ),
        OOO,
        date(2027, 1, 4),
        "en",
    ),
    (
        "en-ooo-back-on",
        reply(
            "I'm currently on annual leave and will be back on Monday 5 January.",
            subject="Out of Office",
            headers=AUTO_REPLIED,
        ),
        OOO,
        date(2027, 1, 5),
        "en",
    ),
    (
        "de-ooo",
        reply(
            "Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich 6. Januar nicht im Büro und "
            "ab dem 7. Januar wieder im Büro. In dringenden Fällen wenden Sie sich bitte an Frau Meier.",
            subject="Abwesenheitsnotiz: Quick question",
            headers=AUTO_REPLIED,
        ),
        OOO,
        date(2027, 1, 7),
        "de",
    ),
    (
        "fr-ooo",
        reply(
            "Bonjour, je suis absente du bureau et serai de retour le 7 janvier. "
            "Pour toute urgence, veuillez contacter mon collègue.",
            subject="Réponse automatique : Quick question",
            headers=AUTO_REPLIED,
        ),
        OOO,
        date(2027, 1, 7),
        "fr",
    ),
    (
        "es-ooo",
        reply(
            "Gracias por su mensaje. Estoy fuera de la oficina hasta el 6 de enero. "
            "Para asuntos urgentes, póngase en contacto con María.",
            subject="Respuesta automática: Quick question",
            headers=AUTO_REPLIED,
        ),
        OOO,
        date(2027, 1, 6),
        "es",
    ),
    (
        "it-ooo",
        reply(
            "Grazie per il suo messaggio. Sono fuori sede fino al 6 gennaio con accesso limitato "
            "alla posta. Per questioni urgenti contattare Luca.",
            subject="Risposta automatica: Quick question",
            headers=AUTO_REPLIED,
        ),
        OOO,
        date(2027, 1, 6),
        "it",
    ),
    (
        "nl-ooo",
        reply(
            "Bedankt voor uw bericht. Ik ben afwezig tot en met 6 januari en ben weer op kantoor "
            "op 7 januari. Voor dringende zaken kunt u contact opnemen met Piet.",
            subject="Automatisch antwoord: Quick question",
            headers=AUTO_REPLIED,
        ),
        OOO,
        date(2027, 1, 7),
        "nl",
    ),
    (
        "pt-ooo",
        reply(
            "Obrigado pela sua mensagem. Estou de férias até 6 de janeiro, com acesso limitado ao "
            "e-mail. Para assuntos urgentes, entre em contato com Ana.",
            subject="Resposta automática: Quick question",
            headers=AUTO_REPLIED,
        ),
        OOO,
        date(2027, 1, 6),
        "pt",
    ),
    (
        "de-ooo-range",
        reply(
            "Ich bin vom 20.12. bis 06.01. im Urlaub und habe keinen Zugriff auf meine E-Mails.",
            subject="Abwesend",
            headers=AUTO_REPLIED,
        ),
        OOO,
        date(2027, 1, 7),
        "de",
    ),
    (
        "en-ooo-no-date",
        reply(
            "I am currently out of the office with no access to email.",
            subject="Out of office",
            headers=AUTO_REPLIED,
        ),
        OOO,
        None,
        "en",
    ),
    (
        "en-ooo-without-headers",
        reply(
            "Thank you for your email. I am currently out of the office and will return on 4 January. "
            "For urgent matters please contact my colleague."
        ),
        OOO,
        date(2027, 1, 4),
        "en",
    ),
    # --- other automatic replies ------------------------------------------------------------
    (
        "en-auto-ticket",
        reply(
            "Thank you for contacting us. Your request has been received and a member of our team "
            "will respond within 24 hours. Ticket number: 48213",
            subject="[Ticket #48213] Quick question",
            sender="Acme Support <support@acme.test>",
            headers={"Auto-Submitted": "auto-generated"},
        ),
        AUTO,
        None,
        "en",
    ),
    (
        "en-auto-left-company",
        reply(
            "Jane Doe is no longer with Acme. Please contact sales@acme.test instead.",
            subject="Automatic reply: Quick question",
            headers=AUTO_REPLIED,
        ),
        AUTO,
        None,
        "en",
    ),
    (
        "de-auto-eingang",
        reply(
            "Dies ist eine automatisch generierte Antwort. Ihre Anfrage ist bei uns eingegangen.",
            subject="Automatische Antwort: Quick question",
            headers={"X-Autoreply": "yes"},
        ),
        AUTO,
        None,
        "de",
    ),
    (
        "en-auto-precedence",
        reply(
            "We have received your message and will get back to you shortly.",
            headers={"Precedence": "auto_reply"},
        ),
        AUTO,
        None,
        "en",
    ),
    # --- bounces ----------------------------------------------------------------------------
    ("dsn-hard", dsn([("5.1.1", "failed")]), BOUNCE, None, "en"),
    (
        "dsn-soft",
        dsn([("4.4.7", "delayed")], subject="Delivery Status Notification (Delay)"),
        SOFT,
        None,
        "en",
    ),
    ("dsn-mailbox-full", dsn([("5.2.2", "failed")]), SOFT, None, "en"),
    (
        "postfix-no-dsn",
        raw_text(
            "From: MAILER-DAEMON@mx.acme.test (Mail Delivery System)\nTo: tom@leadflow.test\n"
            "Subject: Undelivered Mail Returned to Sender\nDate: Mon, 14 Dec 2026 10:00:00 +0100",
            "This is the mail system at host mx.acme.test.\n\nI'm sorry to have to inform you that "
            "your message could not\nbe delivered to one or more recipients.\n\n"
            "<jane@acme.test>: host mx.acme.test said: 550 5.1.1 <jane@acme.test>: "
            "Recipient address rejected: User unknown\n",
        ),
        BOUNCE,
        None,
        "en",
    ),
    (
        "exchange-ndr",
        raw_text(
            "From: Microsoft Outlook <postmaster@acme.onmicrosoft.com>\nTo: tom@leadflow.test\n"
            "Subject: Undeliverable: Quick question\nDate: Mon, 14 Dec 2026 10:00:00 +0100",
            "Your message to jane@acme.test couldn't be delivered.\njane wasn't found at acme.test.\n\n"
            "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found "
            "by SMTP address lookup'\n",
        ),
        BOUNCE,
        None,
        "en",
    ),
    (
        "qmail",
        raw_text(
            "From: MAILER-DAEMON@mail.acme.test\nTo: tom@leadflow.test\nSubject: failure notice\n"
            "Date: Mon, 14 Dec 2026 10:00:00 +0100",
            "Hi. This is the qmail-send program at mail.acme.test.\nI'm afraid I wasn't able to "
            "deliver your message to the following addresses.\nThis is a permanent error; I've given "
            "up. Sorry it didn't work out.\n\n<jane@acme.test>:\nSorry, no mailbox here by that name.\n",
        ),
        BOUNCE,
        None,
        "en",
    ),
    (
        "mailbox-full",
        raw_text(
            "From: Mail Delivery System <MAILER-DAEMON@mx.acme.test>\nTo: tom@leadflow.test\n"
            "Subject: Mail delivery failed: returning message to sender\nDate: Mon, 14 Dec 2026 10:00:00 +0100",
            "This message was created automatically by mail delivery software.\n\n"
            "A message that you sent could not be delivered to one or more of its recipients.\n\n"
            "  jane@acme.test\n    552 mailbox full\n",
        ),
        SOFT,
        None,
        "en",
    ),
    (
        "de-unzustellbar",
        raw_text(
            "From: postmaster@acme.test\nTo: tom@leadflow.test\nSubject: Unzustellbar: Quick question\n"
            "Date: Mon, 14 Dec 2026 10:00:00 +0100",
            "Ihre Nachricht konnte nicht zugestellt werden.\nDer Empfänger wurde nicht gefunden.\n",
        ),
        BOUNCE,
        None,
        "de",
    ),
    (
        "fr-non-remis",
        raw_text(
            "From: postmaster@acme.test\nTo: tom@leadflow.test\nSubject: Non remis : Quick question\n"
            "Date: Mon, 14 Dec 2026 10:00:00 +0100",
            "Votre message n'a pas pu être remis. Le destinataire est introuvable.\n",
        ),
        BOUNCE,
        None,
        "fr",
    ),
]


class TestClassifyMessage:
    """``classify_message`` on the table of realistic messages."""

    @pytest.mark.parametrize(
        ("raw", "kind", "back", "language"),
        [pytest.param(raw, kind, back, lang, id=name) for name, raw, kind, back, lang in CASES],
    )
    def test_case(self, raw: bytes, kind: ReplyKind, back: date | None, language: str) -> None:
        """Each message gets its class, its return date and its language."""
        result = classify_message(raw)
        assert (kind, back, language) == (result.kind, result.return_date, result.language), (
            result.evidence
        )

    def test_same_message_same_answer(self) -> None:
        """Classification is deterministic: the same bytes give the same result."""
        raw = CASES[0][1]
        assert classify_message(raw) == classify_message(raw)
