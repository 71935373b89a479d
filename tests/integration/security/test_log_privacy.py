"""No personal data in any log line: every worker and the CLI, driven with marked fields.

Each *driver* feeds one part of the fleet with events or commands whose personal fields (reply
text, subjects, headers, addresses, URLs, user agents, IPs, tracking tokens, free-text reasons)
each hold a unique marker, plus bad input carrying markers too, and waits until the fleet has
processed them (a CommandResult, a DLQ record). The fleet runs as ``leadflow run all`` at
``debug`` level; afterwards every line it wrote, and everything the CLI wrote on stderr, is
scanned: no marker may appear. To cover a new part, add a driver to ``DRIVERS``.

The gateway (part of ``run all``) is driven over real HTTP, with markers in its bodies, in the
request line and in the request headers, so an access log would be caught as well; its access
log is also checked on its own, at debug level, in ``TestGatewayAccessLog``.
"""

from __future__ import annotations

import base64
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from tests.integration.gateway_helpers import configured, running_gateway, secrets
from tests.integration.helpers import TopicReader, eventually, publish
from tests.integration.security.processes import SecureFleetProcess, leadflow
from tests.integration.sequencer_helpers import campaign
from tests.unit.gateway.payloads import (
    MAILGUN_KEY,
    mailgun_event,
    mailgun_sign,
    postmark_auth,
    postmark_inbound,
)
from workers.settings import Settings
from workers.topics import Topics

pytestmark = pytest.mark.integration

CAMPAIGN_ID = "c-priv"


@dataclass
class Run:
    """What the drivers share: settings, topics, planted markers, awaited results."""

    settings: Settings
    topics: Topics
    #: Every marker planted, by the field that carried it.
    markers: dict[str, str] = field(default_factory=dict)
    #: Command ids whose CommandResult proves the fleet processed a driver's input.
    awaited_results: list[str] = field(default_factory=list)
    #: How many DLQ records the drivers' bad input must produce.
    awaited_dead_letters: int = 0
    #: stderr of every CLI run.
    cli_stderr: list[str] = field(default_factory=list)
    #: The fleet's log file (where the gateway says which port it listens on).
    fleet_log: Path | None = None

    def mark(self, name: str) -> str:
        """A fresh marker for the field ``name`` (letters only: no tokenizer splits it)."""
        value = f"PII{name.replace('_', '').upper()}{uuid.uuid4().hex[:12]}"
        self.markers[name] = value
        return value

    async def cli(self, *argv: str, stdin: str | None = None) -> int:
        done = await leadflow(self.settings, *argv, stdin=stdin, timeout_s=120)
        self.cli_stderr.append(done.stderr)
        return done.returncode


Driver = Callable[[Run], Awaitable[None]]


def _event(run: Run, event_id: str, lead: str) -> dict[str, object]:
    return {
        "event_id": event_id,
        "campaign_id": CAMPAIGN_ID,
        "lead_id": lead,
        "occurred_at": datetime.now(UTC).isoformat(),
    }


async def drive_replies(run: Run) -> None:
    """A reply with marked subject, body, headers, Message-ID and raw message."""
    address = f"{run.mark('email')}@example.com"
    raw = (
        f"From: Someone <{address}>\r\nTo: sales@example.com\r\n"
        f"Subject: Re: {run.mark('raw_subject')}\r\nMessage-ID: <{run.mark('raw_msgid')}@x>\r\n"
        f"Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n\r\n{run.mark('raw_body')} thanks\r\n"
    )
    reply = {
        **_event(run, "r-priv", "l-r"),
        "subject": f"Re: {run.mark('subject')}",
        "body_text": f"{run.mark('body_text')} sounds good",
        "headers": {"X-Custom": run.mark("header_value"), "From": address},
        "message_id": f"<{run.mark('message_id')}@mail>",
        "raw_message": base64.b64encode(raw.encode()).decode(),
        "tracking_token": run.mark("reply_token"),
    }
    await publish(run.settings, run.topics.replies, [(f"{CAMPAIGN_ID}:l-r", reply)])
    run.awaited_results.append("reply-r-priv")


