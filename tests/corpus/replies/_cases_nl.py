# ruff: noqa: E501
"""Dutch cases (Netherlands, Flanders)."""

from __future__ import annotations

import datetime as dt

from tests.corpus.replies._mail import (
    Corpus,
    alternative,
    date_header,
    date_header_nopad,
    exchange_auto,
    exchange_ndr,
    hexid,
    html_only,
    msgid,
    mx_trace,
    ours,
    outlook_ooo,
    reply,
    simple,
    text_to_html,
    wrap_html,
)

D = dt.datetime
SANNE = "Sanne de Vries <sanne.devries@outreach.example.com>"


def ooo(c: Corpus) -> None:
    s = ours(
        "nl",
        "Pieter Jansen",
        "pieter.jansen@jansen-installatie.example.nl",
        D(2026, 12, 22, 9, 0),
        "Jansen Installatietechniek",
    )
    date = date_header(2026, 12, 22, 9, 1, "+0100", 5)
    hs = exchange_auto(
        "Pieter Jansen <pieter.jansen@jansen-installatie.example.nl>",
        SANNE,
        "Automatisch antwoord: " + s.subject,
        date,
        "nl-ooo-1",
        s.message_id,
        "nl-NL",
    )
    text = "Beste afzender,\n\nIk ben afwezig en vanaf maandag 4 januari weer aanwezig. Voor dringende\nzaken kunt u contact opnemen met planning@jansen-installatie.example.nl.\n\nMet vriendelijke groet,\nPieter Jansen"
    c.add(
        "nl_ooo_vanaf_weer_aanwezig.eml",
        "out_of_office",
        "nl",
        outlook_ooo(hs, text, "nl-ooo-1"),
        "2027-01-04",
        "'vanaf maandag 4 januari weer aanwezig'",
    )

    s = ours(
        "nl",
        "Eva de Boer",
        "eva.deboer@deboer-advies.example.nl",
        D(2026, 12, 21, 9, 0),
        "De Boer Advies",
    )
    date = date_header(2026, 12, 21, 9, 0, "+0100", 41)
    hs = exchange_auto(
        "Eva de Boer <eva.deboer@deboer-advies.example.nl>",
        SANNE,
        "Automatisch antwoord: " + s.subject,
        date,
        "nl-ooo-2",
        s.message_id,
        "nl-NL",
    )
    text = "Ik ben t/m 3 januari met vakantie en lees mijn mail niet.\n\nGroet,\nEva"
    c.add(
        "nl_ooo_tm.eml",
        "out_of_office",
        "nl",
        simple(hs, text, charset="us-ascii", cte="7bit"),
        "2027-01-04",
        "'t/m' (tot en met) is inclusive: next day",
    )

    s = ours(
        "nl",
        "Bram Visser",
        "bram.visser@visser-transport.example.nl",
        D(2026, 12, 18, 9, 0),
        "Visser Transport",
    )
    date = date_header(2026, 12, 21, 7, 30, "+0100", 3)
    hs = [
        *mx_trace("mail.visser-transport.example.nl", date, "192.0.2.170", return_path="<>"),
        ("Date", date),
        ("From", "Bram Visser <bram.visser@visser-transport.example.nl>"),
        ("To", "sanne.devries@outreach.example.com"),
        ("Subject", "Afwezig: " + s.subject),
        ("Message-ID", msgid("other", "nl-ooo-3", "visser-transport.example.nl")),
        ("Auto-Submitted", "auto-replied"),
        ("X-Autorespond", "yes"),
    ]
    text = "Van 24 december tot en met 3 januari ben ik niet op kantoor. Uw e-mail wordt\nniet doorgestuurd.\n\nBram Visser"
    c.add(
        "nl_ooo_van_tot_en_met.eml",
        "out_of_office",
        "nl",
        simple(hs, text, charset="utf-8", cte="7bit"),
        "2027-01-04",
        "range 'van ... tot en met ...': last day + 1; X-Autorespond header",
    )

    s = ours(
        "nl",
        "Lotte Smit",
        "lotte.smit@smit-marketing.example.nl",
        D(2026, 12, 23, 9, 0),
        "Smit Marketing",
    )
    date = date_header(2026, 12, 23, 9, 0, "+0100", 22)
    hs = exchange_auto(
        "Lotte Smit <lotte.smit@smit-marketing.example.nl>",
        SANNE,
        "Automatisch antwoord: " + s.subject,
        date,
        "nl-ooo-4",
        s.message_id,
        "nl-NL",
    )
    text = "Hoi! Ik ben tot 5 januari afwezig. Daarna reageer ik zo snel mogelijk.\n\nLotte"
    c.add(
        "nl_ooo_tot.eml",
        "out_of_office",
        "nl",
        outlook_ooo(hs, text, "nl-ooo-4"),
        "2027-01-05",
        "'tot 5 januari' (not 'tot en met'): that day",
    )

    s = ours(
        "nl",
        "Daan Mulder",
        "daan.mulder@mulder-bouw.example.nl",
        D(2026, 12, 23, 9, 0),
        "Mulder Bouw",
    )
    date = date_header(2026, 12, 23, 9, 2, "+0100", 9)
    hs = exchange_auto(
        "Daan Mulder <daan.mulder@mulder-bouw.example.nl>",
        SANNE,
        "Automatisch antwoord: " + s.subject,
        date,
        "nl-ooo-5",
        s.message_id,
        "nl-NL",
    )
    text = "Ik ben weer bereikbaar vanaf 11-01-2027.\nDaan Mulder | Projectleider"
    c.add(
        "nl_ooo_numeriek.eml",
        "out_of_office",
        "nl",
        simple(hs, text, charset="windows-1252", cte="quoted-printable", quote_charset=True),
        "2027-01-11",
        "numeric day-first with dashes",
    )

    s = ours(
        "nl", "Femke Bakker", "femke.bakker@bakker-hr.example.nl", D(2026, 12, 2, 9, 0), "Bakker HR"
    )
    date = date_header(2026, 12, 2, 9, 0, "+0100", 50)
    hs = exchange_auto(
        "Femke Bakker <femke.bakker@bakker-hr.example.nl>",
        SANNE,
        "Automatisch antwoord: " + s.subject,
        date,
        "nl-ooo-6",
        s.message_id,
        "nl-NL",
    )
    text = "Ik zit deze week op een congres en ben volgende week maandag weer terug."
    c.add(
        "nl_ooo_volgende_week_maandag.eml",
        "out_of_office",
        "nl",
        outlook_ooo(hs, text, "nl-ooo-6"),
        "2026-12-07",
        "relative 'volgende week maandag' after Wed 2 Dec",
    )

    s = ours(
        "nl",
        "Ruben Meijer",
        "ruben.meijer@meijer-ict.example.nl",
        D(2026, 12, 7, 9, 0),
        "Meijer ICT",
    )
    date = date_header(2026, 12, 7, 9, 0, "+0100", 14)
    hs = exchange_auto(
        "Ruben Meijer <ruben.meijer@meijer-ict.example.nl>",
        SANNE,
        "Automatisch antwoord: " + s.subject,
        date,
        "nl-ooo-7",
        s.message_id,
        "nl-NL",
    )
    text = "Ik ben momenteel niet op kantoor en heb beperkt toegang tot mijn e-mail."
    c.add(
        "nl_ooo_geen_datum.eml",
        "out_of_office",
        "nl",
        simple(hs, text, charset="utf-8", cte="quoted-printable"),
        None,
        "no date",
    )

    s = ours(
        "nl",
        "Joke Peeters",
        "joke.peeters@peeters-nv.example.be",
        D(2026, 12, 22, 9, 0),
        "Peeters NV",
    )
    date = date_header(2026, 12, 22, 9, 0, "+0100", 31)
    hs = exchange_auto(
        "Joke Peeters <joke.peeters@peeters-nv.example.be>",
        SANNE,
        "Automatisch antwoord: " + s.subject,
        date,
        "nl-ooo-8",
        s.message_id,
        "nl-BE",
    )
    text = "Ik ben afwezig tot en met 8 januari.\nJe suis absente jusqu'au 8 janvier inclus.\nI am out of the office until 8 January inclusive.\n\nJoke Peeters\nPeeters NV - Antwerpen"
    c.add(
        "nl_ooo_drietalig.eml",
        "out_of_office",
        "nl",
        outlook_ooo(hs, text, "nl-ooo-8"),
        "2027-01-09",
        "trilingual nl/fr/en (Belgium), inclusive in all three",
    )

    s = ours(
        "nl",
        "Sem de Groot",
        "sem.degroot@degroot-sport.example.nl",
        D(2026, 12, 28, 9, 0),
        "De Groot Sport",
    )
    date = date_header(2026, 12, 28, 9, 1, "+0100", 6)
    hs = [
        ("Date", date),
        ("From", "Sem de Groot <sem.degroot@degroot-sport.example.nl>"),
        ("To", SANNE),
        ("Subject", "RE: " + s.subject),
        ("Message-ID", msgid("other", "nl-ooo-9", "degroot-sport.example.nl")),
    ]
    text = "Ik ben met vakantie en terug op 6 januari.\n\nSem"
    c.add(
        "nl_ooo_zonder_headers.eml",
        "out_of_office",
        "nl",
        simple(hs, text, charset="utf-8", cte="7bit"),
        "2027-01-06",
        "no automation headers",
    )

    s = ours(
        "nl", "Anouk Vos", "anouk.vos@vos-events.example.nl", D(2026, 12, 18, 9, 0), "Vos Events"
    )
    date = date_header(2026, 12, 18, 9, 0, "+0100", 27)
    hs = exchange_auto(
        "Anouk Vos <anouk.vos@vos-events.example.nl>",
        SANNE,
        "Automatisch antwoord: " + s.subject,
        date,
        "nl-ooo-10",
        s.message_id,
        "nl-NL",
    )
    text = "Bedankt voor je bericht. Ik ben in week 2 weer aanwezig."
    c.add(
        "nl_ooo_weeknummer.eml",
        "out_of_office",
        "nl",
        html_only(hs, wrap_html(text_to_html(text))),
        "2027-01-11",
        "week number 'week 2' (ISO, next year): its Monday; HTML-only",
    )

    s = ours(
        "nl",
        "Iris Dekker",
        "iris.dekker@dekker-zorg.example.nl",
        D(2026, 11, 20, 9, 0),
        "Dekker Zorg",
    )
    date = date_header(2026, 11, 20, 9, 0, "+0100", 38)
    hs = exchange_auto(
        "Iris Dekker <iris.dekker@dekker-zorg.example.nl>",
        SANNE,
        "Automatisch antwoord: " + s.subject,
        date,
        "nl-ooo-11",
        s.message_id,
        "nl-NL",
    )
    text = "Ik ben met zwangerschapsverlof tot 1 april 2027. Voor vragen kunt u terecht\nbij info@dekker-zorg.example.nl."
    c.add(
        "nl_ooo_verlof_lang.eml",
        "out_of_office",
        "nl",
        simple(hs, text, charset="utf-8", cte="quoted-printable"),
        "2027-04-01",
        "long leave, 'tot 1 april 2027'",
    )


