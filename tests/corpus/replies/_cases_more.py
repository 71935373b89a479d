# ruff: noqa: E501, RUF001
"""Second round of hard cases, across languages: read receipts, challenge-response
filters, legal disclaimers in signatures, Lotus Notes, deputies, subject-only
requests, emoji and more DSN shapes."""

from __future__ import annotations

import base64 as _b64
import datetime as dt

from tests.corpus.replies._mail import (
    Corpus,
    Headers,
    alternative,
    assemble,
    date_header,
    date_header_nopad,
    delivery_status,
    encode_body,
    ew,
    exchange_auto,
    gmail_html,
    header_block,
    hexid,
    html_escape,
    html_only,
    msgid,
    multipart_body,
    our_raw,
    ours,
    outlook_ooo,
    quoted,
    re_subject,
    reply,
    report,
    simple,
    text_part,
    text_to_html,
    wrap_html,
)

D = dt.datetime
JONAS = "Jonas Berg <jonas.berg@outreach.example.com>"


def _mdn(
    headers: Headers,
    *,
    human: str,
    reporting_ua: str,
    recipient: str,
    original_id: str,
    disposition: str,
    boundary: str,
    charset: str = "utf-8",
) -> bytes:
    """A read receipt: multipart/report; report-type=disposition-notification."""
    status = f"Reporting-UA: {reporting_ua}\nFinal-Recipient: rfc822;{recipient}\nOriginal-Message-ID: {original_id}\nDisposition: {disposition}\n"
    parts = [
        text_part(human, charset=charset),
        b"Content-Type: message/disposition-notification\n\n" + status.encode("ascii"),
    ]
    hs = [
        *headers,
        ("MIME-Version", "1.0"),
        (
            "Content-Type",
            f'multipart/report; report-type=disposition-notification;\n\tboundary="{boundary}"',
        ),
    ]
    return assemble(hs, multipart_body(parts, boundary))


def receipts_and_filters(c: Corpus) -> None:
    s = ours(
        "en",
        "Gareth Lloyd",
        "gareth.lloyd@lloyd-surveyors.example.co.uk",
        D(2026, 12, 1, 9, 0),
        "Lloyd Surveyors",
    )
    date = date_header(2026, 12, 1, 9, 40, "+0000", 12)
    hs = [
        ("From", "Gareth Lloyd <gareth.lloyd@lloyd-surveyors.example.co.uk>"),
        ("To", JONAS),
        ("Subject", "Read: " + s.subject),
        ("Date", date),
        ("Message-ID", msgid("outlook", "more-mdn-en")),
        ("Content-Language", "en-GB"),
        ("X-MS-Has-Attach", ""),
    ]
    human = f"Your message\n\n  To: Gareth Lloyd\n  Subject: {s.subject}\n  Sent: 01 December 2026 09:00:00 (UTC+00:00) Dublin, Edinburgh, Lisbon, London\n\nwas read on 01 December 2026 09:40:12 (UTC+00:00) Dublin, Edinburgh, Lisbon, London.\n"
    raw = _mdn(
        hs,
        human=human,
        reporting_ua="AS8PR10MB7412.EURPRD10.PROD.OUTLOOK.COM; Microsoft Exchange Server",
        recipient=s.to_addr,
        original_id=s.message_id,
        disposition="automatic-action/MDN-sent-automatically; displayed",
        boundary="_" + hexid("mdn1", 20) + "_",
    )
    c.add(
        "en_auto_read_receipt.eml",
        "auto_reply",
        "en",
        raw,
        None,
        "read receipt (MDN): multipart/report but disposition-notification, not a DSN; 'was read' is not a reply",
    )

    s = ours(
        "de",
        "Wolfgang Seidel",
        "w.seidel@seidel-armaturen.example.com",
        D(2026, 12, 2, 9, 0),
        "Seidel Armaturen",
        title="Herr Seidel",
    )
    date = date_header(2026, 12, 2, 10, 5, "+0100", 33)
    hs = [
        ("From", '"Seidel, Wolfgang" <w.seidel@seidel-armaturen.example.com>'),
        ("To", "Lena Hoffmann <lena.hoffmann@outreach.example.com>"),
        ("Subject", ew("Gelesen: " + s.subject, "utf-8")),
        ("Date", date),
        ("Message-ID", msgid("outlook", "more-mdn-de")),
        ("Content-Language", "de-DE"),
    ]
    human = f"Ihre Nachricht\n\n  An: Seidel, Wolfgang\n  Betreff: {s.subject}\n  Gesendet: Mittwoch, 2. Dezember 2026 09:00:00 (UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien\n\nwurde am Mittwoch, 2. Dezember 2026 10:05:33 (UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien gelesen.\n"
    raw = _mdn(
        hs,
        human=human,
        reporting_ua="FR2P281MB0123.DEUP281.PROD.OUTLOOK.COM; Microsoft Exchange Server",
        recipient=s.to_addr,
        original_id=s.message_id,
        disposition="manual-action/MDN-sent-manually; displayed",
        boundary="_" + hexid("mdn2", 20) + "_",
        charset="iso-8859-1",
    )
    c.add(
        "de_auto_lesebestaetigung.eml",
        "auto_reply",
        "de",
        raw,
        None,
        "German read receipt 'Gelesen:' (MDN)",
    )

    date = date_header(2026, 12, 3, 14, 0, "-0500", 5)
    hs = [
        ("Date", date),
        ("From", "Craig Dalton via Boxbe <notification@boxbe.example.net>"),
        ("Reply-To", "notification@boxbe.example.net"),
        ("To", JONAS),
        ("Subject", "Craig Dalton has requested that you verify your email"),
        ("Message-ID", "<" + hexid("boxbe", 20) + "@boxbe.example.net>"),
        ("Auto-Submitted", "auto-generated"),
    ]
    text = (
        "Hello Jonas Berg,\n\nYour message to Craig Dalton is waiting to be delivered. Craig uses Boxbe\nto manage email from new senders.\n\nPlease verify that you are a person, not a machine, by clicking below:\n\n  Verify my email: https://www.boxbe.example.net/verify?token="
        + hexid("bt", 30)
        + "\n\nOnce verified, your message will be delivered and future messages will go\nstraight to Craig's inbox.\n\nIf you do not want to be contacted by Boxbe again, unsubscribe here:\nhttps://www.boxbe.example.net/unsubscribe"
    )
    c.add(
        "en_auto_challenge_response.eml",
        "auto_reply",
        "en",
        alternative(
            hs, text, wrap_html(text_to_html(text)), boundary="----=_Part_" + hexid("bx", 12)
        ),
        None,
        "challenge-response spam filter: not a bounce, not a person; carries its own unsubscribe link",
    )


