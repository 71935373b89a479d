# ruff: noqa: E501
"""French cases (France, Belgium, Switzerland, Québec)."""

from __future__ import annotations

import datetime as dt

from tests.corpus.replies._mail import (
    Corpus,
    alternative,
    assemble,
    date_header,
    date_header_nopad,
    encode_body,
    ew,
    exchange_auto,
    exchange_ndr,
    hexid,
    html_only,
    msgid,
    mx_trace,
    our_raw,
    ours,
    outlook_ooo,
    reply,
    simple,
    text_to_html,
    wrap_html,
)

D = dt.datetime
CAMILLE = "Camille Robert <camille.robert@outreach.example.com>"


def ooo(c: Corpus) -> None:
    s = ours(
        "fr",
        "Isabelle Moreau",
        "isabelle.moreau@moreau-conseil.example.fr",
        D(2026, 12, 21, 9, 0),
        "Moreau Conseil",
    )
    date = date_header(2026, 12, 21, 9, 2, "+0100", 10)
    hs = exchange_auto(
        "MOREAU Isabelle <isabelle.moreau@moreau-conseil.example.fr>",
        CAMILLE,
        "Réponse automatique : " + s.subject,
        date,
        "fr-ooo-1",
        s.message_id,
        "fr-FR",
    )
    text = "Bonjour,\n\nJe suis absente du bureau et serai de retour le 7 janvier. Pour toute\nurgence, merci de contacter le standard au 01 23 45 67 89.\n\nCordialement,\nIsabelle Moreau"
    c.add(
        "fr_ooo_exchange_de_retour.eml",
        "out_of_office",
        "fr",
        outlook_ooo(hs, text, "fr-ooo-1"),
        "2027-01-07",
        "'de retour le 7 janvier' in December: next year",
    )

    s = ours(
        "fr",
        "Philippe Laurent",
        "p.laurent@laurent-btp.example.fr",
        D(2026, 12, 22, 9, 0),
        "Laurent BTP",
    )
    date = date_header(2026, 12, 22, 9, 0, "+0100", 44)
    hs = exchange_auto(
        "Philippe Laurent <p.laurent@laurent-btp.example.fr>",
        CAMILLE,
        "Réponse automatique : " + s.subject,
        date,
        "fr-ooo-2",
        s.message_id,
        "fr-FR",
    )
    text = "Je suis en congés jusqu'au 3 janvier inclus. Votre message ne sera pas\ntransféré.\n\nPhilippe Laurent\nConducteur de travaux"
    c.add(
        "fr_ooo_jusquau_inclus.eml",
        "out_of_office",
        "fr",
        simple(hs, text, charset="iso-8859-1", cte="quoted-printable", quote_charset=True),
        "2027-01-04",
        "'jusqu'au 3 janvier inclus': next day",
    )

    s = ours(
        "fr",
        "Nathalie Girard",
        "nathalie.girard@girard-avocats.example.fr",
        D(2026, 12, 18, 9, 0),
        "Girard Avocats",
    )
    date = date_header(2026, 12, 21, 8, 0, "+0100", 2)
    hs = [
        *mx_trace("smtp.girard-avocats.example.fr", date, "192.0.2.88", return_path="<>"),
        ("Date", date),
        ("From", "Nathalie Girard <nathalie.girard@girard-avocats.example.fr>"),
        ("To", "camille.robert@outreach.example.com"),
        ("Subject", ew("Absence prolongée", "iso-8859-1", "B", upper=True)),
        (
            "Message-ID",
            "<" + hexid("fr-ooo-3", 8) + ".1797670800.JavaMail.zimbra@girard-avocats.example.fr>",
        ),
        ("Auto-Submitted", "auto-replied (zimbra; vacation)"),
    ]
    text = "Madame, Monsieur,\n\nJe serai absente du 21 décembre au 3 janvier. Je prendrai connaissance de\nvotre message à mon retour.\n\nMe Nathalie Girard"
    c.add(
        "fr_ooo_range_du_au.eml",
        "out_of_office",
        "fr",
        simple(hs, text, charset="iso-8859-1", cte="8bit"),
        "2027-01-04",
        "range 'du 21 décembre au 3 janvier': last day + 1; Zimbra; 8bit latin-1; ISO-8859-1 B-encoded subject",
    )

    s = ours(
        "fr",
        "Julien Petit",
        "julien.petit@petit-transport.example.fr",
        D(2026, 12, 28, 9, 0),
        "Petit Transport",
    )
    date = date_header(2026, 12, 28, 9, 0, "+0100", 19)
    hs = exchange_auto(
        "Julien Petit <julien.petit@petit-transport.example.fr>",
        CAMILLE,
        "Réponse automatique : " + s.subject,
        date,
        "fr-ooo-4",
        s.message_id,
        "fr-FR",
    )
    text = "Bonjour,\nJe suis absent jusqu'au lundi 4 janvier.\nBonne fin d'année,\nJulien"
    c.add(
        "fr_ooo_jusquau_lundi.eml",
        "out_of_office",
        "fr",
        html_only(hs, wrap_html(text_to_html(text), outlook=False)),
        "2027-01-04",
        "'jusqu'au lundi 4 janvier' without 'inclus': that day (README); HTML-only",
    )

    s = ours(
        "fr",
        "Sophie Lefèvre",
        "sophie.lefevre@lefevre-immo.example.be",
        D(2026, 12, 23, 9, 0),
        "Lefèvre Immo",
    )
    date = date_header(2026, 12, 23, 9, 3, "+0100", 8)
    hs = exchange_auto(
        ew("Sophie Lefèvre", "utf-8") + " <sophie.lefevre@lefevre-immo.example.be>",
        CAMILLE,
        "Réponse automatique : " + s.subject,
        date,
        "fr-ooo-5",
        s.message_id,
        "fr-BE",
    )
    text = "Bonjour,\n\nJe suis actuellement en congé et de retour le 05/01/2027.\n\nBien à vous,\nSophie Lefèvre"
    c.add(
        "fr_ooo_numeric_de_retour.eml",
        "out_of_office",
        "fr",
        outlook_ooo(hs, text, "fr-ooo-5", charset="windows-1252"),
        "2027-01-05",
        "numeric day-first 05/01/2027 (Belgium)",
    )

    s = ours(
        "fr",
        "Antoine Mercier",
        "antoine.mercier@mercier-agro.example.fr",
        D(2026, 12, 9, 9, 0),
        "Mercier Agro",
    )
    date = date_header(2026, 12, 9, 9, 1, "+0100", 37)
    hs = exchange_auto(
        "Antoine Mercier <antoine.mercier@mercier-agro.example.fr>",
        CAMILLE,
        "Réponse automatique : " + s.subject,
        date,
        "fr-ooo-6",
        s.message_id,
        "fr-FR",
    )
    text = "Je suis en déplacement cette semaine et de retour lundi prochain.\n\nAntoine"
    c.add(
        "fr_ooo_lundi_prochain.eml",
        "out_of_office",
        "fr",
        outlook_ooo(hs, text, "fr-ooo-6"),
        "2026-12-14",
        "relative 'lundi prochain' after Wed 9 Dec",
    )

    s = ours(
        "fr",
        "Valérie Fontaine",
        "v.fontaine@fontaine-sa.example.fr",
        D(2026, 12, 10, 9, 0),
        "Fontaine SA",
    )
    date = date_header(2026, 12, 10, 9, 0, "+0100", 5)
    hs = exchange_auto(
        "Fontaine Valérie <v.fontaine@fontaine-sa.example.fr>",
        CAMILLE,
        "Réponse automatique : " + s.subject,
        date,
        "fr-ooo-7",
        s.message_id,
        "fr-FR",
    )
    text = "Je suis actuellement absente et n'ai pas accès à ma messagerie. Je\ntraiterai votre message dès que possible."
    c.add(
        "fr_ooo_no_date.eml",
        "out_of_office",
        "fr",
        simple(hs, text, charset="iso-8859-1", cte="quoted-printable", quote_charset=True),
        None,
        "no date",
    )

    s = ours(
        "fr",
        "Marc Bonnet",
        "marc.bonnet@bonnet-industrie.example.ch",
        D(2026, 12, 22, 9, 0),
        "Bonnet Industrie",
    )
    date = date_header(2026, 12, 22, 9, 0, "+0100", 28)
    hs = exchange_auto(
        "Marc Bonnet <marc.bonnet@bonnet-industrie.example.ch>",
        CAMILLE,
        "Réponse automatique : " + s.subject,
        date,
        "fr-ooo-8",
        s.message_id,
        "fr-CH",
    )
    text = "Je suis absent jusqu'au 8 janvier inclus et n'aurai qu'un accès limité à\nmes e-mails.\n\nI am out of the office until January 8th inclusive with limited access to\nemail.\n\nMarc Bonnet"
    c.add(
        "fr_ooo_bilingual_fr_en.eml",
        "out_of_office",
        "fr",
        outlook_ooo(hs, text, "fr-ooo-8"),
        "2027-01-09",
        "bilingual fr/en; inclusive in both",
    )

    s = ours(
        "fr",
        "Claire Dubois",
        "claire.dubois@dubois-edition.example.fr",
        D(2026, 11, 24, 9, 0),
        "Dubois Édition",
    )
    date = date_header(2026, 11, 24, 9, 0, "+0100", 40)
    hs = exchange_auto(
        "Claire Dubois <claire.dubois@dubois-edition.example.fr>",
        CAMILLE,
        "Réponse automatique : " + s.subject,
        date,
        "fr-ooo-9",
        s.message_id,
        "fr-FR",
    )
    text = "Bonjour,\n\nJe suis en congé maternité et reprendrai mon poste en avril 2027. En mon\nabsence, vous pouvez contacter Léa Garnier (lea.garnier@dubois-edition.example.fr).\n\nClaire"
    c.add(
        "fr_ooo_mois_seulement.eml",
        "out_of_office",
        "fr",
        simple(hs, text, charset="utf-8", cte="quoted-printable"),
        "2027-04-01",
        "month only: first day of the month",
    )

    s = ours(
        "fr",
        "Éric Rousseau",
        "eric.rousseau@rousseau-energie.example.fr",
        D(2026, 12, 14, 8, 0),
        "Rousseau Énergie",
    )
    date = date_header(2026, 12, 14, 8, 0, "+0100", 51)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", ew("Éric Rousseau", "utf-8") + " <eric.rousseau@rousseau-energie.example.fr>"),
        ("To", "camille.robert@outreach.example.com"),
        ("Subject", "Absence"),
        ("Message-ID", msgid("other", "fr-ooo-10", "rousseau-energie.example.fr")),
        ("Auto-Submitted", "auto-replied (vacation)"),
        ("Precedence", "bulk"),
    ]
    text = "Je suis en déplacement du 14 au 16 décembre. Retour au bureau le jeudi\n17 décembre.\n\nÉric"
    c.add(
        "fr_ooo_deplacement_retour.eml",
        "out_of_office",
        "fr",
        simple(hs, text, charset="utf-8", cte="8bit"),
        "2026-12-17",
        "range and explicit 'Retour au bureau le' agree",
    )

    s = ours(
        "fr",
        "Aurélie Blanc",
        "aurelie.blanc@blanc-deco.example.fr",
        D(2026, 12, 21, 10, 0),
        "Blanc Déco",
    )
    date = date_header(2026, 12, 21, 10, 5, "+0100", 0)
    hs = [
        ("Date", date),
        ("From", ew("Aurélie Blanc", "utf-8") + " <aurelie.blanc@blanc-deco.example.fr>"),
        ("To", CAMILLE.replace("Camille Robert", "Camille Robert")),
        ("Subject", "RE: " + ew(s.subject, "utf-8")),
        ("Message-ID", msgid("other", "fr-ooo-11", "blanc-deco.example.fr")),
    ]
    text = "Bonjour,\n\nje suis en vacances et de retour le 4 janvier.\n\nCordialement\nAurélie"
    c.add(
        "fr_ooo_headers_stripped.eml",
        "out_of_office",
        "fr",
        simple(hs, text, charset="utf-8", cte="base64"),
        "2027-01-04",
        "no automation headers, 'RE:' subject",
    )

    s = ours(
        "fr",
        "Hugo Lambert",
        "hugo.lambert@lambert-distribution.example.fr",
        D(2026, 12, 21, 9, 0),
        "Lambert Distribution",
    )
    date = date_header(2026, 12, 21, 9, 0, "+0100", 30)
    hs = exchange_auto(
        "Hugo Lambert <hugo.lambert@lambert-distribution.example.fr>",
        CAMILLE,
        "Réponse automatique : " + s.subject,
        date,
        "fr-ooo-12",
        s.message_id,
        "fr-FR",
    )
    text = "Bonjour,\n\nNos bureaux seront fermés du 24 décembre au 1er janvier. Je serai de retour\nle lundi 11 janvier. Les commandes passées après le 18 décembre seront\nexpédiées à partir du 5 janvier.\n\nMeilleures salutations,\nHugo Lambert"
    c.add(
        "fr_ooo_plusieurs_dates.eml",
        "out_of_office",
        "fr",
        outlook_ooo(hs, text, "fr-ooo-12", crlf=True),
        "2027-01-11",
        "several dates ('1er janvier' ordinal); only 'de retour le lundi 11 janvier' is the return; CRLF",
    )

    s = ours(
        "fr",
        "Geneviève Tremblay",
        "g.tremblay@tremblay-assurances.example.ca",
        D(2026, 12, 18, 9, 0),
        "Tremblay Assurances",
    )
    date = date_header(2026, 12, 18, 9, 0, "-0500", 15)
    hs = exchange_auto(
        "Geneviève Tremblay <g.tremblay@tremblay-assurances.example.ca>",
        CAMILLE,
        "Réponse automatique : " + s.subject,
        date,
        "fr-ooo-13",
        s.message_id,
        "fr-CA",
    )
    text = "Bonjour,\n\nJe suis en vacances des Fêtes et je serai de retour au bureau le mardi\n5 janvier 2027.\n\nJoyeuses Fêtes!\nGeneviève"
    c.add(
        "fr_ooo_quebec.eml",
        "out_of_office",
        "fr",
        outlook_ooo(hs, text, "fr-ooo-13"),
        "2027-01-05",
        "Québec French, North American offset but French (day-first rules irrelevant: date in words)",
    )


