"""Scanner clicks: every rule but the burst rule, the known-scanner tables and the click rule."""

from __future__ import annotations

import ipaddress
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas import Action, Automation, AutomationAction, ClickEvent, ScannerClicks, Trigger
from tests.unit.core.core_factories import T0, settings
from workers.core import decide
from workers.core.scanner import (
    AgentPattern,
    AgentTable,
    BadScannerData,
    Evidence,
    EvidenceKind,
    KnownScanners,
    Network,
    NetworkTable,
    Verdict,
    classify,
    known_scanners,
    reason_of,
    seconds,
    verdict_of,
)

DATA = Path(__file__).resolve().parents[3] / "workers" / "core" / "data" / "scanners.toml"
SHIPPED = known_scanners([tomllib.loads(DATA.read_text())])
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


def click(**fields: Any) -> ClickEvent:
    """A click by lead l-7 of campaign c-42, from a person's browser unless told otherwise."""
    doc: dict[str, Any] = {
        "event_id": "k-1",
        "campaign_id": "c-42",
        "lead_id": "l-7",
        "occurred_at": T0,
        "url": "https://x.test/a",
        "user_agent": BROWSER,
        "ip": "203.0.113.9",
        **fields,
    }
    return ClickEvent.model_validate(doc)


def texts(evidence: tuple[Evidence, ...]) -> list[str]:
    """The evidence's words."""
    return [e.text for e in evidence]


class TestClassify:
    """classify(click, known, sent_at) -> the evidence of every rule but the burst rule."""

    def test_person(self) -> None:
        """A browser's GET from an ordinary network, long after sending, has no evidence."""
        assert () == classify(click(), SHIPPED, T0 - timedelta(hours=2))

    @pytest.mark.parametrize(
        ("fields", "expected"),
        [
            ({"method": "HEAD"}, ["HEAD request"]),
            ({"method": "options"}, ["OPTIONS request"]),
            ({"method": "POST"}, []),
            ({"honeypot": True}, ["honeypot link"]),
            ({"bot_hint": "generic"}, ["provider flag: generic"]),
            ({"bot_hint": True}, ["provider flag: true"]),
            ({"ip": "40.92.3.4"}, ["Microsoft mail-protection network 40.92.0.0/15"]),
            ({"ip": "40.93.255.255"}, ["Microsoft mail-protection network 40.92.0.0/15"]),
            ({"ip": "40.94.0.0"}, []),
            ({"ip": "104.47.127.1"}, ["Microsoft mail-protection network 104.47.0.0/17"]),
            ({"ip": "2a01:111:f400::1"}, ["Microsoft mail-protection network 2a01:111:f400::/48"]),
            ({"ip": "::ffff:52.101.0.1"}, ["Microsoft mail-protection network 52.100.0.0/14"]),
            ({"ip": "205.139.110.7"}, ["Mimecast mail-protection network 205.139.110.0/24"]),
            ({"ip": "not an address"}, []),
            ({"ip": "2a01:111:f400::zz"}, []),
            ({"ip": None}, []),
            ({"user_agent": ""}, ["empty user agent"]),
            ({"user_agent": "   "}, ["empty user agent"]),
            ({"user_agent": None}, []),
            (
                {"user_agent": "python-requests/2.32.3"},
                ["HTTP library user agent (python-requests)"],
            ),
            ({"user_agent": "curl/8.5.0"}, ["HTTP library user agent (curl)"]),
            ({"user_agent": "Go-http-client/1.1"}, ["HTTP library user agent (Go net/http)"]),
            ({"user_agent": "Java/1.8.0_392"}, ["HTTP library user agent (Java)"]),
            ({"user_agent": "okhttp/4.12.0"}, ["HTTP library user agent (okhttp)"]),
            ({"user_agent": "libwww-perl/6.72"}, ["HTTP library user agent (libwww-perl)"]),
            ({"user_agent": "Wget/1.21.4"}, ["HTTP library user agent (Wget)"]),
            ({"user_agent": "axios/1.7.2"}, ["HTTP library user agent (axios)"]),
            ({"user_agent": "node-fetch/1.0"}, ["HTTP library user agent (node-fetch)"]),
            (
                {"user_agent": "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120.0.0.0"},
                ["headless browser user agent"],
            ),
            ({"user_agent": "Mozilla/5.0 PhantomJS/2.1.1"}, ["headless browser user agent"]),
        ],
    )
    def test_each_rule_alone(self, fields: dict[str, Any], expected: list[str]) -> None:
        """Each rule gives its evidence in plain words, on its own."""
        assert expected == texts(classify(click(**fields), SHIPPED))

    @pytest.mark.parametrize(
        ("after", "expected"),
        [
            (timedelta(seconds=12), ["12 s after sending"]),
            (timedelta(seconds=1.25), ["1.2 s after sending"]),
            (timedelta(seconds=29.9), ["29.9 s after sending"]),
            (timedelta(seconds=30), []),
            (timedelta(seconds=-3), ["clicked before its recorded send time"]),
        ],
    )
    def test_soon_after_sending(self, after: timedelta, expected: list[str]) -> None:
        """A click less than 30 s after sending is a scanner's."""
        assert expected == texts(classify(click(), SHIPPED, T0 - after))

    def test_every_rule_at_once(self) -> None:
        """Evidence comes in the contract's order, one item per rule."""
        found = classify(
            click(method="HEAD", honeypot=True, bot_hint="generic", ip="40.107.1.1", user_agent=""),
            SHIPPED,
            T0 - timedelta(seconds=2),
        )
        assert [
            EvidenceKind.METHOD,
            EvidenceKind.HONEYPOT,
            EvidenceKind.PROVIDER_FLAG,
            EvidenceKind.NETWORK,
            EvidenceKind.USER_AGENT,
            EvidenceKind.SOON_AFTER_SENDING,
        ] == [e.kind for e in found]

    def test_evidence_never_holds_the_address_or_the_url(self) -> None:
        """The reason names the network, not the address; never the URL or the agent string."""
        found = classify(
            click(ip="40.92.3.4", user_agent="python-requests/2.1", url="https://x.test/secret"),
            SHIPPED,
        )
        reason = reason_of(found)
        assert "40.92.3.4" not in reason
        assert "secret" not in reason
        assert "2.1" not in reason

    def test_long_provider_flag_is_cut(self) -> None:
        """A provider flag is quoted up to 40 characters."""
        assert ["provider flag: " + "x" * 40] == texts(classify(click(bot_hint="x" * 99), SHIPPED))


