# ruff: noqa: E501
"""Italian cases."""

from __future__ import annotations

import datetime as dt

from tests.corpus.replies._mail import (
    Corpus,
    alternative,
    date_header,
    date_header_nopad,
    delivery_status,
    ew,
    exchange_auto,
    exchange_ndr,
    hexid,
    msgid,
    mx_trace,
    our_raw,
    ours,
    outlook_ooo,
    reply,
    report,
    simple,
    text_part,
    text_to_html,
    wrap_html,
)

D = dt.datetime
MARCO = "Marco Bellini <marco.bellini@outreach.example.com>"


def ooo(c: Corpus) -> None:
    s = ours(
        "it",
        "Giulia Rossi",
        "giulia.rossi@rossi-moda.example.it",
        D(2026, 12, 21, 9, 0),
        "Rossi Moda",
    )
    date = date_header(2026, 12, 21, 9, 0, "+0100", 12)
    hs = exchange_auto(
        "Giulia Rossi <giulia.rossi@rossi-moda.example.it>",
        MARCO,
        "Risposta automatica: " + s.subject,
        date,
        "it-ooo-1",
        s.message_id,
        "it-IT",
    )
    text = "Buongiorno,\n\nsono fuori ufficio con accesso limitato alla posta. Rientro in ufficio il\n7 gennaio.\n\nCordiali saluti,\nGiulia Rossi"
    c.add(
        "it_ooo_rientro.eml",
        "out_of_office",
        "it",
        outlook_ooo(hs, text, "it-ooo-1"),
        "2027-01-07",
        "'Rientro in ufficio il 7 gennaio' in December: next year",
    )

    s = ours(
        "it",
        "Luca Bianchi",
        "luca.bianchi@bianchi-meccanica.example.it",
        D(2026, 12, 22, 9, 0),
        "Bianchi Meccanica",
    )
    date = date_header(2026, 12, 22, 9, 0, "+0100", 33)
    hs = exchange_auto(
        "Bianchi Luca <luca.bianchi@bianchi-meccanica.example.it>",
        MARCO,
        "Risposta automatica: " + s.subject,
        date,
        "it-ooo-2",
        s.message_id,
        "it-IT",
    )
    text = (
        "Sarò assente fino al 6 gennaio compreso. La sua mail non verrà inoltrata.\n\nLuca Bianchi"
    )
    c.add(
        "it_ooo_fino_al_compreso.eml",
        "out_of_office",
        "it",
        simple(hs, text, charset="iso-8859-1", cte="quoted-printable", quote_charset=True),
        "2027-01-07",
        "'fino al 6 gennaio compreso': next day",
    )

    s = ours(
        "it",
        "Francesca Romano",
        "francesca.romano@romano-studio.example.it",
        D(2026, 12, 21, 9, 0),
        "Studio Romano",
    )
    date = date_header(2026, 12, 21, 9, 3, "+0100", 1)
    hs = [
        *mx_trace("smtp.romano-studio.example.it", date, "192.0.2.150", return_path="<>"),
        ("Date", date),
        ("From", "Francesca Romano <francesca.romano@romano-studio.example.it>"),
        ("To", "marco.bellini@outreach.example.com"),
        ("Subject", ew("Assenza: " + s.subject, "utf-8")),
        ("Message-ID", msgid("other", "it-ooo-3", "romano-studio.example.it")),
        ("Auto-Submitted", "auto-replied (vacation)"),
        ("Precedence", "bulk"),
    ]
    text = "Sarò in ferie dal 24/12 al 6/1. Per urgenze: segreteria@romano-studio.example.it\n\nFrancesca"
    c.add(
        "it_ooo_dal_al_numerico.eml",
        "out_of_office",
        "it",
        simple(hs, text, charset="utf-8", cte="7bit"),
        "2027-01-07",
        "numeric range day-first 'dal 24/12 al 6/1': last day + 1",
    )

    s = ours(
        "it",
        "Andrea Colombo",
        "andrea.colombo@colombo-arredi.example.it",
        D(2026, 12, 23, 9, 0),
        "Colombo Arredi",
    )
    date = date_header(2026, 12, 23, 9, 0, "+0100", 17)
    hs = exchange_auto(
        "Andrea Colombo <andrea.colombo@colombo-arredi.example.it>",
        MARCO,
        "Risposta automatica: " + s.subject,
        date,
        "it-ooo-4",
        s.message_id,
        "it-IT",
    )
    text = "Sono in ferie fino al 10 gennaio. Risponderò al mio rientro.\n\nAndrea"
    c.add(
        "it_ooo_fino_al.eml",
        "out_of_office",
        "it",
        outlook_ooo(hs, text, "it-ooo-4", charset="windows-1252"),
        "2027-01-10",
        "'fino al 10 gennaio' without 'compreso': that day (README)",
    )

    s = ours(
        "it",
        "Matteo Ricci",
        "matteo.ricci@ricci-food.example.it",
        D(2026, 12, 15, 9, 0),
        "Ricci Food",
    )
    date = date_header(2026, 12, 15, 9, 0, "+0100", 41)
    hs = exchange_auto(
        "Matteo Ricci <matteo.ricci@ricci-food.example.it>",
        MARCO,
        "Risposta automatica: " + s.subject,
        date,
        "it-ooo-5",
        s.message_id,
        "it-IT",
    )
    text = "Sono in trasferta, rientro lunedì prossimo.\nMatteo"
    c.add(
        "it_ooo_lunedi_prossimo.eml",
        "out_of_office",
        "it",
        outlook_ooo(hs, text, "it-ooo-5"),
        "2026-12-21",
        "relative 'lunedì prossimo' after Tue 15 Dec",
    )

    s = ours(
        "it",
        "Chiara Marino",
        "chiara.marino@marino-assicurazioni.example.it",
        D(2026, 12, 7, 9, 0),
        "Marino Assicurazioni",
    )
    date = date_header(2026, 12, 7, 9, 0, "+0100", 8)
    hs = exchange_auto(
        "Chiara Marino <chiara.marino@marino-assicurazioni.example.it>",
        MARCO,
        "Risposta automatica: " + s.subject,
        date,
        "it-ooo-6",
        s.message_id,
        "it-IT",
    )
    text = "Sono momentaneamente assente dall'ufficio. Risponderò appena possibile."
    c.add(
        "it_ooo_senza_data.eml",
        "out_of_office",
        "it",
        simple(hs, text, charset="utf-8", cte="quoted-printable"),
        None,
        "no date",
    )

    s = ours(
        "it",
        "Paolo Greco",
        "paolo.greco@greco-energia.example.it",
        D(2026, 12, 22, 9, 0),
        "Greco Energia",
    )
    date = date_header(2026, 12, 22, 9, 0, "+0100", 24)
    hs = exchange_auto(
        "Paolo Greco <paolo.greco@greco-energia.example.it>",
        MARCO,
        "Risposta automatica: " + s.subject,
        date,
        "it-ooo-7",
        s.message_id,
        "it-IT",
    )
    text = "Sono fuori ufficio fino al 7 gennaio 2027.\nI am out of the office until 7 January 2027.\n\nPaolo Greco\nGreco Energia S.p.A."
    c.add(
        "it_ooo_bilingue_it_en.eml",
        "out_of_office",
        "it",
        outlook_ooo(hs, text, "it-ooo-7"),
        "2027-01-07",
        "bilingual it/en",
    )

    s = ours(
        "it",
        "Sara Conti",
        "sara.conti@conti-grafica.example.it",
        D(2026, 12, 28, 9, 0),
        "Conti Grafica",
    )
    date = date_header(2026, 12, 28, 9, 2, "+0100", 26)
    hs = [
        ("Date", date),
        ("From", "Sara Conti <sara.conti@conti-grafica.example.it>"),
        ("To", MARCO),
        ("Subject", "R: " + s.subject),
        ("Message-ID", msgid("other", "it-ooo-8", "conti-grafica.example.it")),
    ]
    text = "Buongiorno, sono in ferie, rientro il 4 gennaio.\nSaluti\nSara Conti\n"
    c.add(
        "it_ooo_senza_intestazioni.eml",
        "out_of_office",
        "it",
        simple(hs, text, charset="utf-8", cte="7bit"),
        "2027-01-04",
        "no automation headers, Italian Outlook 'R:' subject",
    )

    s = ours(
        "it",
        "Roberto Gallo",
        "roberto.gallo@gallo-ceramiche.example.it",
        D(2026, 8, 7, 9, 0),
        "Gallo Ceramiche",
    )
    date = date_header(2026, 8, 7, 9, 0, "+0200", 9)
    hs = [
        ("Date", date),
        ("From", "Gallo Ceramiche <info@gallo-ceramiche.example.it>"),
        ("To", "marco.bellini@outreach.example.com"),
        ("Subject", "Chiusura estiva"),
        ("Message-ID", msgid("other", "it-ooo-9", "gallo-ceramiche.example.it")),
        ("Auto-Submitted", "auto-replied"),
    ]
    text = "Gentile cliente,\n\nl'azienda resterà chiusa per ferie dal 10 al 23 agosto. Riapriamo lunedì\n24 agosto.\n\nGallo Ceramiche"
    c.add(
        "it_ooo_chiusura_estiva.eml",
        "out_of_office",
        "it",
        alternative(
            hs,
            text,
            wrap_html(text_to_html(text)),
            boundary="----=_Part_" + hexid("it9", 12),
            charset="iso-8859-1",
        ),
        "2026-08-24",
        "summer closure; 'Riapriamo lunedì 24 agosto'",
    )

    s = ours(
        "it",
        "Elena Ferrari",
        "elena.ferrari@ferrari-consulting.example.it",
        D(2026, 11, 18, 9, 0),
        "Ferrari Consulting",
    )
    date = date_header(2026, 11, 18, 9, 0, "+0100", 52)
    hs = exchange_auto(
        "Elena Ferrari <elena.ferrari@ferrari-consulting.example.it>",
        MARCO,
        "Risposta automatica: " + s.subject,
        date,
        "it-ooo-10",
        s.message_id,
        "it-IT",
    )
    text = "Sono in maternità. Per qualsiasi necessità scrivete a\nufficio@ferrari-consulting.example.it."
    c.add(
        "it_ooo_maternita.eml",
        "out_of_office",
        "it",
        simple(hs, text, charset="utf-8", cte="quoted-printable"),
        None,
        "maternity leave, no date",
    )


