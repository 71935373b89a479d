# ruff: noqa: E501, PLR0917, RUF001
"""English cases (UK and US English); most DSNs are English as their MTAs write them."""

from __future__ import annotations

import datetime as dt

from tests.corpus.replies._mail import (
    Corpus,
    Headers,
    alternative,
    assemble,
    attribution,
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
    outlook_block,
    re_subject,
    reply,
    report,
    simple,
    text_part,
    text_to_html,
    wrap_html,
)

D = dt.datetime


def _exchange_ooo_headers(
    frm: str, to: str, subject: str, date: str, seed: str, irt: str, loc: str = "en-US"
) -> Headers:
    return [
        ("From", frm),
        ("To", to),
        ("Subject", subject),
        ("Thread-Topic", subject.split(": ", 1)[1]),
        ("Thread-Index", "AQHa" + hexid(seed, 20)),
        ("Date", date),
        ("Message-ID", msgid("outlook", seed)),
        ("References", irt),
        ("In-Reply-To", irt),
        ("Content-Language", loc),
        ("X-MS-Has-Attach", ""),
        ("X-MS-Exchange-Organization-SCL", "-1"),
        ("X-MS-TNEF-Correlator", ""),
        ("X-MS-Exchange-Organization-AutoReplyAccepted", "True"),
        ("auto-submitted", "auto-generated"),
        ("x-ms-exchange-generated-message-source", "Mailbox Rules Agent"),
        ("X-MS-Exchange-Inbox-Rules-Loop", frm.rsplit("<", maxsplit=1)[-1].rstrip(">")),
        ("X-Auto-Response-Suppress", "All"),
    ]