def auto(c: Corpus) -> None:
    date = date_header(2026, 12, 3, 10, 0, "+0100", 2)
    hs = [
        ("Date", date),
        ("From", "Klantenservice Tulp Energie <klantenservice@tulp-energie.example.nl>"),
        ("To", "sanne.devries@outreach.example.com"),
        ("Subject", "Wij hebben uw bericht ontvangen [#20931]"),
        ("Message-ID", "<" + hexid("nl-a1", 24) + "@zendesk.example.net>"),
        ("Auto-Submitted", "auto-generated"),
        ("X-Mailer", "Zendesk Mailer"),
    ]
    text = "Beste klant,\n\nWij hebben uw bericht ontvangen en nemen binnen 2 werkdagen contact met u\nop. Uw ticketnummer is #20931.\n\nMet vriendelijke groet,\nKlantenservice Tulp Energie"
    c.add(
        "nl_auto_ontvangstbevestiging.eml",
        "auto_reply",
        "nl",
        alternative(
            hs, text, wrap_html(text_to_html(text)), boundary="--==_mimepart_" + hexid("nl-a1b", 18)
        ),
        None,
        "ticket acknowledgement",
    )

    s = ours(
        "nl",
        "Kees van Dijk",
        "kees.vandijk@vandijk-groep.example.nl",
        D(2026, 12, 4, 9, 0),
        "Van Dijk Groep",
    )
    date = date_header(2026, 12, 4, 9, 0, "+0100", 18)
    hs = exchange_auto(
        "Kees van Dijk <kees.vandijk@vandijk-groep.example.nl>",
        SANNE,
        "Automatisch antwoord: " + s.subject,
        date,
        "nl-auto-2",
        s.message_id,
        "nl-NL",
    )
    text = "Ik ben niet meer werkzaam bij Van Dijk Groep. Uw e-mail wordt niet\ndoorgestuurd. Neem contact op met info@vandijk-groep.example.nl."
    c.add(
        "nl_auto_niet_meer_werkzaam.eml",
        "auto_reply",
        "nl",
        outlook_ooo(hs, text, "nl-auto-2"),
        None,
        "left the company",
    )

    s = ours(
        "nl", "Info", "info@molen-bakkerij.example.nl", D(2026, 12, 7, 9, 0), "Bakkerij De Molen"
    )
    date = date_header(2026, 12, 7, 9, 0, "+0100", 5)
    hs = exchange_auto(
        "Bakkerij De Molen <info@molen-bakkerij.example.nl>",
        SANNE,
        "Automatisch antwoord: " + s.subject,
        date,
        "nl-auto-3",
        s.message_id,
        "nl-NL",
    )
    text = "Deze mailbox wordt niet meer gelezen. Stuur uw bericht naar\nbestellen@molen-bakkerij.example.nl."
    c.add(
        "nl_auto_mailbox_niet_gelezen.eml",
        "auto_reply",
        "nl",
        simple(hs, text, charset="us-ascii", cte="7bit"),
        None,
        "mailbox not monitored",
    )