def auto(c: Corpus) -> None:
    date = date_header(2026, 12, 3, 10, 0, "+0100", 20)
    hs = [
        ("Date", date),
        ("From", "Assistenza Clienti Vela <assistenza@vela-telecom.example.it>"),
        ("To", "marco.bellini@outreach.example.com"),
        ("Subject", "Abbiamo ricevuto la tua richiesta [Ticket n. 38291]"),
        ("Message-ID", "<" + hexid("it-a1", 24) + "@helpdesk.vela-telecom.example.it>"),
        ("Auto-Submitted", "auto-generated"),
    ]
    text = "Ciao,\n\nabbiamo ricevuto la tua richiesta (ticket n. 38291). Un operatore ti\nrisponderà entro 2 giorni lavorativi.\n\nAssistenza Clienti Vela"
    c.add(
        "it_auto_ticket.eml",
        "auto_reply",
        "it",
        alternative(
            hs, text, wrap_html(text_to_html(text)), boundary="--==_mimepart_" + hexid("it-a1b", 18)
        ),
        None,
        "ticket acknowledgement",
    )

    s = ours(
        "it",
        "Davide Fontana",
        "davide.fontana@fontana-spa.example.it",
        D(2026, 12, 4, 9, 0),
        "Fontana SpA",
    )
    date = date_header(2026, 12, 4, 9, 0, "+0100", 11)
    hs = exchange_auto(
        "Davide Fontana <davide.fontana@fontana-spa.example.it>",
        MARCO,
        "Risposta automatica: " + s.subject,
        date,
        "it-auto-2",
        s.message_id,
        "it-IT",
    )
    text = "Non lavoro più presso Fontana SpA. Per informazioni scrivere a\ninfo@fontana-spa.example.it."
    c.add(
        "it_auto_non_lavora_piu.eml",
        "auto_reply",
        "it",
        outlook_ooo(hs, text, "it-auto-2"),
        None,
        "left the company",
    )

    s = ours(
        "it",
        "Ufficio",
        "ufficio@caseificio-valle.example.it",
        D(2026, 12, 7, 9, 0),
        "Caseificio Valle",
    )
    date = date_header(2026, 12, 7, 9, 0, "+0100", 3)
    hs = exchange_auto(
        "Caseificio Valle <ufficio@caseificio-valle.example.it>",
        MARCO,
        "Risposta automatica: " + s.subject,
        date,
        "it-auto-3",
        s.message_id,
        "it-IT",
    )
    text = "Questa casella di posta non è più monitorata. Vi preghiamo di scrivere a\nordini@caseificio-valle.example.it."
    c.add(
        "it_auto_casella_non_monitorata.eml",
        "auto_reply",
        "it",
        simple(hs, text, charset="iso-8859-15", cte="quoted-printable", quote_charset=True),
        None,
        "mailbox not monitored",
    )


