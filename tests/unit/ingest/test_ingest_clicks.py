"""The clicks worker's pure steps and its data loader, without a broker."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from schemas import Action, Automation, AutomationAction, CampaignSettings
from tests.unit.core.core_factories import T0, settings
from workers.core.hold import Released
from workers.core.scanner import EvidenceKind
from workers.health import Health
from workers.ingest.batch import DeadLetter
from workers.ingest.clicks import clicks_factory
from workers.ingest.clicks_batch import (
    Forward,
    Pending,
    command_for,
    read_forwarded,
    route_record,
    sends_wanted,
    to_hold,
)
from workers.ingest.sent_at import NoSentAt, SendLogSentAt, send_id
from workers.metrics import Metrics
from workers.protocol import WorkerContext
from workers.scanner_data import load_known_scanners
from workers.settings import Settings

CAMPAIGN = settings(automation=Automation(link_click=AutomationAction.PAUSE))
KNOWN = load_known_scanners()


@dataclass(frozen=True)
class FakeRecord:
    """A consumed record with only what the worker reads."""

    value: bytes | None
    offset: int = 4
    partition: int = 2
    topic: str = "events.clicks"
    key: bytes | None = b"anything"


def lookup(campaign_id: str) -> CampaignSettings | None:
    """Only campaign c-42 is known."""
    return CAMPAIGN if campaign_id == "c-42" else None


def click(**overrides: Any) -> bytes:
    """A click of lead l-7 in campaign c-42, as bytes."""
    doc: dict[str, Any] = {
        "event_id": "k-1",
        "campaign_id": "c-42",
        "lead_id": "l-7",
        "occurred_at": "2026-06-01T10:00:00Z",
        "url": "https://x.test/a",
        **overrides,
    }
    return json.dumps(doc).encode()


def pending(**overrides: Any) -> Pending:
    """A click read back from the internal topic."""
    read = read_forwarded(FakeRecord(click(**overrides)), lookup)
    assert isinstance(read, Pending)
    return read


class TestRoute:
    """route_record: a valid click is re-keyed by its lead, bytes unchanged; bad input is not."""

    def test_rekeyed_by_lead(self) -> None:
        """Whatever the upstream key, the forward is keyed by the lead key."""
        record = FakeRecord(click())
        routed = route_record(record, lookup)
        assert isinstance(routed, Forward)
        assert (b"c-42:l-7", click(), record) == (routed.key, routed.value, routed.record)
        assert ("k-1", CAMPAIGN) == (routed.pending().event.event_id, routed.pending().settings)

    @pytest.mark.parametrize(
        ("value", "reason"),
        [
            (None, "invalid ClickEvent: the value is null"),
            (b"[]", "invalid ClickEvent: message: not a JSON object"),
            (click(campaign_id="c-404"), "unknown campaign c-404"),
        ],
    )
    def test_bad_input(self, value: bytes | None, reason: str) -> None:
        """Bad input goes to the DLQ with its reason."""
        routed = route_record(FakeRecord(value), lookup)
        assert isinstance(routed, DeadLetter)
        assert reason == routed.reason

    def test_token_only_click_is_not_resolved_yet(self) -> None:
        """A click naming only a tracking token is refused until tokens are resolved."""
        value = json.dumps(
            {
                "event_id": "k-1",
                "occurred_at": "2026-06-01T10:00:00Z",
                "url": "https://x.test",
                "tracking_token": "1" + "A" * 32,
            }
        ).encode()
        routed = route_record(FakeRecord(value), lookup)
        assert isinstance(routed, DeadLetter)
        assert "names no lead" in routed.reason


class TestReadForwarded:
    """read_forwarded: the click with its campaign's settings."""

    def test_campaign_deleted_meanwhile(self) -> None:
        """A campaign gone since the click was routed sends it to the DLQ."""
        read = read_forwarded(FakeRecord(click(campaign_id="c-9")), lookup)
        assert isinstance(read, DeadLetter)
        assert "unknown campaign c-9 (deleted meanwhile)" == read.reason

    def test_bad_value(self) -> None:
        """A value that is not a click goes to the DLQ."""
        assert isinstance(read_forwarded(FakeRecord(b"{"), lookup), DeadLetter)