def auto(c: Corpus) -> None:
    date = date_header(2026, 12, 3, 11, 0, "+0100", 14)
    hs = [
        ("Date", date),
        ("From", "Service Client Atlantique <serviceclient@atlantique-mutuelle.example.fr>"),
        ("To", "camille.robert@outreach.example.com"),
        ("Subject", ew("Accusé de réception - Demande n° 58213", "utf-8")),
        ("Message-ID", msgid("other", "fr-auto-1", "atlantique-mutuelle.example.fr")),
        ("Auto-Submitted", "auto-generated"),
    ]
    text = "Madame, Monsieur,\n\nNous accusons réception de votre message. Votre demande n° 58213 a bien été\nenregistrée et sera traitée sous 48 heures ouvrées.\n\nCeci est un message automatique, merci de ne pas y répondre.\n\nLe Service Client"
    c.add(
        "fr_auto_accuse_reception.eml",
        "auto_reply",
        "fr",
        alternative(
            hs, text, wrap_html(text_to_html(text)), boundary="----=_Part_" + hexid("fr-a1", 12)
        ),
        None,
        "ticket acknowledgement",
    )

    s = ours(
        "fr",
        "Martine Dupont",
        "martine.dupont@dupont-freres.example.fr",
        D(2026, 12, 4, 9, 0),
        "Dupont Frères",
    )
    date = date_header(2026, 12, 4, 9, 0, "+0100", 3)
    hs = exchange_auto(
        "Martine Dupont <martine.dupont@dupont-freres.example.fr>",
        CAMILLE,
        "Réponse automatique : " + s.subject,
        date,
        "fr-auto-2",
        s.message_id,
        "fr-FR",
    )
    text = "Mme Dupont ne fait plus partie de nos effectifs depuis le 1er décembre.\nMerci d'adresser vos messages à contact@dupont-freres.example.fr."
    c.add(
        "fr_auto_ne_fait_plus_partie.eml",
        "auto_reply",
        "fr",
        outlook_ooo(hs, text, "fr-auto-2"),
        None,
        "left the company; a date that is not a return",
    )

    s = ours(
        "fr", "Contact", "contact@vignobles-roux.example.fr", D(2026, 12, 7, 9, 0), "Vignobles Roux"
    )
    date = date_header(2026, 12, 7, 9, 0, "+0100", 49)
    hs = exchange_auto(
        "Vignobles Roux <contact@vignobles-roux.example.fr>",
        CAMILLE,
        "Réponse automatique : " + s.subject,
        date,
        "fr-auto-3",
        s.message_id,
        "fr-FR",
    )
    text = "Cette boîte aux lettres n'est plus consultée. Pour toute demande, écrivez à\nbonjour@vignobles-roux.example.fr."
    c.add(
        "fr_auto_boite_non_consultee.eml",
        "auto_reply",
        "fr",
        simple(hs, text, charset="iso-8859-15", cte="quoted-printable", quote_charset=True),
        None,
        "mailbox not monitored",
    )

    date = date_header(2026, 12, 8, 14, 0, "+0100", 21)
    hs = [
        ("Date", date),
        ("From", "Boutique Lumen <hello@lumen-boutique.example.fr>"),
        ("To", "camille.robert@outreach.example.com"),
        ("Subject", ew("Merci pour votre message !", "utf-8", "B", force=True)),
        ("Message-ID", "<" + hexid("fr-auto-4", 30) + "@helpscout.example.net>"),
        ("Precedence", "auto_reply"),
    ]
    text = "Bonjour,\n\nMerci pour votre message ! Notre équipe vous répondra dans les plus brefs\ndélais (en général sous 24 h).\n\nPour vous désinscrire de notre newsletter, cliquez ici :\nhttps://lumen-boutique.example.fr/newsletter/desinscription\n\nL'équipe Lumen"
    c.add(
        "fr_auto_merci_newsletter_footer.eml",
        "auto_reply",
        "fr",
        html_only(hs, wrap_html(text_to_html(text))),
        None,
        "auto-responder with its own 'désinscrire' link; HTML-only",
    )