def unsub(c: Corpus) -> None:
    s = ours(
        "it",
        "Alessandro Esposito",
        "alessandro.esposito@esposito-srl.example.it",
        D(2026, 12, 2, 9, 0),
        "Esposito Srl",
    )
    date = date_header(2026, 12, 2, 12, 0, "+0100", 9)
    raw = reply(
        "gmail",
        frm="Alessandro Esposito <alessandro.esposito@esposito-srl.example.it>",
        to=MARCO,
        subject="Re: " + s.subject,
        date=date,
        seed="it-u-1",
        new="Cancellami",
        sent=s,
        qstyle="gmail-it",
    )
    c.add(
        "it_unsub_cancellami.eml",
        "unsubscribe",
        "it",
        raw,
        None,
        "one word, same as our quoted footer («cancellami»)",
    )

    s = ours(
        "it",
        "Federica Lombardi",
        "federica.lombardi@lombardi-legal.example.it",
        D(2026, 12, 3, 9, 0),
        "Studio Lombardi",
    )
    date = date_header(2026, 12, 3, 10, 0, "+0100", 21)
    raw = reply(
        "outlook-old",
        frm="Federica Lombardi <federica.lombardi@lombardi-legal.example.it>",
        to=MARCO,
        subject="R: " + s.subject,
        date=date,
        seed="it-u-2",
        new="Buongiorno,\n\nvi prego di rimuovere il mio indirizzo dalla vostra mailing list.\n\nDistinti saluti\nAvv. Federica Lombardi",
        sent=s,
        lang="it",
        charset="windows-1252",
    )
    c.add(
        "it_unsub_rimuovere_indirizzo.eml",
        "unsubscribe",
        "it",
        raw,
        None,
        "'-----Messaggio originale-----'",
    )

    s = ours(
        "it",
        "Giorgio Barbieri",
        "giorgio.barbieri@barbieri-auto.example.it",
        D(2026, 12, 4, 9, 0),
        "Barbieri Auto",
    )
    date = date_header_nopad(2026, 12, 4, 21, 0, "+0100")
    raw = reply(
        "iphone",
        frm="Giorgio Barbieri <giorgio.barbieri@barbieri-auto.example.it>",
        to=MARCO,
        subject="Re: " + s.subject,
        date=date,
        seed="it-u-3",
        new="Non sono interessato, non contattatemi più.\n\nInviato da iPhone",
        sent=s,
        qstyle="apple-it",
    )
    c.add("it_unsub_non_contattatemi.eml", "unsubscribe", "it", raw, None, "'Inviato da iPhone'")

    s = ours(
        "it",
        "Silvia Moretti",
        "silvia.moretti@moretti-design.example.it",
        D(2026, 12, 7, 9, 0),
        "Moretti Design",
    )
    date = date_header(2026, 12, 7, 15, 0, "+0100", 6)
    raw = reply(
        "outlook",
        frm="Silvia Moretti <silvia.moretti@moretti-design.example.it>",
        to=MARCO,
        subject="R: " + s.subject,
        date=date,
        seed="it-u-4",
        new="Vorrei essere cancellata dalla vostra lista, grazie.\n\nSilvia",
        sent=s,
        lang="it",
    )
    c.add(
        "it_unsub_essere_cancellata.eml",
        "unsubscribe",
        "it",
        raw,
        None,
        "Outlook 'Da:/Inviato:' block",
    )


