"""Providers' webhook bodies shaped like their documented examples, and test signers.

Each body copies the provider's own example (Mailgun "Webhook Payloads", SendGrid "Event
Webhook Reference", Postmark "Webhooks" pages, Calendly "Webhook payload", Cal.com "Webhooks")
with our tracking token added where the provider carries custom data. Signers sign exactly as
each provider documents, with test keys.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
from datetime import datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlencode

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

TOKEN = "1AAECAwQFBgcICQoLDA0ODxAREhMUFRYX"
MAILGUN_KEY = "key-test-mailgun-signing"
CALENDLY_KEY = "test-calendly-signing-key"
CALCOM_SECRET = "test-calcom-secret"
POSTMARK_USER = "postmark-hook"
POSTMARK_PASSWORD = "test-postmark-password"
SENDGRID_PRIVATE = ec.generate_private_key(ec.SECP256R1())
SENDGRID_PUBLIC = base64.b64encode(
    SENDGRID_PRIVATE.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
).decode()

Headers = dict[str, str]


# --- Mailgun --------------------------------------------------------------------------------

_MAILGUN_CLICKED: dict[str, Any] = {
    "signature": {
        "token": "e0b5477167110d68991efc6b9f89f0a11066af27834600e123",
        "timestamp": "1770920772",
        "signature": "",
    },
    "event-data": {
        "account": {"id": "1234567890303a4bd1f33898"},
        "domain": {"name": "sample.mailgun.com"},
        "id": "Ase7i2zsRYeDXztHGENqRA",
        "timestamp": 1521243339.873676,
        "log-level": "info",
        "event": "clicked",
        "message": {"headers": {"message-id": "20130503182626.18666.16540@sample.mailgun.com"}},
        "recipient": "alice@example.com",
        "recipient-domain": "example.com",
        "ip": "50.56.129.169",
        "geolocation": {"country": "US", "region": "CA", "city": "San Francisco"},
        "client-info": {
            "client-os": "Linux",
            "device-type": "desktop",
            "client-name": "Chrome",
            "client-type": "browser",
            "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.31",
            "bot": "",
        },
        "campaigns": [],
        "tags": ["my_tag_1", "my_tag_2"],
        "url": "https://example.com/pricing",
        "user-variables": {"my_var_1": "Mailgun Variable #1", "my-var-2": "awesome"},
    },
}

_MAILGUN_FAILED: dict[str, Any] = {
    "signature": {
        "token": "d41a4ae2ec4eb4c7c1a4c4fc7c4db2b1d65ca4fd6e5e4e3a12",
        "timestamp": "1770920772",
        "signature": "",
    },
    "event-data": {
        "account": {"id": "1234567890303a4bd1f33898"},
        "domain": {"name": "sample.mailgun.com"},
        "id": "G9Bn5sl1TC6nu79C8C0bwg",
        "timestamp": 1521233195.375624,
        "log-level": "error",
        "event": "failed",
        "severity": "permanent",
        "reason": "suppress-bounce",
        "envelope": {
            "sender": "bob@sample.mailgun.com",
            "transport": "smtp",
            "targets": "alice@example.com",
        },
        "flags": {"is-routed": False, "is-authenticated": True, "is-test-mode": False},
        "delivery-status": {
            "attempt-no": 1,
            "message": "",
            "code": 605,
            "description": "Not delivering to previously bounced address",
            "session-seconds": 0.0,
        },
        "message": {
            "headers": {
                "to": "Alice <alice@example.com>",
                "message-id": "20130503192659.13651.20287@sample.mailgun.com",
                "from": "Bob <bob@sample.mailgun.com>",
                "subject": "Test permanent_fail webhook",
            },
            "attachments": [],
            "size": 111,
        },
        "recipient": "alice@example.com",
        "recipient-domain": "example.com",
        "storage": {
            "url": "https://se.api.mailgun.net/v3/domains/sample.mailgun.com/messages/message_key",
            "key": "message_key",
        },
        "campaigns": [],
        "tags": ["my_tag_1", "my_tag_2"],
        "user-variables": {"my_var_1": "Mailgun Variable #1", "my-var-2": "awesome"},
    },
}


def mailgun_sign(block: dict[str, Any], now: datetime, key: str = MAILGUN_KEY) -> None:
    """Sign a ``signature`` block in place (hex HMAC-SHA256 of timestamp + token)."""
    block["timestamp"] = str(int(now.timestamp()))
    message = f"{block['timestamp']}{block['token']}".encode()
    block["signature"] = hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def mailgun_event(
    kind: str, now: datetime, *, token: str | None = TOKEN, **fields: Any
) -> dict[str, Any]:
    """A signed Mailgun event (``clicked`` or ``failed`` example, renamed to ``kind``)."""
    body = copy.deepcopy(_MAILGUN_CLICKED if kind == "clicked" else _MAILGUN_FAILED)
    data = body["event-data"]
    data["event"] = kind
    data.update(fields)
    if kind in {"complained", "unsubscribed", "delivered", "opened"}:
        data.pop("severity", None)
        data.pop("reason", None)
        data.pop("delivery-status", None)
    if token is not None:
        data["user-variables"]["leadflow"] = token
    mailgun_sign(body["signature"], now)
    return body


def mailgun_json(body: dict[str, Any]) -> tuple[Headers, bytes]:
    return {"Content-Type": "application/json"}, json.dumps(body).encode()


def reply_mime(
    ref: str | None = TOKEN, *, message_id: str = "<CAEPk3R+4Zr@mail.example.org>"
) -> bytes:
    """A person's answer to one of our emails, as raw RFC 5322 bytes."""
    message = EmailMessage()
    message["From"] = '"Alice" <alice@example.com>'
    message["To"] = "bob@sample.mailgun.com"
    message["Subject"] = "Re: Quick question"
    message["Date"] = "Wed, 11 Oct 2017 18:31:04 -0700"
    message["Message-ID"] = message_id
    if ref is not None:
        message["In-Reply-To"] = f"<{ref}@leadflow.invalid>"
        message["References"] = f"<older.thread@mail.example.org> <{ref}@leadflow.invalid>"
    message.set_content("Sounds good, let's talk on Tuesday.\n\n> Quick question ...\n")
    return message.as_bytes()