def unsub(c: Corpus) -> None:
    s = ours(
        "fr",
        "Olivier Faure",
        "olivier.faure@faure-ingenierie.example.fr",
        D(2026, 12, 2, 9, 0),
        "Faure Ingénierie",
    )
    date = date_header(2026, 12, 2, 10, 0, "+0100", 22)
    raw = reply(
        "outlook",
        frm="Olivier Faure <olivier.faure@faure-ingenierie.example.fr>",
        to=CAMILLE,
        subject="RE: " + ew(s.subject, "utf-8"),
        date=date,
        seed="fr-u-1",
        new="Désinscrivez-moi, merci.",
        sent=s,
        lang="fr",
    )
    c.add(
        "fr_unsub_desinscrivez_moi.eml",
        "unsubscribe",
        "fr",
        raw,
        None,
        "Outlook 'De :/Envoyé :' block, quoted footer says 'désinscription'",
    )

    s = ours(
        "fr",
        "Céline Morel",
        "celine.morel@morel-pharma.example.fr",
        D(2026, 12, 3, 9, 0),
        "Morel Pharma",
    )
    date = date_header(2026, 12, 3, 15, 30, "+0100", 9)
    raw = reply(
        "gmail",
        frm=ew("Céline Morel", "utf-8") + " <celine.morel@morel-pharma.example.fr>",
        to=CAMILLE,
        subject="Re: " + ew(s.subject, "utf-8"),
        date=date,
        seed="fr-u-2",
        new="Merci de ne plus m'envoyer de messages.",
        sent=s,
        qstyle="gmail-fr",
    )
    c.add(
        "fr_unsub_ne_plus_envoyer.eml",
        "unsubscribe",
        "fr",
        raw,
        None,
        "Gmail 'Le mar. ... a écrit :'",
    )

    s = ours(
        "fr",
        "Bruno Chevalier",
        "bruno.chevalier@chevalier-auto.example.fr",
        D(2026, 12, 4, 9, 0),
        "Chevalier Auto",
    )
    date = date_header_nopad(2026, 12, 4, 19, 10, "+0100")
    raw = reply(
        "iphone",
        frm="Bruno Chevalier <bruno.chevalier@chevalier-auto.example.fr>",
        to=CAMILLE,
        subject="Re: " + ew(s.subject, "utf-8"),
        date=date,
        seed="fr-u-3",
        new="Veuillez me retirer de votre liste de diffusion.\n\nEnvoyé de mon iPhone",
        sent=s,
        qstyle="apple-fr",
    )
    c.add(
        "fr_unsub_retirer_liste_iphone.eml",
        "unsubscribe",
        "fr",
        raw,
        None,
        "'Envoyé de mon iPhone'",
    )

    s = ours(
        "fr",
        "Patrick Garnier",
        "patrick.garnier@garnier-sas.example.fr",
        D(2026, 12, 7, 9, 0),
        "Garnier SAS",
    )
    date = date_header(2026, 12, 7, 9, 12, "+0100", 1)
    raw = reply(
        "plain",
        frm="patrick.garnier@garnier-sas.example.fr",
        to="camille.robert@outreach.example.com",
        subject="Re: " + ew(s.subject, "iso-8859-1", upper=True),
        date=date,
        seed="fr-u-4",
        new="Pas intéressé. Ne me recontactez plus.",
        sent=s,
        qstyle="tbird-fr",
        charset="utf-8",
        cte="quoted-printable",
    )
    c.add("fr_unsub_pas_interesse.eml", "unsubscribe", "fr", raw, None, "")

    s = ours(
        "fr",
        "Sandrine Perrin",
        "sandrine.perrin@perrin-rh.example.fr",
        D(2026, 12, 8, 9, 0),
        "Perrin RH",
    )
    date = date_header(2026, 12, 8, 11, 0, "+0100", 50)
    new = "Madame,\n\nConformément au RGPD, je vous demande de supprimer mes données personnelles\net de cesser tout envoi à cette adresse.\n\nSandrine Perrin"
    raw = reply(
        "outlook-old",
        frm="Sandrine Perrin <sandrine.perrin@perrin-rh.example.fr>",
        to=CAMILLE,
        subject="RE: " + ew(s.subject, "utf-8"),
        date=date,
        seed="fr-u-5",
        new=new,
        sent=s,
        lang="fr",
    )
    c.add(
        "fr_unsub_rgpd.eml",
        "unsubscribe",
        "fr",
        raw,
        None,
        "GDPR erasure + stop; '-----Message d'origine-----'",
    )

    s = ours(
        "fr",
        "Luc Henry",
        "luc.henry@henry-menuiserie.example.fr",
        D(2026, 12, 9, 9, 0),
        "Henry Menuiserie",
    )
    date = date_header(2026, 12, 9, 8, 2, "+0100", 33)
    hs = [
        ("Date", date),
        ("From", "Luc Henry <luc.henry@henry-menuiserie.example.fr>"),
        ("To", "camille.robert@outreach.example.com"),
        ("Subject", ew("désinscription", "utf-8")),
        ("Message-ID", msgid("other", "fr-u-6", "henry-menuiserie.example.fr")),
        ("In-Reply-To", s.message_id),
    ]
    c.add(
        "fr_unsub_subject_only.eml",
        "unsubscribe",
        "fr",
        simple(hs, "\n", charset="us-ascii", cte="7bit"),
        None,
        "the request is only in the subject; the body is empty",
    )


