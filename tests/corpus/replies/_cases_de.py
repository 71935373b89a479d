# ruff: noqa: E501, PLR0917
"""German cases (Germany, Austria, Switzerland)."""

from __future__ import annotations

import datetime as dt

from tests.corpus.replies._mail import (
    Corpus,
    Headers,
    alternative,
    assemble,
    date_header,
    date_header_nopad,
    delivery_status,
    ew,
    hexid,
    html_only,
    msgid,
    mso_paras,
    multipart_body,
    mx_trace,
    our_raw,
    ours,
    re_subject,
    reply,
    report,
    simple,
    text_part,
    text_to_html,
    wrap_html,
)

D = dt.datetime
LENA = "Lena Hoffmann <lena.hoffmann@outreach.example.com>"


def exchange_headers(
    frm: str,
    subject: str,
    date: str,
    seed: str,
    irt: str,
    loc: str = "de-DE",
    *,
    encode: bool = True,
) -> Headers:
    """Headers of an Exchange/Outlook automatic reply."""
    return [
        ("From", frm),
        ("To", LENA),
        ("Subject", ew(subject, "utf-8") if encode and not subject.isascii() else subject),
        (
            "Thread-Topic",
            ew(subject.split(": ", 1)[1], "utf-8")
            if not subject.isascii()
            else subject.split(": ", 1)[1],
        ),
        ("Thread-Index", "AQHa" + hexid(seed, 20)),
        ("Date", date),
        ("Message-ID", msgid("outlook", seed)),
        ("References", irt),
        ("In-Reply-To", irt),
        ("Content-Language", loc),
        ("X-MS-Has-Attach", ""),
        ("X-MS-TNEF-Correlator", ""),
        ("auto-submitted", "auto-generated"),
        ("x-ms-exchange-generated-message-source", "Mailbox Rules Agent"),
        ("X-MS-Exchange-Inbox-Rules-Loop", frm.rsplit("<", maxsplit=1)[-1].rstrip(">")),
        ("X-Auto-Response-Suppress", "All"),
    ]