def unsub(c: Corpus) -> None:
    s = ours(
        "nl",
        "Thijs Hendriks",
        "thijs.hendriks@hendriks-bv.example.nl",
        D(2026, 12, 2, 9, 0),
        "Hendriks BV",
    )
    date = date_header(2026, 12, 2, 11, 0, "+0100", 7)
    raw = reply(
        "gmail",
        frm="Thijs Hendriks <thijs.hendriks@hendriks-bv.example.nl>",
        to=SANNE,
        subject="Re: " + s.subject,
        date=date,
        seed="nl-u-1",
        new="afmelden",
        sent=s,
        qstyle="gmail-nl",
    )
    c.add(
        "nl_unsub_afmelden.eml",
        "unsubscribe",
        "nl",
        raw,
        None,
        "one word, the same word as our quoted footer",
    )

    s = ours(
        "nl",
        "Marieke Brouwer",
        "marieke.brouwer@brouwer-notarissen.example.nl",
        D(2026, 12, 3, 9, 0),
        "Brouwer Notarissen",
    )
    date = date_header(2026, 12, 3, 14, 0, "+0100", 25)
    raw = reply(
        "outlook",
        frm="Marieke Brouwer <marieke.brouwer@brouwer-notarissen.example.nl>",
        to=SANNE,
        subject="RE: " + s.subject,
        date=date,
        seed="nl-u-2",
        new="Verwijder mij alstublieft uit uw mailinglijst.\n\nMet vriendelijke groet,\nMarieke Brouwer",
        sent=s,
        lang="nl",
    )
    c.add(
        "nl_unsub_verwijder_mij.eml",
        "unsubscribe",
        "nl",
        raw,
        None,
        "Outlook 'Van:/Verzonden:' block",
    )

    s = ours(
        "nl", "Jeroen Kok", "jeroen.kok@kok-autos.example.nl", D(2026, 12, 4, 9, 0), "Kok Auto's"
    )
    date = date_header_nopad(2026, 12, 4, 19, 30, "+0100")
    raw = reply(
        "iphone",
        frm="Jeroen Kok <jeroen.kok@kok-autos.example.nl>",
        to=SANNE,
        subject="Re: " + s.subject,
        date=date,
        seed="nl-u-3",
        new="Geen interesse, mail me niet meer.\n\nVerstuurd vanaf mijn iPhone",
        sent=s,
        qstyle="apple-nl",
    )
    c.add(
        "nl_unsub_geen_interesse.eml",
        "unsubscribe",
        "nl",
        raw,
        None,
        "'Verstuurd vanaf mijn iPhone'",
    )

    s = ours(
        "nl",
        "Wim Claes",
        "wim.claes@claes-techniek.example.be",
        D(2026, 12, 7, 9, 0),
        "Claes Techniek",
    )
    date = date_header(2026, 12, 7, 10, 0, "+0100", 15)
    raw = reply(
        "outlook-old",
        frm="Wim Claes <wim.claes@claes-techniek.example.be>",
        to=SANNE,
        subject="RE: " + s.subject,
        date=date,
        seed="nl-u-4",
        new="Graag uitschrijven.\n\nWim",
        sent=s,
        lang="nl",
        charset="iso-8859-1",
    )
    c.add(
        "nl_unsub_uitschrijven.eml",
        "unsubscribe",
        "nl",
        raw,
        None,
        "'-----Oorspronkelijk bericht-----'; ISO-8859-1",
    )