async def drive_clicks(run: Run) -> None:
    """A click with marked URL, user agent, IP and tracking token."""
    click = {
        **_event(run, "k-priv", "l-c"),
        "url": f"https://example.com/{run.mark('url')}?email={run.markers['email']}",
        "user_agent": f"Mozilla/5.0 {run.mark('user_agent')}",
        "ip": "198.51.100.213",
        "tracking_token": run.mark("click_token"),
    }
    run.markers["ip"] = "198.51.100.213"
    # not keyed by lead: the click also takes the clicks worker's repartition hop
    await publish(run.settings, run.topics.clicks, [("k-priv", click)])
    run.awaited_results.append("click-k-priv")


async def drive_bookings(run: Run) -> None:
    """A booking with a marked tracking token."""
    booking = {**_event(run, "b-priv", "l-b"), "tracking_token": run.mark("booking_token")}
    await publish(run.settings, run.topics.bookings, [(f"{CAMPAIGN_ID}:l-b", booking)])
    run.awaited_results.append("booking-b-priv")


async def drive_bad_input(run: Run) -> None:
    """Records that break the contract, full of markers, on every input topic."""
    not_json = f"{{{run.mark('broken_json')}".encode()
    wrong_type = {**_event(run, "r-bad", "l-r"), "body_text": 7, "subject": run.mark("bad_subj")}
    bad_click = {**_event(run, "k-bad", "l-c"), "url": None, "ip": run.mark("bad_ip")}
    bad_command = {
        "command_id": "cmd-priv-bad",
        "action": "pause",
        "reason": run.mark("bad_reason"),
    }
    await publish(run.settings, run.topics.replies, [(None, not_json), (None, wrong_type)])
    await publish(run.settings, run.topics.clicks, [(None, bad_click)])
    await publish(run.settings, run.topics.commands, [(f"{CAMPAIGN_ID}:l-r", bad_command)])
    run.awaited_dead_letters += 4


async def drive_cli(run: Run) -> None:
    """Manual commands with a marked reason and actor."""
    code = await run.cli(
        "lead", "pause", CAMPAIGN_ID, "l-b", "--reason", run.mark("reason"),
        "--actor", run.mark("actor"), "--timeout", "90",
    )  # fmt: skip
    assert code in (0, 1)


#: The gateway's lead: enrolled like the others, so that its reply reaches the sequencer.
GATEWAY_LEAD = "l-g"
#: The event id of the reply posted on the bearer route.
GATEWAY_REPLY = "g-priv"
#: How long the gateway may answer 503 while its producer connects.
GATEWAY_READY_S = 60.0


def gateway_env(run: Run) -> dict[str, str]:
    """The fleet's gateway secrets: a marked bearer token, the provider test secrets (each
    also a marker: a secret is personal data for this test's purpose)."""
    env = {
        f"LEADFLOW_{name.upper()}": value.get_secret_value() for name, value in secrets().items()
    }
    env["LEADFLOW_GATEWAY_TOKENS"] = run.mark("bearer_token")
    for name in ("mailgun_signing_key", "postmark_webhook_password", "calcom_secret"):
        run.markers[f"secret_{name}"] = env[f"LEADFLOW_{name.upper()}"]
    return env


async def drive_gateway(run: Run) -> None:
    """Every kind of gateway request, each acknowledged: a bearer reply event, a signed Mailgun
    click and Postmark inbound mail, a forged signature, a wrong bearer token and bodies that
    cannot be read; markers in bodies, request line and request headers."""
    url = await _gateway_url(run)
    # what an access log would print: the request line and the client's headers
    client_headers = {
        "User-Agent": f"curl/8 {run.mark('http_user_agent')}",
        "Referer": f"https://example.com/{run.mark('http_referer')}",
        "X-Forwarded-For": "192.0.2.145",
    }
    run.markers["http_forwarded_ip"] = "192.0.2.145"
    query = f"?email={run.mark('http_query')}"
    requests = _gateway_requests(run)
    async with aiohttp.ClientSession(headers=client_headers) as session:
        answered = [
            (path, await _post_acknowledged(session, url + path + query, headers, body))
            for path, headers, body, _ in requests
        ]
    assert [(path, expected) for path, _, _, expected in requests] == answered
    run.awaited_results.append(f"reply-{GATEWAY_REPLY}")
    # the click and the inbound mail name no send of ours: the ingest workers dead-letter them
    run.awaited_dead_letters += 2


GatewayRequest = tuple[str, dict[str, str], bytes, int]