def human(c: Corpus) -> None:
    s = ours(
        "it",
        "Stefano De Luca",
        "stefano.deluca@deluca-impianti.example.it",
        D(2026, 12, 2, 9, 0),
        "De Luca Impianti",
    )
    date = date_header(2026, 12, 2, 18, 0, "+0100", 14)
    raw = reply(
        "gmail",
        frm="Stefano De Luca <stefano.deluca@deluca-impianti.example.it>",
        to=MARCO,
        subject="Re: " + s.subject,
        date=date,
        seed="it-h-1",
        new="Ciao Marco,\n\nla prossima settimana sono fuori, chiamami dopo il 14.\n\nStefano",
        sent=s,
        qstyle="gmail-it",
    )
    c.add("it_human_fuori_settimana.eml", "human", "it", raw, None, "a person mentioning absence")

    s = ours(
        "it",
        "Valentina Caruso",
        "valentina.caruso@caruso-eventi.example.it",
        D(2026, 12, 3, 9, 0),
        "Caruso Eventi",
    )
    date = date_header(2026, 12, 3, 11, 0, "+0100", 29)
    raw = reply(
        "outlook",
        frm="Valentina Caruso <valentina.caruso@caruso-eventi.example.it>",
        to=MARCO,
        subject="R: " + s.subject,
        date=date,
        seed="it-h-2",
        new="Puoi togliere il secondo paragrafo dalla proposta e rimandarmela?\n\nValentina",
        sent=s,
        lang="it",
    )
    c.add(
        "it_human_togliere_paragrafo.eml", "human", "it", raw, None, "'togliere' is about the text"
    )

    s = ours(
        "it",
        "Simone Rinaldi",
        "simone.rinaldi@rinaldi-group.example.it",
        D(2026, 12, 4, 9, 0),
        "Rinaldi Group",
    )
    date = date_header(2026, 12, 9, 8, 30, "+0100", 2)
    raw = reply(
        "gmail",
        frm="Simone Rinaldi <simone.rinaldi@rinaldi-group.example.it>",
        to=MARCO,
        subject="Re: " + s.subject,
        date=date,
        seed="it-h-3",
        new="Devo cancellare la riunione di domani, possiamo spostarla a venerdì alle 11?",
        sent=s,
        qstyle="gmail-it",
    )
    c.add(
        "it_human_cancellare_riunione.eml",
        "human",
        "it",
        raw,
        None,
        "'cancellare la riunione' is not 'cancellami'",
    )

    s = ours(
        "it",
        "Martina Longo",
        "martina.longo@longo-vini.example.it",
        D(2026, 12, 7, 9, 0),
        "Longo Vini",
    )
    date = date_header(2026, 12, 7, 14, 0, "+0100", 35)
    raw = reply(
        "tbird",
        frm="Martina Longo <martina.longo@longo-vini.example.it>",
        to=MARCO,
        subject="Re: " + s.subject,
        date=date,
        seed="it-h-4",
        new="Interessante, mandami qualche informazione in più e un listino.\n\nMartina",
        sent=s,
        qstyle="tbird-it",
    )
    c.add("it_human_interessata.eml", "human", "it", raw, None, "Thunderbird 'Il ... ha scritto:'")

    s = ours(
        "it",
        "Enrico Pellegrini",
        "enrico.pellegrini@pellegrini-tech.example.it",
        D(2026, 11, 30, 9, 0),
        "Pellegrini Tech",
    )
    date = date_header(2026, 12, 10, 9, 0, "+0100", 40)
    raw = reply(
        "outlook",
        frm="Enrico Pellegrini <enrico.pellegrini@pellegrini-tech.example.it>",
        to=MARCO,
        subject="R: " + s.subject,
        date=date,
        seed="it-h-5",
        new="Scusa il ritardo, sono appena rientrato dalle ferie. Giovedì alle 15 va bene.\n\nEnrico",
        sent=s,
        lang="it",
    )
    c.add(
        "it_human_rientrato_ferie.eml",
        "human",
        "it",
        raw,
        None,
        "past holiday, 'rientrato' in a person's reply",
    )


