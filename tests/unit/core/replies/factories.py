"""Raw messages for the classifier's tests, built with the standard library's ``email`` package.

``reply(...)`` makes a message the way mail clients and servers do: a text/plain body (or
multipart/alternative with HTML, or HTML only), any charset and transfer encoding, the headers
given; ``quoted_original()`` is the outreach email we sent, with its unsubscribe footer, quoted
the way the named client quotes it; ``dsn(...)`` is a multipart/report delivery-status notice
with the original attached.
"""

from __future__ import annotations

from email import policy
from email.message import EmailMessage

#: Monday 14 December 2026, 10:00 in Paris: the date of every test message unless told.
DATE = "Mon, 14 Dec 2026 10:00:00 +0100"

#: The email we sent, as it appears quoted below a reply (its footer must never count).
OUTREACH = (
    "Hi Jane,\n\nI noticed Acme is hiring SDRs. We help teams book more meetings.\n"
    "Would you be open to a 15-minute call next week?\n\nBest,\nTom\n\n"
    "If you'd rather not hear from me, click here to unsubscribe.\n"
    "To stop receiving these emails, reply STOP."
)


def quoted_original(style: str = "gmail", text: str = OUTREACH) -> str:
    """Our email quoted below a reply, as the ``style`` client quotes it."""
    quoted = "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))
    if style == "gmail":
        return f"On Mon, Dec 14, 2026 at 9:12 AM Tom Sender <tom@leadflow.test> wrote:\n{quoted}"
    if style == "outlook":
        return (
            "________________________________\n"
            "From: Tom Sender <tom@leadflow.test>\n"
            "Sent: Monday, December 14, 2026 9:12 AM\n"
            "To: Jane Doe <jane@acme.test>\n"
            "Subject: Quick question\n\n"
            f"{text}"
        )
    return f"-----Original Message-----\nFrom: Tom Sender <tom@leadflow.test>\n{text}"


def reply(
    body: str = "Thanks, sounds good.",
    *,
    subject: str = "Re: Quick question",
    sender: str = "Jane Doe <jane@acme.test>",
    date: str | None = DATE,
    headers: dict[str, str] | None = None,
    html: str | None = None,
    html_only: bool = False,
    charset: str = "utf-8",
    cte: str | None = None,
) -> bytes:
    """A raw reply message (see the module docstring)."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = sender
    message["To"] = "Tom Sender <tom@leadflow.test>"
    message["Subject"] = subject
    if date is not None:
        message["Date"] = date
    message["Message-ID"] = "<reply-1@acme.test>"
    for name, value in (headers or {}).items():
        message[name] = value
    if html_only:
        message.set_content(html or body, subtype="html", charset=charset, cte=cte)
    else:
        message.set_content(body, charset=charset, cte=cte)
        if html is not None:
            message.add_alternative(html, subtype="html", charset=charset, cte=cte)
    return message.as_bytes()


def dsn(
    statuses: list[tuple[str, str]],
    *,
    text: str = "Delivery to the following recipient failed permanently:\n\n    jane@acme.test",
    subject: str = "Delivery Status Notification (Failure)",
    sender: str = "Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
) -> bytes:
    """A multipart/report delivery-status notification, one ``(Status, Action)`` per recipient."""
    blocks = "".join(
        f"Final-Recipient: rfc822; jane@acme.test\nAction: {action}\nStatus: {status}\n"
        f"Diagnostic-Code: smtp; 550 {status} The email account does not exist\n\n"
        for status, action in statuses
    )
    head = (
        f"From: {sender}\nTo: tom@leadflow.test\nSubject: {subject}\nDate: {DATE}\n"
        "Message-ID: <dsn-1@mx.test>\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"'
    )
    body = (
        "--b1\nContent-Type: text/plain; charset=utf-8\n\n"
        f"{text}\n\n"
        "--b1\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.google.com\n\n"
        f"{blocks}"
        "--b1\nContent-Type: message/rfc822\n\n"
        "From: tom@leadflow.test\nSubject: Quick question\n\n"
        f"{OUTREACH}\n\n--b1--\n"
    )
    return raw_text(head, body)


def raw_text(head: str, body: str, charset: str | None = None) -> bytes:
    """A message written by hand: headers, a blank line, the body (for exact wire shapes)."""
    text = head.strip("\n") + "\n\n" + body
    return text.replace("\n", "\r\n").encode(charset or "utf-8")