def _gateway_requests(run: Run) -> list[GatewayRequest]:
    """(path, headers, body, expected status) of each request ``drive_gateway`` makes."""
    bearer = {
        "Authorization": f"Bearer {run.markers['bearer_token']}",
        "Content-Type": "application/json",
    }
    forged_bearer = {**bearer, "Authorization": f"Bearer {run.mark('forged_bearer')}"}
    broken_json = f'{{"subject": "{run.mark("gw_broken_json")}"'.encode()
    invalid_item = {**_event(run, "g-bad", GATEWAY_LEAD), "body_text": 7}
    invalid_item["subject"] = run.mark("gw_bad_subject")
    return [
        ("/v1/events/replies", bearer, _dumps(_bearer_reply(run)), 200),
        ("/v1/webhooks/mailgun", _JSON, _dumps(_mailgun_click(run, MAILGUN_KEY)), 200),
        ("/v1/webhooks/postmark", postmark_auth(), _dumps(_postmark_inbound(run)), 200),
        ("/v1/webhooks/mailgun", _JSON, _dumps(_mailgun_click(run, "not-our-key")), 401),
        ("/v1/events/replies", forged_bearer, _dumps(_bearer_reply(run)), 401),
        ("/v1/webhooks/postmark", postmark_auth(), broken_json, 400),
        ("/v1/events/replies", bearer, broken_json, 400),
        ("/v1/events/replies", bearer, _dumps(invalid_item), 400),
    ]


_JSON = {"Content-Type": "application/json"}


def _dumps(value: object) -> bytes:
    return json.dumps(value).encode()


def _bearer_reply(run: Run) -> dict[str, object]:
    """A leadflow reply event as the platform would post it, marked like ``drive_replies``'."""
    address = f"{run.mark('gw_email')}@example.com"
    raw = (
        f"From: <{address}>\r\nSubject: Re: {run.mark('gw_raw_subject')}\r\n\r\n"
        f"{run.mark('gw_raw_body')} thanks\r\n"
    )
    return {
        **_event(run, GATEWAY_REPLY, GATEWAY_LEAD),
        "subject": f"Re: {run.mark('gw_subject')}",
        "body_text": f"{run.mark('gw_body_text')} sounds good",
        "headers": {"From": address, "X-Custom": run.mark("gw_header_value")},
        "message_id": f"<{run.mark('gw_message_id')}@mail>",
        "raw_message": base64.b64encode(raw.encode()).decode(),
        "tracking_token": run.mark("gw_reply_token"),
    }


def _mailgun_click(run: Run, key: str) -> dict[str, object]:
    """Mailgun's ``clicked`` webhook, signed with ``key``, every personal field marked."""
    now = datetime.now(UTC)
    client = {"client-name": "Chrome", "user-agent": f"Mozilla/5.0 {run.mark('mg_user_agent')}"}
    body = mailgun_event(
        "clicked",
        now,
        token=run.mark("mg_token"),  # token-shaped: published, then refused by the clicks worker
        url=f"https://example.com/{run.mark('mg_url')}",
        ip="203.0.113.77",
        recipient=f"{run.mark('mg_recipient')}@example.com",
        **{"client-info": client},
    )
    run.markers["mg_ip"] = "203.0.113.77"
    body["signature"]["token"] = run.mark("mg_signature_token")
    mailgun_sign(body["signature"], now, key)
    return body


def _postmark_inbound(run: Run) -> dict[str, object]:
    """Postmark's Inbound webhook (no raw email: rebuilt from its fields), every field marked."""
    record = postmark_inbound(None, ref=run.mark("pm_ref"))  # answers a token: published
    sender = f"{run.mark('pm_from')}@example.com"
    record |= {
        "From": sender,
        "FromName": run.mark("pm_from_name"),
        "FromFull": {"Email": sender, "Name": run.markers["pm_from_name"]},
        "To": f"{run.mark('pm_to')}@inbound.example.com",
        "Subject": f"Re: {run.mark('pm_subject')}",
        "TextBody": f"{run.mark('pm_text')} works for me",
        "HtmlBody": f"<p>{run.mark('pm_html')}</p>",
        "StrippedTextReply": run.mark("pm_stripped"),
        "ReplyTo": f"{run.mark('pm_reply_to')}@example.com",
    }
    return record