def mailgun_inbound(now: datetime, mime: bytes, key: str = MAILGUN_KEY) -> tuple[Headers, bytes]:
    """A signed inbound route post (``forward("https://.../mime")``), urlencoded."""
    block = {"token": "06c96bafc3f42a66b9edd546347a2fe18dc23461fe80dc52f0"}
    mailgun_sign(block, now, key)
    fields = {
        "recipient": "bob@sample.mailgun.com",
        "sender": "alice@example.com",
        "from": "Alice <alice@example.com>",
        "subject": "Re: Quick question",
        "body-mime": mime.decode(),
        **block,
    }
    return {"Content-Type": "application/x-www-form-urlencoded"}, urlencode(fields).encode()


# --- SendGrid -------------------------------------------------------------------------------

SENDGRID_EVENTS: dict[str, dict[str, Any]] = {
    "click": {
        "email": "example@test.com",
        "timestamp": 1513299569,
        "event": "click",
        "sg_event_id": "sg_event_id",
        "sg_message_id": "sg_message_id",
        "useragent": "Mozilla/4.0 (compatible; MSIE 6.1; Windows XP; .NET CLR 1.1.4322)",
        "ip": "255.255.255.255",
        "url": "http://www.sendgrid.com/",
        "category": "cat facts",
        "url_offset": {"index": 0, "type": "html"},
    },
    "bounce": {
        "email": "example@test.com",
        "timestamp": 1513299569,
        "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
        "event": "bounce",
        "bounce_classification": "Invalid Address",
        "category": "cat facts",
        "sg_event_id": "6g4ZI7SA-xmRDv57GoPIPw==",
        "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
        "reason": "500 unknown recipient",
        "status": "5.0.0",
        "type": "bounce",
    },
    "blocked": {
        "email": "example@test.com",
        "timestamp": 1513299569,
        "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
        "event": "bounce",
        "bounce_classification": "Technical",
        "category": "cat facts",
        "sg_event_id": "6g4ZI7SA-xmRDv57GoPIPw-blocked",
        "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
        "reason": "500 unknown recipient",
        "status": "5.0.0",
        "type": "blocked",
    },
    "dropped": {
        "email": "example@test.com",
        "timestamp": 1513299569,
        "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
        "event": "dropped",
        "category": "cat facts",
        "sg_event_id": "zmzJhfJgAfUSOW80yEbPyw==",
        "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
        "reason": "Bounced Address",
        "status": "5.0.0",
    },
    "spamreport": {
        "email": "example@test.com",
        "timestamp": 1513299569,
        "event": "spamreport",
        "sg_event_id": "37nvH5QBz858KGVYCM4uOA==",
        "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
    },
    "unsubscribe": {
        "email": "example@test.com",
        "timestamp": 1513299569,
        "event": "unsubscribe",
        "category": "cat facts",
        "sg_event_id": "zz_BjPgU_5pS-J8vlfB1sg==",
        "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
    },
    "group_unsubscribe": {
        "email": "example@test.com",
        "timestamp": 1513299569,
        "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
        "event": "group_unsubscribe",
        "category": "cat facts",
        "sg_event_id": "ahSCB7xYcXFb-hEaawsPRw==",
        "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
        "useragent": "Mozilla/4.0 (compatible; MSIE 6.1; Windows XP; .NET CLR 1.1.4322)",
        "ip": "255.255.255.255",
        "url": "http://www.sendgrid.com/",
        "asm_group_id": 10,
    },
    "delivered": {
        "email": "example@test.com",
        "timestamp": 1513299569,
        "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
        "event": "delivered",
        "category": "cat facts",
        "sg_event_id": "rWVYmVk90MjZJ9iohOBa3w==",
        "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
        "response": "250 OK",
    },
}