def ooo(c: Corpus) -> None:
    # 1 Exchange Online automatic reply, weekday + date, year rolls over
    s = ours(
        "en",
        "Priya Natarajan",
        "priya.natarajan@harbourline.example.com",
        D(2026, 12, 18, 9, 12),
        "Harbourline",
    )
    date = date_header(2026, 12, 18, 9, 12, "+0000", 41)
    body = (
        "Thank you for your email.\n\n"
        "I am out of the office with limited access to email and will be back on\n"
        "Monday 4 January. For anything urgent please contact my colleague Tom Reid\n"
        "(tom.reid@harbourline.example.com).\n\n"
        "Kind regards,\nPriya"
    )
    hs = _exchange_ooo_headers(
        "Priya Natarajan <priya.natarajan@harbourline.example.com>",
        "Jonas Berg <jonas.berg@outreach.example.com>",
        re_subject("Automatic reply:", s),
        date,
        "en-ooo-1",
        s.message_id,
        "en-GB",
    )
    b = "_000_" + hexid("en-ooo-1b", 30).upper() + "_"
    raw = assemble(
        [
            *mx_trace(
                "EUR05-AM6-obe.outbound.protection.outlook.com",
                date,
                "40.107.22.95",
                return_path="<>",
            ),
            *hs,
            ("Content-Type", f'multipart/alternative;\n\tboundary="{b}"'),
            ("MIME-Version", "1.0"),
        ],
        multipart_body(
            [
                text_part(body, charset="us-ascii", cte="quoted-printable"),
                text_part(
                    wrap_html(mso_paras(body), outlook=True),
                    subtype="html",
                    charset="us-ascii",
                    cte="quoted-printable",
                ),
            ],
            b,
        ),
    )
    c.add(
        "en_ooo_exchange_weekday_date.eml",
        "out_of_office",
        "en",
        raw,
        "2027-01-04",
        "December notice, 'back on Monday 4 January' without year: next year",
    )

    # 2 Gmail vacation responder with its own subject
    s = ours(
        "en",
        "Oliver Grant",
        "oliver@grantandpike.example.co.uk",
        D(2026, 12, 21, 8, 30),
        "Grant & Pike",
    )
    date = date_header(2026, 12, 21, 8, 31, "+0000", 2)
    hs = [
        *mx_trace(
            "mail-sor-f41.google.com",
            date,
            "209.85.220.41",
            return_path="<oliver@grantandpike.example.co.uk>",
        ),
        ("MIME-Version", "1.0"),
        ("References", s.message_id),
        ("In-Reply-To", s.message_id),
        ("Auto-Submitted", "auto-replied"),
        ("Date", date),
        ("Message-ID", msgid("gmail", "en-ooo-2")),
        ("Subject", "Away until 11 January"),
        ("From", "Oliver Grant <oliver@grantandpike.example.co.uk>"),
        ("To", "Jonas Berg <jonas.berg@outreach.example.com>"),
    ]
    text = "Hi,\n\nI'm travelling with patchy signal until Monday 11 January and won't be\nchecking email regularly. I'll get back to you when I'm home.\n\nOliver\n"
    c.add(
        "en_ooo_gmail_vacation_until.eml",
        "out_of_office",
        "en",
        alternative(
            hs,
            text,
            f'<div dir="ltr">{text_to_html(text)}</div>\n',
            boundary="000000000000" + hexid("b2", 12),
        ),
        "2027-01-11",
        "'until' without inclusive marker: the named day is the return day",
    )

    # 3 'through' = inclusive
    s = ours(
        "en",
        "Hannah Cole",
        "hcole@northgate-legal.example.com",
        D(2026, 12, 22, 14, 5),
        "Northgate Legal",
    )
    date = date_header(2026, 12, 22, 14, 5, "+0000", 55)
    hs = _exchange_ooo_headers(
        "Hannah Cole <hcole@northgate-legal.example.com>",
        "jonas.berg@outreach.example.com",
        re_subject("Automatic reply:", s),
        date,
        "en-ooo-3",
        s.message_id,
        "en-GB",
    )
    text = "I'm out of the office through Wednesday 6 January with no access to email.\nYour message will not be forwarded. If your matter is urgent, please call\nreception on 020 7946 0321.\n\nHannah Cole | Associate | Northgate Legal LLP"
    c.add(
        "en_ooo_through_inclusive.eml",
        "out_of_office",
        "en",
        simple(hs, text, charset="windows-1252", cte="quoted-printable", quote_charset=True),
        "2027-01-07",
        "'through' is inclusive: return is the next day",
    )

    # 4 US numeric month-first
    s = ours(
        "us",
        "Kevin Brooks",
        "kbrooks@lakeshore-hvac.example.com",
        D(2026, 12, 23, 15, 0),
        "Lakeshore HVAC",
    )
    date = date_header(2026, 12, 23, 9, 2, "-0600", 17)
    hs = _exchange_ooo_headers(
        "Kevin Brooks <kbrooks@lakeshore-hvac.example.com>",
        "Jonas Berg <jonas.berg@outreach.example.com>",
        re_subject("Automatic reply:", s),
        date,
        "en-ooo-4",
        s.message_id,
    )
    text = "Thanks for your email! I'm out of the office on PTO and will return 1/5.\nFor anything time-sensitive, please reach out to our front desk at\n(312) 555-0142 or service@lakeshore-hvac.example.com.\n\nKevin Brooks\nOperations Manager, Lakeshore HVAC\nChicago, IL"
    c.add(
        "en_ooo_us_numeric_month_first.eml",
        "out_of_office",
        "en",
        simple(hs, text, charset="us-ascii", cte="7bit"),
        "2027-01-05",
        "US English (Date -0600, PTO, US phone): 1/5 is month-first = 5 January",
    )

    # 5 UK numeric day-first 'until 05/01'
    s = ours(
        "en",
        "Rhys Evans",
        "rhys.evans@valleyfoods.example.co.uk",
        D(2026, 12, 22, 10, 0),
        "Valley Foods",
    )
    date = date_header(2026, 12, 22, 10, 3, "+0000", 9)
    hs = [
        *mx_trace("smtp.valleyfoods.example.co.uk", date, "192.0.2.44", return_path="<>"),
        ("Date", date),
        ("From", "Rhys Evans <rhys.evans@valleyfoods.example.co.uk>"),
        ("To", "<jonas.berg@outreach.example.com>"),
        ("Subject", "Out of Office: " + s.subject),
        ("Message-ID", msgid("other", "en-ooo-5", "valleyfoods.example.co.uk")),
        ("Auto-Submitted", "auto-replied (vacation)"),
        ("Precedence", "bulk"),
    ]
    text = "I'm on annual leave until 05/01 and will respond to your email on my return.\n\nFor urgent orders please contact orders@valleyfoods.example.co.uk or call\n01633 960 211.\n\nRhys"
    c.add(
        "en_ooo_uk_numeric_day_first.eml",
        "out_of_office",
        "en",
        simple(hs, text, charset="utf-8", cte="7bit"),
        "2027-01-05",
        "UK English: 05/01 is day-first = 5 January; Sieve vacation headers",
    )

    # 6 relative 'back next Monday'
    s = ours(
        "en",
        "Megan Doyle",
        "megan.doyle@brightpath.example.ie",
        D(2026, 12, 9, 11, 20),
        "BrightPath",
    )
    date = date_header(2026, 12, 9, 11, 21, "+0000", 33)
    hs = _exchange_ooo_headers(
        "Megan Doyle <megan.doyle@brightpath.example.ie>",
        "Jonas Berg <jonas.berg@outreach.example.com>",
        re_subject("Automatic reply:", s),
        date,
        "en-ooo-6",
        s.message_id,
        "en-IE",
    )
    text = "Hi there,\n\nI'm at our sales kick-off this week and back next Monday. I'll reply to\nyour email then.\n\nMegan"
    c.add(
        "en_ooo_relative_next_monday.eml",
        "out_of_office",
        "en",
        html_only(hs, wrap_html(mso_paras(text), outlook=True)),
        "2026-12-14",
        "relative: 'next Monday' after Wed 9 Dec; HTML-only",
    )

    # 7 relative 'back in two weeks'
    s = ours(
        "en",
        "Daniel Osei",
        "daniel@kumasi-logistics.example.com",
        D(2026, 11, 10, 9, 0),
        "Kumasi Logistics",
    )
    date = date_header(2026, 11, 10, 9, 4, "+0000", 12)
    hs = [
        ("Return-Path", "<daniel@kumasi-logistics.example.com>"),
        ("Date", date),
        ("From", "Daniel Osei <daniel@kumasi-logistics.example.com>"),
        ("To", "jonas.berg@outreach.example.com"),
        ("Subject", "Auto: " + s.subject),
        ("In-Reply-To", s.message_id),
        ("X-Autoreply", "yes"),
        ("Auto-Submitted", "auto-replied"),
        ("Message-Id", msgid("mta", "en-ooo-7", "kumasi-logistics.example.com")),
    ]
    text = "I've just become a dad and I'm on paternity leave - back in two weeks.\nUntil then please write to ops@kumasi-logistics.example.com.\n\nDaniel"
    c.add(
        "en_ooo_relative_two_weeks.eml",
        "out_of_office",
        "en",
        simple(hs, text, charset="utf-8", cte="8bit"),
        "2026-11-24",
        "relative: 'in two weeks' = Date + 14 days; X-Autoreply header",
    )

    # 8 no date at all
    s = ours(
        "en",
        "Laura Simmons",
        "lsimmons@redwoodpartners.example.com",
        D(2026, 12, 2, 16, 0),
        "Redwood Partners",
    )
    date = date_header(2026, 12, 2, 16, 0, "-0500", 44)
    hs = _exchange_ooo_headers(
        "Laura Simmons <lsimmons@redwoodpartners.example.com>",
        "Jonas Berg <jonas.berg@outreach.example.com>",
        re_subject("Automatic reply:", s),
        date,
        "en-ooo-8",
        s.message_id,
    )
    text = "I am currently out of the office with limited access to email. I will\nrespond to your message as soon as possible.\n\nThank you,\nLaura"
    c.add(
        "en_ooo_no_date.eml",
        "out_of_office",
        "en",
        simple(hs, text, charset="us-ascii", cte="7bit"),
        None,
        "absence without any return date",
    )

    # 9 several dates, one return
    s = ours(
        "en",
        "Graham Whitfield",
        "g.whitfield@whitfield-print.example.co.uk",
        D(2026, 12, 19, 9, 45),
        "Whitfield Print",
    )
    date = date_header(2026, 12, 21, 7, 58, "+0000", 3)
    hs = _exchange_ooo_headers(
        "Graham Whitfield <g.whitfield@whitfield-print.example.co.uk>",
        "Jonas Berg <jonas.berg@outreach.example.com>",
        re_subject("Automatic reply:", s),
        date,
        "en-ooo-9",
        s.message_id,
        "en-GB",
    )
    text = (
        "Thank you for your message.\n\n"
        "I'm away from 21 December and will be back on 4 January. Please note our\n"
        "works are closed 24-28 December and on 1 January; artwork received after\n"
        "18 December will be printed from 5 January.\n\n"
        "Merry Christmas,\nGraham Whitfield\nWhitfield Print Ltd, Unit 4, Riverside Estate"
    )
    c.add(
        "en_ooo_several_dates.eml",
        "out_of_office",
        "en",
        simple(hs, text, charset="utf-8", cte="quoted-printable"),
        "2027-01-04",
        "five dates; only 'back on 4 January' is the return",
    )

    # 10 HTML-only US 'through Sunday, January 3'
    s = ours(
        "us",
        "Ashley Martinez",
        "amartinez@sunbeltmedical.example.com",
        D(2026, 12, 16, 13, 0),
        "Sunbelt Medical",
    )
    date = date_header(2026, 12, 16, 13, 1, "-0500", 27)
    hs = _exchange_ooo_headers(
        "Ashley Martinez <amartinez@sunbeltmedical.example.com>",
        "Jonas Berg <jonas.berg@outreach.example.com>",
        "Out of Office: " + s.subject,
        date,
        "en-ooo-10",
        s.message_id,
    )
    html = wrap_html(
        '<p class="MsoNormal">Hello,<o:p></o:p></p>\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
        '<p class="MsoNormal">I will be out of the office starting Thursday, December 17 through Sunday, January 3, '
        "with no access to email. If you need immediate assistance, please contact "
        '<a href="mailto:purchasing@sunbeltmedical.example.com">purchasing@sunbeltmedical.example.com</a>.<o:p></o:p></p>\n'
        '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n<p class="MsoNormal">Happy Holidays!<o:p></o:p></p>\n'
        '<p class="MsoNormal"><b><span style="color:#1F3864">Ashley Martinez</span></b> | Purchasing Director<br>'
        "Sunbelt Medical Supply | 4400 Commerce Pkwy, Tampa, FL 33610 | (813) 555-0190<o:p></o:p></p>",
        outlook=True,
    )
    c.add(
        "en_ooo_html_only_through.eml",
        "out_of_office",
        "en",
        html_only(hs, html),
        "2027-01-04",
        "HTML-only; range 'starting ... through Sunday, January 3' inclusive",
    )

    # 11 headers stripped (forwarded by a group alias), plain subject
    s = ours(
        "en",
        "Fiona Campbell",
        "fiona.campbell@thistle-energy.example.co.uk",
        D(2026, 12, 28, 10, 0),
        "Thistle Energy",
    )
    date = date_header(2026, 12, 28, 10, 7, "+0000", 50)
    hs = [
        ("Date", date),
        ("From", "Fiona Campbell <fiona.campbell@thistle-energy.example.co.uk>"),
        ("To", "Jonas Berg <jonas.berg@outreach.example.com>"),
        ("Subject", re_subject("RE:", s)),
        ("Message-ID", msgid("other", "en-ooo-11", "thistle-energy.example.co.uk")),
        ("X-Google-Group-Id", "418830221957"),
        ("List-ID", "<sales.thistle-energy.example.co.uk>"),
    ]
    text = "Hello,\n\nI am currently on leave, returning 12th January 2027. Your email has not\nbeen forwarded.\n\nFiona Campbell\nHead of Procurement"
    c.add(
        "en_ooo_headers_stripped.eml",
        "out_of_office",
        "en",
        simple(hs, text, charset="utf-8", cte="7bit"),
        "2027-01-12",
        "no automation header and a plain 'RE:' subject (went through a group alias); only the text says absence",
    )

    # 12 Zimbra 'AutoReply:' business trip with a range and a 'back' day
    s = ours(
        "en",
        "Marek Novak",
        "marek.novak@tatra-steel.example.com",
        D(2026, 12, 14, 8, 0),
        "Tatra Steel",
    )
    date = date_header(2026, 12, 14, 8, 1, "+0100", 19)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "Marek Novak <marek.novak@tatra-steel.example.com>"),
        ("To", "jonas.berg@outreach.example.com"),
        (
            "Message-ID",
            "<" + hexid("en-ooo-12", 8) + ".1734163260.JavaMail.zimbra@tatra-steel.example.com>",
        ),
        ("Subject", "AutoReply: " + s.subject),
        ("Auto-Submitted", "auto-replied (zimbra; vacation)"),
        ("X-Mailer", "Zimbra 9.0.0_GA_4546 (zclient/9.0.0_GA_4546)"),
    ]
    text = "I am away on business travel 14-18 December with intermittent email access.\nBack in the office on Monday 21 December.\n\nMarek Novak\nKey Account Manager"
    c.add(
        "en_ooo_zimbra_autoreply.eml",
        "out_of_office",
        "en",
        simple(hs, text, charset="utf-8", cte="7bit"),
        "2026-12-21",
        "range plus explicit back day; the back day wins",
    )

    # 13 Apple iCloud vacation: only X-Apple-Action, no Auto-Submitted
    s = ours(
        "en", "Ben Harper", "ben@harper-design.example.com", D(2026, 12, 20, 18, 0), "Harper Design"
    )
    date = date_header(2026, 12, 20, 18, 0, "+0000", 58)
    hs = [
        ("Return-Path", "<ben@harper-design.example.com>"),
        ("From", "ben@harper-design.example.com"),
        ("To", '"Berg, Jonas" <jonas.berg@outreach.example.com>'),
        ("Subject", "Auto reply: " + s.subject),
        ("Date", date),
        (
            "Message-id",
            "<"
            + hexid("en-ooo-13", 8)
            + "-247f-479e-996d-"
            + hexid("x13", 12)
            + "-vac@harper-design.example.com>",
        ),
        ("In-Reply-To", s.message_id),
        ("References", s.message_id),
        (
            "X-Apple-Criteria",
            "{kind=VACATION,startDate=2026-12-19T00:00:00Z,endDate=2027-01-02T23:59:59Z}",
        ),
        ("X-Apple-Action", "VACATION"),
        ("Content-type", "text/plain; charset=UTF-8"),
    ]
    raw = assemble(hs, b"Off the grid hiking until the 2nd of January. Happy holidays!\n\nBen\n")
    c.add(
        "en_ooo_icloud_vacation.eml",
        "out_of_office",
        "en",
        raw,
        "2027-01-02",
        "iCloud vacation: no Auto-Submitted, only X-Apple-Action; no MIME-Version; 'until the 2nd of January'",
    )

    # 14 sick, weekday only
    s = ours(
        "en",
        "Sophie Turner",
        "sophie.turner@meadowhr.example.com",
        D(2026, 12, 1, 9, 0),
        "Meadow HR",
    )
    date = date_header(2026, 12, 1, 9, 0, "+0000", 8)
    hs = _exchange_ooo_headers(
        "Sophie Turner <sophie.turner@meadowhr.example.com>",
        "Jonas Berg <jonas.berg@outreach.example.com>",
        re_subject("Automatic reply:", s),
        date,
        "en-ooo-14",
        s.message_id,
        "en-GB",
    )
    text = "I'm off sick at the moment and expect to be back on Thursday.\nFor payroll queries please email payroll@meadowhr.example.com.\n\nSophie"
    c.add(
        "en_ooo_sick_weekday.eml",
        "out_of_office",
        "en",
        simple(hs, text, charset="us-ascii", cte="7bit"),
        "2026-12-03",
        "weekday only: next Thursday after Tue 1 Dec",
    )

    # 15 parental leave, month only
    s = ours(
        "en",
        "Rachel Kim",
        "rachel.kim@cobaltlabs.example.com",
        D(2026, 11, 18, 14, 30),
        "Cobalt Labs",
    )
    date = date_header(2026, 11, 18, 14, 31, "+0000", 1)
    hs = _exchange_ooo_headers(
        "Rachel Kim <rachel.kim@cobaltlabs.example.com>",
        "Jonas Berg <jonas.berg@outreach.example.com>",
        re_subject("Automatic reply:", s),
        date,
        "en-ooo-15",
        s.message_id,
        "en-GB",
    )
    text = "Thanks for getting in touch. I'm on maternity leave and will be returning\nto work in June 2027. In the meantime please contact Alex Ward\n(alex.ward@cobaltlabs.example.com) who is covering my accounts."
    c.add(
        "en_ooo_month_only.eml",
        "out_of_office",
        "en",
        simple(hs, text, charset="utf-8", cte="quoted-printable"),
        "2027-06-01",
        "month without a day: first day of that month (README)",
    )

    # 16 old Exchange 'Out of Office AutoReply:' that quotes our message below
    s = ours(
        "en", "Peter Lang", "plang@alpine-tools.example.com", D(2026, 12, 1, 7, 40), "Alpine Tools"
    )
    date = date_header(2026, 12, 1, 7, 41, "+0000", 20)
    hs = [
        ("Subject", "Out of Office AutoReply: " + s.subject),
        ("Date", date),
        ("Message-ID", msgid("outlook", "en-ooo-16")),
        ("From", '"Lang, Peter" <plang@alpine-tools.example.com>'),
        ("To", '"Jonas Berg" <jonas.berg@outreach.example.com>'),
        ("X-MS-Has-Attach", ""),
        ("X-Auto-Response-Suppress", "All"),
        ("X-MS-Exchange-Inbox-Rules-Loop", "plang@alpine-tools.example.com"),
    ]
    text = (
        "I will return on 7th December. I will have no access to e-mail until then.\n\n"
        + outlook_block("en", s, original_message_line=True)
    )
    c.add(
        "en_ooo_quotes_original_footer.eml",
        "out_of_office",
        "en",
        simple(hs, text, charset="iso-8859-1", cte="quoted-printable", quote_charset=True),
        "2026-12-07",
        "old Exchange: no Auto-Submitted; our original with its unsubscribe footer quoted below",
    )

    # 17 Canadian bilingual en + fr
    s = ours(
        "en",
        "Chantal Roy",
        "chantal.roy@boreal-assurance.example.ca",
        D(2026, 12, 21, 13, 0),
        "Boréal Assurance",
    )
    date = date_header(2026, 12, 21, 13, 2, "-0500", 5)
    subj = ew("Réponse automatique : " + s.subject, "utf-8")
    hs = _exchange_ooo_headers(
        "Chantal Roy <chantal.roy@boreal-assurance.example.ca>",
        "Jonas Berg <jonas.berg@outreach.example.com>",
        "Automatic reply: " + s.subject,
        date,
        "en-ooo-17",
        s.message_id,
        "en-CA",
    )
    hs = [(k, subj if k == "Subject" else v) for k, v in hs]
    text = (
        "I am out of the office until January 4. I will reply to your message on my\nreturn.\n\n"
        "Je suis absente du bureau jusqu'au 4 janvier. Je répondrai à votre message\nà mon retour.\n\n"
        "Chantal Roy\nBoréal Assurance"
    )
    c.add(
        "en_ooo_bilingual_en_fr.eml",
        "out_of_office",
        "en",
        simple(hs, text, charset="utf-8", cte="base64"),
        "2027-01-04",
        "bilingual en/fr (Canada); French subject prefix but English first; RFC 2047 subject; base64 body",
    )

    # 18 weekday only 'until Wednesday'
    s = ours(
        "en",
        "Tom Fletcher",
        "tom@fletcherbikes.example.com",
        D(2026, 12, 4, 10, 0),
        "Fletcher Bikes",
    )
    date = date_header(2026, 12, 4, 10, 0, "+0000", 40)
    hs = [
        *mx_trace("mail.fletcherbikes.example.com", date, "192.0.2.61", return_path="<>"),
        ("From", "Tom Fletcher <tom@fletcherbikes.example.com>"),
        ("To", "jonas.berg@outreach.example.com"),
        ("Subject", "Re: " + s.subject),
        ("Date", date),
        ("Message-ID", msgid("other", "en-ooo-18", "fletcherbikes.example.com")),
        ("Auto-Submitted", "auto-replied"),
        ("Precedence", "auto_reply"),
    ]
    c.add(
        "en_ooo_until_weekday.eml",
        "out_of_office",
        "en",
        simple(
            hs,
            "Out of the workshop until Wednesday - will answer then.\nTom\n",
            cte="7bit",
            charset="us-ascii",
        ),
        "2026-12-09",
        "weekday only, 'until Wednesday' after Fri 4 Dec; 'Re:' subject but Auto-Submitted",
    )

    # 19 ordinal day only
    s = ours(
        "en",
        "Nadia Hussain",
        "nadia.hussain@crescentfin.example.com",
        D(2026, 11, 30, 9, 0),
        "Crescent Finance",
    )
    date = date_header(2026, 11, 30, 9, 1, "+0000", 0)
    hs = _exchange_ooo_headers(
        "Nadia Hussain <nadia.hussain@crescentfin.example.com>",
        "Jonas Berg <jonas.berg@outreach.example.com>",
        re_subject("Automatic reply:", s),
        date,
        "en-ooo-19",
        s.message_id,
        "en-GB",
    )
    text = "Thank you for your email. I am on leave and will be back in the office on\nthe 7th. Emails will be read on my return."
    c.add(
        "en_ooo_ordinal_day.eml",
        "out_of_office",
        "en",
        simple(hs, text, cte="7bit", charset="us-ascii"),
        "2026-12-07",
        "day of month only ('the 7th'), sent 30 Nov: next 7th",
    )

    # 20 company holiday closure with explicit reopening
    s = ours(
        "en",
        "James Whitaker",
        "james@whitaker-joinery.example.co.uk",
        D(2026, 12, 23, 16, 0),
        "Whitaker Joinery",
    )
    date = date_header(2026, 12, 23, 16, 0, "+0000", 22)
    hs = [
        ("Date", date),
        ("From", "Whitaker Joinery <info@whitaker-joinery.example.co.uk>"),
        ("Reply-To", "info@whitaker-joinery.example.co.uk"),
        ("To", "Jonas Berg <jonas.berg@outreach.example.com>"),
        ("Subject", "Christmas closure - " + s.subject),
        ("Message-ID", msgid("other", "en-ooo-20", "whitaker-joinery.example.co.uk")),
        ("Auto-Submitted", "auto-replied"),
    ]
    text = "Thank you for your email.\n\nOur workshop and office are closed for the holidays from 24 December 2026\nto 1 January 2027 inclusive. We reopen on Monday 4 January 2027 and will\nreply to all messages then.\n\nWishing you a very happy Christmas,\nThe Whitaker Joinery team"
    c.add(
        "en_ooo_company_closure.eml",
        "out_of_office",
        "en",
        simple(hs, text, cte="quoted-printable"),
        "2027-01-04",
        "company closure: range inclusive plus 'reopen on' (the reopen day is the return)",
    )

    # 21 Exim/Sieve 'X-Autoreply' leave notice
    s = ours(
        "en",
        "Ian Crowther",
        "ian.crowther@moorland-uni.example.ac.uk",
        D(2026, 12, 17, 11, 0),
        "Moorland University",
    )
    date = date_header(2026, 12, 17, 11, 2, "+0000", 14)
    hs = [
        ("Return-path", "<>"),
        ("Envelope-to", "jonas.berg@outreach.example.com"),
        (
            "Received",
            f"from mailhub.moorland-uni.example.ac.uk ([192.0.2.77])\n\tby mx1.outreach.example.com with esmtp (Exim 4.97)\n\tid 1tN3xa-0004Kq-2B; {date}",
        ),
        ("X-Autoreply", "yes"),
        ("Auto-Submitted", "auto-replied"),
        ("Precedence", "bulk"),
        ("From", "ian.crowther@moorland-uni.example.ac.uk"),
        ("To", "jonas.berg@outreach.example.com"),
        ("Subject", "On leave: Re: " + s.subject),
        ("Message-Id", "<E1tN3xa-0004Kq-2B@mailhub.moorland-uni.example.ac.uk>"),
        ("Date", date),
    ]
    text = "I am on leave, returning Tuesday 29 December. The University is closed\nbetween 24 December and 2 January; some services run a reduced timetable.\n\nDr Ian Crowther\nSchool of Engineering"
    c.add(
        "en_ooo_exim_autoreply.eml",
        "out_of_office",
        "en",
        simple(hs, text, charset="utf-8", cte="7bit"),
        "2026-12-29",
        "a second range (university closure) is not his return",
    )

    # 22 Outlook.com, base64, CRLF
    s = ours(
        "en", "Grace Liu", "grace_liu@outlook.example.com", D(2026, 12, 29, 9, 0), "Liu Consulting"
    )
    date = date_header(2026, 12, 29, 9, 0, "+0800", 31)
    hs = [
        ("From", "Grace Liu <grace_liu@outlook.example.com>"),
        ("To", "Jonas Berg <jonas.berg@outreach.example.com>"),
        ("Subject", ew("Automatic reply: " + s.subject, "utf-8", "B", force=True)),
        ("Date", date),
        ("Message-ID", msgid("outlook", "en-ooo-22")),
        ("Auto-Submitted", "auto-generated"),
        ("X-MS-Exchange-Generated-Message-Source", "Mailbox Rules Agent"),
    ]
    text = "Hello,\n\nI’m currently out of office and will return on 02 January 2027.\n\nBest regards,\nGrace\n"
    c.add(
        "en_ooo_outlookcom_base64_crlf.eml",
        "out_of_office",
        "en",
        html_only(hs, wrap_html(text_to_html(text)), cte="base64", crlf=True),
        "2027-01-02",
        "HTML-only, base64, CRLF, B-encoded subject, typographic apostrophe",
    )

    # 23 US short 'Back 1/5'
    s = ours(
        "us",
        "Ryan Cooper",
        "ryan@coopergrowth.example.com",
        D(2026, 12, 28, 12, 0),
        "Cooper Growth",
    )
    date = date_header(2026, 12, 28, 9, 14, "-0800", 2)
    hs = [
        ("MIME-Version", "1.0"),
        ("Auto-Submitted", "auto-replied"),
        ("Date", date),
        ("Message-ID", msgid("gmail", "en-ooo-23")),
        ("Subject", "OOO"),
        ("From", "Ryan Cooper <ryan@coopergrowth.example.com>"),
        ("To", "jonas.berg@outreach.example.com"),
    ]
    text = "Back 1/5 - will reply then.\n"
    c.add(
        "en_ooo_us_back_short.eml",
        "out_of_office",
        "en",
        alternative(
            hs,
            text,
            f'<div dir="ltr">{text_to_html(text)}</div>\n',
            boundary="000000000000" + hexid("b23", 12),
            cte="7bit",
        ),
        "2027-01-05",
        "US (-0800): 'Back 1/5'; subject just 'OOO'",
    )

    # 24 OOO during summer, day-first long date with year
    s = ours(
        "en",
        "Charlotte Hughes",
        "c.hughes@pembroke-estates.example.co.uk",
        D(2026, 8, 3, 9, 0),
        "Pembroke Estates",
    )
    date = date_header(2026, 8, 3, 9, 0, "+0100", 48)
    hs = _exchange_ooo_headers(
        "Charlotte Hughes <c.hughes@pembroke-estates.example.co.uk>",
        "Jonas Berg <jonas.berg@outreach.example.com>",
        re_subject("Automatic reply:", s),
        date,
        "en-ooo-24",
        s.message_id,
        "en-GB",
    )
    text = "Many thanks for your email. I am currently on holiday from Saturday 1st\nAugust until Sunday 16th August 2026 inclusive, returning to the office on\nMonday 17th August 2026.\n\nCharlotte"
    c.add(
        "en_ooo_summer_inclusive_and_return.eml",
        "out_of_office",
        "en",
        simple(hs, text, charset="utf-8", cte="quoted-printable"),
        "2026-08-17",
        "inclusive range and explicit return agree",
    )


