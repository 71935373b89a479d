"""No personal data in any log line: every worker and the CLI, driven with marked fields.

Each *driver* feeds one part of the fleet with events or commands whose personal fields (reply
text, subjects, headers, addresses, URLs, user agents, IPs, tracking tokens, free-text reasons)
each hold a unique marker, plus bad input carrying markers too, and waits until the fleet has
processed them (a CommandResult, a DLQ record). The fleet runs as ``leadflow run all`` at
``debug`` level; afterwards every line it wrote, and everything the CLI wrote on stderr, is
scanned: no marker may appear. To cover a new part (the gateway), add a driver to ``DRIVERS``.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.integration.helpers import TopicReader, eventually, publish
from tests.integration.security.processes import SecureFleetProcess, leadflow
from tests.integration.sequencer_helpers import campaign
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


#: Every part of the fleet that takes personal data. The gateway adds its driver here.
DRIVERS: tuple[Driver, ...] = (
    drive_replies,
    drive_clicks,
    drive_bookings,
    drive_bad_input,
    drive_cli,
)


class TestNoPersonalDataInLogs:
    """Markers in every personal field never reach a log line, at any level."""

    async def test_every_driver(self, settings: Settings, tmp_path: Path) -> None:
        """The fleet processed every driver's input and logged none of its markers."""
        run = Run(settings, Topics(settings.topic_prefix))
        fleet = SecureFleetProcess(settings, ["all"], tmp_path, "fleet", log_level="debug")
        fleet.start()
        try:
            doc = json.dumps(campaign(CAMPAIGN_ID, delays=["PT0S", "PT1H"]))
            assert 0 == await run.cli("campaign", "put", "-", stdin=doc)
            for lead in ("l-r", "l-c", "l-b"):
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