def ooo(c: Corpus) -> None:
    s = ours(
        "de",
        "Stefan Krüger",
        "s.krueger@krueger-maschinenbau.example.com",
        D(2026, 12, 21, 9, 0),
        "Krüger Maschinenbau",
        title="Herr Krüger",
    )
    date = date_header(2026, 12, 21, 9, 1, "+0100", 7)
    hs = exchange_headers(
        "Krüger, Stefan <s.krueger@krueger-maschinenbau.example.com>",
        re_subject("Automatische Antwort:", s),
        date,
        "de-ooo-1",
        s.message_id,
    )
    hs[0] = (
        "From",
        ew("Krüger, Stefan", "iso-8859-1", upper=True)
        + " <s.krueger@krueger-maschinenbau.example.com>",
    )
    text = "Sehr geehrte Damen und Herren,\n\nvielen Dank für Ihre Nachricht. Ich bin bis einschließlich 6. Januar nicht\nim Büro und ab dem 7. Januar wieder für Sie erreichbar. In dringenden Fällen\nwenden Sie sich bitte an meine Kollegin Frau Yilmaz (0711 123 456-20).\n\nMit freundlichen Grüßen\nStefan Krüger"
    c.add(
        "de_ooo_exchange_ab_dem.eml",
        "out_of_office",
        "de",
        simple(hs, text, charset="iso-8859-1", cte="quoted-printable", quote_charset=True),
        "2027-01-07",
        "'bis einschließlich 6. Januar' and 'ab dem 7. Januar wieder' agree; From and Subject RFC 2047",
    )

    s = ours(
        "de",
        "Claudia Weber",
        "claudia.weber@weber-steuer.example.com",
        D(2026, 12, 22, 10, 0),
        "Weber Steuerberatung",
        title="Frau Weber",
    )
    date = date_header(2026, 12, 22, 10, 3, "+0100", 40)
    hs = exchange_headers(
        "Claudia Weber <claudia.weber@weber-steuer.example.com>",
        re_subject("Automatische Antwort:", s),
        date,
        "de-ooo-2",
        s.message_id,
    )
    text = "Guten Tag,\n\nich bin bis einschließlich 08.01.2027 im Urlaub. Ihre E-Mail wird nicht\nweitergeleitet.\n\nFreundliche Grüße\nClaudia Weber\nSteuerberaterin"
    b = "_000_" + hexid("de-ooo-2b", 30).upper() + "_"
    raw = assemble(
        [
            *hs,
            ("Content-Type", f'multipart/alternative;\n\tboundary="{b}"'),
            ("MIME-Version", "1.0"),
        ],
        multipart_body(
            [
                text_part(text, charset="utf-8"),
                text_part(
                    wrap_html(mso_paras(text), outlook=True), subtype="html", charset="utf-8"
                ),
            ],
            b,
        ),
    )
    c.add(
        "de_ooo_bis_einschliesslich.eml",
        "out_of_office",
        "de",
        raw,
        "2027-01-09",
        "'bis einschließlich' = inclusive: next day",
    )

    s = ours(
        "de",
        "Jörg Schmitt",
        "joerg.schmitt@schmitt-logistik.example.com",
        D(2026, 12, 18, 14, 0),
        "Schmitt Logistik",
        title="Herr Schmitt",
    )
    date = date_header(2026, 12, 18, 14, 2, "+0100", 5)
    hs = [
        *mx_trace("mout.example.net", date, "212.227.17.10", return_path="<>"),
        ("Date", date),
        ("From", ew("Jörg Schmitt", "utf-8") + " <joerg.schmitt@schmitt-logistik.example.com>"),
        ("To", "lena.hoffmann@outreach.example.com"),
        ("Subject", ew("Abwesenheitsnotiz: " + s.subject, "utf-8")),
        ("Message-ID", msgid("other", "de-ooo-3", "schmitt-logistik.example.com")),
        ("Auto-Submitted", "auto-replied"),
        ("Precedence", "bulk"),
    ]
    text = "Hallo,\n\nich bin vom 20.12. bis 06.01. nicht im Haus und lese keine E-Mails.\nBei Fragen zu Sendungen: dispo@schmitt-logistik.example.com\n\nGruß\nJörg Schmitt"
    c.add(
        "de_ooo_range_vom_bis.eml",
        "out_of_office",
        "de",
        simple(hs, text, charset="iso-8859-15", cte="8bit"),
        "2027-01-07",
        "range 'vom 20.12. bis 06.01.' (years omitted, crosses the year): last absent day + 1; 8bit ISO-8859-15",
    )

    s = ours(
        "de",
        "Anna Becker",
        "anna.becker@becker-pharma.example.com",
        D(2026, 12, 23, 8, 0),
        "Becker Pharma",
        title="Frau Becker",
    )
    date = date_header(2026, 12, 23, 8, 0, "+0100", 50)
    hs = exchange_headers(
        "Becker, Anna <anna.becker@becker-pharma.example.com>",
        re_subject("Automatische Antwort:", s),
        date,
        "de-ooo-4",
        s.message_id,
    )
    text = (
        "*** English version below ***\n\n"
        "Vielen Dank für Ihre E-Mail. Ich bin bis zum 11. Januar 2027 nicht im Büro\n"
        "und habe keinen Zugriff auf meine E-Mails. Ihre Nachricht wird nicht\nweitergeleitet.\n\n"
        "Thank you for your e-mail. I am out of the office until 11 January 2027\n"
        "without access to e-mail. Your message will not be forwarded.\n\n"
        "Mit freundlichen Grüßen / Kind regards\nAnna Becker\nBecker Pharma GmbH | Regulatory Affairs"
    )
    c.add(
        "de_ooo_bilingual_de_en.eml",
        "out_of_office",
        "de",
        simple(hs, text, charset="windows-1252", cte="quoted-printable", quote_charset=True),
        "2027-01-11",
        "bilingual de/en; 'bis zum X' / 'until X' without inclusive marker: X (README)",
    )

    s = ours(
        "de",
        "Michael Braun",
        "m.braun@braun-elektro.example.com",
        D(2026, 12, 18, 11, 0),
        "Braun Elektrotechnik",
        title="Herr Braun",
    )
    date = date_header(2026, 12, 18, 11, 0, "+0100", 3)
    hs = exchange_headers(
        "Michael Braun <m.braun@braun-elektro.example.com>",
        re_subject("Automatische Antwort:", s),
        date,
        "de-ooo-5",
        s.message_id,
    )
    html = wrap_html(
        mso_paras(
            "Sehr geehrte Damen und Herren,\n\nich bin im Weihnachtsurlaub und ab dem 7. Januar wieder im Büro.\n\nMit freundlichen Grüßen\nMichael Braun\nBraun Elektrotechnik GmbH & Co. KG\nIndustriestraße 12 · 90411 Nürnberg"
        ),
        outlook=True,
    )
    c.add(
        "de_ooo_ab_dem_wieder_im_buero.eml",
        "out_of_office",
        "de",
        html_only(hs, html),
        "2027-01-07",
        "HTML-only; 'ab dem 7. Januar wieder im Büro'",
    )

    s = ours(
        "de",
        "Sabine Wolf",
        "sabine.wolf@web.example.de",
        D(2026, 12, 28, 9, 0),
        "Wolf Grafik",
        title="Frau Wolf",
    )
    date = date_header(2026, 12, 28, 9, 0, "+0100", 1)
    hs = [
        ("Return-Path", "<sabine.wolf@web.example.de>"),
        ("Date", date),
        ("From", "sabine.wolf@web.example.de"),
        ("To", "lena.hoffmann@outreach.example.com"),
        ("Subject", "Urlaub"),
        (
            "Message-ID",
            "<trinity-"
            + hexid("de-ooo-6", 8)
            + "-"
            + hexid("x6", 4)
            + "-4dd5-8b53-"
            + hexid("y6", 12)
            + "@3c-app-webde-bap12>",
        ),
        ("Auto-Submitted", "auto-replied"),
        ("X-UI-Message-Type", "vacationmail"),
    ]
    text = "Hallo,\n\nich bin im Urlaub und ab Montag, 4.1., wieder da. Angebote bis 500 € gebe\nich danach frei.\n\nSabine\n"
    c.add(
        "de_ooo_webmail_ab_montag.eml",
        "out_of_office",
        "de",
        simple(hs, text, charset="iso-8859-15", cte="quoted-printable"),
        "2027-01-04",
        "webmail vacation with subject 'Urlaub'; ISO-8859-15 (€)",
    )

    s = ours(
        "de",
        "Thomas Richter",
        "t.richter@richter-bau.example.com",
        D(2026, 12, 7, 9, 0),
        "Richter Bau",
        title="Herr Richter",
    )
    date = date_header(2026, 12, 7, 9, 0, "+0100", 30)
    hs = exchange_headers(
        "Thomas Richter <t.richter@richter-bau.example.com>",
        re_subject("Automatische Antwort:", s),
        date,
        "de-ooo-7",
        s.message_id,
    )
    text = "Ich bin zurzeit nicht im Büro. Ihre E-Mail wird nicht weitergeleitet.\nIn dringenden Fällen rufen Sie bitte die Zentrale an: 0341 99 88 77-0"
    c.add(
        "de_ooo_no_date.eml",
        "out_of_office",
        "de",
        simple(hs, text, charset="windows-1252", cte="quoted-printable", quote_charset=True),
        None,
        "no date",
    )

    s = ours(
        "de",
        "Katrin Lange",
        "katrin.lange@lange-moebel.example.com",
        D(2026, 12, 2, 9, 0),
        "Lange Möbel",
        title="Frau Lange",
    )
    date = date_header(2026, 12, 2, 9, 5, "+0100", 4)
    hs = exchange_headers(
        "Katrin Lange <katrin.lange@lange-moebel.example.com>",
        re_subject("Automatische Antwort:", s),
        date,
        "de-ooo-8",
        s.message_id,
    )
    text = "Guten Tag,\n\ndiese Woche bin ich auf der Messe in Köln und ab nächsten Montag wieder im\nBüro. Ich melde mich dann umgehend.\n\nKatrin Lange"
    c.add(
        "de_ooo_relative_naechsten_montag.eml",
        "out_of_office",
        "de",
        simple(hs, text, charset="utf-8", cte="8bit"),
        "2026-12-07",
        "relative: 'ab nächsten Montag' after Wed 2 Dec",
    )

    s = ours(
        "de",
        "Julia Neumann",
        "julia.neumann@neumann-hr.example.com",
        D(2026, 11, 16, 9, 0),
        "Neumann HR",
        title="Frau Neumann",
    )
    date = date_header(2026, 11, 16, 9, 0, "+0100", 22)
    hs = exchange_headers(
        "Julia Neumann <julia.neumann@neumann-hr.example.com>",
        re_subject("Automatische Antwort:", s),
        date,
        "de-ooo-9",
        s.message_id,
    )
    text = "Vielen Dank für Ihre Nachricht.\n\nIch befinde mich bis voraussichtlich 31. März 2027 in Elternzeit. Ihre\nE-Mail wird nicht gelesen. Bitte wenden Sie sich an personal@neumann-hr.example.com.\n\nJulia Neumann"
    c.add(
        "de_ooo_elternzeit_bis.eml",
        "out_of_office",
        "de",
        simple(hs, text, charset="utf-8", cte="quoted-printable"),
        "2027-03-31",
        "long leave; plain 'bis X' without inclusive marker: X (README)",
    )

    s = ours(
        "de",
        "Frank Schulz",
        "frank.schulz@schulz-it.example.com",
        D(2026, 12, 14, 7, 30),
        "Schulz IT",
        title="Herr Schulz",
    )
    date = date_header(2026, 12, 14, 7, 31, "+0100", 2)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "Frank Schulz <frank.schulz@schulz-it.example.com>"),
        ("To", "lena.hoffmann@outreach.example.com"),
        ("Subject", "Abwesend: Re: " + ew(s.subject, "utf-8")),
        ("Message-ID", "<dovecot-sieve-" + hexid("de-ooo-10", 12) + "@schulz-it.example.com>"),
        ("In-Reply-To", s.message_id),
        ("References", s.message_id),
        ("Auto-Submitted", "auto-replied (vacation)"),
        ("Precedence", "bulk"),
        ("X-Mailer", "Dovecot Pigeonhole Sieve 0.5.21"),
    ]
    text = "Ich bin am 14. und 15. Dezember auf Dienstreise. Am 16.12. bin ich wieder\nim Büro.\n\nFrank Schulz"
    c.add(
        "de_ooo_sieve_dienstreise.eml",
        "out_of_office",
        "de",
        simple(hs, text, charset="utf-8", cte="quoted-printable"),
        "2026-12-16",
        "Sieve vacation; two absence days named, return 16.12.",
    )

    s = ours(
        "de",
        "Markus Vogel",
        "markus.vogel@vogel-automotive.example.com",
        D(2026, 12, 18, 16, 0),
        "Vogel Automotive",
        title="Herr Vogel",
    )
    date = date_header(2026, 12, 21, 7, 45, "+0100", 13)
    hs = exchange_headers(
        "Vogel, Markus <markus.vogel@vogel-automotive.example.com>",
        re_subject("Automatische Antwort:", s),
        date,
        "de-ooo-11",
        s.message_id,
    )
    text = "Sehr geehrte Damen und Herren,\n\nich bin ab dem 21.12.2026 im Urlaub und ab dem 11.01.2027 wieder für Sie\nerreichbar. Bitte beachten Sie, dass unser Werk vom 24.12. bis 01.01.\ngeschlossen ist. Bestellungen, die nach dem 18.12. eingehen, werden ab dem\n04.01. bearbeitet.\n\nMit freundlichen Grüßen\nMarkus Vogel"
    b = "_000_" + hexid("de-ooo-11b", 30).upper() + "_"
    raw = assemble(
        [
            *hs,
            ("Content-Type", f'multipart/alternative;\n\tboundary="{b}"'),
            ("MIME-Version", "1.0"),
        ],
        multipart_body(
            [
                text_part(text, charset="iso-8859-1", cte="quoted-printable"),
                text_part(
                    wrap_html(mso_paras(text), outlook=True),
                    subtype="html",
                    charset="iso-8859-1",
                    cte="quoted-printable",
                ),
            ],
            b,
        ),
        crlf=True,
    )
    c.add(
        "de_ooo_several_dates.eml",
        "out_of_office",
        "de",
        raw,
        "2027-01-11",
        "six dates; the return is 'ab dem 11.01.2027 wieder erreichbar'; CRLF",
    )

    s = ours(
        "de",
        "Petra Hahn",
        "petra.hahn@hahn-immobilien.example.com",
        D(2026, 12, 22, 9, 0),
        "Hahn Immobilien",
        title="Frau Hahn",
    )
    date = date_header(2026, 12, 22, 9, 12, "+0100", 9)
    hs = [
        ("Date", date),
        ("From", "Petra Hahn <petra.hahn@hahn-immobilien.example.com>"),
        ("To", "Lena Hoffmann <lena.hoffmann@outreach.example.com>"),
        ("Subject", "AW: " + ew(s.subject, "utf-8")),
        ("Message-ID", msgid("other", "de-ooo-12", "hahn-immobilien.example.com")),
    ]
    text = "Ich bin vom 23.12.2026 bis zum 3.1.2027 nicht im Büro. Ihre Nachricht wird\nnach meiner Rückkehr bearbeitet.\n\nPetra Hahn\nHahn Immobilien"
    c.add(
        "de_ooo_stripped_headers.eml",
        "out_of_office",
        "de",
        simple(hs, text, charset="utf-8", cte="base64"),
        "2027-01-04",
        "no automation headers, 'AW:' subject; range with years: last day + 1",
    )

    s = ours(
        "de",
        "Uwe Koch",
        "uwe.koch@koch-druck.example.com",
        D(2026, 12, 9, 9, 0),
        "Koch Druck",
        title="Herr Koch",
    )
    date = date_header(2026, 12, 9, 9, 0, "+0100", 55)
    hs = exchange_headers(
        "Uwe Koch <uwe.koch@koch-druck.example.com>",
        re_subject("Automatische Antwort:", s),
        date,
        "de-ooo-13",
        s.message_id,
    )
    text = "Ich bin krankheitsbedingt abwesend. Ihre Nachricht wird nicht gelesen und\nnicht weitergeleitet. Bitte wenden Sie sich an info@koch-druck.example.com."
    c.add(
        "de_ooo_krank_no_date.eml",
        "out_of_office",
        "de",
        simple(hs, text, charset="utf-8", cte="quoted-printable"),
        None,
        "sick leave, no date",
    )

    s = ours(
        "de",
        "Andreas Keller",
        "a.keller@keller-consulting.example.com",
        D(2026, 12, 17, 9, 0),
        "Keller Consulting",
        title="Herr Keller",
    )
    date = date_header(2026, 12, 17, 9, 0, "+0100", 12)
    hs = exchange_headers(
        "Andreas Keller <a.keller@keller-consulting.example.com>",
        re_subject("Automatische Antwort:", s),
        date,
        "de-ooo-14",
        s.message_id,
    )
    text = "Danke für Ihre Nachricht. Ich bin in KW 2 wieder im Büro und melde mich\ndann bei Ihnen.\n\nAndreas Keller"
    c.add(
        "de_ooo_kalenderwoche.eml",
        "out_of_office",
        "de",
        simple(hs, text, charset="iso-8859-1", cte="8bit"),
        "2027-01-11",
        "German calendar week 'KW 2' (ISO week of the next year): its Monday",
    )

    s = ours(
        "de",
        "Elisabeth Gruber",
        "e.gruber@gruber-tirol.example.at",
        D(2026, 12, 22, 9, 0),
        "Gruber Tirol",
        title="Frau Gruber",
    )
    date = date_header(2026, 12, 22, 9, 0, "+0100", 26)
    hs = exchange_headers(
        "Gruber Elisabeth <e.gruber@gruber-tirol.example.at>",
        re_subject("Automatische Antwort:", s),
        date,
        "de-ooo-15",
        s.message_id,
        "de-AT",
    )
    text = "Sehr geehrte Damen und Herren,\n\nich bin ab 7. Jänner wieder im Büro.\n\nMit freundlichen Grüßen\nElisabeth Gruber"
    c.add(
        "de_ooo_austria_jaenner.eml",
        "out_of_office",
        "de",
        simple(hs, text, charset="utf-8", cte="8bit"),
        "2027-01-07",
        "Austrian month name 'Jänner'",
    )

    s = ours(
        "de",
        "Reto Meier",
        "reto.meier@meier-treuhand.example.ch",
        D(2026, 12, 23, 9, 0),
        "Meier Treuhand",
        title="Herr Meier",
    )
    date = date_header(2026, 12, 23, 9, 0, "+0100", 18)
    hs = exchange_headers(
        "Reto Meier <reto.meier@meier-treuhand.example.ch>",
        re_subject("Automatische Antwort:", s),
        date,
        "de-ooo-16",
        s.message_id,
        "de-CH",
    )
    text = "Grüezi\n\nIch bin bis und mit 3. Januar in den Ferien. Ab dem 4. Januar bin ich gerne\nwieder für Sie da.\n\nFreundliche Grüsse\nReto Meier"
    c.add(
        "de_ooo_swiss_bis_und_mit.eml",
        "out_of_office",
        "de",
        simple(hs, text, charset="utf-8", cte="quoted-printable"),
        "2027-01-04",
        "Swiss 'bis und mit' (inclusive) and 'Ferien'; ß written ss",
    )