def auto(c: Corpus) -> None:
    # Zendesk acknowledgement
    s = ours(
        "en",
        "Support",
        "support@pinecrest-software.example.com",
        D(2026, 12, 3, 10, 0),
        "Pinecrest Software",
    )
    date = date_header(2026, 12, 3, 10, 0, "+0000", 45)
    hs = [
        ("Date", date),
        ("From", "Pinecrest Support <support@pinecrest-software.example.com>"),
        ("Reply-To", "Pinecrest Support <support+id48213@pinecrest-software.example.com>"),
        ("To", "Jonas Berg <jonas.berg@outreach.example.com>"),
        (
            "Message-ID",
            "<" + hexid("zd", 13).upper() + "_" + hexid("zd2", 8) + "_sprut@zendesk.com>",
        ),
        ("In-Reply-To", s.message_id),
        ("Subject", "[Pinecrest Software] Re: " + s.subject),
        ("Auto-Submitted", "auto-generated"),
        ("X-Mailer", "Zendesk Mailer"),
        ("X-Zendesk-From-Account-Id", "1f6c2a0"),
        ("X-Zendesk-Email-Id", hexid("zd3", 25).upper()),
    ]
    text = "##- Please type your reply above this line -##\n\nYour request (48213) has been received and is being reviewed by our\nsupport staff.\n\nTo add additional comments, reply to this email.\n\n[R8PQ4V-0KXE]"
    html = wrap_html(
        '<p style="color:#b5b5b5">##- Please type your reply above this line -##</p><p>Your request (48213) has been received and is being reviewed by our support staff.</p><p>To add additional comments, reply to this email.</p><span style="color:#FFFFFF">[R8PQ4V-0KXE]</span>'
    )
    c.add(
        "en_auto_zendesk_ack.eml",
        "auto_reply",
        "en",
        alternative(hs, text, html, boundary="--==_mimepart_" + hexid("zdb", 18), cte="7bit"),
        None,
        "helpdesk ticket acknowledgement",
    )

    # Freshdesk without any automation header
    date = date_header(2026, 12, 8, 14, 0, "+0530", 7)
    hs = [
        ("Date", date),
        ("From", "Tandem Help Desk <help@tandem-tours.example.com>"),
        ("To", "jonas.berg@outreach.example.com"),
        ("Message-ID", "<" + hexid("fd", 16) + "@freshdesk.com>"),
        ("Subject", "Ticket Received - Quick question about your SDR team"),
        ("X-FD-Email", "true"),
    ]
    text = "Dear Jonas,\n\nWe would like to acknowledge that we have received your request and a\nticket has been created. A support representative will be reviewing your\nrequest and will send you a personal response (usually within 24 hours).\n\nTo view the status of the ticket or add comments, please visit\nhttps://tandem-tours.example.com/support/tickets/20931\n\nThank you for your patience.\n\nSincerely,\nTandem Tours Support Team"
    c.add(
        "en_auto_freshdesk_no_header.eml",
        "auto_reply",
        "en",
        alternative(
            hs, text, wrap_html(text_to_html(text)), boundary="--==_mimepart_" + hexid("fdb", 18)
        ),
        None,
        "ticket acknowledgement with no automation header at all",
    )

    # Jira Service Management
    date = date_header(2026, 12, 9, 11, 30, "+0100", 2)
    hs = [
        ("Date", date),
        ("From", "Orbis IT Service Desk <jira@orbis-it.example.com>"),
        ("Reply-To", "servicedesk@orbis-it.example.com"),
        ("To", "jonas.berg@outreach.example.com"),
        (
            "Message-ID",
            "<JIRA." + str(int(hexid("jira", 6), 16)) + ".1765279800000@Atlassian.JIRA>",
        ),
        ("Subject", "[JIRA] (SD-1423) Quick question about your SDR team"),
        ("Auto-Submitted", "auto-generated"),
        ("Precedence", "bulk"),
        ("X-JIRA-FingerPrint", hexid("jfp", 32)),
    ]
    text = "Hi Jonas,\n\nThanks for contacting Orbis IT. Your request SD-1423 has been received and\nwill be handled by the next available agent.\n\nView request: https://orbis-it.example.com/servicedesk/customer/portal/2/SD-1423\nTurn off this request's notifications\n\nThis is shared with Jonas Berg.\n\nPowered by Jira Service Management"
    c.add(
        "en_auto_jira_ack.eml",
        "auto_reply",
        "en",
        simple(hs, text, cte="quoted-printable"),
        None,
        "'Turn off this request's notifications' is not an unsubscribe",
    )

    # mailbox not monitored
    s = ours(
        "en",
        "Info",
        "info@greenleaf-organics.example.com",
        D(2026, 12, 10, 9, 0),
        "Greenleaf Organics",
    )
    date = date_header(2026, 12, 10, 9, 0, "+0000", 11)
    hs = _exchange_ooo_headers(
        "Greenleaf Info <info@greenleaf-organics.example.com>",
        "Jonas Berg <jonas.berg@outreach.example.com>",
        re_subject("Automatic reply:", s),
        date,
        "en-auto-4",
        s.message_id,
        "en-GB",
    )
    text = "This mailbox is no longer monitored. Please send trade enquiries to\ntrade@greenleaf-organics.example.com and customer questions to\nhello@greenleaf-organics.example.com."
    c.add(
        "en_auto_mailbox_not_monitored.eml",
        "auto_reply",
        "en",
        simple(hs, text, cte="7bit", charset="us-ascii"),
        None,
        "'Automatic reply:' prefix but not an absence",
    )

    # left the company, with a date that is not a return
    s = ours(
        "en",
        "Mark Jennings",
        "mark.jennings@silverline-retail.example.com",
        D(2026, 12, 7, 9, 0),
        "Silverline Retail",
    )
    date = date_header(2026, 12, 7, 9, 0, "+0000", 36)
    hs = _exchange_ooo_headers(
        "Mark Jennings <mark.jennings@silverline-retail.example.com>",
        "Jonas Berg <jonas.berg@outreach.example.com>",
        re_subject("Automatic reply:", s),
        date,
        "en-auto-5",
        s.message_id,
        "en-GB",
    )
    text = "Thank you for your email. Please note that I left Silverline Retail on\n30 November 2026 and this mailbox will be closed on 31 January.\n\nFor commercial matters please contact Emma Shaw\n(emma.shaw@silverline-retail.example.com)."
    c.add(
        "en_auto_left_company.eml",
        "auto_reply",
        "en",
        simple(hs, text, cte="quoted-printable"),
        None,
        "left the company; two dates, neither is a return",
    )

    # we'll get back within 24 hours
    date = date_header(2026, 12, 11, 17, 0, "+0000", 21)
    hs = [
        ("Date", date),
        ("From", "Brightwater Lettings <hello@brightwater-lettings.example.co.uk>"),
        ("To", "jonas.berg@outreach.example.com"),
        ("Subject", "Thank you for contacting Brightwater Lettings"),
        ("Message-ID", msgid("other", "en-auto-6", "brightwater-lettings.example.co.uk")),
        ("Precedence", "auto_reply"),
    ]
    text = "Thank you for contacting Brightwater Lettings. We have received your\nmessage and will get back to you within 24 hours (Monday to Friday,\n9am-5.30pm).\n\nIf you are a tenant with an emergency repair, please call 0117 496 0000.\n\nTo stop receiving our property newsletter, click here:\nhttps://brightwater-lettings.example.co.uk/newsletter/unsubscribe"
    c.add(
        "en_auto_get_back_24h.eml",
        "auto_reply",
        "en",
        simple(hs, text, cte="7bit", charset="us-ascii"),
        None,
        "company auto-responder carrying its own newsletter unsubscribe link",
    )

    # human-looking but auto-submitted
    s = ours(
        "en", "Sam Patel", "sam@patelventures.example.com", D(2026, 12, 15, 10, 0), "Patel Ventures"
    )
    date = date_header(2026, 12, 15, 10, 0, "+0000", 16)
    hs = [
        ("MIME-Version", "1.0"),
        ("References", s.message_id),
        ("In-Reply-To", s.message_id),
        ("Auto-Submitted", "auto-replied"),
        ("Date", date),
        ("Message-ID", msgid("gmail", "en-auto-7")),
        ("Subject", "Re: " + s.subject),
        ("From", "Sam Patel <sam@patelventures.example.com>"),
        ("To", "Jonas Berg <jonas.berg@outreach.example.com>"),
    ]
    text = "Hi Jonas,\n\nThanks for your note! To focus on deep work I only check email at 10am and\n4pm. I'll get back to you then. If it's urgent, text me.\n\nSam\n"
    c.add(
        "en_auto_human_looking.eml",
        "auto_reply",
        "en",
        alternative(
            hs,
            text,
            f'<div dir="ltr">{text_to_html(text)}</div>\n',
            boundary="000000000000" + hexid("a7", 12),
        ),
        None,
        "reads like a person, first name greeting, but Auto-Submitted: auto-replied and not an absence",
    )

    # new address
    s = ours("en", "Julia Reyes", "julia.reyes@oldco.example.com", D(2026, 12, 2, 9, 0), "OldCo")
    date = date_header(2026, 12, 2, 9, 1, "-0500", 3)
    hs = _exchange_ooo_headers(
        "Julia Reyes <julia.reyes@oldco.example.com>",
        "Jonas Berg <jonas.berg@outreach.example.com>",
        re_subject("Automatic reply:", s),
        date,
        "en-auto-8",
        s.message_id,
    )
    text = "Please note my email address has changed. Kindly update your records and\nresend your message to julia.reyes@newco.example.com.\n\nThank you!"
    c.add(
        "en_auto_address_changed.eml",
        "auto_reply",
        "en",
        simple(hs, text, cte="7bit", charset="us-ascii"),
        None,
        "address changed notice",
    )

    # Salesforce case
    date = date_header(2026, 12, 14, 15, 0, "+0000", 39)
    hs = [
        ("Date", date),
        ("From", "Kestrel Customer Care <care@kestrel-insure.example.com>"),
        ("Sender", "noreply@salesforce.com"),
        ("To", "jonas.berg@outreach.example.com"),
        ("Message-ID", "<" + hexid("sf", 20) + "@sfdc.net>"),
        (
            "Subject",
            "Case #00482915: Quick question about your SDR team [ ref:!00D5g0Hk8x.!500Ak02Xy7c:ref ]",
        ),
        ("X-SFDC-LK", "00D5g000004Hk8x"),
        ("X-SFDC-User", "0055g00000A1bcd"),
        ("X-Sender", "postmaster@salesforce.com"),
        ("X-mail_abuse_inquiries", "http://www.salesforce.com/company/abuse.jsp"),
    ]
    text = "Thank you for contacting Kestrel Insurance.\n\nYour case number is 00482915. One of our team will respond within 2\nbusiness days. Please keep the reference in the subject line if you reply.\n\nKestrel Customer Care"
    c.add(
        "en_auto_salesforce_case.eml",
        "auto_reply",
        "en",
        html_only(hs, wrap_html(text_to_html(text))),
        None,
        "CRM case acknowledgement, HTML-only, no automation header",
    )

    # HubSpot conversations inbox
    date = date_header(2026, 12, 16, 12, 0, "-0500", 50)
    hs = [
        ("Date", date),
        ("From", "Maple & Co <hello@mapleandco.example.com>"),
        ("To", "Jonas Berg <jonas.berg@outreach.example.com>"),
        ("Subject", "We've received your message"),
        ("Message-ID", "<" + hexid("hs", 30) + "@hubspot-inbox.example.com>"),
        ("Auto-Submitted", "auto-generated"),
        ("X-HubSpot-Conversations", "true"),
    ]
    text = "Hi Jonas,\n\nThanks for reaching out! We received your request #128406 and someone from\nour team will reply shortly.\n\nMaple & Co"
    c.add(
        "en_auto_hubspot_ack.eml",
        "auto_reply",
        "en",
        alternative(
            hs, text, wrap_html(text_to_html(text)), boundary="----=_Part_" + hexid("hsb", 10)
        ),
        None,
        "request number acknowledgement",
    )


