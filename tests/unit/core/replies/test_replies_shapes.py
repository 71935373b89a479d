"""Real-world shapes: how mail servers and clients actually write these messages on the wire."""

from __future__ import annotations

from datetime import date

import pytest

from schemas import ReplyKind
from tests.unit.core.replies.factories import DATE, OUTREACH, quoted_original, raw_text, reply
from workers.core.replies import classify_message

H, OOO, AUTO, UNSUB, BOUNCE, SOFT = (
    ReplyKind.HUMAN,
    ReplyKind.OUT_OF_OFFICE,
    ReplyKind.AUTO_REPLY,
    ReplyKind.UNSUBSCRIBE,
    ReplyKind.BOUNCE,
    ReplyKind.SOFT_BOUNCE,
)

GMAIL_DSN = raw_text(
    f"""Return-Path: <>
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: tom@leadflow.test
Auto-Submitted: auto-replied
Subject: Delivery Status Notification (Failure)
Date: {DATE}
MIME-Version: 1.0
Content-Type: multipart/report; boundary="000000000000abc"; report-type=delivery-status""",
    """--000000000000abc
Content-Type: multipart/related; boundary="000000000000def"

--000000000000def
Content-Type: multipart/alternative; boundary="000000000000ghi"

--000000000000ghi
Content-Type: text/plain; charset="UTF-8"


** Address not found **

Your message wasn't delivered to jane@acme.test because the address couldn't be found, or is unable to receive mail.

Learn more here: https://support.google.com/mail/?p=NoSuchUser

The response from the remote server was:
550 5.1.1 The email account that you tried to reach does not exist.

--000000000000ghi
Content-Type: text/html; charset="UTF-8"

<html><body><h2>Address not found</h2><p>Your message wasn't delivered to <b>jane@acme.test</b>.</p></body></html>

--000000000000ghi--

--000000000000def--

--000000000000abc
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Arrival-Date: Mon, 14 Dec 2026 01:00:00 -0800 (PST)

Final-Recipient: rfc822; jane@acme.test
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.acme.test. (192.0.2.1, the server for the domain acme.test.)
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist.

--000000000000abc
Content-Type: message/rfc822

From: Tom Sender <tom@leadflow.test>
To: jane@acme.test
Subject: Quick question

"""
    + OUTREACH
    + "\n\n--000000000000abc--\n",
)

EXIM_BOUNCE = raw_text(
    f"""Return-path: <>
From: Mail Delivery System <Mailer-Daemon@mx.acme.test>
To: tom@leadflow.test
Subject: Mail delivery failed: returning message to sender
Date: {DATE}
X-Failed-Recipients: jane@acme.test
Auto-Submitted: auto-replied""",
    """This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  jane@acme.test
    host mx.acme.test [192.0.2.1]
    SMTP error from remote mail server after RCPT TO:<jane@acme.test>:
    550 5.1.1 <jane@acme.test>: Recipient address rejected: User unknown in virtual mailbox table

------ This is a copy of the message, including all the headers. ------

Return-path: <tom@leadflow.test>
From: Tom Sender <tom@leadflow.test>
Subject: Quick question

"""
    + OUTREACH
    + "\nCall me on +1 555 123 4567.\n",
)

EXIM_DELAY = raw_text(
    f"""From: Mail Delivery System <Mailer-Daemon@mx.acme.test>
To: tom@leadflow.test
Subject: Warning: message 1kXyZ-0001ab-Cd delayed 24 hours
Date: {DATE}
Auto-Submitted: auto-replied""",
    """This message was created automatically by mail delivery software.
A message that you sent has not yet been delivered to one or more of its
recipients after more than 24 hours on the queue on mx.acme.test.

The message identifier is:     1kXyZ-0001ab-Cd

No action is required on your part. Delivery attempts will continue for
some time, and this warning may be repeated at intervals if the message
remains undelivered. Eventually the mail delivery software will give up,
and when that happens, the message will be returned to you.
""",
)

EXCHANGE_NDR_DE = raw_text(
    f"""From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@acme.test>
To: tom@leadflow.test
Subject: Unzustellbar: Quick question
Date: {DATE}
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable""",
    """Ihre Nachricht an jane@acme.test konnte nicht zugestellt werden.

jane wurde bei acme.test nicht gefunden.

Diagnoseinformationen f=FCr Administratoren:

Generierender Server: AM0PR01MB1234.eurprd01.prod.exchangelabs.com

jane@acme.test
Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'
""",
    "latin-1",
)

OUTLOOK_OOO_HTML = raw_text(
    f"""From: Jane Doe <jane@acme.test>
To: Tom Sender <tom@leadflow.test>
Subject: =?utf-8?Q?R=C3=A9ponse_automatique=C2=A0:_Quick_question?=
Date: {DATE}
Auto-Submitted: auto-generated
X-Auto-Response-Suppress: All
X-MS-Exchange-Inbox-Rules-Loop: jane@acme.test
MIME-Version: 1.0
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: base64""",
    __import__("base64")
    .encodebytes(
        "<html><head><style>p{margin:0}</style></head><body><div>"
        "<p>Bonjour,</p><p>Je suis absente du bureau jusqu&#39;au 4&nbsp;janvier inclus, "
        "avec un accès limité à mes e-mails.</p><p>Pour toute urgence, veuillez contacter "
        "Paul Martin.</p><p>Cordialement,<br>Jeanne</p></div></body></html>".encode()
    )
    .decode(),
)

HUMAN_SUPPRESS_HEADER = reply(
    "Sure, send me the deck.\n\n" + quoted_original("outlook"),
    headers={"X-Auto-Response-Suppress": "All", "Auto-Submitted": "no"},
)