def signatures_and_disclaimers(c: Corpus) -> None:
    s = ours(
        "es",
        "Alberto Nieto",
        "alberto.nieto@nieto-abogados.example.es",
        D(2026, 12, 3, 9, 0),
        "Nieto Abogados",
    )
    date = date_header(2026, 12, 3, 12, 10, "+0100", 8)
    new = (
        "Vale, hablamos el martes a las 10.\n\nAlberto Nieto\nSocio | Nieto Abogados\nC/ Serrano 41, 28001 Madrid\n\n"
        "AVISO LEGAL: Este mensaje y sus anexos son confidenciales. De conformidad con el\n"
        "RGPD y la LOPDGDD, le informamos de que sus datos forman parte de un fichero\n"
        "responsabilidad de Nieto Abogados S.L.P. Puede ejercer sus derechos de acceso,\n"
        "rectificación, supresión y oposición en lopd@nieto-abogados.example.es. Si no\n"
        "desea recibir más comunicaciones comerciales, responda a este correo con la\n"
        "palabra BAJA."
    )
    raw = reply(
        "outlook",
        frm="Alberto Nieto <alberto.nieto@nieto-abogados.example.es>",
        to="Lucía Romero <lucia.romero@outreach.example.com>",
        subject="RE: " + s.subject,
        date=date,
        seed="more-es-lopd",
        new=new,
        sent=s,
        lang="es",
    )
    c.add(
        "es_human_aviso_legal_baja.eml",
        "human",
        "es",
        raw,
        None,
        "person agrees to a call; his own legal disclaimer says 'responda ... con la palabra BAJA'",
    )

    s = ours(
        "es",
        "Inmaculada Pardo",
        "inma.pardo@pardo-clinica.example.es",
        D(2026, 12, 4, 9, 0),
        "Clínica Pardo",
    )
    date = date_header(2026, 12, 4, 9, 30, "+0100", 14)
    new = "No quiero recibir más correos de ustedes.\n\nInmaculada Pardo\nClínica Pardo\n\nEste mensaje se dirige exclusivamente a su destinatario y puede contener\ninformación confidencial."
    raw = reply(
        "outlook",
        frm="Inmaculada Pardo <inma.pardo@pardo-clinica.example.es>",
        to="Lucía Romero <lucia.romero@outreach.example.com>",
        subject="RE: " + s.subject,
        date=date,
        seed="more-es-unsub",
        new=new,
        sent=s,
        lang="es",
    )
    c.add(
        "es_unsub_no_quiero_recibir.eml",
        "unsubscribe",
        "es",
        raw,
        None,
        "with confidentiality disclaimer",
    )

    s = ours(
        "it",
        "Carlo Benedetti",
        "carlo.benedetti@benedetti-spa.example.it",
        D(2026, 12, 4, 9, 0),
        "Benedetti SpA",
    )
    date = date_header(2026, 12, 4, 16, 0, "+0100", 26)
    new = (
        "Ok, sentiamoci giovedì alle 11.\n\nCarlo Benedetti\nBenedetti S.p.A.\n\n"
        "Informativa privacy ai sensi del Regolamento UE 2016/679 (GDPR): i suoi dati\n"
        "sono trattati per finalità commerciali. Se non desidera più ricevere nostre\n"
        "comunicazioni può chiedere la cancellazione scrivendo a privacy@benedetti-spa.example.it."
    )
    raw = reply(
        "gmail",
        frm="Carlo Benedetti <carlo.benedetti@benedetti-spa.example.it>",
        to="Marco Bellini <marco.bellini@outreach.example.com>",
        subject="Re: " + s.subject,
        date=date,
        seed="more-it-priv",
        new=new,
        sent=s,
        qstyle="gmail-it",
    )
    c.add(
        "it_human_informativa_privacy.eml",
        "human",
        "it",
        raw,
        None,
        "person agrees to a call; his own GDPR notice talks about 'cancellazione'",
    )

    s = ours(
        "it",
        "Laura Ferri",
        "laura.ferri@ferri-ottica.example.it",
        D(2026, 12, 7, 9, 0),
        "Ferri Ottica",
    )
    date = date_header(2026, 12, 7, 10, 0, "+0100", 3)
    raw = reply(
        "outlook",
        frm="Laura Ferri <laura.ferri@ferri-ottica.example.it>",
        to="Marco Bellini <marco.bellini@outreach.example.com>",
        subject="R: " + s.subject,
        date=date,
        seed="more-it-unsub",
        new="Non voglio più ricevere email da voi. Grazie.",
        sent=s,
        lang="it",
    )
    c.add("it_unsub_non_voglio_piu.eml", "unsubscribe", "it", raw, None, "")

    s = ours(
        "de",
        "Ingrid Böhm",
        "ingrid.boehm@boehm-logistik.example.com",
        D(2026, 12, 7, 9, 0),
        "Böhm Logistik",
        title="Frau Böhm",
    )
    date = date_header(2026, 12, 7, 11, 30, "+0100", 41)
    new = (
        "Sehr geehrte Frau Hoffmann,\n\nich bitte um Austragung aus Ihrem Verteiler. Vielen Dank.\n\n"
        "Mit freundlichen Grüßen\nIngrid Böhm\nLeitung Einkauf\n\n"
        "Böhm Logistik GmbH | Hafenstraße 8 | 28217 Bremen\n"
        "Geschäftsführer: Karl Böhm | Amtsgericht Bremen HRB 12345\n\n"
        "Diese E-Mail enthält vertrauliche Informationen. Wenn Sie nicht der richtige\n"
        "Adressat sind, informieren Sie bitte sofort den Absender und vernichten Sie\n"
        "diese E-Mail."
    )
    raw = reply(
        "outlook",
        frm="Ingrid Böhm <ingrid.boehm@boehm-logistik.example.com>",
        to="Lena Hoffmann <lena.hoffmann@outreach.example.com>",
        subject="AW: " + s.subject,
        date=date,
        seed="more-de-unsub",
        new=new,
        sent=s,
        lang="de",
        charset="windows-1252",
        cte="quoted-printable",
    )
    c.add(
        "de_unsub_austragung_signatur.eml",
        "unsubscribe",
        "de",
        raw,
        None,
        "request above a long legal signature; windows-1252",
    )

    s = ours(
        "nl",
        "Martijn Prins",
        "martijn.prins@prins-installaties.example.nl",
        D(2026, 12, 8, 9, 0),
        "Prins Installaties",
    )
    date = date_header(2026, 12, 8, 9, 15, "+0100", 2)
    raw = reply(
        "outlook",
        frm="Martijn Prins <martijn.prins@prins-installaties.example.nl>",
        to="Sanne de Vries <sanne.devries@outreach.example.com>",
        subject="RE: " + s.subject,
        date=date,
        seed="more-nl-unsub",
        new="Ik wil geen mails meer ontvangen van jullie.\n\nMartijn Prins",
        sent=s,
        lang="nl",
    )
    c.add("nl_unsub_geen_mails_meer.eml", "unsubscribe", "nl", raw, None, "")

    s = ours(
        "en",
        "Nina Patel",
        "nina.patel@orchardhealth.example.com",
        D(2026, 12, 8, 9, 0),
        "Orchard Health",
    )
    date = date_header(2026, 12, 8, 14, 0, "+0000", 20)
    new = "Sounds good, Tuesday works. Send the invite to this address.\n\nNina Patel\nHead of Growth, Orchard Health\nI work Monday to Thursday. Emails received on Friday will be answered on\nMonday."
    raw = reply(
        "gmail",
        frm="Nina Patel <nina.patel@orchardhealth.example.com>",
        to=JONAS,
        subject="Re: " + s.subject,
        date=date,
        seed="more-en-sig",
        new=new,
        sent=s,
        qstyle="gmail-en",
    )
    c.add(
        "en_human_signature_working_days.eml",
        "human",
        "en",
        raw,
        None,
        "signature states working days and when mail is answered",
    )

    s = ours(
        "en",
        "Aaron Fisher",
        "aaron.fisher@fishercpa.example.com",
        D(2026, 12, 9, 9, 0),
        "Fisher CPA",
    )
    date = date_header(2026, 12, 9, 9, 5, "+0000", 0)
    hs = [
        ("Date", date),
        ("From", "Aaron Fisher <aaron.fisher@fishercpa.example.com>"),
        ("To", "jonas.berg@outreach.example.com"),
        ("Subject", "Remove me"),
        ("Message-ID", msgid("other", "more-en-subj", "fishercpa.example.com")),
        ("In-Reply-To", s.message_id),
        ("X-Mailer", "Microsoft Windows 10 Mail"),
    ]
    text = "\n\n--\nAaron Fisher\nFisher CPA\n\nSent from Mail for Windows\n"
    c.add(
        "en_unsub_subject_only_remove_me.eml",
        "unsubscribe",
        "en",
        simple(hs, text, charset="utf-8", cte="7bit"),
        None,
        "the request is only in the subject; the body is a signature",
    )

    s = ours(
        "en",
        "Kim Nguyen",
        "kim.nguyen@lotusnails.example.com",
        D(2026, 12, 10, 9, 0),
        "Lotus Nails",
    )
    date = date_header(2026, 12, 10, 11, 0, "+0000", 17)
    raw = reply(
        "gmail",
        frm="Kim Nguyen <kim.nguyen@lotusnails.example.com>",
        to=JONAS,
        subject="Re: " + s.subject,
        date=date,
        seed="more-en-fewer",
        new="I don't want to unsubscribe, but could you send fewer of these? Once a month\nis plenty. The case study was useful.\n\nKim",
        sent=s,
        qstyle="gmail-en",
    )
    c.add(
        "en_human_dont_want_to_unsubscribe.eml",
        "human",
        "en",
        raw,
        None,
        "says 'unsubscribe' but explicitly does not want to; asks for fewer emails",
    )

    s = ours(
        "fr",
        "Léa Girard",
        "lea.girard@girard-textile.example.fr",
        D(2026, 12, 10, 9, 0),
        "Girard Textile",
    )
    date = date_header_nopad(2026, 12, 10, 18, 20, "+0100")
    raw = reply(
        "iphone",
        frm="Léa Girard <lea.girard@girard-textile.example.fr>",
        to="Camille Robert <camille.robert@outreach.example.com>",
        subject="Re: " + s.subject,
        date=date,
        seed="more-fr-ipad",
        new="Oui, jeudi 10h c'est parfait.\n\nEnvoyé de mon iPad",
        sent=s,
        qstyle="apple-fr",
    )
    c.add("fr_human_envoye_ipad.eml", "human", "fr", raw, None, "'Envoyé de mon iPad'")

    s = ours(
        "fr",
        "Henri Picard",
        "henri.picard@picard-transports.example.fr",
        D(2026, 12, 11, 9, 0),
        "Picard Transports",
    )
    date = date_header(2026, 12, 11, 9, 20, "+0100", 7)
    hs = [
        ("From", "Henri Picard <henri.picard@picard-transports.example.fr>"),
        ("To", "Camille Robert <camille.robert@outreach.example.com>"),
        ("Subject", "RE: " + ew(s.subject, "utf-8")),
        ("Date", date),
        ("Message-ID", msgid("outlook", "more-fr-html")),
        ("References", s.message_id),
        ("In-Reply-To", s.message_id),
    ]
    html = wrap_html(
        '<div style="font-family:Calibri,sans-serif">Merci de me désabonner de vos envois.</div><div><br></div>'
        '<div id="appendonsend"></div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr">'
        "<b>De :</b> Camille Robert &lt;camille.robert@outreach.example.com&gt;<br><b>Envoyé :</b> vendredi 11 décembre 2026 09:00<br>"
        f"<b>À :</b> Henri Picard<br><b>Objet :</b> {html_escape(s.subject)}</div><div>{text_to_html(s.text)}</div>"
    )
    c.add(
        "fr_unsub_desabonner_html.eml",
        "unsubscribe",
        "fr",
        html_only(hs, html),
        None,
        "HTML-only Outlook web reply",
    )