def unsub(c: Corpus) -> None:
    # 'unsubscribe' alone, Gmail, with our footer quoted
    s = ours(
        "en", "Lucy Wright", "lucy.wright@fernhill.example.com", D(2026, 12, 2, 9, 30), "Fernhill"
    )
    date = date_header(2026, 12, 2, 12, 4, "+0000", 33)
    raw = reply(
        "gmail",
        frm="Lucy Wright <lucy.wright@fernhill.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="Re: " + s.subject,
        date=date,
        seed="en-u-1",
        new="unsubscribe",
        sent=s,
        qstyle="gmail-en",
        top=mx_trace(
            "mail-wr1-f54.google.com",
            date,
            "209.85.221.54",
            return_path="<lucy.wright@fernhill.example.com>",
        ),
    )
    c.add(
        "en_unsub_single_word.eml",
        "unsubscribe",
        "en",
        raw,
        None,
        "single word; the quoted footer says the same word",
    )

    # STOP from iPhone
    s = ours(
        "us", "Derek Hall", "dhall@hallroofing.example.com", D(2026, 12, 3, 14, 0), "Hall Roofing"
    )
    date = date_header_nopad(2026, 12, 3, 14, 22, "-0600", 5)
    raw = reply(
        "iphone",
        frm="Derek Hall <dhall@hallroofing.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="Re: " + s.subject,
        date=date,
        seed="en-u-2",
        new="STOP\n\nSent from my iPhone",
        sent=s,
        qstyle="apple-en",
        cte="7bit",
    )
    c.add(
        "en_unsub_stop_iphone.eml", "unsubscribe", "en", raw, None, "'STOP' with iPhone signature"
    )

    # Outlook 'please remove me from your list'
    s = ours(
        "en",
        "Andrew Bell",
        "andrew.bell@claymore-eng.example.com",
        D(2026, 12, 4, 8, 0),
        "Claymore Engineering",
    )
    date = date_header(2026, 12, 4, 8, 47, "+0000", 12)
    raw = reply(
        "outlook",
        frm="Andrew Bell <andrew.bell@claymore-eng.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="RE: " + s.subject,
        date=date,
        seed="en-u-3",
        new="Please remove me from your list.\n\nAndrew Bell\nClaymore Engineering Ltd",
        sent=s,
        lang="en",
    )
    c.add(
        "en_unsub_remove_me_outlook.eml",
        "unsubscribe",
        "en",
        raw,
        None,
        "Outlook 'From/Sent' quote block",
    )

    # not interested, don't contact again
    s = ours(
        "en", "Helen Shaw", "helen@shawbakery.example.com", D(2026, 12, 5, 9, 0), "Shaw Bakery"
    )
    date = date_header(2026, 12, 7, 7, 12, "+0000", 44)
    raw = reply(
        "gmail",
        frm="Helen Shaw <helen@shawbakery.example.com>",
        to="jonas.berg@outreach.example.com",
        subject="Re: " + s.subject,
        date=date,
        seed="en-u-4",
        new="Not interested, please don't contact me again.",
        sent=s,
        qstyle="gmail-en",
    )
    c.add("en_unsub_not_interested_dont_contact.eml", "unsubscribe", "en", raw, None, "")

    # polite, no keyword
    s = ours("en", "Robert Nash", "rnash@nashlaw.example.com", D(2026, 12, 8, 9, 0), "Nash Law")
    date = date_header(2026, 12, 9, 16, 30, "-0500", 1)
    new = "Hi Jonas,\n\nI appreciate the persistence, but we're not a fit and I'd prefer not to\nreceive any further emails from you or your company.\n\nThanks,\nRobert"
    raw = reply(
        "outlook",
        frm="Robert Nash <rnash@nashlaw.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="RE: " + s.subject,
        date=date,
        seed="en-u-5",
        new=new,
        sent=s,
        lang="en",
    )
    c.add(
        "en_unsub_polite_no_keyword.eml",
        "unsubscribe",
        "en",
        raw,
        None,
        "no 'unsubscribe'/'remove' keyword: 'prefer not to receive any further emails'",
    )

    # angry
    s = ours(
        "en", "Gary Mills", "gary@millsautos.example.com", D(2026, 12, 10, 9, 0), "Mills Autos"
    )
    date = date_header(2026, 12, 10, 9, 3, "+0000", 59)
    raw = reply(
        "plain",
        frm="gary@millsautos.example.com",
        to="jonas.berg@outreach.example.com",
        subject="Re: " + s.subject,
        date=date,
        seed="en-u-6",
        new="Stop emailing me. I never signed up for this and this is the 4th one.",
        sent=s,
        qstyle="tbird-en",
        cte="7bit",
        charset="us-ascii",
    )
    c.add("en_unsub_angry_stop_emailing.eml", "unsubscribe", "en", raw, None, "")

    # remove a colleague who left (written by a person)
    s = ours(
        "en",
        "Karen Lowe",
        "karen.lowe@westbrook-care.example.com",
        D(2026, 12, 10, 10, 0),
        "Westbrook Care",
    )
    date = date_header(2026, 12, 10, 13, 15, "+0000", 9)
    new = "Karen no longer works here. Please remove her from your mailing list.\n\nThanks\nIT Support, Westbrook Care"
    raw = reply(
        "outlook",
        frm="Westbrook IT <it@westbrook-care.example.com>",
        to="jonas.berg@outreach.example.com",
        subject="RE: " + s.subject,
        date=date,
        seed="en-u-7",
        new=new,
        sent=s,
        lang="en",
    )
    c.add(
        "en_unsub_colleague_left.eml",
        "unsubscribe",
        "en",
        raw,
        None,
        "a colleague asks us to stop writing to someone who left: unsubscribe, not auto_reply",
    )

    # Gmail's List-Unsubscribe mailto
    date = date_header(2026, 12, 11, 18, 40, "+0000", 27)
    hs = [
        ("MIME-Version", "1.0"),
        ("From", "Chloe Adams <chloe.adams@example.net>"),
        ("Date", date),
        ("Message-ID", msgid("gmail", "en-u-8")),
        ("Subject", "unsubscribe"),
        ("To", "unsubscribe+" + hexid("chloe", 10) + "@outreach.example.com"),
        ("Content-Type", 'text/plain; charset="UTF-8"'),
    ]
    raw = assemble(hs, b"This message was automatically generated by Gmail.\n")
    c.add(
        "en_unsub_list_unsubscribe_mailto.eml",
        "unsubscribe",
        "en",
        raw,
        None,
        "Gmail's List-Unsubscribe mailto: 'automatically generated' but an unsubscribe request",
    )

    # take me off your list, HTML only from Outlook web
    s = ours(
        "en",
        "Paul Greene",
        "paul.greene@greenecap.example.com",
        D(2026, 12, 14, 9, 0),
        "Greene Capital",
    )
    date = date_header(2026, 12, 14, 11, 5, "-0500", 30)
    hs = [
        ("From", "Paul Greene <paul.greene@greenecap.example.com>"),
        ("To", "Jonas Berg <jonas.berg@outreach.example.com>"),
        ("Subject", "Re: " + s.subject),
        ("Date", date),
        ("Message-ID", msgid("outlook", "en-u-9")),
        ("References", s.message_id),
        ("In-Reply-To", s.message_id),
        ("X-MS-Has-Attach", ""),
    ]
    html = wrap_html(
        '<div style="font-family:Aptos,sans-serif;font-size:12pt">Take me off your list please.</div><div><br></div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr"><b>From:</b> Jonas Berg &lt;jonas.berg@outreach.example.com&gt;<br><b>Sent:</b> Monday, December 14, 2026 4:00 AM<br><b>To:</b> Paul Greene<br><b>Subject:</b> '
        + s.subject
        + "</div><div>"
        + text_to_html(s.text)
        + "</div>"
    )
    c.add(
        "en_unsub_html_only_take_me_off.eml",
        "unsubscribe",
        "en",
        html_only(hs, html),
        None,
        "HTML-only, quoted original in divRplyFwdMsg",
    )

    # opt out, signature, CC
    s = ours(
        "us",
        "Melissa Grant",
        "mgrant@summitdental.example.com",
        D(2026, 12, 15, 10, 0),
        "Summit Dental",
    )
    date = date_header(2026, 12, 15, 10, 58, "-0700", 4)
    new = "Please opt me out of these emails.\n\n--\nMelissa Grant\nPractice Manager | Summit Dental Group\n(303) 555-0117"
    raw = reply(
        "gmail",
        frm="Melissa Grant <mgrant@summitdental.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="Re: " + s.subject,
        date=date,
        seed="en-u-10",
        new=new,
        sent=s,
        qstyle="gmail-us",
        cc="office@summitdental.example.com",
    )
    c.add("en_unsub_opt_out.eml", "unsubscribe", "en", raw, None, "")

    # whole company
    s = ours(
        "en",
        "Victor Hale",
        "victor@halefreight.example.com",
        D(2026, 12, 16, 10, 0),
        "Hale Freight",
    )
    date = date_header(2026, 12, 16, 10, 20, "+0000", 52)
    raw = reply(
        "apple",
        frm="Victor Hale <victor@halefreight.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="Re: " + s.subject,
        date=date_header_nopad(2026, 12, 16, 10, 20, "+0000"),
        seed="en-u-11",
        new="Please unsubscribe me and everyone else at halefreight.example.com. We are\nnot interested.\n\nVictor",
        sent=s,
        qstyle="apple-en",
    )
    c.add("en_unsub_whole_company.eml", "unsubscribe", "en", raw, None, "")

    # 'Remove' one word, no quote, CRLF
    date = date_header(2026, 12, 17, 8, 0, "+0000", 0)
    hs = [
        ("Date", date),
        ("From", "ops@tidewater-marine.example.com"),
        ("To", "jonas.berg@outreach.example.com"),
        ("Subject", "Re: Quick question about your SDR team"),
        ("Message-ID", msgid("other", "en-u-12", "tidewater-marine.example.com")),
    ]
    c.add(
        "en_unsub_remove_crlf.eml",
        "unsubscribe",
        "en",
        simple(hs, "Remove\r\n", cte="7bit", charset="us-ascii", crlf=True),
        None,
        "one word 'Remove', CRLF, no quote",
    )