def sendgrid_event(name: str, *, token: str | None = TOKEN, **fields: Any) -> dict[str, Any]:
    """One documented SendGrid event, with ``custom_args={"leadflow": token}`` applied."""
    event = copy.deepcopy(SENDGRID_EVENTS[name])
    if token is not None:
        event["leadflow"] = token
    event.update(fields)
    return event


def sendgrid_signed(
    body: bytes, now: datetime, *, content_type: str = "application/json"
) -> tuple[Headers, bytes]:
    """Headers signing ``body`` as SendGrid does (ECDSA P-256, base64 DER, timestamp + body)."""
    timestamp = str(int(now.timestamp()))
    signature = SENDGRID_PRIVATE.sign(timestamp.encode() + body, ec.ECDSA(hashes.SHA256()))
    return {
        "Content-Type": content_type,
        "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
        "X-Twilio-Email-Event-Webhook-Timestamp": timestamp,
    }, body


def sendgrid_inbound_body(mime: bytes) -> tuple[str, bytes]:
    """An Inbound Parse post with "POST the raw, full MIME message": (content type, body)."""
    boundary = "xYzZY"
    fields = {
        "dkim": "{@example.com : pass}",
        "email": mime.decode(),
        "to": "bob@parse.example.com",
        "from": "Alice <alice@example.com>",
        "subject": "Re: Quick question",
        "sender_ip": "209.85.223.180",
        "envelope": '{"to":["bob@parse.example.com"],"from":"alice@example.com"}',
        "charsets": '{"to":"UTF-8","subject":"UTF-8","from":"UTF-8"}',
        "SPF": "pass",
    }
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    return f"multipart/form-data; boundary={boundary}", body


# --- Postmark -------------------------------------------------------------------------------

POSTMARK_RECORDS: dict[str, dict[str, Any]] = {
    "Click": {
        "RecordType": "Click",
        "MessageStream": "outbound",
        "ClickLocation": "HTML",
        "Client": {"Name": "Chrome 35.0.1916.153", "Company": "Google", "Family": "Chrome"},
        "OS": {"Name": "OS X 10.7 Lion", "Company": "Apple Computer, Inc.", "Family": "OS X 10"},
        "Platform": "Desktop",
        "UserAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_5) AppleWebKit/537.36",
        "OriginalLink": "https://example.com",
        "Geo": {
            "CountryISOCode": "RS",
            "Country": "Serbia",
            "RegionISOCode": "VO",
            "Region": "Autonomna Pokrajina Vojvodina",
            "City": "Novi Sad",
            "Zip": "21000",
            "Coords": "45.2517,19.8369",
            "IP": "188.2.95.4",
        },
        "MessageID": "00000000-0000-0000-0000-000000000000",
        "Metadata": {"a_key": "a_value", "b_key": "b_value"},
        "ReceivedAt": "2025-03-25T19:27:23Z",
        "Tag": "welcome-email",
        "Recipient": "john@example.com",
    },
    "HardBounce": {
        "RecordType": "Bounce",
        "MessageStream": "outbound",
        "ID": 4323372036854775807,
        "Type": "HardBounce",
        "TypeCode": 1,
        "Name": "Hard bounce",
        "Tag": "Test",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Metadata": {"a_key": "a_value", "b_key": "b_value"},
        "ServerID": 23,
        "Description": "The server was unable to deliver your message (ex: unknown user).",
        "Details": "Test bounce details",
        "Email": "john@example.com",
        "From": "sender@example.com",
        "BouncedAt": "2025-03-25T19:27:23Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Test subject",
        "Content": "Test content",
    },
    "SpamComplaint": {
        "RecordType": "SpamComplaint",
        "MessageStream": "outbound",
        "ID": 42,
        "Type": "SpamComplaint",
        "TypeCode": 512,
        "Name": "Spam complaint",
        "Tag": "Test",
        "MessageID": "00000000-0000-0000-0000-000000000000",
        "Metadata": {"a_key": "a_value", "b_key": "b_value"},
        "ServerID": 1234,
        "Description": "",
        "Details": "Test spam complaint details",
        "Email": "john@example.com",
        "From": "sender@example.com",
        "BouncedAt": "2025-03-25T19:27:23Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": False,
        "Subject": "Test subject",
        "Content": "<Abuse report dump>",
    },
    "SubscriptionChange": {
        "RecordType": "SubscriptionChange",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "ServerID": 123456,
        "MessageStream": "outbound",
        "ChangedAt": "2025-03-25T19:27:23Z",
        "Recipient": "bounced-address@wildbit.com",
        "Origin": "Recipient",
        "SuppressSending": True,
        "SuppressionReason": "ManualSuppression",
        "Tag": "my-tag",
        "Metadata": {"example": "value", "example_2": "value"},
    },
    "Delivery": {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "outbound",
        "MessageID": "00000000-0000-0000-0000-000000000000",
        "Recipient": "john@example.com",
        "Tag": "welcome-email",
        "DeliveredAt": "2025-03-25T19:27:23Z",
        "Details": "Test delivery webhook details",
        "Metadata": {"a_key": "a_value", "b_key": "b_value"},
    },
}