def human(c: Corpus) -> None:
    s = ours(
        "nl",
        "Lisa van Leeuwen",
        "lisa.vanleeuwen@vanleeuwen-media.example.nl",
        D(2026, 12, 7, 9, 0),
        "Van Leeuwen Media",
    )
    date = date_header(2026, 12, 8, 9, 0, "+0100", 11)
    raw = reply(
        "gmail",
        frm="Lisa van Leeuwen <lisa.vanleeuwen@vanleeuwen-media.example.nl>",
        to=SANNE,
        subject="Re: " + s.subject,
        date=date,
        seed="nl-h-1",
        new="Hoi Sanne,\n\nKun je mij afmelden voor de webinar van donderdag? Ik kan helaas niet.\nStuur me wel de opname, ik ben zeker geïnteresseerd.\n\nLisa",
        sent=s,
        qstyle="gmail-nl",
    )
    c.add(
        "nl_human_afmelden_webinar.eml",
        "human",
        "nl",
        raw,
        None,
        "'afmelden voor de webinar' cancels an event, asks for more: human",
    )

    s = ours(
        "nl",
        "Tom Willems",
        "tom.willems@willems-logistiek.example.nl",
        D(2026, 12, 2, 9, 0),
        "Willems Logistiek",
    )
    date = date_header(2026, 12, 2, 16, 0, "+0100", 36)
    raw = reply(
        "outlook",
        frm="Tom Willems <tom.willems@willems-logistiek.example.nl>",
        to=SANNE,
        subject="RE: " + s.subject,
        date=date,
        seed="nl-h-2",
        new="Volgende week ben ik er niet, bel me na de 14e.\n\nTom",
        sent=s,
        lang="nl",
    )
    c.add("nl_human_volgende_week_weg.eml", "human", "nl", raw, None, "a person mentioning absence")

    s = ours(
        "nl",
        "Sophie Hermans",
        "sophie.hermans@hermans-design.example.nl",
        D(2026, 12, 3, 9, 0),
        "Hermans Design",
    )
    date = date_header(2026, 12, 3, 11, 0, "+0100", 48)
    raw = reply(
        "gmail",
        frm="Sophie Hermans <sophie.hermans@hermans-design.example.nl>",
        to=SANNE,
        subject="Re: " + s.subject,
        date=date,
        seed="nl-h-3",
        new="Kun je de tweede alinea weghalen en de offerte opnieuw sturen?",
        sent=s,
        qstyle="gmail-nl",
    )
    c.add("nl_human_alinea_weghalen.eml", "human", "nl", raw, None, "'weghalen' is about the text")

    s = ours(
        "nl", "Niels Bos", "niels.bos@bos-software.example.nl", D(2026, 12, 7, 9, 0), "Bos Software"
    )
    date = date_header(2026, 12, 7, 13, 0, "+0100", 0)
    raw = reply(
        "tbird",
        frm="Niels Bos <niels.bos@bos-software.example.nl>",
        to=SANNE,
        subject="Re: " + s.subject,
        date=date,
        seed="nl-h-4",
        new="Klinkt goed. Wat kost het voor 8 gebruikers?\n\nNiels",
        sent=s,
        qstyle="tbird-nl",
    )
    c.add(
        "nl_human_wat_kost_het.eml", "human", "nl", raw, None, "Thunderbird 'Op ... schreef ...:'"
    )

    s = ours(
        "nl",
        "Emma Vermeulen",
        "emma.vermeulen@vermeulen-fin.example.nl",
        D(2026, 12, 9, 9, 0),
        "Vermeulen Finance",
    )
    date = date_header(2026, 12, 9, 15, 0, "+0100", 4)
    raw = reply(
        "apple",
        frm="Emma Vermeulen <emma.vermeulen@vermeulen-fin.example.nl>",
        to=SANNE,
        subject="Re: " + s.subject,
        date=date_header_nopad(2026, 12, 9, 15, 0, "+0100"),
        seed="nl-h-5",
        new="Stop maar even tot na de jaarafsluiting, dan wil ik er graag naar kijken.\nMail me eind januari weer.\n\nEmma",
        sent=s,
        qstyle="apple-nl",
    )
    c.add(
        "nl_human_stop_tot_januari.eml",
        "human",
        "nl",
        raw,
        None,
        "'Stop maar even' + 'mail me eind januari weer': a pause, not an unsubscribe",
    )


