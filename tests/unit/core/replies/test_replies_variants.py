"""Variants of each class as real senders write them: templates, ranges, weekdays, languages."""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.core.replies.factories import quoted_original, raw_text, reply
from workers.core.replies import classify_message

A = {"Auto-Submitted": "auto-replied"}
X = {"X-Autoreply": "yes"}
US = "Mon, 14 Dec 2026 10:00:00 -0500"
VARIANTS: list[tuple[str, bytes, str, date | None]] = [
    (
        "en ooo through",
        reply(
            "I will be out of the office from Monday, December 21 through Monday, January 4, returning Tuesday, January 5. I will have limited access to email.",
            subject="Out of Office",
            headers=A,
            date=US,
        ),
        "out_of_office",
        date(2027, 1, 5),
    ),
    (
        "en ooo return monday",
        reply(
            "I'm currently out of the office and will return on Monday.",
            subject="Automatic reply: Quick question",
            headers=A,
        ),
        "out_of_office",
        date(2026, 12, 21),
    ),
    (
        "en gmail vacation",
        reply(
            "Hi, I'm on vacation until Jan 5th. I'll respond when I'm back.",
            subject="Re: Quick question",
            headers=A,
        ),
        "out_of_office",
        date(2027, 1, 5),
    ),
    (
        "de hause",
        reply(
            "Vielen Dank für Ihre E-Mail. Ich bin vom 21.12.2026 bis einschließlich 04.01.2027 nicht im Hause. Ab dem 05.01.2027 bin ich wieder für Sie da.",
            subject="Abwesenheitsnotiz: Quick question",
            headers=A,
        ),
        "out_of_office",
        date(2027, 1, 5),
    ),
    (
        "fr conges",
        reply(
            "Bonjour, je suis en congés jusqu'au lundi 4 janvier inclus. Cordialement",
            subject="Réponse automatique : Quick question",
            headers=A,
        ),
        "out_of_office",
        date(2027, 1, 5),
    ),
    (
        "es range",
        reply(
            "Estaré fuera de la oficina del 21 de diciembre al 4 de enero. Un saludo.",
            subject="Respuesta automática: Quick question",
            headers=A,
        ),
        "out_of_office",
        date(2027, 1, 5),
    ),
    (
        "it range",
        reply(
            "Sarò assente dal 21 dicembre al 4 gennaio compresi.",
            subject="Risposta automatica: Quick question",
            headers=A,
        ),
        "out_of_office",
        date(2027, 1, 5),
    ),
    (
        "it rientro",
        reply(
            "Sono fuori ufficio. Rientrerò in ufficio il 5 gennaio.",
            subject="Risposta automatica: Quick question",
            headers=A,
        ),
        "out_of_office",
        date(2027, 1, 5),
    ),
    (
        "nl range",
        reply(
            "Ik ben met vakantie van 21 december tot en met 4 januari.",
            subject="Automatisch antwoord: Quick question",
            headers=A,
        ),
        "out_of_office",
        date(2027, 1, 5),
    ),
    (
        "pt range",
        reply(
            "Estarei ausente de 21 de dezembro a 4 de janeiro.",
            subject="Resposta automática: Quick question",
            headers=A,
        ),
        "out_of_office",
        date(2027, 1, 5),
    ),
    (
        "pt retorno",
        reply(
            "Estou de férias. Retorno em 5 de janeiro.",
            subject="Ausente: Quick question",
            headers=A,
        ),
        "out_of_office",
        date(2027, 1, 5),
    ),
    ("en unsub no thanks please stop", reply("No thanks, please stop."), "unsubscribe", None),
    (
        "en unsub remove email db",
        reply("I'm not interested. Please remove my email from your database."),
        "unsubscribe",
        None,
    ),
    ("en unsub take us off", reply("Kindly take us off your list."), "unsubscribe", None),
    (
        "en unsub gdpr",
        reply("Who gave you my email? Delete my data immediately (GDPR)."),
        "unsubscribe",
        None,
    ),
    (
        "en unsub please unsubscribe me",
        reply("Please unsubscribe me.\n\nSent from my iPhone\n\n" + quoted_original()),
        "unsubscribe",
        None,
    ),
    (
        "de unsub verteiler",
        reply("Bitte nehmen Sie mich aus Ihrem Verteiler."),
        "unsubscribe",
        None,
    ),
    ("de unsub streichen", reply("Streichen Sie mich von Ihrer Liste."), "unsubscribe", None),
    (
        "de unsub kein interesse",
        reply("Ich habe kein Interesse, bitte nicht mehr kontaktieren."),
        "unsubscribe",
        None,
    ),
    ("fr unsub retirer", reply("Merci de me retirer de votre liste."), "unsubscribe", None),
    ("es unsub eliminenme", reply("Por favor, elimínenme de su lista."), "unsubscribe", None),
    (
        "es unsub no interesa",
        reply("No me interesa, no me envíen más correos."),
        "unsubscribe",
        None,
    ),
    (
        "it unsub indirizzo",
        reply("Vi prego di rimuovere il mio indirizzo dalla vostra lista."),
        "unsubscribe",
        None,
    ),
    ("nl unsub gelieve", reply("Gelieve mij uit te schrijven."), "unsubscribe", None),
    ("pt unsub removam", reply("Por favor, me removam da lista."), "unsubscribe", None),
    (
        "pt unsub ser removido",
        reply("Quero ser removido da lista de e-mails."),
        "unsubscribe",
        None,
    ),
    (
        "en human today",
        reply("I'm out of the office today but happy to chat tomorrow - does 10am work?"),
        "human",
        None,
    ),
    (
        "yahoo bounce",
        raw_text(
            "From: MAILER-DAEMON@yahoo.com\nSubject: Failure Notice\nDate: Mon, 14 Dec 2026 10:00:00 +0100",
            "Sorry, we were unable to deliver your message to the following address.\n\n<jane@yahoo.com>:\n554: delivery error: dd This user doesn't have a yahoo.com account\n",
        ),
        "bounce",
        None,
    ),
    (
        "o365 full",
        raw_text(
            "From: postmaster@acme.onmicrosoft.com\nSubject: Undeliverable: Quick question\nDate: Mon, 14 Dec 2026 10:00:00 +0100",
            "Delivery has failed to these recipients or groups:\n\njane@acme.test\nThe recipient's mailbox is full and can't accept messages now.\n\nRemote Server returned '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException'\n",
        ),
        "soft_bounce",
        None,
    ),
    (
        "exim retry",
        raw_text(
            "From: Mail Delivery System <Mailer-Daemon@mx.test>\nSubject: Mail delivery failed: returning message to sender\nDate: Mon, 14 Dec 2026 10:00:00 +0100",
            "This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  jane@acme.test\n    retry timeout exceeded\n",
        ),
        "bounce",
        None,
    ),
    (
        "spam block",
        raw_text(
            "From: MAILER-DAEMON@mx.test\nSubject: Undelivered Mail Returned to Sender\nDate: Mon, 14 Dec 2026 10:00:00 +0100",
            "<jane@acme.test>: host mx.acme.test said: 550 5.7.1 Message rejected as spam\n",
        ),
        "bounce",
        None,
    ),
    (
        "ticket no header",
        reply(
            "Thank you for contacting Acme Support. This is an automated response to confirm that we have received your request. Ticket #48213.",
            subject="Re: Quick question",
        ),
        "auto_reply",
        None,
    ),
    (
        "left company with ooo words",
        reply(
            "Thank you for your email. Please note that I have left Acme. For urgent matters please contact sales@acme.test.",
            subject="Automatic reply: Quick question",
            headers=A,
        ),
        "auto_reply",
        None,
    ),
    (
        "es departed",
        reply(
            "Gracias por su mensaje. Ya no trabajo en Acme. Por favor, escriba a info@acme.test.",
            subject="Respuesta automática: Quick question",
            headers=A,
        ),
        "auto_reply",
        None,
    ),
    ("nl human", reply("Bedankt, maar we hebben hier geen interesse in. Succes!"), "human", None),
    ("it human stop", reply("Grazie, per ora stop: ne riparliamo a febbraio."), "human", None),
    (
        "de ooo kurz",
        reply(
            "Ich bin bis Montag, 04.01.2027 nicht im Büro. Ihre E-Mail wird nicht weitergeleitet.",
            subject="Automatische Antwort: Quick question",
            headers=A,
        ),
        "out_of_office",
        date(2027, 1, 4),
    ),
    (
        "de ooo elternzeit",
        reply(
            "Ich befinde mich bis zum 31.03.2027 in Elternzeit. Bitte wenden Sie sich an meine Kollegin.",
            subject="Abwesenheit",
            headers=A,
        ),
        "out_of_office",
        date(2027, 3, 31),
    ),
    (
        "fr ooo formation",
        reply(
            "Je suis en formation jusqu'au 6 janvier. Je répondrai à votre message à mon retour.",
            subject="Absent(e) du bureau",
            headers=X,
        ),
        "out_of_office",
        date(2027, 1, 6),
    ),
    (
        "es ooo baja",
        reply(
            "Actualmente me encuentro de baja por maternidad hasta el 1 de marzo de 2027.",
            subject="Fuera de la oficina",
            headers=A,
        ),
        "out_of_office",
        date(2027, 3, 1),
    ),
    (
        "it ooo",
        reply(
            "Gentile mittente, sono fuori ufficio per motivi di lavoro fino a venerdì 8 gennaio.",
            subject="Fuori sede",
            headers=A,
        ),
        "out_of_office",
        date(2027, 1, 8),
    ),
    (
        "nl ooo",
        reply(
            "Beste afzender, tot en met vrijdag 8 januari ben ik niet op kantoor.",
            subject="Afwezig",
            headers=A,
        ),
        "out_of_office",
        date(2027, 1, 9),
    ),
    (
        "pt ooo",
        reply(
            "Prezado(a), estarei fora do escritório até o dia 8 de janeiro.",
            subject="Fora do escritório",
            headers=A,
        ),
        "out_of_office",
        date(2027, 1, 8),
    ),
    (
        "pt-br ooo",
        reply(
            "Olá! Estou de licença maternidade e retorno no dia 1º de março.",
            subject="Resposta automática: Quick question",
            headers=A,
        ),
        "out_of_office",
        date(2027, 3, 1),
    ),
    (
        "en ooo sick",
        reply(
            "I am currently off sick. I will respond to your email upon my return.",
            subject="Automatic reply: Quick question",
            headers=A,
        ),
        "out_of_office",
        None,
    ),
    (
        "en ooo conference",
        reply(
            "Thanks for your note! I'm at a conference this week with limited email access. I'll be back in the office on Monday, December 21.",
            subject="Re: Quick question",
            headers={"Precedence": "bulk", "Auto-Submitted": "auto-replied"},
        ),
        "out_of_office",
        date(2026, 12, 21),
    ),
    (
        "fr ack",
        reply(
            "Bonjour, nous accusons réception de votre message. Notre équipe vous répondra dans les meilleurs délais.",
            subject="Accusé de réception",
            headers=A,
        ),
        "auto_reply",
        None,
    ),
    (
        "es ack",
        reply(
            "Hemos recibido su mensaje. Le responderemos lo antes posible.",
            subject="Re: Quick question",
            headers=A,
        ),
        "auto_reply",
        None,
    ),
    (
        "it ack",
        reply(
            "Abbiamo ricevuto la sua richiesta e le risponderemo al più presto.",
            subject="Re: Quick question",
            headers=A,
        ),
        "auto_reply",
        None,
    ),
    (
        "nl ack",
        reply(
            "Wij hebben uw bericht in goede orde ontvangen en nemen zo snel mogelijk contact met u op.",
            subject="Ontvangstbevestiging",
            headers=A,
        ),
        "auto_reply",
        None,
    ),
    (
        "pt ack",
        reply(
            "Recebemos sua mensagem e responderemos em breve. Protocolo: 123456",
            subject="Re: Quick question",
            headers=A,
        ),
        "auto_reply",
        None,
    ),
    (
        "en noreply newsletter",
        reply(
            "Thanks for subscribing! Manage your preferences here.",
            subject="Welcome",
            sender="Acme <noreply@acme.test>",
        ),
        "auto_reply",
        None,
    ),
    (
        "de left",
        reply(
            "Herr Müller ist nicht mehr für unser Unternehmen tätig. Bitte wenden Sie sich an info@acme.test.",
            subject="Automatische Antwort: Quick question",
            headers=A,
        ),
        "auto_reply",
        None,
    ),
    (
        "fr left",
        reply(
            "Je ne fais plus partie de la société Acme. Merci de contacter contact@acme.test.",
            subject="Réponse automatique : Quick question",
            headers=A,
        ),
        "auto_reply",
        None,
    ),
    (
        "nl left",
        reply(
            "Ik ben niet langer werkzaam bij Acme. Neem contact op met info@acme.test.",
            subject="Automatisch antwoord: Quick question",
            headers=A,
        ),
        "auto_reply",
        None,
    ),
    (
        "it left",
        reply(
            "Non lavoro più presso Acme. Per favore scrivete a info@acme.test.",
            subject="Risposta automatica: Quick question",
            headers=A,
        ),
        "auto_reply",
        None,
    ),
    (
        "pt left",
        reply(
            "Não trabalho mais na Acme. Por favor, contate info@acme.test.",
            subject="Resposta automática: Quick question",
            headers=A,
        ),
        "auto_reply",
        None,
    ),
    (
        "nl bounce",
        raw_text(
            "From: MAILER-DAEMON@mail.acme.nl\nSubject: Onbestelbaar: Quick question\nDate: Mon, 14 Dec 2026 10:00:00 +0100",
            "Uw bericht kon niet worden bezorgd aan jane@acme.nl.\nDe ontvanger bestaat niet.\n",
        ),
        "bounce",
        None,
    ),
    (
        "es bounce",
        raw_text(
            "From: postmaster@acme.es\nSubject: No se puede entregar: Quick question\nDate: Mon, 14 Dec 2026 10:00:00 +0100",
            "No se pudo entregar el mensaje a jane@acme.es. El destinatario no existe.\n",
        ),
        "bounce",
        None,
    ),
    (
        "it bounce",
        raw_text(
            "From: postmaster@acme.it\nSubject: Non recapitabile: Quick question\nDate: Mon, 14 Dec 2026 10:00:00 +0100",
            "Impossibile recapitare il messaggio. Indirizzo inesistente.\n",
        ),
        "bounce",
        None,
    ),
    (
        "pt bounce",
        raw_text(
            "From: postmaster@acme.com.br\nSubject: Não é possível entregar: Quick question\nDate: Mon, 14 Dec 2026 10:00:00 +0100",
            "Sua mensagem não pôde ser entregue. Destinatário desconhecido.\n",
        ),
        "bounce",
        None,
    ),
    (
        "fr soft",
        raw_text(
            "From: MAILER-DAEMON@acme.fr\nSubject: Notification d'état de la remise (retard)\nDate: Mon, 14 Dec 2026 10:00:00 +0100",
            "La remise de votre message est retardée. La boîte aux lettres du destinataire est pleine. Nouvelle tentative.\n",
        ),
        "soft_bounce",
        None,
    ),
    (
        "de soft",
        raw_text(
            "From: MAILER-DAEMON@acme.de\nSubject: Zustellung verzögert\nDate: Mon, 14 Dec 2026 10:00:00 +0100",
            "Die Zustellung Ihrer Nachricht hat sich verzögert. Es wird weiter versucht.\n",
        ),
        "soft_bounce",
        None,
    ),
]