def postmark_record(name: str, *, token: str | None = TOKEN, **fields: Any) -> dict[str, Any]:
    """A documented Postmark record with ``Metadata.leadflow`` set to ``token``."""
    record = copy.deepcopy(POSTMARK_RECORDS[name])
    if token is not None:
        record.setdefault("Metadata", {})["leadflow"] = token
    record.update(fields)
    return record


def postmark_inbound(mime: bytes | None, *, ref: str | None = TOKEN) -> dict[str, Any]:
    """Postmark's Inbound example; ``RawEmail`` set when ``mime`` is given."""
    headers = [
        {"Name": "X-Spam-Checker-Version", "Value": "SpamAssassin 3.3.1 (2010-03-16)"},
        {"Name": "X-Spam-Status", "Value": "No"},
        {"Name": "X-Spam-Score", "Value": "-0.1"},
        {"Name": "MIME-Version", "Value": "1.0"},
        {"Name": "Message-ID", "Value": "<CAEPk3R+4Zr@mail.example.org>"},
    ]
    if ref is not None:
        headers.append({"Name": "In-Reply-To", "Value": f"<{ref}@leadflow.invalid>"})
    record: dict[str, Any] = {
        "FromName": "Postmarkapp Support",
        "MessageStream": "inbound",
        "From": "support@postmarkapp.com",
        "FromFull": {"Email": "support@postmarkapp.com", "Name": "Postmarkapp Support"},
        "To": '"Firstname Lastname" <yourhash+SampleHash@inbound.postmarkapp.com>',
        "ToFull": [
            {
                "Email": "yourhash+SampleHash@inbound.postmarkapp.com",
                "Name": "Firstname Lastname",
                "MailboxHash": "SampleHash",
            }
        ],
        "Cc": "",
        "CcFull": [],
        "Bcc": "",
        "BccFull": [],
        "OriginalRecipient": "yourhash+SampleHash@inbound.postmarkapp.com",
        "Subject": "Re: Quick question",
        "MessageID": "73e6d360-66eb-11e1-8e72-a8904824019b",
        "ReplyTo": "replyto@example.com",
        "MailboxHash": "SampleHash",
        "Date": "Fri, 1 Aug 2014 16:45:32 -04:00",
        "TextBody": "This is a test text body.",
        "HtmlBody": "<html><body><p>This is a test html body.</p></body></html>",
        "StrippedTextReply": "This is the reply text",
        "Tag": "TestTag",
        "Headers": headers,
        "Attachments": [],
    }
    if mime is not None:
        record["RawEmail"] = mime.decode()
    return record


def postmark_auth(user: str = POSTMARK_USER, password: str = POSTMARK_PASSWORD) -> Headers:
    basic = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Content-Type": "application/json", "Authorization": f"Basic {basic}"}


# --- Calendly -------------------------------------------------------------------------------