def bounces(c: Corpus) -> None:
    s = ours("nl", "Gert Koster", "gert.koster@example.nl", D(2026, 12, 2, 9, 0), "Koster Metaal")
    text = (
        "Bezorging is mislukt voor deze ontvangers of groepen:\n\n"
        f"{s.to_addr}<mailto:{s.to_addr}>\n"
        "Het e-mailadres dat u hebt opgegeven, is niet gevonden. Controleer het\n"
        "e-mailadres van de ontvanger en probeer het bericht opnieuw te verzenden.\n\n"
        "Diagnostische gegevens voor beheerders:\n\nGenererende server: AM8P191MB1234.EURP191.PROD.OUTLOOK.COM\n\n"
        f"{s.to_addr}\nRemote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'\n"
    )
    raw = exchange_ndr(
        postmaster="postmaster@example.nl",
        subject_prefix="Onbestelbaar:",
        s=s,
        date=date_header(2026, 12, 2, 9, 0, "+0100", 44),
        seed="nl-b-1",
        loc="nl-NL",
        text=text,
        status="5.1.1",
        action="failed",
        diag="550 5.1.1 RESOLVER.ADR.RecipNotFound; not found",
        crlf=True,
    )
    c.add(
        "nl_bounce_onbestelbaar.eml",
        "bounce",
        "nl",
        raw,
        None,
        "Dutch Exchange NDR 'Onbestelbaar:'; CRLF",
    )

    s = ours(
        "nl", "Hanna Postma", "hanna.postma@example.com", D(2026, 12, 7, 9, 0), "Postma Bloemen"
    )
    text = f"Bezorging aan deze ontvangers of groepen is vertraagd:\n\n{s.to_addr}\n\nOnderwerp: {s.subject}\n\nDit bericht is nog niet bezorgd. Er wordt geprobeerd het bericht te bezorgen.\n\nDe server blijft nog 1 dag, 19 uur en 58 minuten proberen dit bericht te bezorgen. U ontvangt een melding als het bericht niet binnen die tijd kan worden bezorgd.\n"
    raw = exchange_ndr(
        postmaster="postmaster@outreach.example.com",
        subject_prefix="Vertraagd:",
        s=s,
        date=date_header(2026, 12, 7, 17, 0, "+0100", 2),
        seed="nl-b-2",
        loc="nl-NL",
        text=text,
        status="4.4.7",
        action="delayed",
        diag="400 4.4.7 Message delayed",
    )
    c.add("nl_soft_vertraagd.eml", "soft_bounce", "nl", raw, None, "Dutch Exchange delay notice")


def build(c: Corpus) -> None:
    """All Dutch cases."""
    ooo(c)
    auto(c)
    unsub(c)
    human(c)
    bounces(c)