def human(c: Corpus) -> None:
    # out next week, call after the 12th
    s = ours(
        "en",
        "Chris Walker",
        "chris.walker@ashford-media.example.com",
        D(2026, 12, 1, 9, 0),
        "Ashford Media",
    )
    date = date_header(2026, 12, 2, 17, 40, "+0000", 18)
    raw = reply(
        "gmail",
        frm="Chris Walker <chris.walker@ashford-media.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="Re: " + s.subject,
        date=date,
        seed="en-h-1",
        new="Hi Jonas,\n\nI'm out next week, call me after the 12th and we can go through it.\n\nChris",
        sent=s,
        qstyle="gmail-en",
    )
    c.add(
        "en_human_out_next_week.eml",
        "human",
        "en",
        raw,
        None,
        "mentions absence and a date, written by a person",
    )

    # sorry, was on holiday
    s = ours(
        "en", "Emily Stone", "emily.stone@larchwood.example.com", D(2026, 11, 20, 9, 0), "Larchwood"
    )
    date = date_header(2026, 12, 1, 8, 15, "+0000", 29)
    raw = reply(
        "outlook",
        frm="Emily Stone <emily.stone@larchwood.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="RE: " + s.subject,
        date=date,
        seed="en-h-2",
        new="Hi Jonas,\n\nSorry for the slow reply, I was on holiday until yesterday. Yes, Thursday\nat 2pm works for me.\n\nEmily",
        sent=s,
        lang="en",
    )
    c.add(
        "en_human_was_on_holiday.eml",
        "human",
        "en",
        raw,
        None,
        "'I was on holiday until yesterday' + quoted footer",
    )

    # remove the second paragraph
    s = ours(
        "en", "Owen Price", "owen.price@sableworks.example.com", D(2026, 12, 3, 9, 0), "Sableworks"
    )
    date = date_header(2026, 12, 3, 15, 2, "+0000", 8)
    raw = reply(
        "gmail",
        frm="Owen Price <owen.price@sableworks.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="Re: " + s.subject,
        date=date,
        seed="en-h-3",
        new="Looks good. Can you remove the second paragraph and resend it? I'll forward\nit to our CFO.\n\nOwen",
        sent=s,
        qstyle="gmail-en",
    )
    c.add(
        "en_human_remove_second_paragraph.eml",
        "human",
        "en",
        raw,
        None,
        "'remove' is about the text, not the list",
    )

    # take me through pricing
    s = ours(
        "us",
        "Jessica Ford",
        "jford@fordlogistics.example.com",
        D(2026, 12, 4, 9, 0),
        "Ford Logistics",
    )
    date = date_header(2026, 12, 4, 12, 30, "-0500", 7)
    raw = reply(
        "iphone",
        frm="Jessica Ford <jford@fordlogistics.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="Re: " + s.subject,
        date=date_header_nopad(2026, 12, 4, 12, 30, "-0500"),
        seed="en-h-4",
        new="Please take me through the pricing. Is it per seat?\n\nSent from my iPhone",
        sent=s,
        qstyle="apple-en",
    )
    c.add(
        "en_human_take_me_through_pricing.eml",
        "human",
        "en",
        raw,
        None,
        "'please take me...' is not 'take me off'",
    )

    # stop by our booth
    s = ours(
        "us", "Brandon Lee", "blee@quantumleads.example.com", D(2026, 12, 7, 9, 0), "QuantumLeads"
    )
    date = date_header(2026, 12, 7, 10, 4, "-0800", 50)
    raw = reply(
        "gmail",
        frm="Brandon Lee <blee@quantumleads.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="Re: " + s.subject,
        date=date,
        seed="en-h-5",
        new="Hey Jonas - we'll be at SaaStr in March, stop by our booth (B12) and we can\nchat there. Don't stop the emails in the meantime, I like the case studies.\n\nBrandon",
        sent=s,
        qstyle="gmail-us",
    )
    c.add(
        "en_human_stop_by_booth.eml",
        "human",
        "en",
        raw,
        None,
        "'stop by', \"don't stop the emails\"",
    )

    # interested, short, Outlook
    s = ours(
        "en",
        "Naomi Clarke",
        "naomi.clarke@tessellate.example.com",
        D(2026, 12, 8, 9, 0),
        "Tessellate",
    )
    date = date_header(2026, 12, 8, 9, 32, "+0000", 10)
    raw = reply(
        "outlook-old",
        frm="Naomi Clarke <naomi.clarke@tessellate.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="RE: " + s.subject,
        date=date,
        seed="en-h-6",
        new="Interested. Who else in logistics uses it?",
        sent=s,
        lang="en",
        charset="windows-1252",
    )
    c.add(
        "en_human_interested_short.eml",
        "human",
        "en",
        raw,
        None,
        "two-line reply above '-----Original Message-----' with our unsubscribe footer",
    )

    # referral
    s = ours(
        "en", "Simon Reed", "simon.reed@kiteworks-uk.example.com", D(2026, 12, 9, 9, 0), "Kiteworks"
    )
    date = date_header(2026, 12, 9, 11, 0, "+0000", 41)
    raw = reply(
        "gmail",
        frm="Simon Reed <simon.reed@kiteworks-uk.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="Re: " + s.subject,
        date=date,
        seed="en-h-7",
        new="Not the right person - try Dana Lee (dana.lee@kiteworks-uk.example.com), she\nruns sales ops.",
        sent=s,
        qstyle="gmail-en",
        cc="Dana Lee <dana.lee@kiteworks-uk.example.com>",
    )
    c.add("en_human_referral.eml", "human", "en", raw, None, "referral, not a refusal")

    # soft no, check back later
    s = ours(
        "en", "Martin Cross", "martin@crossfield.example.com", D(2026, 12, 10, 9, 0), "Crossfield"
    )
    date = date_header(2026, 12, 10, 16, 10, "+0000", 3)
    raw = reply(
        "outlook",
        frm="Martin Cross <martin@crossfield.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="RE: " + s.subject,
        date=date,
        seed="en-h-8",
        new="No thanks, not a priority for us this year. Check back in Q3.\n\nMartin",
        sent=s,
        lang="en",
    )
    c.add(
        "en_human_not_now_check_back.eml",
        "human",
        "en",
        raw,
        None,
        "negative but invites later contact: not an unsubscribe",
    )

    # on vacation, written by the person from phone
    s = ours(
        "us", "Tyler Scott", "tyler@scottbuilds.example.com", D(2026, 12, 28, 9, 0), "Scott Builds"
    )
    date = date_header_nopad(2026, 12, 28, 19, 2, "-0500")
    raw = reply(
        "iphone",
        frm="Tyler Scott <tyler@scottbuilds.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="Re: " + s.subject,
        date=date,
        seed="en-h-9",
        new="On vacation until the 10th - ping me then and we'll set something up.\n\nSent from my iPhone",
        sent=s,
        qstyle="apple-en",
    )
    c.add(
        "en_human_on_vacation_personal.eml",
        "human",
        "en",
        raw,
        None,
        "a person typing about their vacation from a phone (no automation header, quoted original): human, not out_of_office",
    )

    # X-Auto-Response-Suppress on a human reply
    s = ours(
        "en", "Alice Morgan", "alice.morgan@quayside.example.com", D(2026, 12, 11, 9, 0), "Quayside"
    )
    date = date_header(2026, 12, 11, 10, 0, "+0000", 23)
    raw = reply(
        "outlook",
        frm="Alice Morgan <alice.morgan@quayside.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="RE: " + s.subject,
        date=date,
        seed="en-h-10",
        new="Thanks Jonas, let's talk Tuesday. I'll send an invite.\n\nAlice",
        sent=s,
        lang="en",
        extra=[("X-Auto-Response-Suppress", "DR, RN, NRN, OOF, AutoReply")],
    )
    c.add(
        "en_human_auto_response_suppress.eml",
        "human",
        "en",
        raw,
        None,
        "X-Auto-Response-Suppress is a request, not an automation marker",
    )

    # Auto-Submitted: no
    s = ours(
        "en",
        "George Baker",
        "george@bakerandsons.example.com",
        D(2026, 12, 11, 9, 0),
        "Baker & Sons",
    )
    date = date_header(2026, 12, 11, 14, 10, "+0000", 5)
    raw = reply(
        "tbird",
        frm="George Baker <george@bakerandsons.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="Re: " + s.subject,
        date=date,
        seed="en-h-11",
        new="Send me a one-pager and the price for 5 users.\n\nGeorge",
        sent=s,
        qstyle="tbird-en",
        extra=[("Auto-Submitted", "no")],
    )
    c.add("en_human_auto_submitted_no.eml", "human", "en", raw, None, "Auto-Submitted: no")

    # interleaved quoting with footer
    s = ours(
        "en",
        "Isabel Knight",
        "isabel@knightcreative.example.com",
        D(2026, 12, 14, 9, 0),
        "Knight Creative",
    )
    date = date_header(2026, 12, 14, 18, 5, "+0000", 37)
    new = (
        "> Worth a 15-minute call next week?\n\n"
        "Possibly - what does it cost for a team of six?\n\n"
        '> If you\'d rather not hear from me, just reply "unsubscribe" or click here to\n'
        "> unsubscribe: https://t.outreach.example.com/u/" + hexid("isabel", 22) + "\n\n"
        "Ha, no need, you're the first of these I've actually read.\n\nIsabel"
    )
    raw = reply(
        "tbird",
        frm="Isabel Knight <isabel@knightcreative.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="Re: " + s.subject,
        date=date,
        seed="en-h-12",
        new=attribution("tbird-en", s) + "\n" + new,
        sent=None,
        qstyle="tbird-en",
    )
    c.add(
        "en_human_inline_quote_footer.eml",
        "human",
        "en",
        raw,
        None,
        "interleaved answers; our unsubscribe footer quoted inline with 'no need'",
    )

    # evaluating alternatives
    s = ours(
        "en",
        "Lewis Ward",
        "lewis.ward@fenwickgroup.example.com",
        D(2026, 12, 15, 9, 0),
        "Fenwick Group",
    )
    date = date_header(2026, 12, 15, 9, 45, "+0000", 13)
    raw = reply(
        "gmail",
        frm="Lewis Ward <lewis.ward@fenwickgroup.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="Re: " + s.subject,
        date=date,
        seed="en-h-13",
        new="We stopped using our old sequencer last year and I'm evaluating\nalternatives. Can you do a demo on Friday?",
        sent=s,
        qstyle="gmail-en",
    )
    c.add("en_human_stopped_using.eml", "human", "en", raw, None, "'stopped using'")

    # US numeric date meeting
    s = ours(
        "us",
        "Amanda Price",
        "aprice@priceadvisory.example.com",
        D(2026, 12, 16, 9, 0),
        "Price Advisory",
    )
    date = date_header(2026, 12, 16, 13, 0, "-0800", 0)
    raw = reply(
        "outlook",
        frm="Amanda Price <aprice@priceadvisory.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="RE: " + s.subject,
        date=date,
        seed="en-h-14",
        new="Hi Jonas - I'm out of office 12/21 through 1/4. Can we do 1/12 at 10am PT?\n\nAmanda",
        sent=s,
        lang="us",
    )
    c.add(
        "en_human_ooo_dates_but_person.eml",
        "human",
        "en",
        raw,
        None,
        "mentions her out-of-office dates but proposes a meeting: human",
    )

    # human reply with unsubscribe word in a different sense
    s = ours(
        "en",
        "Harriet Vale",
        "harriet@valepublishing.example.com",
        D(2026, 12, 17, 9, 0),
        "Vale Publishing",
    )
    date = date_header(2026, 12, 17, 9, 30, "+0000", 45)
    raw = reply(
        "gmail",
        frm="Harriet Vale <harriet@valepublishing.example.com>",
        to="Jonas Berg <jonas.berg@outreach.example.com>",
        subject="Re: " + s.subject,
        date=date,
        seed="en-h-15",
        new="Does your tool handle unsubscribe requests automatically? That's our main\nheadache at the moment - we had two complaints last month.\n\nHarriet",
        sent=s,
        qstyle="gmail-en",
    )
    c.add(
        "en_human_asks_about_unsubscribe.eml",
        "human",
        "en",
        raw,
        None,
        "talks about unsubscribe requests as a topic",
    )