def absences(c: Corpus) -> None:
    s = ours(
        "en",
        "Derek Shaw",
        "derek.shaw@shaw-civil.example.co.uk",
        D(2026, 12, 18, 9, 0),
        "Shaw Civil",
    )
    date = date_header(2026, 12, 21, 8, 0, "+0000", 4)
    hs = [
        ("Subject", "Derek Shaw is out of the office."),
        ("From", "Derek Shaw <derek.shaw@shaw-civil.example.co.uk>"),
        ("To", "jonas.berg@outreach.example.com"),
        ("Date", date),
        (
            "Message-ID",
            "<OF"
            + hexid("notes", 8).upper()
            + ".1E2D3C4B-ON80258A3F.0034A1B2-80258A3F.0034A1B3@shaw-civil.example.co.uk>",
        ),
        ("X-Mailer", "HCL Notes Release 12.0.2 November 03, 2022"),
        ("Auto-Submitted", "auto-generated"),
        ("X-Lotus-AutoReply", "yes"),
    ]
    text = "I will be out of the office starting 21/12/2026 and will not return until\n04/01/2027.\n\nI will respond to your message when I return."
    c.add(
        "en_ooo_lotus_notes.eml",
        "out_of_office",
        "en",
        simple(hs, text, charset="US-ASCII", cte="7bit"),
        "2027-01-04",
        "Lotus/HCL Notes template: 'will not return until 04/01/2027' (day-first, UK)",
    )

    s = ours("en", "Ella Watson", "ella.watson@example.com", D(2026, 12, 22, 9, 0), "Watson & Co")
    date = date_header(2026, 12, 22, 9, 0, "+0000", 51)
    hs = [
        ("MIME-Version", "1.0"),
        ("Auto-Submitted", "auto-replied"),
        ("Date", date),
        ("Message-ID", msgid("gmail", "more-emoji")),
        ("Subject", ew("🌴 Out of office 🌴", "utf-8", "B")),
        ("From", "Ella Watson <ella.watson@example.com>"),
        ("To", "jonas.berg@outreach.example.com"),
    ]
    text = "Hey! 🎄 I'm out until Jan 4th with no laptop. Happy holidays! ✨\n\nElla\n"
    b = "000000000000" + hexid("emoji", 12)
    raw = assemble(
        [*hs, ("Content-Type", f'multipart/alternative; boundary="{b}"')],
        multipart_body(
            [
                text_part(text, charset="UTF-8", cte="base64", quote_charset=False),
                text_part(
                    f'<div dir="ltr">{text_to_html(text)}</div>\n',
                    subtype="html",
                    charset="UTF-8",
                    cte="base64",
                    quote_charset=False,
                ),
            ],
            b,
        ),
    )
    c.add(
        "en_ooo_emoji_base64.eml",
        "out_of_office",
        "en",
        raw,
        "2027-01-04",
        "emoji, B-encoded subject, base64 parts; 'out until Jan 4th'",
    )

    s = ours(
        "en",
        "Tobias Lindgren",
        "tobias.lindgren@nordic-freight.example.com",
        D(2026, 12, 21, 9, 0),
        "Nordic Freight",
    )
    date = date_header(2026, 12, 21, 9, 0, "+0100", 9)
    hs = exchange_auto(
        "Tobias Lindgren <tobias.lindgren@nordic-freight.example.com>",
        JONAS,
        re_subject("Automatic reply:", s),
        date,
        "more-en-de",
        s.message_id,
        "en-GB",
    )
    html = wrap_html(
        '<p class="MsoNormal">Thank you for your message. I am on holiday and back in the office on 07/01/2027.<o:p></o:p></p>'
        '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
        '<p class="MsoNormal">Vielen Dank für Ihre Nachricht. Ich bin im Urlaub und ab dem 07.01.2027 wieder im Büro.<o:p></o:p></p>',
        outlook=True,
    )
    c.add(
        "en_ooo_bilingual_en_de_html.eml",
        "out_of_office",
        "en",
        html_only(hs, html),
        "2027-01-07",
        "bilingual en/de, HTML-only, numeric day-first in both",
    )

    s = ours(
        "pt",
        "Helena Correia",
        "helena.correia@correia-design.example.pt",
        D(2026, 12, 22, 9, 0),
        "Correia Design",
    )
    date = date_header(2026, 12, 22, 9, 0, "+0000", 31)
    hs = [
        ("Return-Path", "<helena.correia@correia-design.example.pt>"),
        ("From", "helena.correia@correia-design.example.pt"),
        ("To", "Beatriz Costa <beatriz.costa@outreach.example.com>"),
        ("Subject", ew("Resposta automática: " + s.subject, "utf-8")),
        ("Date", date),
        (
            "Message-id",
            "<"
            + hexid("more-pt-ic", 8)
            + "-11aa-4bb2-9cc3-"
            + hexid("pic", 12)
            + "-vac@correia-design.example.pt>",
        ),
        ("In-Reply-To", s.message_id),
        ("X-Apple-Action", "VACATION"),
        ("Content-type", "text/plain; charset=UTF-8"),
        ("Content-transfer-encoding", "quoted-printable"),
    ]
    raw = assemble(
        hs,
        encode_body(
            "Olá! Estou de férias até dia 10 de janeiro, inclusive. Respondo no regresso.\n\nHelena\n",
            "utf-8",
            "quoted-printable",
        ),
    )
    c.add(
        "pt_ooo_icloud_inclusive.eml",
        "out_of_office",
        "pt",
        raw,
        "2027-01-11",
        "iCloud vacation (no Auto-Submitted, no MIME-Version); 'até dia 10 de janeiro, inclusive'",
    )

    s = ours(
        "nl",
        "Ruud Verbeek",
        "ruud.verbeek@verbeek-groen.example.nl",
        D(2026, 12, 23, 9, 0),
        "Verbeek Groen",
    )
    date = date_header(2026, 12, 23, 9, 0, "+0100", 12)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "Ruud Verbeek <ruud.verbeek@verbeek-groen.example.nl>"),
        ("To", "sanne.devries@outreach.example.com"),
        ("Subject", "Vakantie"),
        (
            "Message-ID",
            "<" + hexid("more-nl-z", 8) + ".1797990000.JavaMail.zimbra@verbeek-groen.example.nl>",
        ),
        ("Auto-Submitted", "auto-replied (zimbra; vacation)"),
        ("Precedence", "junk"),
    ]
    text = "Beste,\n\nIk ben op vakantie tot en met vrijdag 8 januari. Voor spoed: bel 06-12345678.\n\nRuud"
    c.add(
        "nl_ooo_tot_en_met_vrijdag.eml",
        "out_of_office",
        "nl",
        simple(hs, text, charset="utf-8", cte="7bit"),
        "2027-01-09",
        "'tot en met vrijdag 8 januari': next day (a Saturday: no weekend adjustment); Precedence: junk",
    )

    s = ours(
        "de",
        "Holger Brandt",
        "holger.brandt@brandt-werkzeuge.example.com",
        D(2026, 12, 28, 9, 0),
        "Brandt Werkzeuge",
        title="Herr Brandt",
    )
    date = date_header(2026, 12, 28, 10, 0, "+0100", 28)
    new = "Hallo Frau Hoffmann,\n\nHerr Brandt ist bis zum 7.1. im Urlaub. Ich bin seine Vertretung – worum geht\nes genau? Vielleicht kann ich Ihnen schon weiterhelfen.\n\nViele Grüße\nSusanne Kraft\nAssistenz der Geschäftsführung"
    raw = reply(
        "outlook",
        frm="Susanne Kraft <susanne.kraft@brandt-werkzeuge.example.com>",
        to="Lena Hoffmann <lena.hoffmann@outreach.example.com>",
        subject="AW: " + s.subject,
        date=date,
        seed="more-de-vertretung",
        new=new,
        sent=s,
        lang="de",
    )
    c.add(
        "de_human_vertretung_schreibt.eml",
        "human",
        "de",
        raw,
        None,
        "a deputy writes by hand that the lead is away until 7.1. and asks what it is about: human (no automation)",
    )