def human(c: Corpus) -> None:
    s = ours(
        "fr",
        "Thierry Masson",
        "thierry.masson@masson-logistique.example.fr",
        D(2026, 12, 2, 9, 0),
        "Masson Logistique",
    )
    date = date_header(2026, 12, 2, 18, 0, "+0100", 17)
    raw = reply(
        "gmail",
        frm="Thierry Masson <thierry.masson@masson-logistique.example.fr>",
        to=CAMILLE,
        subject="Re: " + ew(s.subject, "utf-8"),
        date=date,
        seed="fr-h-1",
        new="Bonjour Camille,\n\nJe suis absent la semaine prochaine, rappelez-moi après le 14.\n\nThierry",
        sent=s,
        qstyle="gmail-fr",
    )
    c.add(
        "fr_human_absent_semaine_prochaine.eml",
        "human",
        "fr",
        raw,
        None,
        "a person mentioning absence",
    )

    s = ours(
        "fr",
        "Émilie Roche",
        "emilie.roche@roche-events.example.fr",
        D(2026, 12, 3, 9, 0),
        "Roche Events",
    )
    date = date_header(2026, 12, 3, 12, 0, "+0100", 6)
    raw = reply(
        "outlook",
        frm=ew("Émilie Roche", "utf-8") + " <emilie.roche@roche-events.example.fr>",
        to=CAMILLE,
        subject="RE: " + ew(s.subject, "utf-8"),
        date=date,
        seed="fr-h-2",
        new="Bonjour,\n\nPouvez-vous retirer l'option B du devis et me renvoyer le PDF ?\n\nMerci,\nÉmilie",
        sent=s,
        lang="fr",
    )
    c.add("fr_human_retirer_option.eml", "human", "fr", raw, None, "'retirer' is about the quote")

    s = ours(
        "fr",
        "Romain Gauthier",
        "romain.gauthier@gauthier-media.example.fr",
        D(2026, 12, 4, 9, 0),
        "Gauthier Média",
    )
    date = date_header(2026, 12, 4, 10, 30, "+0100", 44)
    raw = reply(
        "gmail",
        frm="Romain Gauthier <romain.gauthier@gauthier-media.example.fr>",
        to=CAMILLE,
        subject="Re: " + ew(s.subject, "utf-8"),
        date=date,
        seed="fr-h-3",
        new="Comment vos clients gèrent-ils les désabonnements ? C'est un vrai sujet chez\nnous en ce moment.",
        sent=s,
        qstyle="gmail-fr",
    )
    c.add(
        "fr_human_question_desabonnements.eml",
        "human",
        "fr",
        raw,
        None,
        "talks about unsubscriptions as a topic",
    )

    s = ours(
        "fr",
        "Yves Marchand",
        "yves.marchand@marchand-outillage.example.fr",
        D(2026, 12, 7, 9, 0),
        "Marchand Outillage",
    )
    date = date_header(2026, 12, 7, 16, 40, "+0100", 12)
    raw = reply(
        "tbird",
        frm="Yves Marchand <yves.marchand@marchand-outillage.example.fr>",
        to=CAMILLE,
        subject="Re: " + ew(s.subject, "utf-8"),
        date=date,
        seed="fr-h-4",
        new="Intéressant. Vous avez des références dans l'industrie ?\n\nYves",
        sent=s,
        qstyle="tbird-fr",
        charset="iso-8859-1",
        cte="8bit",
    )
    c.add(
        "fr_human_interesse_thunderbird.eml",
        "human",
        "fr",
        raw,
        None,
        "Thunderbird 'Le 07/12/2026 à 09:00, ... a écrit :'",
    )

    s = ours(
        "fr",
        "Delphine Renard",
        "delphine.renard@renard-compta.example.fr",
        D(2026, 11, 26, 9, 0),
        "Renard Compta",
    )
    date = date_header(2026, 12, 8, 9, 5, "+0100", 3)
    raw = reply(
        "outlook",
        frm="Delphine Renard <delphine.renard@renard-compta.example.fr>",
        to=CAMILLE,
        subject="RE: " + ew(s.subject, "utf-8"),
        date=date,
        seed="fr-h-5",
        new="Désolée pour le délai, j'étais en congés jusqu'à hier. Mardi 15 h me\nconvient.\n\nDelphine",
        sent=s,
        lang="fr",
    )
    c.add("fr_human_retour_conges.eml", "human", "fr", raw, None, "past absence, proposes a time")

    s = ours(
        "fr",
        "Nicolas Brun",
        "nicolas.brun@brun-sport.example.fr",
        D(2026, 12, 9, 9, 0),
        "Brun Sport",
    )
    date = date_header(2026, 12, 9, 11, 20, "+0100", 2)
    raw = reply(
        "gmail",
        frm="Nicolas Brun <nicolas.brun@brun-sport.example.fr>",
        to=CAMILLE,
        subject="Re: " + ew(s.subject, "utf-8"),
        date=date,
        seed="fr-h-6",
        new="Passez nous voir sur notre stand au salon de Lyon, on en parlera de vive voix.\nArrêtez-vous au stand C14.\n\nNicolas",
        sent=s,
        qstyle="gmail-fr",
    )
    c.add("fr_human_stand_salon.eml", "human", "fr", raw, None, "'Arrêtez-vous' = stop by")