def auto(c: Corpus) -> None:
    s = ours(
        "de",
        "Support",
        "support@hansa-software.example.com",
        D(2026, 12, 3, 10, 0),
        "Hansa Software",
        title="Damen und Herren",
    )
    date = date_header(2026, 12, 3, 10, 1, "+0100", 0)
    hs = [
        ("Date", date),
        ("From", "Hansa Software Support <support@hansa-software.example.com>"),
        ("To", "lena.hoffmann@outreach.example.com"),
        ("Subject", ew("[Ticket#2026120310000123] Eingangsbestätigung: " + s.subject, "utf-8")),
        (
            "Message-ID",
            "<1796302860.427811.3316271" + hexid("otrs", 4) + "@otrs.hansa-software.example.com>",
        ),
        ("In-Reply-To", s.message_id),
        ("X-Loop", "yes"),
        ("Precedence", "bulk"),
        ("X-Mailer", "OTRS Mail Service (6.0.x)"),
    ]
    text = "Sehr geehrte Damen und Herren,\n\nIhre Anfrage ist bei uns eingegangen und wird unter der Ticketnummer\n2026120310000123 bearbeitet. Bitte geben Sie diese Nummer bei Rückfragen an.\n\nIhr Hansa Software Support-Team"
    c.add(
        "de_auto_ticket_eingangsbestaetigung.eml",
        "auto_reply",
        "de",
        simple(hs, text, charset="utf-8", cte="quoted-printable"),
        None,
        "OTRS ticket acknowledgement; X-Loop and Precedence: bulk",
    )

    s = ours(
        "de",
        "Klaus Maier",
        "klaus.maier@maier-gruppe.example.com",
        D(2026, 12, 4, 9, 0),
        "Maier Gruppe",
        title="Herr Maier",
    )
    date = date_header(2026, 12, 4, 9, 0, "+0100", 42)
    hs = exchange_headers(
        "Klaus Maier <klaus.maier@maier-gruppe.example.com>",
        re_subject("Automatische Antwort:", s),
        date,
        "de-auto-2",
        s.message_id,
    )
    text = "Herr Maier ist seit dem 30.11.2026 nicht mehr für die Maier Gruppe tätig.\nIhre E-Mail wird nicht weitergeleitet. Bitte wenden Sie sich an\ninfo@maier-gruppe.example.com."
    c.add(
        "de_auto_nicht_mehr_im_unternehmen.eml",
        "auto_reply",
        "de",
        simple(hs, text, charset="windows-1252", cte="quoted-printable", quote_charset=True),
        None,
        "left the company, with a date that is not a return",
    )

    s = ours(
        "de",
        "Vertrieb",
        "vertrieb@nordlicht-solar.example.com",
        D(2026, 12, 7, 9, 0),
        "Nordlicht Solar",
        title="Damen und Herren",
    )
    date = date_header(2026, 12, 7, 9, 0, "+0100", 14)
    hs = exchange_headers(
        "Vertrieb Nordlicht <vertrieb@nordlicht-solar.example.com>",
        re_subject("Automatische Antwort:", s),
        date,
        "de-auto-3",
        s.message_id,
    )
    text = "Dieses Postfach wird nicht mehr betreut. Bitte senden Sie Ihre Anfrage an\nanfrage@nordlicht-solar.example.com."
    c.add(
        "de_auto_postfach_nicht_betreut.eml",
        "auto_reply",
        "de",
        simple(hs, text, charset="us-ascii", cte="7bit"),
        None,
        "",
    )

    date = date_header(2026, 12, 8, 15, 0, "+0100", 3)
    hs = [
        ("Date", date),
        ("From", "Gasthof Alpenblick <info@alpenblick-hotel.example.com>"),
        ("To", "lena.hoffmann@outreach.example.com"),
        ("Subject", ew("Vielen Dank für Ihre Anfrage", "utf-8", "B", upper=True)),
        ("Message-ID", msgid("other", "de-auto-4", "alpenblick-hotel.example.com")),
        ("Auto-Submitted", "auto-replied"),
    ]
    text = "Grüß Gott,\n\nvielen Dank für Ihre Nachricht. Wir melden uns innerhalb von 48 Stunden bei\nIhnen.\n\nIhr Team vom Gasthof Alpenblick\n\n--\nGasthof Alpenblick GmbH · Dorfstraße 3 · 6290 Mayrhofen\nNewsletter abbestellen: https://alpenblick-hotel.example.com/newsletter/abmelden"
    c.add(
        "de_auto_eingang_48h_newsletter_footer.eml",
        "auto_reply",
        "de",
        alternative(
            hs, text, wrap_html(text_to_html(text)), boundary="----=_NextPart_" + hexid("de-a4", 16)
        ),
        None,
        "auto-responder whose own footer says 'abmelden'",
    )

    s = ours(
        "de",
        "Lars Petersen",
        "lars.petersen@petersen-werft.example.com",
        D(2026, 12, 9, 9, 0),
        "Petersen Werft",
        title="Herr Petersen",
    )
    date = date_header(2026, 12, 9, 9, 0, "+0100", 31)
    hs = [
        ("Date", date),
        ("From", "Lars Petersen <lars.petersen@petersen-werft.example.com>"),
        ("To", LENA),
        ("Subject", "AW: " + ew(s.subject, "utf-8")),
        ("Message-ID", msgid("other", "de-auto-5", "petersen-werft.example.com")),
        ("Auto-Submitted", "auto-replied"),
    ]
    text = "Neue E-Mail-Adresse: Bitte schreiben Sie mir künftig an\nlars.petersen@petersen-marine.example.com. Diese Adresse wird Ende Januar\nabgeschaltet."
    c.add(
        "de_auto_neue_adresse.eml",
        "auto_reply",
        "de",
        simple(hs, text, charset="utf-8", cte="quoted-printable"),
        None,
        "address change notice with 'AW:' subject",
    )