class TestSendTimes:
    """Which clicks need the send's request time, and how it is used."""

    def test_only_steps_without_sent_at(self) -> None:
        """A click with its own sent_at, or without a step, needs no lookup."""
        clicks = [pending(step=2), pending(step=3, sent_at="2026-06-01T09:00:00Z"), pending()]
        assert {("c-42", "l-7", 2)} == sends_wanted(clicks)
        assert "c-42:l-7:2" == send_id(("c-42", "l-7", 2))

    def test_request_time_times_the_click(self) -> None:
        """The step's requested_at 12 s before the click makes it a scanner's."""
        held = to_hold(pending(step=2), KNOWN, {("c-42", "l-7", 2): T0 - timedelta(seconds=12)})
        assert ["12 s after sending"] == [e.text for e in held.evidence]
        assert (("c-42", "l-7"), "step:2", ("events.clicks", 2), 4) == (
            held.lead,
            held.email,
            held.partition,
            held.offset,
        )

    def test_unknown_send_gives_no_timing(self) -> None:
        """No request time known: the timing rule does not apply."""
        assert () == to_hold(pending(step=2), KNOWN, {}).evidence

    async def test_unreachable_database_answers_nothing(self) -> None:
        """A database that refuses connections gives no send times, and is left alone a while."""
        lookup_ = SendLogSentAt("postgresql://nobody@127.0.0.1:1/none")
        assert {} == await lookup_.lookup({("c-42", "l-7", 1)})
        assert {} == await lookup_.lookup({("c-42", "l-7", 2)})  # not tried again yet
        await lookup_.close()

    async def test_null_lookup_knows_nothing(self) -> None:
        """NoSentAt answers nothing."""
        lookup_ = NoSentAt()
        assert {} == await lookup_.lookup({("c-42", "l-7", 1)})
        await lookup_.close()


class TestCommandFor:
    """command_for: a settled click becomes its LeadCommand, keyed by the lead."""

    def test_scanner_click_continues(self) -> None:
        """A HEAD click continues, saying why; its command id is click-{event_id}."""
        held = to_hold(pending(method="HEAD"), KNOWN, {})
        command = command_for(Released(held, held.evidence, 1.0, 1.0))
        assert b"c-42:l-7" == command.key
        assert ("click-k-1", Action.CONTINUE, "scanner click (HEAD request): continue") == (
            command.command.command_id,
            command.command.action,
            command.command.reason,
        )
        assert EvidenceKind.METHOD == held.evidence[0].kind

    def test_person_click_follows_the_rule(self) -> None:
        """A lone person's click pauses under a pause rule."""
        held = to_hold(pending(user_agent="Mozilla/5.0 Firefox/128.0"), KNOWN, {})
        assert Action.PAUSE == command_for(Released(held, (), 1.0, 6.0)).command.action


class TestLoadKnownScanners:
    """load_known_scanners(file): the shipped data plus the operator's."""

    def test_operator_file_adds_networks(self, tmp_path: Path) -> None:
        """A network in the operator's file is known, beside the shipped ones."""
        extra = tmp_path / "ours.toml"
        extra.write_text(
            '[[network]]\ncidr = "198.51.100.0/24"\nowner = "Cisco mail-protection network"\n'
            'source = "our Cisco welcome email"\n'
        )
        known = load_known_scanners(str(extra))
        found = known.networks.lookup("198.51.100.7")
        assert "Cisco mail-protection network" == (found.owner if found else None)
        assert known.networks.lookup("40.92.0.1") is not None

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (None, "cannot read"),
            ("[[network]\n", "is not TOML"),
            ('[[network]]\ncidr = "x"\nowner = "o"\nsource = "s"\n', "scanner data: network x"),
        ],
    )
    def test_bad_operator_file(self, tmp_path: Path, content: str | None, message: str) -> None:
        """A missing, unreadable or invalid file stops the worker with a one-line reason."""
        extra = tmp_path / "ours.toml"
        if content is not None:
            extra.write_text(content)
        with pytest.raises(ValueError, match=message):
            load_known_scanners(str(extra))


class TestClicksFactory:
    """clicks_factory reads send times from the database only when one is configured."""

    @pytest.mark.parametrize(
        ("fields", "expected"),
        [({}, NoSentAt), ({"database_url": "postgresql://db/leadflow"}, SendLogSentAt)],
    )
    def test_send_times_source(
        self, fields: dict[str, Any], expected: type, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without LEADFLOW_DATABASE_URL, only the events' own sent_at times a click."""
        monkeypatch.delenv("LEADFLOW_DATABASE_URL", raising=False)
        context = WorkerContext(
            settings=Settings(**fields),
            metrics=Metrics(CollectorRegistry()),
            health=Health("clicks"),
        )
        assert isinstance(clicks_factory(context).sent_at, expected)