def bounces(c: Corpus) -> None:
    s = ours("fr", "Gérard Leroy", "gerard.leroy@example.fr", D(2026, 12, 2, 9, 0), "Leroy Bois")
    text = (
        "Échec de la remise pour ces destinataires ou groupes :\n\n"
        f"{s.to_addr}<mailto:{s.to_addr}>\n"
        "L'adresse de messagerie que vous avez entrée est introuvable. Vérifiez\n"
        "l'adresse de messagerie du destinataire et essayez de renvoyer le message.\n"
        "Si le problème persiste, contactez le support technique de votre\norganisation.\n\n"
        "Informations de diagnostic pour les administrateurs :\n\n"
        f"Serveur de génération : PR1P264MB2345.FRAP264.PROD.OUTLOOK.COM\n\n{s.to_addr}\n"
        "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'\n"
    )
    raw = exchange_ndr(
        postmaster="postmaster@example.fr",
        subject_prefix="Non remis :",
        s=s,
        date=date_header(2026, 12, 2, 9, 0, "+0100", 40),
        seed="fr-b-1",
        loc="fr-FR",
        text=text,
        status="5.1.1",
        action="failed",
        diag="550 5.1.1 RESOLVER.ADR.RecipNotFound; not found",
        charset="iso-8859-1",
    )
    c.add("fr_bounce_non_remis.eml", "bounce", "fr", raw, None, "French Exchange NDR 'Non remis :'")

    s = ours(
        "fr", "Josiane Caron", "josiane.caron@example.net", D(2026, 12, 3, 9, 0), "Caron Fleurs"
    )
    date = date_header(2026, 12, 3, 9, 0, "+0100", 2)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "MAILER-DAEMON@smtp-out.example.net (Systeme de distribution du courrier)"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", ew("Échec de distribution du message", "utf-8")),
        ("Message-ID", msgid("mta", "fr-b-2", "smtp-out.example.net")),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "quoted-printable"),
    ]
    text = (
        "Ce message a été créé automatiquement par le logiciel de distribution du\ncourrier.\n\n"
        "Votre message n'a pas pu être remis à un ou plusieurs destinataires.\n"
        "Il s'agit d'une erreur permanente. L'adresse suivante a échoué :\n\n"
        f"  {s.to_addr}\n    550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]\n\n"
        "------ Les en-têtes du message d'origine suivent. ------\n\n"
    )
    c.add(
        "fr_bounce_mailer_daemon_fr.eml",
        "bounce",
        "fr",
        assemble(
            hs,
            encode_body(text + our_raw(s, headers_only=True).decode(), "utf-8", "quoted-printable"),
        ),
        None,
        "French mailer-daemon, no DSN part, body quoted-printable",
    )

    s = ours("fr", "Rémi Vidal", "remi.vidal@example.com", D(2026, 12, 7, 9, 0), "Vidal Vins")
    text = f"La remise à ces destinataires ou groupes est différée :\n\n{s.to_addr}\n\nObjet : {s.subject}\n\nCe message n'a pas encore été remis. Nous continuerons d'essayer de le remettre.\n\nLe serveur va continuer d'essayer de remettre ce message pendant 1 jours 19 heures et 50 minutes. Vous recevrez une notification si le message ne peut pas être remis d'ici là.\n\nInformations de diagnostic pour les administrateurs :\n\nLe serveur example.com a renvoyé '451 4.4.0 Primary target IP address responded with: \"421 4.4.2 Connection dropped due to SocketError.\"'\n"
    raw = exchange_ndr(
        postmaster="postmaster@outreach.example.com",
        subject_prefix="Remise différée :",
        s=s,
        date=date_header(2026, 12, 7, 17, 0, "+0100", 12),
        seed="fr-b-3",
        loc="fr-FR",
        text=text,
        status="4.4.7",
        action="delayed",
        diag="400 4.4.7 Message delayed",
    )
    c.add(
        "fr_soft_remise_differee.eml",
        "soft_bounce",
        "fr",
        raw,
        None,
        "French Exchange delay notice",
    )


def build(c: Corpus) -> None:
    """All French cases."""
    ooo(c)
    auto(c)
    unsub(c)
    human(c)
    bounces(c)