async def _gateway_url(run: Run) -> str:
    """The gateway's address, from its "gateway listening" line (it listens on port 0)."""
    assert run.fleet_log is not None
    log_path = run.fleet_log

    async def port() -> int | None:
        for line in log_path.read_text(errors="replace").splitlines():
            if '"gateway listening"' in line:
                return int(json.loads(line)["port"])
        return None

    return f"http://127.0.0.1:{await eventually(port, timeout_s=GATEWAY_READY_S)}"


async def _post_acknowledged(
    session: aiohttp.ClientSession, url: str, headers: dict[str, str], body: bytes
) -> int:
    """POST until the answer is not 503 (the gateway's producer still connecting); its status."""

    async def answered() -> int | None:
        async with session.post(url, data=body, headers=headers) as reply:
            await reply.read()
            return None if reply.status == 503 else reply.status

    return await eventually(answered, timeout_s=GATEWAY_READY_S, every_s=0.2)


#: Every part of the fleet that takes personal data.
DRIVERS: tuple[Driver, ...] = (
    drive_replies,
    drive_clicks,
    drive_bookings,
    drive_bad_input,
    drive_cli,
    drive_gateway,
)


class TestNoPersonalDataInLogs:
    """Markers in every personal field never reach a log line, at any level."""

    async def test_every_driver(
        self, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The fleet processed every driver's input and logged none of its markers."""
        fleet = SecureFleetProcess(settings, ["all"], tmp_path, "fleet", log_level="debug")
        run = Run(settings, Topics(settings.topic_prefix), fleet_log=fleet.log_path)
        for name, value in gateway_env(run).items():  # the fleet's environment is this one's
            monkeypatch.setenv(name, value)
        fleet.start()
        try:
            doc = json.dumps(campaign(CAMPAIGN_ID, delays=["PT0S", "PT1H"]))
            assert 0 == await run.cli("campaign", "put", "-", stdin=doc)
            for lead in ("l-r", "l-c", "l-b", GATEWAY_LEAD):
                assert 0 == await run.cli("lead", "enroll", CAMPAIGN_ID, lead, "--timeout", "90")
            for drive in DRIVERS:
                await drive(run)
            await _processed(run)
        finally:
            fleet.stop()
        lines = fleet.log_path.read_text().splitlines()
        assert any('"level": "debug"' in line for line in lines)  # the scan saw every level
        leaks = _leaks(run.markers, [*lines, *run.cli_stderr])
        assert {} == leaks


class TestGatewayAccessLog:
    """The gateway writes no access log: aiohttp's would print the client's IP, request line,
    Referer and User-Agent."""

    async def test_no_access_log_at_any_level(
        self, kafka_bootstrap: str, prefix: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        """With every stdlib logger at debug, a request leaves no aiohttp.access record and
        no record holding its path, query, Referer or User-Agent."""
        settings = configured(
            kafka_bootstrap_servers=kafka_bootstrap, topic_prefix=prefix, gateway_port=0
        )
        marker = f"PIIACCESS{uuid.uuid4().hex[:12]}"
        caplog.set_level(logging.DEBUG)
        async with running_gateway(settings) as gateway:
            headers = {"User-Agent": marker, "Referer": f"https://example.com/{marker}"}
            url = f"{gateway.url}/v1/webhooks/{marker}?email={marker}"
            async with gateway.session.post(url, data=b"{}", headers=headers) as reply:
                assert 404 == reply.status
        assert [] == [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
        assert [] == [r.getMessage() for r in caplog.records if marker in r.getMessage()]


async def _processed(run: Run) -> None:
    """Wait for the drivers' CommandResults and dead letters."""
    async with TopicReader(run.settings, run.topics.command_results) as results:

        async def all_results() -> bool:
            await results.poll()
            seen = {v["command_id"] for v in results.values()}
            return seen.issuperset(run.awaited_results)

        await eventually(all_results, timeout_s=90)
    async with TopicReader(run.settings, run.topics.dlq) as dlq:  # raw bad input: not JSON

        async def all_dead_letters() -> bool:
            return len(await dlq.poll()) >= run.awaited_dead_letters

        await eventually(all_dead_letters, timeout_s=90)


def _leaks(markers: dict[str, str], lines: list[str]) -> dict[str, list[str]]:
    """Each field whose marker appears, with the first lines that hold it."""
    found: dict[str, list[str]] = {}
    for name, marker in markers.items():
        hits = [line[:300] for line in lines if marker in line]
        if hits:
            found[name] = hits[:3]
    return found