def bounces(c: Corpus) -> None:
    s = ours(
        "it", "Piero Marchetti", "piero.marchetti@example.it", D(2026, 12, 2, 9, 0), "Marchetti Srl"
    )
    text = (
        "Recapito non riuscito per i seguenti destinatari o gruppi:\n\n"
        f"{s.to_addr}<mailto:{s.to_addr}>\n"
        "Impossibile trovare l'indirizzo di posta elettronica immesso. Controllare\n"
        "l'indirizzo di posta elettronica del destinatario e provare a inviare di\nnuovo il messaggio.\n\n"
        "Informazioni di diagnostica per gli amministratori:\n\nServer di generazione: AM0P192MB0123.EURP192.PROD.OUTLOOK.COM\n\n"
        f"{s.to_addr}\nRemote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'\n"
    )
    raw = exchange_ndr(
        postmaster="postmaster@example.it",
        subject_prefix="Non recapitabile:",
        s=s,
        date=date_header(2026, 12, 2, 9, 0, "+0100", 31),
        seed="it-b-1",
        loc="it-IT",
        text=text,
        status="5.1.1",
        action="failed",
        diag="550 5.1.1 RESOLVER.ADR.RecipNotFound; not found",
    )
    c.add("it_bounce_non_recapitabile.eml", "bounce", "it", raw, None, "Italian Exchange NDR")

    s = ours(
        "it",
        "Angela Sartori",
        "angela.sartori@example.net",
        D(2026, 12, 3, 9, 0),
        "Sartori Tessuti",
    )
    date = date_header(2026, 12, 3, 9, 0, "+0100", 5)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "Mail Delivery Subsystem <MAILER-DAEMON@smtp.example.net>"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", "Messaggio non consegnato"),
        ("Message-ID", msgid("mta", "it-b-2", "smtp.example.net")),
        ("Auto-Submitted", "auto-replied"),
    ]
    human = text_part(
        f"Il messaggio non è stato consegnato a uno o più destinatari.\nSi tratta di un errore permanente.\n\n<{s.to_addr}>: utente sconosciuto / user unknown\n",
        charset="iso-8859-1",
        cte="quoted-printable",
    )
    st = delivery_status(
        reporting_mta="smtp.example.net",
        recipient=s.to_addr,
        status="5.1.1",
        action="failed",
        remote_mta="mx.example.net",
        diag="550 5.1.1 <" + s.to_addr + ">: Recipient address rejected: User unknown",
    )
    c.add(
        "it_bounce_utente_sconosciuto.eml",
        "bounce",
        "it",
        report(
            hs, boundary="=_" + hexid("it-b2", 16), human=human, status_text=st, original=our_raw(s)
        ),
        None,
        "Italian mailer-daemon with DSN",
    )

    s = ours(
        "it", "Franco Villa", "franco.villa@example.org", D(2026, 12, 7, 9, 0), "Villa Costruzioni"
    )
    date = date_header(2026, 12, 7, 10, 0, "+0100", 45)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "MAILER-DAEMON@mx.example.org (Sistema di consegna posta)"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", "Avviso: consegna ritardata"),
        ("Auto-Submitted", "auto-replied"),
    ]
    human = text_part(
        f"ATTENZIONE: questo è solo un avviso, non è necessario inviare di nuovo il\nmessaggio.\n\nLa casella del destinatario è piena. Il sistema riproverà per 5 giorni.\n\n<{s.to_addr}>: 452 4.2.2 Mailbox full\n",
        charset="utf-8",
    )
    st = delivery_status(
        reporting_mta="mx.example.org",
        recipient=s.to_addr,
        status="4.2.2",
        action="delayed",
        diag="452 4.2.2 Mailbox full",
    )
    c.add(
        "it_soft_casella_piena.eml",
        "soft_bounce",
        "it",
        report(
            hs,
            boundary="=_" + hexid("it-b3", 16),
            human=human,
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
        ),
        None,
        "Italian delay notice, mailbox full 4.2.2",
    )


def build(c: Corpus) -> None:
    """All Italian cases."""
    ooo(c)
    auto(c)
    unsub(c)
    human(c)
    bounces(c)