#: Replies by people that mention removing, stopping or being away: all human.
PEOPLE = [
    "Thanks Tom. We already use a competitor, but remove the pricing slide and send it to my colleague?",
    "Can you take me off the CC and loop in Sarah instead? She owns this.",
    "Please don't send the contract yet, I need to check with legal.",
    "Stop the presses - this is exactly what we need. Call me.",
    "We stopped using spreadsheets last year. What does onboarding look like?",
    "I'm on leave next week, but my colleague can take the call.",
    "Interesting. Our unsubscribe rates are high, can you help with that?",
    "Not now. Try me again in Q2.",
    "No thanks.",
    "Wir haben gerade keinen Bedarf. Melden Sie sich gerne im Frühjahr wieder.",
    "Bitte entfernen Sie den zweiten Absatz und schicken Sie es erneut.",
    "Merci, mais retirez le paragraphe sur les prix avant de l'envoyer à mon équipe.",
    "Gracias, pero ahora no. Escríbeme en marzo.",
    "Grazie, per ora no. Ci sentiamo a settembre.",
    "Dank je, we zijn niet geïnteresseerd op dit moment.",
    "Obrigado, mas agora não. Fale comigo em março.",
    "Ik ben volgende week op vakantie, bel me daarna.",
    "Je suis en vacances la semaine prochaine, rappelez-moi après.",
    "Estoy de vacaciones hasta el lunes, hablamos después.",
    "Ich bin nächste Woche im Urlaub, rufen Sie mich danach an.",
    "Sono in ferie fino a lunedì, sentiamoci dopo.",
    "Estou de férias até segunda, falamos depois.",
    "I'm currently travelling with limited access to email - can we talk on Thursday instead?",
    "Please stop by our booth at Web Summit.",
    "Please remove the second paragraph.",
    "Please take me through it.",
    "Don't worry about it, I'll forward this to the right person.",
    "Please don't hesitate to send me more info.",
]
#: Requests not to be contacted again, as people write them: all unsubscribe.
REQUESTS = [
    "unsubscribe",
    "Unsubscribe me please",
    "please remove me from your mailing list",
    "STOP!!!",
    "Remove me.",
    "Take me off this list",
    "Not interested. Do not contact me again.",
    "Please stop emailing me.",
    "Do not email me again",
    "opt out",
    "Ich möchte keine E-Mails mehr erhalten.",
    "Bitte austragen!",
    "Bitte aus dem Verteiler nehmen.",
    "Désinscrivez-moi.",
    "Merci de ne plus m'envoyer d'e-mails.",
    "Darme de baja, por favor.",
    "Dejen de escribirme.",
    "Non scrivetemi più, grazie.",
    "Toglietemi dalla lista.",
    "Graag afmelden.",
    "Verwijder mij uit uw bestand.",
    "Haal me van de lijst.",
    "Não quero receber mais e-mails.",
    "Parem de me enviar e-mails.",
    "Por favor, descadastre meu e-mail.",
    "Never contact me again.",
    "I never signed up for this. Remove my email address.",
    "Please delete my data.",
]


class TestVariants:
    """Real-world phrasings of each class."""

    @pytest.mark.parametrize(
        ("raw", "kind", "back"),
        [pytest.param(raw, kind, back, id=name) for name, raw, kind, back in VARIANTS],
    )
    def test_variant(self, raw: bytes, kind: str, back: date | None) -> None:
        """Each variant gets its class (and its return date when it states one)."""
        result = classify_message(raw)
        assert (kind, back) == (str(result.kind), result.return_date), result.evidence

    @pytest.mark.parametrize("text", PEOPLE)
    def test_person(self, text: str) -> None:
        """A person's reply stays human, whatever it says about removing, stopping or absence."""
        result = classify_message(reply(f"{text}\n\n{quoted_original()}"))
        assert "human" == str(result.kind), result.evidence

    @pytest.mark.parametrize("text", REQUESTS)
    def test_request(self, text: str) -> None:
        """A request not to be contacted again is an unsubscribe, above our quoted footer."""
        result = classify_message(reply(f"{text}\n\n{quoted_original('outlook')}"))
        assert "unsubscribe" == str(result.kind), result.evidence