class TestNetworkTable:
    """NetworkTable.lookup(ip) -> the narrowest known network holding the address."""

    TABLE = NetworkTable(
        [
            Network(ipaddress.ip_network("10.0.0.0/8"), "wide"),
            Network(ipaddress.ip_network("10.1.0.0/16"), "narrow"),
            Network(ipaddress.ip_network("10.1.2.0/24"), "narrowest"),
            Network(ipaddress.ip_network("192.168.0.0/24"), "left"),
            Network(ipaddress.ip_network("192.168.1.0/24"), "left"),
            Network(ipaddress.ip_network("fd00::/8"), "v6"),
        ]
    )

    @pytest.mark.parametrize(
        ("ip", "owner"),
        [
            ("10.0.0.0", "wide"),
            ("10.1.0.0", "narrow"),
            ("10.1.2.255", "narrowest"),
            ("10.1.3.0", "narrow"),
            ("10.2.0.0", "wide"),
            ("10.255.255.255", "wide"),
            ("11.0.0.0", None),
            ("9.255.255.255", None),
            ("192.168.1.7", "left"),
            ("fd12::1", "v6"),
            ("fe00::1", None),
            ("", None),
        ],
    )
    def test_lookup(self, ip: str, owner: str | None) -> None:
        """Nested blocks: the narrowest wins; outside every block: None."""
        found = self.TABLE.lookup(ip)
        assert owner == (found.owner if found else None)

    def test_nested_blocks_split_the_wider_one(self) -> None:
        """A wide block around a narrower one becomes two stretches around it."""
        assert 8 == len(self.TABLE)

    @given(st.lists(st.tuples(st.integers(0, 2**32 - 1), st.integers(8, 32)), max_size=12))
    def test_lookup_matches_a_scan(self, blocks: list[tuple[int, int]]) -> None:
        """The bisect lookup finds what a scan over every block finds (narrowest first)."""
        networks = [
            Network(ipaddress.ip_network((address, prefix), strict=False), f"n{i}")
            for i, (address, prefix) in enumerate(blocks)
        ]
        table = NetworkTable(networks)
        probes = [int(n.network.network_address) for n in networks]
        probes += [int(n.network.broadcast_address) + 1 for n in networks]
        for probe in probes:
            if probe >= 2**32:
                continue
            address = ipaddress.IPv4Address(probe)
            holding = [n for n in networks if address in n.network]
            best = max((n.network.prefixlen for n in holding), default=None)
            found = table.lookup(str(address))
            assert best == (found.network.prefixlen if found else None)


class TestAgentTable:
    """AgentTable.lookup(agent) -> the pattern found in it."""

    def test_empty_table_finds_nothing(self) -> None:
        """No patterns: nothing matches."""
        assert None is AgentTable([]).lookup("curl/8")

    def test_case_insensitive(self) -> None:
        """Patterns match whatever the case."""
        table = AgentTable([AgentPattern("headlesschrome", "headless")])
        assert 1 == len(table)
        assert "headless" == (table.lookup("HeadlessChrome/1") or AgentPattern("", "")).evidence