def unsub(c: Corpus) -> None:
    s = ours(
        "de",
        "Dirk Zimmermann",
        "dirk.zimmermann@zimmermann-kg.example.com",
        D(2026, 12, 2, 9, 0),
        "Zimmermann KG",
        title="Herr Zimmermann",
    )
    date = date_header(2026, 12, 2, 10, 12, "+0100", 8)
    raw = reply(
        "outlook",
        frm="Zimmermann, Dirk <dirk.zimmermann@zimmermann-kg.example.com>",
        to=LENA,
        subject=ew("AW: " + s.subject, "utf-8"),
        date=date,
        seed="de-u-1",
        new="Bitte keine weiteren E-Mails.\n\nD. Zimmermann",
        sent=s,
        lang="de",
    )
    c.add(
        "de_unsub_keine_weiteren_emails.eml",
        "unsubscribe",
        "de",
        raw,
        None,
        "Outlook 'Von:/Gesendet:' block with our footer ('Abmelden')",
    )

    s = ours(
        "de",
        "Nina Schröder",
        "nina.schroeder@schroeder-design.example.com",
        D(2026, 12, 3, 9, 0),
        "Schröder Design",
        title="Frau Schröder",
    )
    date = date_header_nopad(2026, 12, 3, 18, 44, "+0100")
    raw = reply(
        "iphone",
        frm=ew("Nina Schröder", "utf-8") + " <nina.schroeder@schroeder-design.example.com>",
        to=LENA,
        subject="Re: " + ew(s.subject, "utf-8"),
        date=date,
        seed="de-u-2",
        new="Abmelden\n\nVon meinem iPhone gesendet",
        sent=s,
        qstyle="apple-de",
    )
    c.add(
        "de_unsub_abmelden_iphone.eml",
        "unsubscribe",
        "de",
        raw,
        None,
        "one word, the same word as our quoted footer; Apple 'Am ... schrieb ...:'",
    )

    s = ours(
        "de",
        "Gerhard Wagner",
        "g.wagner@wagner-landtechnik.example.com",
        D(2026, 12, 4, 9, 0),
        "Wagner Landtechnik",
        title="Herr Wagner",
    )
    date = date_header(2026, 12, 4, 11, 20, "+0100", 2)
    raw = reply(
        "outlook-old",
        frm="Gerhard Wagner <g.wagner@wagner-landtechnik.example.com>",
        to=LENA,
        subject="AW: " + ew(s.subject, "iso-8859-1", upper=True),
        date=date,
        seed="de-u-3",
        new="Sehr geehrte Frau Hoffmann,\n\nbitte nehmen Sie mich aus Ihrem Verteiler.\n\nMit freundlichen Grüßen\nGerhard Wagner",
        sent=s,
        lang="de",
        charset="windows-1252",
    )
    c.add(
        "de_unsub_aus_verteiler.eml",
        "unsubscribe",
        "de",
        raw,
        None,
        "'-----Ursprüngliche Nachricht-----'; windows-1252 body, ISO-8859-1 subject",
    )

    s = ours(
        "de",
        "Sven Hartmann",
        "sven.hartmann@hartmann-recht.example.com",
        D(2026, 12, 7, 9, 0),
        "Hartmann Rechtsanwälte",
        title="Herr Hartmann",
    )
    date = date_header(2026, 12, 7, 9, 40, "+0100", 51)
    new = "Kein Interesse. Ich widerspreche hiermit der Verwendung meiner Daten zu\nWerbezwecken gemäß Art. 21 DSGVO und fordere Sie auf, meine Daten zu löschen.\n\nHartmann"
    raw = reply(
        "tbird",
        frm="Sven Hartmann <sven.hartmann@hartmann-recht.example.com>",
        to=LENA,
        subject="Re: " + ew(s.subject, "utf-8"),
        date=date,
        seed="de-u-4",
        new=new,
        sent=s,
        qstyle="tbird-de",
    )
    c.add(
        "de_unsub_dsgvo_widerspruch.eml",
        "unsubscribe",
        "de",
        raw,
        None,
        "GDPR objection; no 'abmelden'",
    )

    s = ours(
        "de",
        "Monika Schäfer",
        "monika.schaefer@schaefer-reisen.example.com",
        D(2026, 12, 8, 9, 0),
        "Schäfer Reisen",
        title="Frau Schäfer",
    )
    date = date_header(2026, 12, 8, 12, 0, "+0100", 17)
    raw = reply(
        "gmail",
        frm=ew("Monika Schäfer", "utf-8") + " <monika.schaefer@schaefer-reisen.example.com>",
        to=LENA,
        subject="Re: " + ew(s.subject, "utf-8"),
        date=date,
        seed="de-u-5",
        new="Bitte tragen Sie mich aus.",
        sent=s,
        qstyle="gmail-de",
    )
    c.add(
        "de_unsub_austragen_gmail.eml",
        "unsubscribe",
        "de",
        raw,
        None,
        "Gmail 'Am Di., ... schrieb'",
    )

    s = ours(
        "de",
        "Heinz Lorenz",
        "heinz.lorenz@lorenz-bau.example.com",
        D(2026, 12, 9, 9, 0),
        "Lorenz Bau",
        title="Herr Lorenz",
    )
    date = date_header(2026, 12, 9, 16, 3, "+0100", 27)
    new = "Unterlassen Sie künftig jede Kontaktaufnahme. Das ist jetzt die dritte Mail\nohne dass ich je zugestimmt habe."
    raw = reply(
        "plain",
        frm="Heinz Lorenz <heinz.lorenz@lorenz-bau.example.com>",
        to="lena.hoffmann@outreach.example.com",
        subject="AW: " + ew(s.subject, "utf-8"),
        date=date,
        seed="de-u-6",
        new=new,
        sent=s,
        qstyle="tbird-de",
        charset="windows-1252",
        cte="quoted-printable",
    )
    c.add("de_unsub_unterlassen.eml", "unsubscribe", "de", raw, None, "angry, formal")

    s = ours(
        "de",
        "Tanja Frank",
        "tanja.frank@frank-kosmetik.example.com",
        D(2026, 12, 10, 9, 0),
        "Frank Kosmetik",
        title="Frau Frank",
    )
    date = date_header(2026, 12, 10, 9, 30, "+0100", 4)
    raw = reply(
        "outlook",
        frm="Tanja Frank <tanja.frank@frank-kosmetik.example.com>",
        to=LENA,
        subject="AW: " + ew(s.subject, "utf-8"),
        date=date,
        seed="de-u-7",
        new="Hallo,\n\nich möchte keine Werbung mehr von Ihnen bekommen. Danke.\n\nTanja Frank",
        sent=s,
        lang="de",
    )
    c.add("de_unsub_keine_werbung.eml", "unsubscribe", "de", raw, None, "")


