"""Reply understanding end to end: raw mail in, the lead's state in PostgreSQL out.

The replies worker classifies each raw reply and the sequencer acts on it as the contract's
table says (issue 11's "done when"): an out-of-office notice with a date pauses the lead until
that date plus the buffer; one without a date resumes by itself after the fallback and the next
step is sent; a human reply to an out-of-office-paused lead applies the reply rule; an
unsubscribe and a hard bounce stop the lead; a soft bounce and a helpdesk acknowledgement
change nothing.
"""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

import asyncpg

from tests.integration.helpers import TopicReader, eventually, publish
from tests.integration.ingest_helpers import ready, running
from tests.integration.sequencer_helpers import campaign, command, running_sequencer
from workers.settings import Settings
from workers.topics import Topics


def mail(subject: str, body: str, *, sender: str = "lena@example.com", **headers: str) -> bytes:
    """A plain-text reply as a mail client sends it, dated now."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "sales@leadflow.example"
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain="example.com")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


def dsn(status: str, diagnostic: str) -> bytes:
    """A Postfix delivery status notification (RFC 3464) for one recipient."""
    action = "failed" if status.startswith("5") else "delayed"
    return (
        "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\r\n"
        "To: sales@leadflow.example\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Date: {format_datetime(datetime.now(UTC))}\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n'
        "\r\n--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
        "This is the mail system at host mx.example.net.\r\n\r\n"
        "I'm sorry to have to inform you that your message could not\r\n"
        "be delivered to one or more recipients.\r\n\r\n"
        f"<lena@example.com>: host mx.example.com said: {diagnostic}\r\n"
        "\r\n--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.net\r\n\r\n"
        "Final-Recipient: rfc822; lena@example.com\r\n"
        f"Action: {action}\r\nStatus: {status}\r\nDiagnostic-Code: smtp; {diagnostic}\r\n"
        "\r\n--b1--\r\n"
    ).encode()


def reply_event(event_id: str, campaign_id: str, lead_id: str, raw: bytes) -> dict[str, Any]:
    """A ReplyEvent carrying the whole raw message."""
    return {
        "event_id": event_id,
        "campaign_id": campaign_id,
        "lead_id": lead_id,
        "occurred_at": datetime.now(UTC).isoformat(),
        "raw_message": base64.b64encode(raw).decode(),
    }


async def lead_row(settings: Settings, campaign_id: str, lead_id: str) -> asyncpg.Record | None:
    """The lead's row in the sequencer's database."""
    conn = await asyncpg.connect(settings.database_url)
    try:
        return await conn.fetchrow(
            "SELECT status, next_step, resume_at, reason FROM leads"
            " WHERE campaign_id = $1 AND lead_id = $2",
            campaign_id,
            lead_id,
        )
    finally:
        await conn.close()


async def status_of(settings: Settings, campaign_id: str, lead_id: str) -> str | None:
    row = await lead_row(settings, campaign_id, lead_id)
    return None if row is None else str(row["status"])


async def sends_of(settings: Settings, reader: TopicReader, lead_id: str) -> list[int]:
    await reader.poll()
    return sorted(v["step"] for v in reader.values() if v["lead_id"] == lead_id)


CASES = {
    "ooo-dated": "out of office with a date",
    "human-after-ooo": "a human reply after an out-of-office notice",
    "unsub": "an unsubscribe request",
    "bounce": "a hard bounce",
    "soft": "a soft bounce",
    "ack": "a helpdesk acknowledgement",
}


class TestRepliesEndToEnd:
    """Raw replies through the replies worker and the sequencer, on the real broker and DB."""

    async def test_each_class_acts_as_the_contract_says(self, settings: Settings) -> None:
        """Each class of reply leaves its lead in the state the contract's table gives."""
        topics = Topics(settings.topic_prefix)
        back = (datetime.now(UTC) + timedelta(days=12)).date()
        await publish(
            settings,
            topics.campaigns,
            [("c-r", campaign("c-r", delays=["PT0S", "P2D"], automation={"reply": "stop"}))],
        )
        async with running_sequencer(settings), running(settings, "replies") as worker:
            await ready(worker)
            await publish(
                settings,
                topics.commands,
                [(f"c-r:{lead}", command("c-r", lead, "enroll")) for lead in CASES],
            )
            async with TopicReader(settings, topics.sends) as sends:
                await sends.wait_for(len(CASES), timeout_s=60)
            await publish(settings, topics.replies, self._replies(back))
            await eventually(lambda: _stopped(settings, "unsub", "bounce"), timeout_s=60)
            await eventually(lambda: _reason(settings, "c-r", "human-after-ooo", "paused"))
            human = mail("Re: our call", "Thanks, I'm back early. Let's talk on Thursday.")
            await publish(
                settings,
                topics.replies,
                [("c-r:human-after-ooo", reply_event("r-h2", "c-r", "human-after-ooo", human))],
            )
            await eventually(lambda: _stopped(settings, "human-after-ooo"), timeout_s=60)
            dated = await lead_row(settings, "c-r", "ooo-dated")
            unchanged = [await status_of(settings, "c-r", lead) for lead in ("soft", "ack")]

        assert dated is not None
        expected_resume = datetime.combine(back + timedelta(days=1), time(0), tzinfo=UTC)
        assert ("paused", expected_resume) == (dated["status"], dated["resume_at"])
        assert f"out of office until {back.isoformat()}" in dated["reason"]
        assert ["in_progress", "in_progress"] == unchanged

    @staticmethod
    def _replies(back: date) -> list[tuple[str, dict[str, Any]]]:
        when = f"{back:%A} {back.day} {back:%B %Y}"
        notice = mail(
            "Automatic reply: our call",
            f"Hello,\n\nI am on annual leave and will be back on {when}.\n"
            "For urgent matters please contact my colleague.\n\nBest regards,\nLena",
            Auto_Submitted="auto-replied",
        )
        events = {
            "ooo-dated": notice,
            "human-after-ooo": notice,
            "unsub": mail("Re: our call", "Please remove me from your mailing list."),
            "bounce": dsn("5.1.1", "550 5.1.1 <lena@example.com>: Recipient address rejected"),
            "soft": dsn("4.2.2", "452 4.2.2 <lena@example.com>: Mailbox full"),
            "ack": mail(
                "[Ticket #48213] Re: our call",
                "Thank you for contacting Example Support. This is an automated response to let"
                " you know that we have received your request (#48213). A member of our team"
                " will get back to you within 24 hours.",
                Auto_Submitted="auto-generated",
            ),
        }
        return [
            (f"c-r:{lead}", reply_event(f"r-{lead}", "c-r", lead, raw))
            for lead, raw in events.items()
        ]

    async def test_undated_notice_resumes_after_the_fallback(self, settings: Settings) -> None:
        """No return date: the lead resumes by itself after the fallback; step 2 is then sent."""
        topics = Topics(settings.topic_prefix)
        automation = {"out_of_office_fallback": "PT2S"}
        await publish(
            settings,
            topics.campaigns,
            [("c-f", campaign("c-f", delays=["PT0S", "PT20S"], automation=automation))],
        )
        notice = mail(
            "Out of Office: our call",
            "I am currently out of the office with limited access to email.",
            Auto_Submitted="auto-replied",
        )
        async with running_sequencer(settings), running(settings, "replies") as worker:
            await ready(worker)
            await publish(settings, topics.commands, [("c-f:l-1", command("c-f", "l-1", "enroll"))])
            async with TopicReader(settings, topics.sends) as sends:
                await sends.wait_for(1, timeout_s=60)
                await publish(
                    settings,
                    topics.replies,
                    [("c-f:l-1", reply_event("r-1", "c-f", "l-1", notice))],
                )
                paused = await eventually(lambda: _reason(settings, "c-f", "l-1", "paused"))
                steps = await eventually(lambda: _two_sends(settings, sends, "l-1"), timeout_s=90)

        assert "out of office, no date" in paused
        assert [1, 2] == steps


async def _stopped(settings: Settings, *leads: str) -> bool:
    return all([await status_of(settings, "c-r", lead) == "stopped" for lead in leads])


async def _reason(settings: Settings, campaign_id: str, lead_id: str, status: str) -> str | None:
    row = await lead_row(settings, campaign_id, lead_id)
    return str(row["reason"]) if row is not None and row["status"] == status else None


async def _two_sends(settings: Settings, reader: TopicReader, lead_id: str) -> list[int] | None:
    steps = await sends_of(settings, reader, lead_id)
    return steps if len(steps) >= 2 else None