def bounces(c: Corpus) -> None:
    # Postfix 5.1.1 with full original (our footer inside)
    s = ours("en", "Neil Porter", "neil.porter@example.org", D(2026, 12, 1, 9, 0), "Porter & Co")
    date = date_header(2026, 12, 1, 9, 0, "+0000", 6)
    hs = [
        ("Return-Path", "<>"),
        *mx_trace("mail.outreach.example.com", date, "198.51.100.20")[1:],
        ("Date", date),
        ("From", "MAILER-DAEMON@mail.outreach.example.com (Mail Delivery System)"),
        ("Subject", "Undelivered Mail Returned to Sender"),
        ("To", "bounces+" + hexid(s.to_addr, 8) + "@outreach.example.com"),
        ("Auto-Submitted", "auto-replied"),
        ("Message-Id", "<20261201090006.4Q8Z21kXyz@mail.outreach.example.com>"),
    ]
    human = (
        b"Content-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\n"
        + (
            "This is the mail system at host mail.outreach.example.com.\n\n"
            "I'm sorry to have to inform you that your message could not\n"
            "be delivered to one or more recipients. It's attached below.\n\n"
            "For further assistance, please send mail to postmaster.\n\n"
            "If you do so, please include this problem report. You can\n"
            "delete your own text from the attached returned message.\n\n"
            "                   The mail system\n\n"
            f"<{s.to_addr}>: host mx.example.org[203.0.113.25] said: 550 5.1.1\n"
            f"    <{s.to_addr}>: Recipient address rejected: User unknown in virtual\n"
            "    mailbox table (in reply to RCPT TO command)\n"
        ).encode()
    )
    st = delivery_status(
        reporting_mta="mail.outreach.example.com",
        recipient=s.to_addr,
        original_recipient=s.to_addr,
        status="5.1.1",
        action="failed",
        remote_mta="mx.example.org",
        diag=f"550 5.1.1 <{s.to_addr}>: Recipient\n    address rejected: User unknown in virtual mailbox table",
        extra_per_message=[
            ("X-Postfix-Queue-ID", "4Q8Z21kXyz"),
            (
                "X-Postfix-Sender",
                "rfc822; bounces+" + hexid(s.to_addr, 8) + "@outreach.example.com",
            ),
        ],
        arrival="Tue,  1 Dec 2026 08:59:58 +0000 (UTC)",
    )
    c.add(
        "en_bounce_postfix_user_unknown.eml",
        "bounce",
        "en",
        report(
            hs,
            boundary="4Q8Z21kXyz.1796115606/mail.outreach.example.com",
            human=human,
            status_text=st,
            original=our_raw(s),
            descriptions=True,
        ),
        None,
        "Postfix DSN; the returned original contains our unsubscribe footer and List-Unsubscribe",
    )

    # Exim, no DSN
    s = ours("en", "Wendy Ross", "wendy.ross@example.net", D(2026, 12, 2, 10, 0), "Ross Interiors")
    date = date_header(2026, 12, 2, 10, 0, "+0000", 9)
    hs = [
        ("Return-path", "<>"),
        (
            "Received",
            f"from mail by relay.example.net with local (Exim 4.96)\n\tid 1tI8Qp-00023a-0Z\n\tfor bounces@outreach.example.com; {date}",
        ),
        ("X-Failed-Recipients", s.to_addr),
        ("Auto-Submitted", "auto-replied"),
        ("From", "Mail Delivery System <Mailer-Daemon@relay.example.net>"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", "Mail delivery failed: returning message to sender"),
        ("Message-Id", "<E1tI8Qp-00023a-0Z@relay.example.net>"),
        ("Date", date),
    ]
    text = (
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        f"  {s.to_addr}\n    host mx1.example.net [203.0.113.80]\n"
        f"    SMTP error from remote mail server after RCPT TO:<{s.to_addr}>:\n"
        "    550 No such user here\n\n"
        "------ This is a copy of the message, including all the headers. ------\n\n"
    )
    raw = assemble(hs, text.encode() + our_raw(s))
    c.add(
        "en_bounce_exim_no_dsn.eml",
        "bounce",
        "en",
        raw,
        None,
        "Exim bounce without multipart/report and without MIME headers; our whole message (with footer) below",
    )

    # Sendmail with text/rfc822-headers
    s = ours("en", "Frank Miller", "fmiller@example.com", D(2026, 12, 3, 11, 0), "Miller Metals")
    date = date_header(2026, 12, 3, 11, 0, "-0500", 14)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "Mail Delivery Subsystem <MAILER-DAEMON@smtp.example.com>"),
        ("Message-Id", "<202612031600.4B3G0EQx028411@smtp.example.com>"),
        ("To", "<bounces@outreach.example.com>"),
        ("Subject", "Returned mail: see transcript for details"),
        ("Auto-Submitted", "auto-generated (failure)"),
    ]
    human = (
        b"Content-Type: text/plain\n\n"
        + (
            "The original message was received at Thu, 3 Dec 2026 11:00:12 -0500\n"
            "from mail.outreach.example.com [198.51.100.20]\n\n"
            "   ----- The following addresses had permanent fatal errors -----\n"
            f"<{s.to_addr}>\n    (reason: 550 5.1.1 <{s.to_addr}>... User unknown)\n\n"
            "   ----- Transcript of session follows -----\n"
            f"... while talking to mailhost.example.com.:\n>>> RCPT To:<{s.to_addr}>\n<<< 550 5.1.1 <{s.to_addr}>... User unknown\n"
            f"550 5.1.1 <{s.to_addr}>... User unknown\n"
        ).encode()
    )
    st = delivery_status(
        reporting_mta="smtp.example.com",
        recipient=s.to_addr,
        status="5.1.1",
        action="failed",
        remote_mta="mailhost.example.com",
        diag="550 5.1.1 <" + s.to_addr + ">... User unknown",
        extra_per_message=[("Received-From-MTA", "DNS; mail.outreach.example.com")],
        arrival="Thu, 3 Dec 2026 11:00:12 -0500",
    )
    c.add(
        "en_bounce_sendmail_headers_only.eml",
        "bounce",
        "en",
        report(
            hs,
            boundary="4B3G0EQx028411.1796313614/smtp.example.com",
            human=human,
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
            preamble="This is a MIME-encapsulated message",
        ),
        None,
        "Sendmail DSN, original as text/rfc822-headers (List-Unsubscribe header inside)",
    )

    # qmail
    s = ours("en", "Gina Torres", "gina@example.org", D(2026, 12, 4, 8, 0), "Torres Studio")
    date = "4 Dec 2026 08:00:31 -0000"
    hs = [
        ("Return-Path", "<>"),
        ("Received", "(qmail 4120 invoked for bounce); " + date),
        ("Date", date),
        ("From", "MAILER-DAEMON@mx3.example.org"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", "failure notice"),
    ]
    text = (
        "Hi. This is the qmail-send program at mx3.example.org.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
        f"<{s.to_addr}>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"
        "--- Below this line is a copy of the message.\n\n"
    )
    c.add(
        "en_bounce_qmail.eml",
        "bounce",
        "en",
        assemble(hs, text.encode() + our_raw(s)),
        None,
        "qmail: no MIME, no DSN, Date without weekday",
    )

    # Office 365 5.1.10
    s = ours(
        "en",
        "Henry Ashworth",
        "henry.ashworth@example.com",
        D(2026, 12, 7, 9, 0),
        "Ashworth Holdings",
    )
    date = date_header(2026, 12, 7, 9, 0, "+0000", 52)
    b1 = "b3f1" + hexid("o365a", 4) + "-" + hexid("o365b", 4) + "-4c1e-9a77-" + hexid("o365c", 12)
    b2 = "e71c" + hexid("o365d", 4) + "-2f0a-4c8b-a1f4-" + hexid("o365e", 12)
    hs = [
        ("Return-Path", "<>"),
        ("From", "Microsoft Outlook <postmaster@example.com>"),
        ("To", "<bounces@outreach.example.com>"),
        ("Date", date),
        ("Content-Language", "en-US"),
        ("Message-ID", msgid("outlook", "o365-1")),
        ("In-Reply-To", s.message_id),
        ("References", s.message_id),
        ("Subject", "Undeliverable: " + s.subject),
        ("Auto-Submitted", "auto-replied"),
        ("X-MS-Exchange-Message-Is-Ndr", ""),
        ("X-MS-PublicTrafficType", "Email"),
    ]
    txt = (
        "Your message to henry.ashworth@example.com couldn't be delivered.\n\n"
        "henry.ashworth wasn't found at example.com.\n\n"
        "jonas.berg   Office 365   henry.ashworth\nAction Required                 Recipient\n\n"
        "Unknown To address\n\nHow to Fix It\n"
        "The address may be misspelled or may not exist. Try one or more of the following:\n\n"
        "  *   Retype the recipient's address, then resend the message.\n\n"
        "Diagnostic information for administrators:\n\nGenerating server: AM9PR04MB8421.eurprd04.prod.outlook.com\n\n"
        "henry.ashworth@example.com\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient henry.ashworth@example.com not found by SMTP address lookup'\n\n"
        "Original message headers:\n\n" + our_raw(s, headers_only=True).decode()
    )
    alt = (
        b'Content-Type: multipart/alternative; differences=Content-Type;\n\tboundary="'
        + b2.encode()
        + b'"\n\n'
        + multipart_body(
            [
                text_part(txt, charset="us-ascii", cte="quoted-printable"),
                text_part(
                    wrap_html(text_to_html(txt)),
                    subtype="html",
                    charset="us-ascii",
                    cte="quoted-printable",
                ),
            ],
            b2,
        )
    )
    st = delivery_status(
        reporting_mta="AM9PR04MB8421.eurprd04.prod.outlook.com",
        recipient=s.to_addr,
        original_recipient=s.to_addr,
        status="5.1.10",
        action="failed",
        remote_mta=None,
        diag="550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient\n henry.ashworth@example.com not found by SMTP address lookup",
        arrival="Mon, 7 Dec 2026 09:00:50 +0000",
        extra_per_recipient=[("X-Display-Name", "Henry Ashworth")],
    )
    c.add(
        "en_bounce_o365_5_1_10.eml",
        "bounce",
        "en",
        report(
            hs,
            boundary=b1,
            human=alt,
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
            preamble="",
            crlf=True,
        ),
        None,
        "Office 365 NDR, CRLF, nested multipart/alternative",
    )

    # Office 365 5.4.1 access denied
    s = ours(
        "en", "Irene Walsh", "irene.walsh@example.org", D(2026, 12, 8, 9, 0), "Walsh Architects"
    )
    date = date_header(2026, 12, 8, 9, 0, "+0000", 21)
    hs = [
        ("From", "postmaster@outreach.example.com"),
        ("To", "<bounces@outreach.example.com>"),
        ("Date", date),
        ("Subject", "Undeliverable: " + s.subject),
        ("Message-ID", msgid("outlook", "o365-2")),
        ("Auto-Submitted", "auto-replied"),
        ("X-MS-Exchange-Message-Is-Ndr", ""),
        ("Content-Language", "en-US"),
    ]
    txt = (
        "Delivery has failed to these recipients or groups:\n\n"
        f"{s.to_addr}<mailto:{s.to_addr}>\n"
        "Your message couldn't be delivered. The recipient's email system rejected it.\n\n"
        "Diagnostic information for administrators:\n\nGenerating server: DB8PR10MB3546.EURPRD10.PROD.OUTLOOK.COM\n\n"
        f"{s.to_addr}\nRemote Server returned '550 5.4.1 Recipient address rejected: Access denied. [AM4PEPF00027A6C.eurprd04.prod.outlook.com 2026-12-08T09:00:20.123Z 08DD1F2B3C4D5E6F]'\n"
    )
    st = delivery_status(
        reporting_mta="DB8PR10MB3546.EURPRD10.PROD.OUTLOOK.COM",
        recipient=s.to_addr,
        status="5.4.1",
        action="failed",
        remote_mta="mail.protection.outlook.com",
        diag="550 5.4.1 Recipient address rejected: Access denied.",
    )
    c.add(
        "en_bounce_o365_5_4_1.eml",
        "bounce",
        "en",
        report(
            hs,
            boundary="_" + hexid("o3652", 24) + "_",
            human=text_part(txt, charset="utf-8", cte="quoted-printable"),
            status_text=st,
            original=our_raw(s),
        ),
        None,
        "5.4.1 access denied (directory-based edge blocking)",
    )

    # Gmail address not found
    s = ours(
        "en", "Kyle Jordan", "kyle.jordan.sales@example.com", D(2026, 12, 9, 9, 0), "Jordan Media"
    )
    date = date_header(2026, 12, 9, 9, 0, "-0800", 3)
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
        ("Message-ID", msgid("gmail", "gm-b1")),
        ("Date", date),
    ]
    txt = (
        "\n** Address not found **\n\n"
        f"Your message wasn't delivered to {s.to_addr} because the address couldn't be found, or is unable to receive mail.\n\n"
        "Learn more here: https://support.google.com/mail/?p=NoSuchUser\n\n"
        "The response was:\n\n"
        f"550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-7fd0c2e1a1bsi123456a12.100 - gsmtp\n"
    )
    bb = "000000000000" + hexid("gmb1", 12)
    ba = "000000000000" + hexid("gmb2", 12)
    alt = f'Content-Type: multipart/alternative; boundary="{ba}"\n\n'.encode() + multipart_body(
        [
            text_part(txt, charset="UTF-8", cte="quoted-printable", quote_charset=False),
            text_part(
                wrap_html(text_to_html(txt)),
                subtype="html",
                charset="UTF-8",
                cte="quoted-printable",
                quote_charset=False,
            ),
        ],
        ba,
    )
    st = delivery_status(
        reporting_mta="googlemail.com",
        recipient=s.to_addr,
        status="5.1.1",
        action="failed",
        remote_mta="gmail-smtp-in.l.google.com. (2607:f8b0:4004:c1b::1b, the server for the domain example.com.)",
        diag="550-5.1.1 The email account that you tried to reach does not exist.",
        extra_per_recipient=[("Last-Attempt-Date", "Wed, 09 Dec 2026 09:00:03 -0800 (PST)")],
    )
    c.add(
        "en_bounce_gmail_address_not_found.eml",
        "bounce",
        "en",
        report(
            hs,
            boundary=bb,
            human=alt,
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
            preamble="",
        ),
        None,
        "Gmail 'Address not found' DSN",
    )

    # Yahoo failure notice
    s = ours(
        "en",
        "Lily Evans",
        "lily.evans1987@yahoo.example.com",
        D(2026, 12, 10, 9, 0),
        "Evans Crafts",
    )
    date = date_header(2026, 12, 10, 9, 0, "+0000", 58)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "MAILER-DAEMON@yahoo.example.com"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", "Failure Notice"),
        ("X-Yahoo-Newman-Property", "bounce"),
    ]
    text = (
        "Sorry, we were unable to deliver your message to the following address.\n\n"
        f"<{s.to_addr}>:\n554: delivery error: dd This user doesn't have a yahoo.example.com account ({s.to_addr}) [0] - mta4321.mail.gq1.yahoo.example.com\n\n"
        "--- Below this line is a copy of the message.\n\n"
    )
    c.add(
        "en_bounce_yahoo_failure_notice.eml",
        "bounce",
        "en",
        assemble(hs, text.encode() + our_raw(s)),
        None,
        "Yahoo: no DSN, 554 without enhanced code",
    )

    # postmaster bounce, domain not found, plain
    s = ours(
        "en", "Oscar Lind", "oscar@lind-trading.example", D(2026, 12, 11, 9, 0), "Lind Trading"
    )
    date = date_header(2026, 12, 11, 9, 0, "+0000", 8)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "postmaster@mail.outreach.example.com"),
        ("To", "jonas.berg@outreach.example.com"),
        ("Subject", "Returned mail: Host unknown"),
        ("Message-ID", msgid("mta", "pm-1", "mail.outreach.example.com")),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=us-ascii"),
    ]
    text = f"Your message could not be delivered.\n\n<{s.to_addr}>: Host or domain name not found. Name service error\n    for name=lind-trading.example type=MX: Host not found\n\nStatus: 5.4.4\n"
    c.add(
        "en_bounce_postmaster_domain_not_found.eml",
        "bounce",
        "en",
        assemble(hs, text.encode()),
        None,
        "postmaster bounce without DSN structure",
    )

    # Exchange 2010 on-premises
    s = ours("en", "Ursula Dean", "u.dean@example.net", D(2026, 12, 14, 9, 0), "Dean Pharma")
    date = date_header(2026, 12, 14, 9, 0, "+0000", 30)
    hs = [
        (
            "From",
            "Microsoft Exchange <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net>",
        ),
        ("To", "jonas.berg@outreach.example.com"),
        ("Date", date),
        ("Subject", "Undeliverable: " + s.subject),
        ("Thread-Topic", s.subject),
        ("Message-ID", "<" + hexid("ex10", 32).upper() + "@EXCH01.example.net>"),
        ("X-MS-Exchange-Organization-SCL", "-1"),
        ("Content-Language", "en-US"),
    ]
    txt = f"Delivery has failed to these recipients or groups:\n\nUrsula Dean ({s.to_addr})\nThe e-mail address you entered couldn't be found. Please check the recipient's e-mail address and try to resend the message. If the problem continues, please contact your helpdesk.\n\nDiagnostic information for administrators:\n\nGenerating server: EXCH01.example.net\n\n{s.to_addr}\n#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##\n"
    st = delivery_status(
        reporting_mta="EXCH01.example.net",
        recipient=s.to_addr,
        status="5.1.1",
        action="failed",
        diag="#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##",
        extra_per_recipient=[("X-Display-Name", "Ursula Dean")],
    )
    c.add(
        "en_bounce_exchange2010.eml",
        "bounce",
        "en",
        report(
            hs,
            boundary="_000_" + hexid("ex10b", 26).upper() + "_",
            human=text_part(txt, charset="us-ascii"),
            status_text=st,
            original=our_raw(s),
            preamble="",
        ),
        None,
        "",
    )

    # 5.7.1 policy rejection (Mimecast)
    s = ours("en", "Trevor King", "tking@example.com", D(2026, 12, 15, 9, 0), "King Legal")
    date = date_header(2026, 12, 15, 9, 0, "+0000", 2)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "Mail Delivery System <MAILER-DAEMON@mail.outreach.example.com>"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", "Undelivered Mail Returned to Sender"),
        ("Auto-Submitted", "auto-replied"),
    ]
    human = (
        b"Content-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\n"
        + (
            "This is the mail system at host mail.outreach.example.com.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\n                   The mail system\n\n"
            f"<{s.to_addr}>: host eu-smtp-inbound-1.mimecast.example.com[203.0.113.9]\n    said: 550 Envelope blocked - User Entry - https://community.mimecast.com/docs/DOC-1369#550 [AbC1dEfGhIjKlMn.uk215] (in reply to RCPT TO command)\n"
        ).encode()
    )
    st = delivery_status(
        reporting_mta="mail.outreach.example.com",
        recipient=s.to_addr,
        status="5.0.0",
        action="failed",
        remote_mta="eu-smtp-inbound-1.mimecast.example.com",
        diag="550 Envelope blocked - User Entry",
    )
    c.add(
        "en_bounce_policy_blocked.eml",
        "bounce",
        "en",
        report(
            hs,
            boundary=hexid("pb", 12).upper() + ".1797584402/mail.outreach.example.com",
            human=human,
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
            descriptions=True,
        ),
        None,
        "recipient blocked us (5.0.0): permanent",
    )

    # mailbox disabled 5.2.1
    s = ours("en", "Zoe Hart", "zoe.hart@example.org", D(2026, 12, 16, 9, 0), "Hart Events")
    date = date_header(2026, 12, 16, 9, 0, "+0000", 19)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "MAILER-DAEMON@mail.outreach.example.com (Mail Delivery System)"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", "Undelivered Mail Returned to Sender"),
        ("Auto-Submitted", "auto-replied"),
    ]
    human = (
        b"Content-Type: text/plain; charset=us-ascii\n\n"
        + f"This is the mail system at host mail.outreach.example.com.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n<{s.to_addr}>: host mx.example.org[203.0.113.40] said: 550 5.2.1\n    <{s.to_addr}>: Mailbox disabled, not accepting messages (in reply to RCPT TO\n    command)\n".encode()
    )
    st = delivery_status(
        reporting_mta="mail.outreach.example.com",
        recipient=s.to_addr,
        status="5.2.1",
        action="failed",
        remote_mta="mx.example.org",
        diag="550 5.2.1 Mailbox disabled, not accepting messages",
    )
    c.add(
        "en_bounce_mailbox_disabled.eml",
        "bounce",
        "en",
        report(
            hs,
            boundary="Q" + hexid("md", 10) + "/mail.outreach.example.com",
            human=human,
            status_text=st,
            original=our_raw(s),
        ),
        None,
        "5.2.1 disabled mailbox is permanent",
    )