def human(c: Corpus) -> None:
    s = ours(
        "de",
        "Oliver Krause",
        "oliver.krause@krause-medien.example.com",
        D(2026, 12, 2, 9, 0),
        "Krause Medien",
        title="Herr Krause",
    )
    date = date_header(2026, 12, 2, 14, 5, "+0100", 3)
    raw = reply(
        "outlook",
        frm="Oliver Krause <oliver.krause@krause-medien.example.com>",
        to=LENA,
        subject="AW: " + ew(s.subject, "utf-8"),
        date=date,
        seed="de-h-1",
        new="Hallo Frau Hoffmann,\n\nich bin ab Montag zwei Wochen im Urlaub. Können wir vorher noch kurz\ntelefonieren? Freitag 10 Uhr würde passen.\n\nGruß\nOliver Krause",
        sent=s,
        lang="de",
    )
    c.add(
        "de_human_urlaub_ab_montag.eml",
        "human",
        "de",
        raw,
        None,
        "mentions upcoming holiday, proposes a call: human",
    )

    s = ours(
        "de",
        "Birgit Hofmann",
        "birgit.hofmann@hofmann-partner.example.com",
        D(2026, 12, 3, 9, 0),
        "Hofmann & Partner",
        title="Frau Hofmann",
    )
    date = date_header(2026, 12, 3, 11, 0, "+0100", 45)
    raw = reply(
        "outlook",
        frm="Birgit Hofmann <birgit.hofmann@hofmann-partner.example.com>",
        to=LENA,
        subject="AW: " + ew(s.subject, "utf-8"),
        date=date,
        seed="de-h-2",
        new="Können Sie im Angebot bitte den zweiten Absatz streichen und die Preise\nnetto angeben? Dann gebe ich es an unsere Geschäftsführung weiter.\n\nBirgit Hofmann",
        sent=s,
        lang="de",
    )
    c.add(
        "de_human_absatz_streichen.eml", "human", "de", raw, None, "'streichen' is about the text"
    )

    s = ours(
        "de",
        "Matthias Roth",
        "matthias.roth@roth-metall.example.com",
        D(2026, 11, 25, 9, 0),
        "Roth Metall",
        title="Herr Roth",
    )
    date = date_header_nopad(2026, 12, 7, 7, 51, "+0100")
    raw = reply(
        "iphone",
        frm="Matthias Roth <matthias.roth@roth-metall.example.com>",
        to=LENA,
        subject="AW: " + ew(s.subject, "utf-8"),
        date=date,
        seed="de-h-3",
        new="Entschuldigen Sie die späte Antwort, ich war bis gestern im Urlaub. Gerne\nnächste Woche Dienstag, 14 Uhr.\n\nVon meinem iPhone gesendet",
        sent=s,
        qstyle="apple-de",
    )
    c.add("de_human_war_im_urlaub.eml", "human", "de", raw, None, "past holiday, proposes a date")

    s = ours(
        "de",
        "Eva Scholz",
        "eva.scholz@scholz-consult.example.com",
        D(2026, 12, 8, 10, 14),
        "Scholz Consult",
        title="Frau Scholz",
    )
    date = date_header(2026, 12, 8, 13, 2, "+0100", 39)
    raw = reply(
        "gmail",
        frm="Eva Scholz <eva.scholz@scholz-consult.example.com>",
        to=LENA,
        subject="Re: " + ew(s.subject, "utf-8"),
        date=date,
        seed="de-h-4",
        new="Klingt interessant. Schicken Sie mir gern Unterlagen und eine Preisliste.\n\nViele Grüße\nEva Scholz",
        sent=s,
        qstyle="gmail-de",
    )
    c.add(
        "de_human_interessiert_gmail.eml", "human", "de", raw, None, "quoted footer says 'Abmelden'"
    )

    s = ours(
        "de",
        "Jan Kuhn",
        "jan.kuhn@kuhn-software.example.com",
        D(2026, 12, 9, 9, 0),
        "Kuhn Software",
        title="Herr Kuhn",
    )
    date = date_header(2026, 12, 9, 17, 30, "+0100", 0)
    raw = reply(
        "tbird",
        frm="Jan Kuhn <jan.kuhn@kuhn-software.example.com>",
        to=LENA,
        subject="Re: " + ew(s.subject, "utf-8"),
        date=date,
        seed="de-h-5",
        new="Wir haben unseren bisherigen Anbieter gerade gekündigt und suchen eine\nAlternative. Haben Sie nächste Woche Zeit für eine Demo?\n\nJan",
        sent=s,
        qstyle="tbird-de",
    )
    c.add(
        "de_human_anbieter_gekuendigt.eml",
        "human",
        "de",
        raw,
        None,
        "'gekündigt' refers to another vendor",
    )

    s = ours(
        "de",
        "Ralf Peters",
        "ralf.peters@peters-agrar.example.com",
        D(2026, 12, 10, 9, 0),
        "Peters Agrar",
        title="Herr Peters",
    )
    date = date_header(2026, 12, 10, 9, 45, "+0100", 2)
    raw = reply(
        "outlook",
        frm="Ralf Peters <ralf.peters@peters-agrar.example.com>",
        to=LENA,
        subject="AW: " + ew(s.subject, "utf-8"),
        date=date,
        seed="de-h-6",
        new="Moin,\n\nbitte nehmen Sie meinen Kollegen Herrn Jensen mit in den Termin auf\n(jensen@peters-agrar.example.com). Dienstag passt.\n\nRalf Peters",
        sent=s,
        lang="de",
        cc="jensen@peters-agrar.example.com",
    )
    c.add(
        "de_human_kollegen_aufnehmen.eml",
        "human",
        "de",
        raw,
        None,
        "'bitte nehmen Sie ... auf' is the opposite of 'aus dem Verteiler nehmen'",
    )