def dsn_shapes(c: Corpus) -> None:
    s = ours("en", "All Staff", "allstaff@example.org", D(2026, 12, 2, 9, 0), "Example Org")
    date = date_header(2026, 12, 2, 9, 0, "+0000", 17)
    hs = [
        ("From", "Microsoft Outlook <postmaster@example.org>"),
        ("To", "<bounces@outreach.example.com>"),
        ("Date", date),
        ("Subject", "Undeliverable: " + s.subject),
        ("Message-ID", msgid("outlook", "more-5-7-133")),
        ("Auto-Submitted", "auto-replied"),
        ("X-MS-Exchange-Message-Is-Ndr", ""),
    ]
    txt = f"Your message to {s.to_addr} couldn't be delivered.\n\nThe group allstaff only accepts messages from people in its organization or on its allowed senders list, and your email address isn't on the list.\n\nDiagnostic information for administrators:\n\nGenerating server: DM6PR11MB4321.namprd11.prod.outlook.com\n\n{s.to_addr}\nRemote Server returned '550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required [Stage: CreateMessage]'\n"
    st = delivery_status(
        reporting_mta="DM6PR11MB4321.namprd11.prod.outlook.com",
        recipient=s.to_addr,
        status="5.7.133",
        action="failed",
        diag="550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup",
    )
    c.add(
        "en_bounce_o365_group_5_7_133.eml",
        "bounce",
        "en",
        report(
            hs,
            boundary=hexid("g133", 8) + "-aaaa-4c1e-9a77-" + hexid("g133b", 12),
            human=text_part(txt, charset="us-ascii"),
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
            preamble="",
        ),
        None,
        "group does not accept external mail: permanent",
    )

    s = ours("en", "Jack Turner", "jack.turner@example.net", D(2026, 12, 3, 9, 0), "Turner Homes")
    date = date_header(2026, 12, 3, 9, 1, "-0800", 2)
    hs = [
        ("Return-Path", "<>"),
        ("MIME-Version", "1.0"),
        ("From", "Mail Delivery Subsystem <mailer-daemon@googlemail.com>"),
        ("To", "jonas.berg@outreach.example.com"),
        ("Auto-Submitted", "auto-replied"),
        ("Subject", "Delivery Status Notification (Failure)"),
        ("References", s.message_id),
        ("In-Reply-To", s.message_id),
        ("X-Failed-Recipients", s.to_addr),
        ("Message-ID", msgid("gmail", "more-5-7-1")),
        ("Date", date),
    ]
    txt = f"\n** Message blocked **\n\nYour message to {s.to_addr} has been blocked. See technical details below for more information.\n\nThe response from the remote server was:\n550 5.7.1 Message rejected: the content of this message looks like unsolicited bulk mail. Contact postmaster@example.net\n"
    st = delivery_status(
        reporting_mta="googlemail.com",
        recipient=s.to_addr,
        status="5.7.1",
        action="failed",
        remote_mta="mx.example.net",
        diag="550 5.7.1 Message rejected: the content of this message looks like unsolicited bulk mail",
    )
    c.add(
        "en_bounce_content_rejected_5_7_1.eml",
        "bounce",
        "en",
        report(
            hs,
            boundary="000000000000" + hexid("m571", 12),
            human=text_part(txt, charset="UTF-8", quote_charset=False),
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
            preamble="",
        ),
        None,
        "content rejected as bulk (5.7.1): permanent DSN = bounce by the contract",
    )

    s = ours("en", "Mia Clarke", "mia.clarke@example.com", D(2026, 12, 4, 9, 0), "Clarke Bakery")
    date = date_header(2026, 12, 4, 13, 0, "+0000", 44)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "MAILER-DAEMON@mail.outreach.example.com (Mail Delivery System)"),
        ("Subject", "Delayed Mail (still being retried)"),
        ("To", "bounces@outreach.example.com"),
        ("Auto-Submitted", "auto-replied"),
    ]
    human = (
        b"Content-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\n"
        + f"This is the mail system at host mail.outreach.example.com.\n\n####################################################################\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n####################################################################\n\nYour message could not be delivered for more than 4 hour(s).\nIt will be retried until it is 5 day(s) old.\n\n                   The mail system\n\n<{s.to_addr}>: host mx.example.com[203.0.113.60] said: 452 4.3.1 Insufficient\n    system resources (in reply to MAIL FROM command)\n".encode()
    )
    st = delivery_status(
        reporting_mta="mail.outreach.example.com",
        recipient=s.to_addr,
        status="4.3.1",
        action="delayed",
        remote_mta="mx.example.com",
        diag="452 4.3.1 Insufficient system resources",
    )
    c.add(
        "en_soft_insufficient_resources.eml",
        "soft_bounce",
        "en",
        report(
            hs,
            boundary="4QF" + hexid("431", 9) + ".1796475600/mail.outreach.example.com",
            human=human,
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
            descriptions=True,
            crlf=True,
        ),
        None,
        "4.3.1 receiving server out of resources; CRLF",
    )

    s = ours(
        "de",
        "Dieter Pohl",
        "dieter.pohl@example.com",
        D(2026, 12, 8, 9, 0),
        "Pohl Fenster",
        title="Herr Pohl",
    )
    date = date_header(2026, 12, 8, 9, 0, "+0100", 11)
    hs = [
        ("Return-path", "<>"),
        ("X-Failed-Recipients", s.to_addr),
        ("Auto-Submitted", "auto-replied"),
        ("From", "Mail Delivery System <Mailer-Daemon@mail.example.com>"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", "Mail delivery failed: returning message to sender"),
        ("Message-Id", "<E1tM0Xy-0001Ab-3C@mail.example.com>"),
        ("Date", date),
    ]
    text = f"This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  {s.to_addr}\n    Unrouteable address\n\n------ This is a copy of the message, including all the headers. ------\n\n"
    c.add(
        "en_bounce_exim_unrouteable.eml",
        "bounce",
        "en",
        assemble(hs, text.encode() + our_raw(s)),
        None,
        "Exim 'Unrouteable address' without any code; the returned German original has our 'Abmelden' footer",
    )


def round3(c: Corpus) -> None:
    # human replying under an automatic-reply subject
    s = ours(
        "en",
        "Rosie Bennett",
        "rosie.bennett@bennett-travel.example.co.uk",
        D(2027, 1, 4, 9, 0),
        "Bennett Travel",
    )
    date = date_header(2027, 1, 5, 9, 12, "+0000", 40)
    raw = reply(
        "outlook",
        frm="Rosie Bennett <rosie.bennett@bennett-travel.example.co.uk>",
        to=JONAS,
        subject="RE: Automatic reply: " + s.subject,
        date=date,
        seed="r3-en-re-auto",
        new="Hi Jonas,\n\nSorry about the out-of-office, I'm back now. Happy to have a chat - does\nThursday at 11 work?\n\nRosie",
        sent=s,
        lang="en",
    )
    c.add(
        "en_human_re_automatic_reply.eml",
        "human",
        "en",
        raw,
        None,
        "a person answering in a thread whose subject is 'RE: Automatic reply: ...'",
    )

    s = ours(
        "de",
        "Carsten Vogt",
        "carsten.vogt@vogt-stahl.example.com",
        D(2027, 1, 7, 9, 0),
        "Vogt Stahl",
        title="Herr Vogt",
    )
    date = date_header(2027, 1, 8, 8, 30, "+0100", 3)
    raw = reply(
        "outlook",
        frm="Carsten Vogt <carsten.vogt@vogt-stahl.example.com>",
        to="Lena Hoffmann <lena.hoffmann@outreach.example.com>",
        subject="AW: Automatische Antwort: " + s.subject,
        date=date,
        seed="r3-de-re-auto",
        new="Guten Morgen Frau Hoffmann,\n\nich bin wieder zurück. Schicken Sie mir gern ein paar Terminvorschläge für\nnächste Woche.\n\nCarsten Vogt",
        sent=s,
        lang="de",
    )
    c.add(
        "de_human_aw_automatische_antwort.eml",
        "human",
        "de",
        raw,
        None,
        "a person answering under 'AW: Automatische Antwort:'; says he is back",
    )

    # English Outlook UI prefix, German text
    s = ours(
        "de",
        "Miriam Engel",
        "miriam.engel@engel-verlag.example.com",
        D(2026, 12, 22, 9, 0),
        "Engel Verlag",
        title="Frau Engel",
    )
    date = date_header(2026, 12, 22, 9, 0, "+0100", 45)
    hs = exchange_auto(
        "Miriam Engel <miriam.engel@engel-verlag.example.com>",
        "Lena Hoffmann <lena.hoffmann@outreach.example.com>",
        re_subject("Automatic reply:", s),
        date,
        "r3-de-enprefix",
        s.message_id,
        "en-US",
    )
    text = "Vielen Dank für Ihre Nachricht. Ich bin ab dem 5. Januar wieder im Verlag.\n\nMiriam Engel\nLektorat"
    c.add(
        "de_ooo_englischer_prefix.eml",
        "out_of_office",
        "de",
        outlook_ooo(hs, text, "r3-de-enprefix"),
        "2027-01-05",
        "English 'Automatic reply:' prefix (Outlook UI language) over German text",
    )

    # HTML-only absence notices in es / it / pt
    s = ours(
        "es",
        "Beatriz Soler",
        "beatriz.soler@soler-hoteles.example.es",
        D(2026, 12, 23, 9, 0),
        "Soler Hoteles",
    )
    date = date_header(2026, 12, 23, 9, 0, "+0100", 7)
    hs = exchange_auto(
        "Beatriz Soler <beatriz.soler@soler-hoteles.example.es>",
        "Lucía Romero <lucia.romero@outreach.example.com>",
        "Respuesta automática: " + s.subject,
        date,
        "r3-es-html",
        s.message_id,
        "es-ES",
    )
    html = wrap_html(
        '<p class="MsoNormal">Gracias por su mensaje.<o:p></o:p></p><p class="MsoNormal">Estoy fuera de la oficina por vacaciones del 24 de diciembre al 8 de enero, ambos incluidos. Estaré de vuelta el lunes 11 de enero.<o:p></o:p></p><p class="MsoNormal">Un saludo,<br>Beatriz Soler<o:p></o:p></p>',
        outlook=True,
    )
    c.add(
        "es_ooo_html_rango_y_vuelta.eml",
        "out_of_office",
        "es",
        html_only(hs, html),
        "2027-01-11",
        "HTML-only; range ends on a Friday, explicit return Monday 11 wins",
    )

    s = ours(
        "it",
        "Nicola Vitale",
        "nicola.vitale@vitale-trasporti.example.it",
        D(2026, 12, 21, 9, 0),
        "Vitale Trasporti",
    )
    date = date_header(2026, 12, 21, 9, 0, "+0100", 34)
    hs = exchange_auto(
        "Nicola Vitale <nicola.vitale@vitale-trasporti.example.it>",
        "Marco Bellini <marco.bellini@outreach.example.com>",
        "Risposta automatica: " + s.subject,
        date,
        "r3-it-html",
        s.message_id,
        "it-IT",
    )
    html = wrap_html(
        '<p class="MsoNormal">Gentile mittente,<o:p></o:p></p><p class="MsoNormal">sarò fuori sede fino al 6 gennaio incluso e tornerò in ufficio giovedì 7 gennaio.<o:p></o:p></p><p class="MsoNormal">Nicola Vitale<o:p></o:p></p>',
        outlook=True,
    )
    c.add(
        "it_ooo_html_incluso.eml",
        "out_of_office",
        "it",
        html_only(hs, html),
        "2027-01-07",
        "HTML-only; 'fino al 6 gennaio incluso' and 'tornerò giovedì 7 gennaio' agree",
    )

    s = ours(
        "pt",
        "Fernanda Castro",
        "fernanda.castro@castro-alimentos.example.com.br",
        D(2026, 12, 18, 9, 0),
        "Castro Alimentos",
    )
    date = date_header(2026, 12, 18, 9, 0, "-0300", 27)
    hs = exchange_auto(
        "Fernanda Castro <fernanda.castro@castro-alimentos.example.com.br>",
        "Beatriz Costa <beatriz.costa@outreach.example.com>",
        "Resposta automática: " + s.subject,
        date,
        "r3-pt-html",
        s.message_id,
        "pt-BR",
    )
    html = wrap_html(
        '<p class="MsoNormal">Olá,<o:p></o:p></p><p class="MsoNormal">Estarei em recesso de fim de ano e retorno às atividades em 04/01/2027.<o:p></o:p></p><p class="MsoNormal">Fernanda Castro<o:p></o:p></p>',
        outlook=True,
    )
    c.add(
        "pt_ooo_html_recesso.eml",
        "out_of_office",
        "pt",
        html_only(hs, html),
        "2027-01-04",
        "HTML-only pt-BR, numeric day-first 04/01/2027",
    )

    # Yahoo deferral (very common for cold outreach)
    s = ours(
        "en",
        "Shirley Moss",
        "shirley.moss1960@yahoo.example.com",
        D(2026, 12, 9, 9, 0),
        "Moss Antiques",
    )
    date = date_header(2026, 12, 9, 13, 0, "+0000", 20)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "MAILER-DAEMON@mail.outreach.example.com (Mail Delivery System)"),
        ("Subject", "Delayed Mail (still being retried)"),
        ("To", "bounces@outreach.example.com"),
        ("Auto-Submitted", "auto-replied"),
    ]
    human = (
        b"Content-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\n"
        + f"This is the mail system at host mail.outreach.example.com.\n\n####################################################################\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n####################################################################\n\nYour message could not be delivered for more than 4 hour(s).\nIt will be retried until it is 5 day(s) old.\n\n<{s.to_addr}>: host mta7.am0.yahoodns.example.net[203.0.113.90] said: 421\n    4.7.0 [TSS04] Messages from 198.51.100.20 temporarily deferred due to\n    unexpected volume or user complaints - 4.16.55.1; see\n    https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command)\n".encode()
    )
    st = delivery_status(
        reporting_mta="mail.outreach.example.com",
        recipient=s.to_addr,
        status="4.7.0",
        action="delayed",
        remote_mta="mta7.am0.yahoodns.example.net",
        diag="421 4.7.0 [TSS04] Messages from 198.51.100.20 temporarily deferred",
    )
    c.add(
        "en_soft_yahoo_tss04_deferred.eml",
        "soft_bounce",
        "en",
        report(
            hs,
            boundary="4QJ" + hexid("tss04", 9) + ".1796821200/mail.outreach.example.com",
            human=human,
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
            descriptions=True,
        ),
        None,
        "Yahoo TSS04 deferral ('user complaints' wording, still temporary)",
    )

    # final failure with a 4.x.x status: Exchange QUEUE.Expired
    s = ours("en", "Owen Hughes", "owen.hughes@example.org", D(2026, 12, 1, 9, 0), "Hughes Farm")
    date = date_header(2026, 12, 3, 9, 0, "+0000", 5)
    hs = [
        ("From", "Microsoft Outlook <postmaster@outreach.example.com>"),
        ("To", "<bounces@outreach.example.com>"),
        ("Date", date),
        ("Subject", "Undeliverable: " + s.subject),
        ("Message-ID", msgid("outlook", "r3-expired")),
        ("Auto-Submitted", "auto-replied"),
        ("X-MS-Exchange-Message-Is-Ndr", ""),
    ]
    txt = f"Delivery has failed to these recipients or groups:\n\n{s.to_addr}\nThe recipient's email server didn't respond in time. Microsoft Exchange will not try to redeliver this message for you. Please try resending this message later.\n\nDiagnostic information for administrators:\n\nGenerating server: PAXPR04MB8701.eurprd04.prod.outlook.com\n\n{s.to_addr}\nRemote Server returned '550 4.4.7 QUEUE.Expired; message expired'\n"
    st = delivery_status(
        reporting_mta="PAXPR04MB8701.eurprd04.prod.outlook.com",
        recipient=s.to_addr,
        status="4.4.7",
        action="failed",
        diag="550 4.4.7 QUEUE.Expired; message expired",
    )
    c.add(
        "en_soft_exchange_queue_expired.eml",
        "soft_bounce",
        "en",
        report(
            hs,
            boundary=hexid("exp", 8) + "-bbbb-4c1e-9a77-" + hexid("exp2", 12),
            human=text_part(txt, charset="us-ascii"),
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
            preamble="",
        ),
        None,
        "'Undeliverable:' and Action: failed, but the status is 4.4.7 (expired after retries): soft_bounce by the status class (README)",
    )

    # Postfix gives up after 5 days: Action failed, Status 4.4.1
    s = ours(
        "fr", "Agnès Perret", "agnes.perret@example.fr", D(2026, 11, 26, 9, 0), "Perret Horlogerie"
    )
    date = date_header(2026, 12, 1, 9, 0, "+0000", 1)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "MAILER-DAEMON@mail.outreach.example.com (Mail Delivery System)"),
        ("Subject", "Undelivered Mail Returned to Sender"),
        ("To", "bounces@outreach.example.com"),
        ("Auto-Submitted", "auto-replied"),
    ]
    human = (
        b"Content-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\n"
        + f"This is the mail system at host mail.outreach.example.com.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\n                   The mail system\n\n<{s.to_addr}>: connect to mx.example.fr[203.0.113.120]:25: Connection timed\n    out\n".encode()
    )
    st = delivery_status(
        reporting_mta="mail.outreach.example.com",
        recipient=s.to_addr,
        status="4.4.1",
        action="failed",
        diag=None,
        extra_per_recipient=[
            (
                "Diagnostic-Code",
                "X-Postfix; connect to mx.example.fr[203.0.113.120]:25: Connection timed out",
            )
        ],
    )
    c.add(
        "en_soft_postfix_gave_up_4_4_1.eml",
        "soft_bounce",
        "en",
        report(
            hs,
            boundary="4QB" + hexid("441", 9) + ".1796115600/mail.outreach.example.com",
            human=human,
            status_text=st,
            original=our_raw(s),
            descriptions=True,
        ),
        None,
        "Postfix returned the mail after 5 days (Action: failed) with status 4.4.1 'connection timed out': soft_bounce by the status class; returned original is French with our 'désinscription' footer",
    )


_PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _b64_part(ctype: str, data: bytes, *, disposition: str, extra: Headers | None = None) -> bytes:
    hs: Headers = [
        ("Content-Type", ctype),
        ("Content-Disposition", disposition),
        ("Content-Transfer-Encoding", "base64"),
        *(extra or []),
    ]
    return header_block(hs) + b"\n" + _b64.encodebytes(data)


def structures(c: Corpus) -> None:
    # human reply with a PDF attachment: multipart/mixed around multipart/alternative
    s = ours(
        "en",
        "Victoria Hale",
        "victoria.hale@halebrook.example.com",
        D(2026, 12, 10, 9, 0),
        "Halebrook",
    )
    date = date_header(2026, 12, 10, 15, 45, "+0000", 2)
    new = "Hi Jonas,\n\nAttached is our current outbound process. Can you quote against it? We'd\nneed it before the 18th.\n\nVictoria"
    text = new + "\n\n" + quoted("gmail-en", s) + "\n"
    ba = "000000000000" + hexid("att-a", 14)
    bm = "000000000000" + hexid("att-m", 14)
    alt = f'Content-Type: multipart/alternative; boundary="{ba}"\n\n'.encode() + multipart_body(
        [text_part(text), text_part(gmail_html(new, s, "gmail-en"), subtype="html")], ba
    )
    pdf = _b64_part(
        'application/pdf; name="Outbound process v3.pdf"',
        _PDF,
        disposition='attachment; filename="Outbound process v3.pdf"',
        extra=[("X-Attachment-Id", "f_" + hexid("pdf", 9))],
    )
    hs = [
        ("MIME-Version", "1.0"),
        ("References", s.message_id),
        ("In-Reply-To", s.message_id),
        ("From", "Victoria Hale <victoria.hale@halebrook.example.com>"),
        ("Date", date),
        ("Message-ID", msgid("gmail", "att")),
        ("Subject", "Re: " + s.subject),
        ("To", JONAS),
        ("Content-Type", f'multipart/mixed; boundary="{bm}"'),
    ]
    c.add(
        "en_human_with_pdf_attachment.eml",
        "human",
        "en",
        assemble(hs, multipart_body([alt, pdf], bm)),
        None,
        "multipart/mixed: alternative body plus a PDF attachment; a date in the text is a deadline",
    )

    # Outlook absence notice with an inline logo: multipart/related
    s = ours(
        "de",
        "Franziska Lehmann",
        "franziska.lehmann@lehmann-medizintechnik.example.com",
        D(2026, 12, 21, 9, 0),
        "Lehmann Medizintechnik",
        title="Frau Lehmann",
    )
    date = date_header(2026, 12, 21, 9, 0, "+0100", 38)
    hs = exchange_auto(
        "Franziska Lehmann <franziska.lehmann@lehmann-medizintechnik.example.com>",
        "Lena Hoffmann <lena.hoffmann@outreach.example.com>",
        re_subject("Automatische Antwort:", s),
        date,
        "str-de-rel",
        s.message_id,
        "de-DE",
    )
    text = "Vielen Dank für Ihre Nachricht.\n\nIch bin nicht im Büro. Ab dem 04.01.2027 bin ich wieder erreichbar.\n\nFranziska Lehmann\n[cid:image001.png@01DB4A1C.2F3E5D60]\nLehmann Medizintechnik GmbH"
    html = wrap_html(
        '<p class="MsoNormal">Vielen Dank für Ihre Nachricht.<o:p></o:p></p><p class="MsoNormal">Ich bin nicht im Büro. Ab dem 04.01.2027 bin ich wieder erreichbar.<o:p></o:p></p><p class="MsoNormal">Franziska Lehmann<br><img width="120" height="40" src="cid:image001.png@01DB4A1C.2F3E5D60" alt="Lehmann Medizintechnik"><o:p></o:p></p>',
        outlook=True,
    )
    br = "_004_" + hexid("rel-r", 30).upper() + "_"
    ba = "_000_" + hexid("rel-a", 30).upper() + "_"
    alt = f'Content-Type: multipart/alternative;\n\tboundary="{ba}"\n\n'.encode() + multipart_body(
        [text_part(text), text_part(html, subtype="html")], ba
    )
    img = _b64_part(
        'image/png; name="image001.png"',
        _b64.b64decode(_PNG_1X1),
        disposition='inline; filename="image001.png"; size=68',
        extra=[
            ("Content-Description", "image001.png"),
            ("Content-ID", "<image001.png@01DB4A1C.2F3E5D60>"),
        ],
    )
    raw = assemble(
        [
            *hs,
            (
                "Content-Type",
                f'multipart/related;\n\tboundary="{br}";\n\ttype="multipart/alternative"',
            ),
            ("MIME-Version", "1.0"),
        ],
        multipart_body([alt, img], br),
    )
    c.add(
        "de_ooo_inline_logo_related.eml",
        "out_of_office",
        "de",
        raw,
        "2027-01-04",
        "multipart/related with an inline logo (cid:) around the alternative body",
    )

    # human accepting with a calendar invitation
    s = ours(
        "nl",
        "Koen Janssens",
        "koen.janssens@janssens-bouw.example.be",
        D(2026, 12, 9, 9, 0),
        "Janssens Bouw",
    )
    date = date_header(2026, 12, 9, 11, 0, "+0100", 14)
    new = "Hoi Sanne,\n\nIk heb een uitnodiging gestuurd voor dinsdag 15 december om 10u.\n\nKoen"
    ical = (
        "BEGIN:VCALENDAR\nMETHOD:REQUEST\nPRODID:Microsoft Exchange Server 2010\nVERSION:2.0\nBEGIN:VEVENT\n"
        "ORGANIZER;CN=Koen Janssens:mailto:koen.janssens@janssens-bouw.example.be\n"
        "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Sanne de Vries:mailto:sanne.devries@outreach.example.com\n"
        "SUMMARY;LANGUAGE=nl-BE:Kennismaking Northwind\nDTSTART;TZID=Romance Standard Time:20261215T100000\nDTEND;TZID=Romance Standard Time:20261215T103000\n"
        f"UID:{hexid('ics', 32)}\nDTSTAMP:20261209T100000Z\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    ba = "_000_" + hexid("cal-a", 30).upper() + "_"
    raw = assemble(
        [
            ("From", "Koen Janssens <koen.janssens@janssens-bouw.example.be>"),
            ("To", "Sanne de Vries <sanne.devries@outreach.example.com>"),
            ("Subject", "RE: " + s.subject),
            ("Date", date),
            ("Message-ID", msgid("outlook", "cal")),
            ("References", s.message_id),
            ("In-Reply-To", s.message_id),
            ("Content-Language", "nl-BE"),
            ("Content-Type", f'multipart/alternative;\n\tboundary="{ba}"'),
            ("MIME-Version", "1.0"),
        ],
        multipart_body(
            [
                text_part(new + "\n\n" + quoted("gmail-nl", s)),
                text_part(wrap_html(text_to_html(new)), subtype="html"),
                text_part(
                    ical,
                    subtype="calendar",
                    charset="utf-8",
                    cte="base64",
                    params="; method=REQUEST",
                ),
            ],
            ba,
        ),
    )
    c.add(
        "nl_human_met_agenda_uitnodiging.eml",
        "human",
        "nl",
        raw,
        None,
        "multipart/alternative with a text/calendar invitation part",
    )

    # unsubscribe with an image signature, multipart/related from Apple Mail
    s = ours(
        "pt",
        "Sérgio Pinto",
        "sergio.pinto@pinto-moveis.example.pt",
        D(2026, 12, 10, 9, 0),
        "Pinto Móveis",
    )
    date = date_header_nopad(2026, 12, 10, 12, 0, "+0000")
    new = "Bom dia,\n\nAgradeço que retirem o meu contacto da vossa lista.\n\nSérgio Pinto"
    br = (
        "Apple-Mail=_"
        + hexid("pt-rel", 8).upper()
        + "-1A2B-4C3D-8E9F-"
        + hexid("pt-rel2", 12).upper()
    )
    ba = (
        "Apple-Mail=_"
        + hexid("pt-alt", 8).upper()
        + "-5A6B-4C7D-9E0F-"
        + hexid("pt-alt2", 12).upper()
    )
    html = (
        '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body style="overflow-wrap: break-word;">'
        + text_to_html(new)
        + '<div><img src="cid:'
        + hexid("cid", 8).upper()
        + '@pinto-moveis.example.pt" alt="Pinto Móveis"></div><div><br><blockquote type="cite">'
        + text_to_html(s.text)
        + "</blockquote></div></body></html>\n"
    )
    alt = f'Content-Type: multipart/alternative;\n\tboundary="{ba}"\n\n'.encode() + multipart_body(
        [
            text_part(new + "\n\n" + quoted("apple-pt", s), charset="utf-8"),
            text_part(html, subtype="html", charset="utf-8"),
        ],
        ba,
    )
    img = _b64_part(
        'image/png; name="logo.png"',
        _b64.b64decode(_PNG_1X1),
        disposition='inline; filename="logo.png"',
        extra=[("Content-Id", "<" + hexid("cid", 8).upper() + "@pinto-moveis.example.pt>")],
    )
    raw = assemble(
        [
            ("From", ew("Sérgio Pinto", "utf-8") + " <sergio.pinto@pinto-moveis.example.pt>"),
            (
                "Content-Type",
                f'multipart/related;\n\ttype="multipart/alternative";\n\tboundary="{br}"',
            ),
            ("Mime-Version", "1.0 (Mac OS X Mail 16.0 \\(3826.300.87.4.3\\))"),
            ("Subject", "Re: " + ew(s.subject, "utf-8")),
            ("Date", date),
            ("In-Reply-To", s.message_id),
            ("To", "Beatriz Costa <beatriz.costa@outreach.example.com>"),
            ("References", s.message_id),
            ("Message-Id", msgid("apple", "pt-rel", "pinto-moveis.example.pt")),
            ("X-Mailer", "Apple Mail (2.3826.300.87.4.3)"),
        ],
        multipart_body([alt, img], br),
    )
    c.add(
        "pt_unsub_retirem_contacto_assinatura.eml",
        "unsubscribe",
        "pt",
        raw,
        None,
        "Apple Mail multipart/related with an inline image signature; pt-PT 'retirem o meu contacto da vossa lista'",
    )


def round4(c: Corpus) -> None:
    date = date_header(2026, 12, 4, 10, 0, "+0100", 31)
    hs = [
        ("Date", date),
        ("From", "Atelier Ducasse <contact@atelier-ducasse.example.fr>"),
        ("To", "camille.robert@outreach.example.com"),
        ("Subject", ew("Nous avons bien reçu votre message", "utf-8")),
        ("Message-ID", msgid("other", "r4-fr", "atelier-ducasse.example.fr")),
        ("Precedence", "bulk"),
    ]
    text = "Bonjour,\n\nNous avons bien reçu votre e-mail et vous répondrons sous 48 h ouvrées.\n\nL'équipe de l'Atelier Ducasse"
    c.add(
        "fr_auto_bien_recu_48h.eml",
        "auto_reply",
        "fr",
        simple(hs, text, charset="iso-8859-1", cte="quoted-printable"),
        None,
        "acknowledgement with only Precedence: bulk",
    )

    s = ours(
        "es", "Marcos Vidal", "marcos@vidal-studio.example.es", D(2026, 12, 9, 9, 0), "Vidal Studio"
    )
    date = date_header(2026, 12, 9, 9, 0, "+0100", 50)
    hs = [
        ("MIME-Version", "1.0"),
        ("References", s.message_id),
        ("In-Reply-To", s.message_id),
        ("Auto-Submitted", "auto-replied"),
        ("Date", date),
        ("Message-ID", msgid("gmail", "r4-es")),
        ("Subject", "Re: " + ew(s.subject, "utf-8")),
        ("From", "Marcos Vidal <marcos@vidal-studio.example.es>"),
        ("To", "lucia.romero@outreach.example.com"),
    ]
    text = "¡Hola! Gracias por escribirme.\n\nAhora mismo estoy centrado en un proyecto y reviso el correo dos veces al día.\nTe contesto en cuanto pueda. Si es urgente, mándame un WhatsApp.\n\nMarcos\n"
    c.add(
        "es_auto_parece_humano.eml",
        "auto_reply",
        "es",
        alternative(
            hs,
            text,
            f'<div dir="ltr">{text_to_html(text)}</div>\n',
            boundary="000000000000" + hexid("r4es", 12),
        ),
        None,
        "reads like a person but Auto-Submitted, and not an absence",
    )

    date = date_header(2026, 12, 7, 16, 0, "+0100", 8)
    hs = [
        ("Date", date),
        ("From", "Pastificio Sole <info@pastificio-sole.example.it>"),
        ("To", "marco.bellini@outreach.example.com"),
        ("Subject", "Grazie per averci contattato"),
        ("Message-ID", msgid("other", "r4-it", "pastificio-sole.example.it")),
    ]
    text = "Grazie per averci contattato! Abbiamo ricevuto la sua richiesta e le\nrisponderemo entro 24 ore lavorative.\n\nPastificio Sole"
    c.add(
        "it_auto_grazie_24_ore.eml",
        "auto_reply",
        "it",
        simple(hs, text, charset="utf-8", cte="8bit"),
        None,
        "acknowledgement without any automation header",
    )

    date = date_header(2026, 12, 8, 10, 0, "+0100", 12)
    hs = [
        ("Date", date),
        ("From", "Fietsfabriek <hallo@fietsfabriek.example.nl>"),
        ("To", "sanne.devries@outreach.example.com"),
        ("Subject", "Bedankt voor je e-mail!"),
        ("Message-ID", msgid("other", "r4-nl", "fietsfabriek.example.nl")),
        ("X-Autoreply", "yes"),
    ]
    text = "Bedankt voor je e-mail! We reageren binnen 1 werkdag.\n\nTeam Fietsfabriek\n\nGeen nieuwsbrief meer ontvangen? Meld je af via https://fietsfabriek.example.nl/afmelden"
    c.add(
        "nl_auto_bedankt_afmelden_footer.eml",
        "auto_reply",
        "nl",
        simple(hs, text, charset="utf-8", cte="7bit"),
        None,
        "X-Autoreply; its own newsletter footer says 'Meld je af'",
    )

    s = ours("pt", "Apoio", "apoio@lusotec.example.pt", D(2026, 12, 9, 9, 0), "Lusotec")
    date = date_header(2026, 12, 9, 9, 0, "+0000", 27)
    hs = [
        ("Date", date),
        ("From", "Apoio Lusotec <apoio@lusotec.example.pt>"),
        ("To", "beatriz.costa@outreach.example.com"),
        ("Subject", "Re: " + ew(s.subject, "utf-8")),
        ("In-Reply-To", s.message_id),
        ("Message-ID", msgid("other", "r4-pt", "lusotec.example.pt")),
        ("Auto-Submitted", "auto-replied"),
    ]
    text = "Obrigado pelo seu contacto. A sua mensagem foi recebida e será respondida\ncom a maior brevidade possível.\n\nEquipa de Apoio Lusotec"
    c.add(
        "pt_auto_obrigado_contacto.eml",
        "auto_reply",
        "pt",
        simple(hs, text, charset="iso-8859-1", cte="quoted-printable"),
        None,
        "'Re:' subject, Auto-Submitted acknowledgement",
    )

    s = ours(
        "de",
        "Tim Albrecht",
        "tim.albrecht@albrecht-fotografie.example.com",
        D(2026, 12, 10, 9, 0),
        "Albrecht Fotografie",
        title="Herr Albrecht",
    )
    date = date_header(2026, 12, 10, 9, 1, "+0100", 0)
    hs = [
        ("MIME-Version", "1.0"),
        ("References", s.message_id),
        ("In-Reply-To", s.message_id),
        ("Auto-Submitted", "auto-replied"),
        ("Date", date),
        ("Message-ID", msgid("gmail", "r4-de")),
        ("Subject", "Abwesend"),
        ("From", "Tim Albrecht <tim.albrecht@albrecht-fotografie.example.com>"),
        ("To", "lena.hoffmann@outreach.example.com"),
    ]
    text = "Hallo,\n\nich bin gerade auf einem Shooting im Ausland und lese meine E-Mails nur\nsporadisch. Ich melde mich, sobald ich zurück bin.\n\nTim\n"
    c.add(
        "de_ooo_gmail_ohne_datum.eml",
        "out_of_office",
        "de",
        alternative(
            hs,
            text,
            f'<div dir="ltr">{text_to_html(text)}</div>\n',
            boundary="000000000000" + hexid("r4de", 12),
        ),
        None,
        "Gmail vacation responder, German, no date",
    )

    s = ours(
        "fr",
        "Yannick Colin",
        "yannick.colin@example.net",
        D(2026, 12, 8, 9, 0),
        "Colin Électricité",
    )
    date = date_header(2026, 12, 8, 13, 0, "+0100", 6)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "MAILER-DAEMON@smtp.example.net (Systeme de messagerie)"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", ew("Avertissement : remise différée (boîte pleine)", "utf-8")),
        ("Auto-Submitted", "auto-replied"),
    ]
    human = text_part(
        f"CECI EST UN AVERTISSEMENT. VOUS N'AVEZ PAS BESOIN DE RENVOYER LE MESSAGE.\n\nLa boîte aux lettres du destinataire est pleine. Nous réessaierons pendant\n5 jours.\n\n<{s.to_addr}>: 452 4.2.2 Over quota\n",
        charset="utf-8",
    )
    st = delivery_status(
        reporting_mta="smtp.example.net",
        recipient=s.to_addr,
        status="4.2.2",
        action="delayed",
        diag="452 4.2.2 Over quota",
    )
    c.add(
        "fr_soft_boite_pleine.eml",
        "soft_bounce",
        "fr",
        report(
            hs,
            boundary="=_" + hexid("r4fr", 16),
            human=human,
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
        ),
        None,
        "French delay DSN, over quota 4.2.2",
    )

    s = ours(
        "nl", "Arjen Wouters", "arjen.wouters@example.nl", D(2026, 12, 9, 9, 0), "Wouters Tuinen"
    )
    date = date_header(2026, 12, 9, 9, 0, "+0100", 41)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "Mail Delivery System <MAILER-DAEMON@mx.example.nl>"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", "Onbestelbaar bericht"),
        ("Message-ID", msgid("mta", "r4-nl-b", "mx.example.nl")),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
    ]
    text = f"Dit bericht is automatisch aangemaakt door het mailsysteem.\n\nUw bericht kon niet worden afgeleverd bij een of meer ontvangers. Dit is een\npermanente fout. Het volgende adres is mislukt:\n\n  {s.to_addr}\n    550 5.1.1 Mailbox bestaat niet / mailbox does not exist\n\n------ Kopie van de kopregels van het bericht ------\n\n"
    c.add(
        "nl_bounce_mailer_daemon_nl.eml",
        "bounce",
        "nl",
        assemble(hs, text.encode() + our_raw(s, headers_only=True)),
        None,
        "Dutch mailer-daemon text, no DSN part",
    )


def build(c: Corpus) -> None:
    """The second round of cases."""
    receipts_and_filters(c)
    signatures_and_disclaimers(c)
    absences(c)
    dsn_shapes(c)
    round3(c)
    structures(c)
    round4(c)