APPLE_MAIL_DE = reply(
    "Hallo Tom,\n\ngerne, rufen Sie mich am Mittwoch an.\n\nGruß\nJana\n\n"
    "Von meinem iPhone gesendet\n\n> Am 14.12.2026 um 09:12 schrieb Tom Sender <tom@leadflow.test>:\n>\n"
    + "\n".join("> " + line for line in OUTREACH.split("\n"))
)

GMAIL_WRAPPED_FR = reply(
    "Merci, mais je ne suis pas intéressé pour le moment.\n\n"
    "Le lun. 14 déc. 2026 à 09:12, Tom Sender <tom@leadflow.test> a\nécrit :\n\n"
    + "\n".join("> " + line for line in OUTREACH.split("\n"))
)

HTML_GMAIL_REPLY = reply(
    "ignored plain",
    html_only=True,
    html=(
        '<div dir="ltr">Please take me off your list.</div><br><div class="gmail_quote">'
        '<div class="gmail_attr">On Mon, Dec 14, 2026 at 9:12 AM Tom Sender &lt;tom@leadflow.test&gt; '
        "wrote:<br></div><blockquote>Hi Jane, would you be open to a call?<br>"
        "<a href='#'>Unsubscribe</a></blockquote></div>"
    ),
)

HTML_HUMAN_FOOTER_ONLY_IN_QUOTE = reply(
    "Thanks Tom, let's talk Thursday.",
    html=(
        "<div>Thanks Tom, let's talk Thursday.</div><blockquote>"
        "<p>If you'd rather not hear from me, click here to unsubscribe.</p></blockquote>"
    ),
)

READ_RECEIPT = raw_text(
    f"""From: Jane Doe <jane@acme.test>
To: tom@leadflow.test
Subject: Gelesen: Quick question
Date: {DATE}
MIME-Version: 1.0
Content-Type: multipart/report; report-type=disposition-notification; boundary=r1""",
    """--r1
Content-Type: text/plain; charset=utf-8

Ihre Nachricht wurde am 14.12.2026 10:00 gelesen.

--r1
Content-Type: message/disposition-notification

Reporting-UA: acme.test; Microsoft Outlook 16.0
Final-Recipient: rfc822;jane@acme.test
Disposition: manual-action/MDN-sent-manually; displayed

--r1--
""",
)

CHALLENGE = reply(
    "Hello, I use a spam filter. Please click the link below to verify that you are a human and "
    "your message will be delivered: https://verify.example/abc",
    subject="Re: Quick question",
    sender="Jane Doe <jane@acme.test>",
)

BILINGUAL_OOO = reply(
    "Vielen Dank für Ihre Nachricht. Ich bin bis zum 8. Januar nicht im Büro. In dringenden "
    "Fällen wenden Sie sich bitte an info@acme.test.\n\nThank you for your message. I am out of "
    "the office until 8 January. For urgent matters please contact info@acme.test.",
    subject="Abwesenheitsnotiz / Out of office",
    headers={"Auto-Submitted": "auto-replied"},
)

CP1252_OOO = reply(
    "Je suis absent jusqu\u2019au 4 janvier \u2013 merci de contacter Zoé pour toute urgence.",
    subject="Absent : Quick question",
    charset="windows-1252",
    cte="quoted-printable",
)

NOTES_HUMAN = reply(
    "Bitte rufen Sie mich morgen an.\n\n"
    "Tom Sender <tom@leadflow.test>\n14.12.2026 09:12\n\n"
    "An\t: jane@acme.test\nKopie\t:\nThema\t: Quick question\n\n" + OUTREACH,
    subject="Antwort: Quick question",
)

SHAPES: list[tuple[str, bytes, ReplyKind, date | None]] = [
    ("read-receipt-mdn-de", READ_RECEIPT, AUTO, None),
    (
        "read-receipt-subject-only",
        reply("Your message was read on 14 Dec 2026.", subject="Read: Quick question"),
        AUTO,
        None,
    ),
    ("challenge-response", CHALLENGE, AUTO, None),
    ("bilingual-ooo", BILINGUAL_OOO, OOO, date(2027, 1, 8)),
    ("cp1252-qp-ooo-fr", CP1252_OOO, OOO, date(2027, 1, 4)),
    ("lotus-notes-quote-with-footer", NOTES_HUMAN, H, None),
    ("gmail-dsn", GMAIL_DSN, BOUNCE, None),
    ("exim-bounce-with-copy", EXIM_BOUNCE, BOUNCE, None),
    ("exim-delay-warning", EXIM_DELAY, SOFT, None),
    ("exchange-ndr-german-qp-latin1", EXCHANGE_NDR_DE, BOUNCE, None),
    ("outlook-ooo-html-only-base64-fr", OUTLOOK_OOO_HTML, OOO, date(2027, 1, 5)),
    ("suppress-header-is-not-a-marker", HUMAN_SUPPRESS_HEADER, H, None),
    ("apple-mail-de-iphone-signature", APPLE_MAIL_DE, H, None),
    ("gmail-wrapped-attribution-fr", GMAIL_WRAPPED_FR, H, None),
    ("html-gmail-reply-unsubscribe", HTML_GMAIL_REPLY, UNSUB, None),
    ("html-footer-only-in-quote", HTML_HUMAN_FOOTER_ONLY_IN_QUOTE, H, None),
]


class TestRealWorldShapes:
    """Wire shapes from real servers and clients."""

    @pytest.mark.parametrize(
        ("raw", "kind", "back"),
        [pytest.param(raw, kind, back, id=name) for name, raw, kind, back in SHAPES],
    )
    def test_shape(self, raw: bytes, kind: ReplyKind, back: date | None) -> None:
        """Each shape is read as what it is."""
        result = classify_message(raw)
        assert (kind, back) == (result.kind, result.return_date), result.evidence