def bounces(c: Corpus) -> None:
    s = ours(
        "de",
        "Bernd Fischer",
        "bernd.fischer@example.com",
        D(2026, 12, 2, 9, 0),
        "Fischer Holz",
        title="Herr Fischer",
    )
    date = date_header(2026, 12, 2, 9, 0, "+0100", 33)
    hs = [
        ("From", "Microsoft Outlook <postmaster@example.com>"),
        ("To", "<bounces@outreach.example.com>"),
        ("Date", date),
        ("Content-Language", "de-DE"),
        ("Message-ID", msgid("outlook", "de-b-1")),
        ("In-Reply-To", s.message_id),
        ("References", s.message_id),
        ("Subject", "Unzustellbar: " + ew(s.subject, "utf-8")),
        ("Auto-Submitted", "auto-replied"),
        ("X-MS-Exchange-Message-Is-Ndr", ""),
    ]
    txt = (
        "Die Zustellung an diese Empfänger oder Gruppen ist fehlgeschlagen:\n\n"
        f"{s.to_addr}<mailto:{s.to_addr}>\n"
        "Die eingegebene E-Mail-Adresse wurde nicht gefunden. Überprüfen Sie die\n"
        "E-Mail-Adresse des Empfängers, und versuchen Sie, die Nachricht erneut zu\nsenden.\n\n"
        "Diagnoseinformationen für Administratoren:\n\nGenerierender Server: FR3P281MB1234.DEUP281.PROD.OUTLOOK.COM\n\n"
        f"{s.to_addr}\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n\n"
        "Ursprüngliche Nachrichtenkopfzeilen:\n\n" + our_raw(s, headers_only=True).decode()
    )
    st = delivery_status(
        reporting_mta="FR3P281MB1234.DEUP281.PROD.OUTLOOK.COM",
        recipient=s.to_addr,
        status="5.1.10",
        action="failed",
        diag="550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
    )
    c.add(
        "de_bounce_exchange_unzustellbar.eml",
        "bounce",
        "de",
        report(
            hs,
            boundary=hexid("de-b1", 8) + "-ffaa-4c1e-9a77-" + hexid("de-b1x", 12),
            human=text_part(txt, charset="iso-8859-1", cte="quoted-printable"),
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
            preamble="",
        ),
        None,
        "German Exchange NDR 'Unzustellbar:'",
    )

    s = ours(
        "de",
        "Helga Braun",
        "helga.braun@example.net",
        D(2026, 12, 3, 9, 0),
        "Braun Floristik",
        title="Frau Braun",
    )
    date = date_header(2026, 12, 3, 9, 0, "+0100", 12)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "Mail Delivery System <MAILER-DAEMON@mx-ha.example.net>"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", "Unzustellbare Nachricht"),
        ("Message-ID", msgid("mta", "de-b-2", "mx-ha.example.net")),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
    ]
    text = (
        "Diese Nachricht wurde automatisch vom Mailsystem erstellt.\n\n"
        "Ihre Nachricht konnte an einen oder mehrere Empfänger nicht zugestellt\n"
        "werden. Dies ist ein permanenter Fehler. Folgende Adresse ist betroffen:\n\n"
        f'"{s.to_addr}":\nSMTP-Fehler vom Zielserver nach RCPT TO:\nhost: mx00.example.net\n550 5.1.1 Requested action not taken: mailbox unavailable\n\n'
        "--- Es folgen die Kopfzeilen der ursprünglichen Nachricht ---\n\n"
    )
    c.add(
        "de_bounce_mailer_daemon_de.eml",
        "bounce",
        "de",
        assemble(hs, text.encode() + our_raw(s, headers_only=True)),
        None,
        "German mailer-daemon text, no DSN part",
    )

    s = ours(
        "de",
        "Kurt Huber",
        "kurt.huber@example.org",
        D(2026, 12, 7, 9, 0),
        "Huber Transporte",
        title="Herr Huber",
    )
    date = date_header(2026, 12, 7, 17, 0, "+0100", 8)
    hs = [
        ("From", "Microsoft Outlook <postmaster@outreach.example.com>"),
        ("To", "<bounces@outreach.example.com>"),
        ("Date", date),
        ("Subject", ew("Zustellung verzögert: " + s.subject, "utf-8")),
        ("Message-ID", msgid("outlook", "de-b-3")),
        ("Auto-Submitted", "auto-replied"),
        ("Content-Language", "de-DE"),
    ]
    txt = f"Die Zustellung an diese Empfänger oder Gruppen wurde verzögert:\n\n{s.to_addr}\n\nBetreff: {s.subject}\n\nDiese Nachricht wurde noch nicht zugestellt. Es wird weiterhin versucht, die Nachricht zuzustellen.\n\nDer Server versucht noch 1 Tag, 19 Stunden und 10 Minuten lang, die Nachricht zuzustellen. Sie werden benachrichtigt, wenn die Nachricht bis dahin nicht zugestellt werden kann.\n\nDiagnoseinformationen für Administratoren:\n\nServer at example.org returned '452 4.2.2 Mailbox full'\n"
    st = delivery_status(
        reporting_mta="FR2P281MB0987.DEUP281.PROD.OUTLOOK.COM",
        recipient=s.to_addr,
        status="4.2.2",
        action="delayed",
        diag="452 4.2.2 Mailbox full",
    )
    c.add(
        "de_soft_zustellung_verzoegert.eml",
        "soft_bounce",
        "de",
        report(
            hs,
            boundary="_" + hexid("de-b3", 20) + "_",
            human=text_part(txt, charset="utf-8"),
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
            preamble="",
        ),
        None,
        "German Exchange delay notice, mailbox full 4.2.2",
    )

    s = ours(
        "de",
        "Ute Schwarz",
        "ute.schwarz@example.com",
        D(2026, 12, 8, 9, 0),
        "Schwarz Optik",
        title="Frau Schwarz",
    )
    date = date_header(2026, 12, 8, 9, 2, "+0100", 0)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "MAILER-DAEMON@mail.example.com (Mail Delivery System)"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", ew("Nicht zustellbar: Postfach voll", "utf-8")),
        ("Auto-Submitted", "auto-replied"),
    ]
    human = (
        b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        + f"Dies ist das Mailsystem auf mail.example.com.\n\nIhre Nachricht konnte nicht zugestellt werden, da das Postfach des\nEmpfängers voll ist.\n\n<{s.to_addr}>: maildir delivery failed: mailbox is full (quota 2048 MB)\n".encode()
    )
    st = delivery_status(
        reporting_mta="mail.example.com",
        recipient=s.to_addr,
        status="5.2.2",
        action="failed",
        diag=None,
        extra_per_recipient=[
            ("Diagnostic-Code", "x-unix; maildir delivery failed: mailbox is full")
        ],
    )
    c.add(
        "de_soft_postfach_voll_5_2_2.eml",
        "soft_bounce",
        "de",
        report(
            hs,
            boundary=hexid("de-b4", 12).upper() + ".1796811720/mail.example.com",
            human=human,
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
        ),
        None,
        "mailbox full (5.2.2, Action: failed): soft_bounce by the contract; subject says 'Nicht zustellbar'",
    )


def build(c: Corpus) -> None:
    """All German cases."""
    ooo(c)
    auto(c)
    unsub(c)
    human(c)
    bounces(c)