class TestKnownScanners:
    """known_scanners(documents) builds the tables from data, refusing bad entries."""

    def test_shipped_data_holds_the_contract_ranges(self) -> None:
        """The shipped file holds every range the contract names, and agent patterns."""
        for ip in ("40.92.0.1", "40.107.0.1", "52.100.0.1", "104.47.0.1"):
            assert SHIPPED.networks.lookup(ip) is not None
        for ip in ("2a01:111:f400::9", "2a01:111:f403::9"):
            assert SHIPPED.networks.lookup(ip) is not None
        assert len(SHIPPED.agents) >= 12

    def test_documents_add_up(self) -> None:
        """A second document (the operator's) adds to the first."""
        known = known_scanners(
            [
                {"network": [{"cidr": "198.51.100.0/24", "owner": "Acme", "source": "ours"}]},
                {"user_agent": [{"pattern": "acmebot", "evidence": "Acme bot", "source": "x"}]},
            ]
        )
        assert isinstance(known, KnownScanners)
        assert "Acme 198.51.100.0/24" == reason_of(classify(click(ip="198.51.100.1"), known))
        assert "Acme bot" == reason_of(classify(click(user_agent="AcmeBot/1"), known))

    @pytest.mark.parametrize(
        ("document", "message"),
        [
            ({"network": {"cidr": "1.2.3.0/24"}}, "network: expected a list of tables"),
            ({"network": [1]}, "network: expected a list of tables"),
            ({"network": [{"owner": "x", "source": "y"}]}, "network: cidr must be"),
            ({"network": [{"cidr": "1.2.3.0/24", "owner": "x"}]}, "network 1.2.3.0/24: source"),
            ({"network": [{"cidr": "1.2.3.4/24", "owner": "x", "source": "y"}]}, "host bits"),
            ({"network": [{"cidr": "1.2.3.0/24", "owner": " ", "source": "y"}]}, "owner must"),
            (
                {"user_agent": [{"pattern": "(", "evidence": "x", "source": "y"}]},
                r"user_agent '\('",
            ),
            ({"user_agent": [{"pattern": "a", "source": "y"}]}, "evidence must be"),
            ({"user_agent": [{"evidence": "a", "source": "y"}]}, "user_agent: pattern must be"),
        ],
    )
    def test_bad_entries(self, document: dict[str, Any], message: str) -> None:
        """A bad entry is refused with the entry and the reason."""
        with pytest.raises(BadScannerData, match=message):
            known_scanners([document])


class TestWords:
    """Small helpers: verdicts, reasons and durations in words."""

    @pytest.mark.parametrize(
        ("span", "expected"),
        [(timedelta(seconds=12), "12"), (timedelta(seconds=1.2), "1.2"), (timedelta(0), "0")],
    )
    def test_seconds(self, span: timedelta, expected: str) -> None:
        """Seconds with at most one decimal, no trailing .0."""
        assert expected == seconds(span)

    def test_verdict(self) -> None:
        """Any evidence makes a scanner's click."""
        assert Verdict.PERSON == verdict_of(())
        assert Verdict.SCANNER == verdict_of((Evidence(EvidenceKind.HONEYPOT, "honeypot link"),))


class TestClickRule:
    """decide(click, settings, scanner evidence): the link_click rule acts on persons only."""

    EVIDENCE = (Evidence(EvidenceKind.METHOD, "HEAD request"),)

    def rules(self, scanner_clicks: ScannerClicks) -> Any:
        """A campaign whose link_click rule pauses."""
        return settings(
            automation=Automation(link_click=AutomationAction.PAUSE, scanner_clicks=scanner_clicks)
        )

    def test_person_click_follows_the_rule(self) -> None:
        """A person's click pauses the lead."""
        command = decide(click(), self.rules(ScannerClicks.IGNORE))
        assert (Trigger.LINK_CLICK, Action.PAUSE, "link_click automation: pause") == (
            command.trigger,
            command.action,
            command.reason,
        )

    def test_scanner_click_continues_with_its_evidence(self) -> None:
        """A scanner's click publishes continue, its reason naming the evidence."""
        command = decide(click(), self.rules(ScannerClicks.IGNORE), scanner=self.EVIDENCE)
        assert (Action.CONTINUE, "scanner click (HEAD request): continue") == (
            command.action,
            command.reason,
        )
        assert "click-k-1" == command.command_id

    def test_event_must_name_its_lead(self) -> None:
        """An event whose lead is not resolved yet cannot be decided."""
        event = click().model_copy(update={"campaign_id": None, "lead_id": None})
        with pytest.raises(ValueError, match="resolve the event's lead"):
            decide(event, self.rules(ScannerClicks.IGNORE))

    def test_count_treats_scanner_clicks_as_persons(self) -> None:
        """scanner_clicks: count applies the rule to a scanner's click, saying so."""
        command = decide(click(), self.rules(ScannerClicks.COUNT), scanner=self.EVIDENCE)
        assert Action.PAUSE == command.action
        assert "link_click automation: pause (scanner clicks count: HEAD request)" == (
            command.reason
        )