def calendly_event(name: str = "invitee.created", *, token: str | None = TOKEN) -> dict[str, Any]:
    """Calendly's ``invitee.created`` example (or ``invitee.canceled``), ``utm_content`` set."""
    canceled = name == "invitee.canceled"
    return {
        "created_at": "2020-11-23T17:51:19.000000Z",
        "created_by": "https://api.calendly.com/users/AAAAAAAAAAAAAAAA",
        "event": name,
        "payload": {
            "cancel_url": "https://calendly.com/cancellations/AAAAAAAAAAAAAAAA",
            "created_at": "2020-11-23T17:51:18.327602Z",
            "email": "test@example.com",
            "event": "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2",
            "first_name": "John",
            "last_name": "Doe",
            "name": "John Doe",
            "new_invitee": None,
            "old_invitee": None,
            "questions_and_answers": [],
            "reschedule_url": "https://calendly.com/reschedulings/AAAAAAAAAAAAAAAA",
            "rescheduled": False,
            "status": "canceled" if canceled else "active",
            "text_reminder_number": None,
            "timezone": "America/New_York",
            "tracking": {
                "utm_campaign": None,
                "utm_source": None,
                "utm_medium": None,
                "utm_content": token,
                "utm_term": None,
                "salesforce_uuid": None,
            },
            "updated_at": "2020-11-23T17:51:18.341657Z",
            "uri": "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/AAAAAAAAAAAAAAAA",
            "scheduled_event": {
                "uri": "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2",
                "name": "15 Minute Meeting",
                "status": "canceled" if canceled else "active",
                "start_time": "2019-08-24T14:15:22.123456Z",
                "end_time": "2019-08-24T14:30:22.123456Z",
                "event_type": "https://api.calendly.com/event_types/GBGBDCAADAEDCRZ2",
                "location": {"type": "physical", "location": "Calendly Office"},
                "invitees_counter": {"total": 1, "active": 1, "limit": 1},
                "created_at": "2019-01-02T03:04:05.092125Z",
                "updated_at": "2019-01-02T03:04:05.092125Z",
                "event_memberships": [{"user": "https://api.calendly.com/users/GBGBDCAADAEDCRZ2"}],
                "event_guests": [],
            },
            "no_show": None,
            "reconfirmation": None,
            "routing_form_submission": None,
        },
    }


def calendly_signed(body: bytes, now: datetime, key: str = CALENDLY_KEY) -> tuple[Headers, bytes]:
    t = str(int(now.timestamp()))
    v1 = hmac.new(key.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/json",
        "Calendly-Webhook-Signature": f"t={t},v1={v1}",
    }, body


# --- Cal.com --------------------------------------------------------------------------------


def calcom_event(trigger: str = "BOOKING_CREATED", *, token: str | None = TOKEN) -> dict[str, Any]:
    """Cal.com's ``BOOKING_CREATED`` example (trigger renamed), ``metadata.leadflow`` set."""
    metadata: dict[str, Any] = {"videoCallUrl": "https://app.cal.com/video/bFJeNb2uX8ANpT3JL5EfXw"}
    if token is not None:
        metadata["leadflow"] = token
    return {
        "triggerEvent": trigger,
        "createdAt": "2023-05-24T09:30:00.538Z",
        "payload": {
            "type": "60min",
            "title": "60min between Pro Example and John Doe",
            "description": "",
            "additionalNotes": "",
            "customInputs": {},
            "startTime": "2023-05-25T09:30:00Z",
            "endTime": "2023-05-25T10:30:00Z",
            "organizer": {
                "id": 5,
                "name": "Pro Example",
                "email": "pro@example.com",
                "username": "pro",
                "timeZone": "Asia/Kolkata",
                "language": {"locale": "en"},
                "timeFormat": "h:mma",
            },
            "responses": {
                "name": {"label": "your_name", "value": "John Doe"},
                "email": {"label": "email_address", "value": "john.doe@example.com"},
            },
            "userFieldsResponses": {},
            "attendees": [
                {
                    "email": "john.doe@example.com",
                    "name": "John Doe",
                    "timeZone": "Asia/Kolkata",
                    "language": {"locale": "en"},
                }
            ],
            "location": "Cal Video",
            "hideCalendarNotes": False,
            "requiresConfirmation": None,
            "eventTypeId": 7,
            "seatsShowAttendees": True,
            "seatsPerTimeSlot": None,
            "uid": "bFJeNb2uX8ANpT3JL5EfXw",
            "eventTitle": "60min",
            "eventDescription": None,
            "price": 0,
            "currency": "usd",
            "length": 60,
            "bookingId": 91,
            "metadata": metadata,
            "status": "CANCELLED" if trigger == "BOOKING_CANCELLED" else "ACCEPTED",
        },
    }


def calcom_signed(body: bytes, secret: str = CALCOM_SECRET) -> tuple[Headers, bytes]:
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Cal-Signature-256": signature}, body