def soft(c: Corpus) -> None:
    # Gmail delay, mailbox full 4.2.2
    s = ours("en", "Yusuf Ali", "yusuf.ali@example.net", D(2026, 12, 2, 9, 0), "Ali Textiles")
    date = date_header(2026, 12, 3, 9, 5, "-0800", 1)
    hs = [
        ("Return-Path", "<>"),
        ("MIME-Version", "1.0"),
        ("From", "Mail Delivery Subsystem <mailer-daemon@googlemail.com>"),
        ("To", "jonas.berg@outreach.example.com"),
        ("Auto-Submitted", "auto-replied"),
        ("Subject", "Delivery Status Notification (Delay)"),
        ("References", s.message_id),
        ("In-Reply-To", s.message_id),
        ("Message-ID", msgid("gmail", "gm-d1")),
        ("Date", date),
    ]
    txt = f"\n** Message not delivered yet **\n\nThere was a temporary problem delivering your message to {s.to_addr}. Gmail will retry for 46 more hours. You'll be notified if the delivery fails permanently.\n\nThe response was:\n\n452 4.2.2 The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp\n"
    st = delivery_status(
        reporting_mta="googlemail.com",
        recipient=s.to_addr,
        status="4.2.2",
        action="delayed",
        remote_mta="mx.example.net",
        diag="452 4.2.2 The recipient's inbox is out of storage space.",
        extra_per_recipient=[("Will-Retry-Until", "Sat, 05 Dec 2026 07:05:01 -0800 (PST)")],
    )
    c.add(
        "en_soft_gmail_delay_mailbox_full.eml",
        "soft_bounce",
        "en",
        report(
            hs,
            boundary="000000000000" + hexid("gmd1", 12),
            human=text_part(txt, charset="UTF-8", quote_charset=False),
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
            preamble="",
        ),
        None,
        "Gmail delay DSN, mailbox full 4.2.2",
    )

    # Exim delayed 24 hours
    s = ours("en", "Colin Webb", "colin.webb@example.com", D(2026, 12, 3, 9, 0), "Webb Plumbing")
    date = date_header(2026, 12, 4, 9, 10, "+0000", 0)
    hs = [
        ("Return-path", "<>"),
        ("X-Failed-Recipients", s.to_addr),
        ("Auto-Submitted", "auto-replied"),
        ("From", "Mail Delivery System <Mailer-Daemon@relay2.example.com>"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", "Warning: message 1tJ2Ab-0003Xy-9Q delayed 24 hours"),
        ("Message-Id", "<E1tJ2Ab-0009Zz-1A@relay2.example.com>"),
        ("Date", date),
    ]
    text = f"This message was created automatically by mail delivery software.\nA message that you sent has not yet been delivered to one or more of its\nrecipients after more than 24 hours on the queue on relay2.example.com.\n\nThe message identifier is:     1tJ2Ab-0003Xy-9Q\nThe subject of the message is: {s.subject}\nThe date of the message is:    Thu, 03 Dec 2026 09:00:00 +0000\n\nThe address to which the message has not yet been delivered is:\n\n  {s.to_addr}\n    host mx.example.com [203.0.113.11]\n    Delay reason: SMTP error from remote mail server after RCPT TO:<{s.to_addr}>:\n    451 4.3.0 Temporary local problem - please try later\n\nNo action is required on your part. Delivery attempts will continue for\nsome time, and this warning may be repeated at intervals if the message\nremains undelivered. Eventually the mail delivery software will give up,\nand when that happens, the message will be returned to you.\n"
    c.add(
        "en_soft_exim_delayed_24h.eml",
        "soft_bounce",
        "en",
        assemble(hs, text.encode()),
        None,
        "Exim delay warning, no DSN; X-Failed-Recipients present on a delay",
    )

    # Postfix delayed with DSN, greylisting
    s = ours("en", "Ruth Fisher", "ruth.fisher@example.org", D(2026, 12, 4, 9, 0), "Fisher Vets")
    date = date_header(2026, 12, 4, 13, 0, "+0000", 3)
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
        + f"This is the mail system at host mail.outreach.example.com.\n\n####################################################################\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n####################################################################\n\nYour message could not be delivered for more than 4 hour(s).\nIt will be retried until it is 5 day(s) old.\n\n                   The mail system\n\n<{s.to_addr}>: host mx.example.org[203.0.113.77] said: 451 4.7.1\n    <{s.to_addr}>: Recipient address rejected: Greylisted, see\n    https://postgrey.example.org/ (in reply to RCPT TO command)\n".encode()
    )
    st = delivery_status(
        reporting_mta="mail.outreach.example.com",
        recipient=s.to_addr,
        status="4.7.1",
        action="delayed",
        remote_mta="mx.example.org",
        diag="451 4.7.1 Recipient address rejected: Greylisted",
        extra_per_recipient=[("Will-Retry-Until", "Wed, 9 Dec 2026 09:00:00 +0000 (UTC)")],
    )
    c.add(
        "en_soft_postfix_greylisted.eml",
        "soft_bounce",
        "en",
        report(
            hs,
            boundary="4QDL" + hexid("gl", 8) + ".1796389200/mail.outreach.example.com",
            human=human,
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
            descriptions=True,
        ),
        None,
        "greylisting 451 4.7.1, Action: delayed",
    )

    # O365 delivery delayed
    s = ours("en", "Sean Murphy", "sean.murphy@example.com", D(2026, 12, 7, 9, 0), "Murphy Build")
    date = date_header(2026, 12, 7, 17, 0, "+0000", 40)
    hs = [
        ("From", "Microsoft Outlook <postmaster@outreach.example.com>"),
        ("To", "<bounces@outreach.example.com>"),
        ("Date", date),
        ("Subject", "Delivery delayed:" + s.subject),
        ("Message-ID", msgid("outlook", "o365-d")),
        ("Auto-Submitted", "auto-replied"),
        ("Content-Language", "en-US"),
    ]
    txt = f"Delivery is delayed to these recipients or groups:\n\n{s.to_addr}\n\nSubject: {s.subject}\n\nThis message hasn't been delivered yet. Delivery will continue to be attempted.\n\nThe server will keep trying to deliver this message for the next 1 days, 19 hours and 52 minutes. You'll be notified if the message can't be delivered by that time.\n\nDiagnostic information for administrators:\n\nServer at example.com (203.0.113.30) returned '400 4.4.7 Message delayed'\n12/7/2026 5:00:38 PM - Server at example.com (203.0.113.30) returned '451 4.4.0 Primary target IP address responded with: \"421 4.4.2 Connection dropped due to SocketError.\" Attempted failover to alternate host, but that did not succeed.'\n"
    st = delivery_status(
        reporting_mta="PAXPR04MB8701.eurprd04.prod.outlook.com",
        recipient=s.to_addr,
        status="4.4.7",
        action="delayed",
        diag="400 4.4.7 Message delayed",
    )
    c.add(
        "en_soft_o365_delivery_delayed.eml",
        "soft_bounce",
        "en",
        report(
            hs,
            boundary="_" + hexid("o365dl", 20) + "_",
            human=text_part(txt, charset="us-ascii"),
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
            preamble="",
        ),
        None,
        "'Delivery delayed:' Exchange Online, 4.4.7",
    )

    # 5.2.2 mailbox full permanent code, still soft by contract
    s = ours(
        "en", "Amy Collins", "amy.collins@example.net", D(2026, 12, 8, 9, 0), "Collins Florist"
    )
    date = date_header(2026, 12, 8, 9, 1, "+0000", 11)
    hs = [
        ("Return-path", "<>"),
        ("X-Failed-Recipients", s.to_addr),
        ("Auto-Submitted", "auto-replied"),
        ("From", "Mail Delivery System <Mailer-Daemon@relay.example.net>"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", "Mail delivery failed: returning message to sender"),
        ("Message-Id", "<E1tK9Zz-0004Ab-7Y@relay.example.net>"),
        ("Date", date),
    ]
    text = f"This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  {s.to_addr}\n    host mx.example.net [203.0.113.81]\n    SMTP error from remote mail server after end of data:\n    552 5.2.2 <{s.to_addr}>: Mailbox full - quota exceeded\n\n------ This is a copy of the message's headers. ------\n\n"
    c.add(
        "en_soft_mailbox_full_5_2_2.eml",
        "soft_bounce",
        "en",
        assemble(hs, text.encode() + our_raw(s, headers_only=True)),
        None,
        "mailbox full with 5.2.2 and 'permanent error' wording: soft_bounce by the contract ('mailbox full'); see README",
    )

    # Sendmail 4-hour warning
    s = ours("en", "Dylan Reed", "dylan@example.org", D(2026, 12, 9, 9, 0), "Reed Surf")
    date = date_header(2026, 12, 9, 13, 5, "-0800", 0)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "Mail Delivery Subsystem <MAILER-DAEMON@smtp.example.org>"),
        ("Message-Id", "<202612092105.4B9L5Uxx012345@smtp.example.org>"),
        ("To", "<bounces@outreach.example.com>"),
        ("Subject", "Warning: could not send message for past 4 hours"),
        ("Auto-Submitted", "auto-generated (warning-timeout)"),
    ]
    human = (
        b"Content-Type: text/plain\n\n"
        + f"    **********************************************\n    **      THIS IS A WARNING MESSAGE ONLY      **\n    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n    **********************************************\n\nThe original message was received at Wed, 9 Dec 2026 09:00:05 -0800\nfrom mail.outreach.example.com [198.51.100.20]\n\n   ----- Transcript of session follows -----\n<{s.to_addr}>... Deferred: Connection timed out with mx.example.org.\nWarning: message still undelivered after 4 hours\nWill keep trying until message is 5 days old\n".encode()
    )
    st = delivery_status(
        reporting_mta="smtp.example.org",
        recipient=s.to_addr,
        status="4.4.1",
        action="delayed",
        remote_mta="mx.example.org",
        diag=None,
        extra_per_recipient=[("Will-Retry-Until", "Mon, 14 Dec 2026 09:00:05 -0800")],
    )
    c.add(
        "en_soft_sendmail_4h_warning.eml",
        "soft_bounce",
        "en",
        report(
            hs,
            boundary="4B9L5Uxx012345.1797368705/smtp.example.org",
            human=human,
            status_text=st,
            original=our_raw(s, headers_only=True),
            original_type="text/rfc822-headers",
        ),
        None,
        "",
    )


def build(c: Corpus) -> None:
    """All English cases."""
    ooo(c)
    auto(c)
    unsub(c)
    human(c)
    bounces(c)
    soft(c)
