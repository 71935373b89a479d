"""Scanner clicks: is a click a person's or a mail-security scanner's, and why.

Pure: no I/O, no clock. The known networks and user agents come in as a ``KnownScanners``
table (built from data by ``known_scanners``; reading the file is the caller's business), the
time since sending as the click's own ``occurred_at`` minus a ``sent_at`` the caller resolved::

    known = known_scanners(documents)                 # once, at start-up
    evidence = classify(click, known, sent_at)        # every rule but the burst rule
    hold = ClickHold()                                # the burst rule (see ``workers.core.hold``)

Evidence is plain words for the lead's trail ("HEAD request", "Microsoft mail-protection
network 40.92.0.0/15", "12 s after sending"); it never holds the IP, the URL or the agent
string itself. Networks are matched with a binary search over sorted, disjoint integer ranges
(IPv4 and IPv6 apart); agent patterns are one compiled alternation.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from itertools import pairwise

from schemas import ClickEvent

#: A click less than this long after its email was sent is a scanner's.
SOON_AFTER_SENDING = timedelta(seconds=30)
#: Methods a person's browser uses to follow a link.
_PERSON_METHODS = frozenset({"GET", "POST"})
#: Longest provider flag quoted in a reason.
_MAX_FLAG = 40
#: Distinct user agents whose verdict is remembered.
_AGENT_CACHE = 4096


class EvidenceKind(StrEnum):
    """Which rule found a scanner (a low-cardinality metrics label)."""

    METHOD = "method"  #: not GET or POST
    HONEYPOT = "honeypot"  #: a link no person can see
    PROVIDER_FLAG = "provider_flag"  #: the provider's own bot flag
    NETWORK = "network"  #: a known scanner network
    USER_AGENT = "user_agent"  #: empty, headless browser, HTTP library or known scanner agent
    SOON_AFTER_SENDING = "soon_after_sending"  #: less than 30 s after sending
    BURST = "burst"  #: two links of one email within 5 s


class Verdict(StrEnum):
    """Whose click it is."""

    PERSON = "person"  #: no rule found a scanner: the campaign's link_click rule applies
    SCANNER = "scanner"  #: at least one rule found a scanner


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason to call a click a scanner's."""

    kind: EvidenceKind
    #: Plain words for the reason; no IP, URL or agent string.
    text: str


def verdict_of(evidence: Sequence[Evidence]) -> Verdict:
    """A scanner's click when there is any evidence, else a person's."""
    return Verdict.SCANNER if evidence else Verdict.PERSON


def reason_of(evidence: Sequence[Evidence]) -> str:
    """The evidence as one phrase: ``"HEAD request; honeypot link"``."""
    return "; ".join(e.text for e in evidence)


@dataclass(frozen=True, slots=True)
class Network:
    """A known scanner network."""

    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    #: Who runs it, as the reason names it ("Microsoft mail-protection network").
    owner: str

    @property
    def evidence(self) -> str:
        return f"{self.owner} {self.network}"


class NetworkTable:
    """Known networks, looked up by address in O(log n).

    CIDR blocks are either nested or disjoint; where they nest, the narrower block names the
    address. The blocks are flattened at construction into sorted disjoint ranges per IP
    version, so a lookup is one ``bisect``.
    """

    def __init__(self, networks: Iterable[Network]) -> None:
        listed = list(networks)
        self._ranges = {
            version: _flatten([n for n in listed if n.network.version == version])
            for version in (4, 6)
        }

    def __len__(self) -> int:
        return sum(len(starts) for starts, _, _ in self._ranges.values())

    def lookup(self, ip: str | None) -> Network | None:
        """The network ``ip`` belongs to, or None (also for a missing or unreadable address)."""
        address = _address(ip)
        if address is None:
            return None
        version, value = address
        starts, ends, owners = self._ranges[version]
        index = bisect_right(starts, value) - 1
        if index >= 0 and value <= ends[index]:
            return owners[index]
        return None


_Ranges = tuple[list[int], list[int], list[Network]]


def _flatten(networks: Sequence[Network]) -> _Ranges:
    """Sorted disjoint ``(starts, ends, owners)``; the narrowest block owns each stretch."""
    bounds = sorted(
        {int(n.network.network_address) for n in networks}
        | {int(n.network.broadcast_address) + 1 for n in networks}
    )
    starts: list[int] = []
    ends: list[int] = []
    owners: list[Network] = []
    for low, high in pairwise(bounds):
        covering = [n for n in networks if _covers(n, low)]
        if not covering:
            continue
        owner = max(covering, key=lambda n: n.network.prefixlen)
        starts.append(low)
        ends.append(high - 1)
        owners.append(owner)
    return starts, ends, owners


def _covers(network: Network, value: int) -> bool:
    block = network.network
    return int(block.network_address) <= value <= int(block.broadcast_address)


def _address(ip: str | None) -> tuple[int, int] | None:
    """``(IP version, address as an integer)``; IPv4-mapped IPv6 counts as IPv4."""
    if not ip:
        return None
    text = ip.strip()
    if ":" not in text:  # the common case, parsed without building an IPv4Address
        try:
            return 4, int.from_bytes(socket.inet_pton(socket.AF_INET, text), "big")
        except OSError:
            return None
    try:
        address = ipaddress.IPv6Address(text)
    except ValueError:
        return None
    if address.ipv4_mapped is not None:
        return 4, int(address.ipv4_mapped)
    return 6, int(address)


@dataclass(frozen=True, slots=True)
class AgentPattern:
    """A user-agent pattern of a headless browser, an HTTP library or a known scanner."""

    #: A regular expression, matched case-insensitively anywhere in the agent.
    pattern: str
    #: The reason's words ("HTTP library user agent (python-requests)").
    evidence: str


class AgentTable:
    """Agent patterns compiled into one alternation (one regex search per click)."""

    def __init__(self, patterns: Iterable[AgentPattern]) -> None:
        self._patterns = list(patterns)
        alternation = "|".join(f"(?P<p{i}>{p.pattern})" for i, p in enumerate(self._patterns))
        self._regex = re.compile(alternation, re.IGNORECASE) if self._patterns else None

    def __len__(self) -> int:
        return len(self._patterns)

    def lookup(self, agent: str) -> AgentPattern | None:
        """The first pattern found in ``agent``, or None.

        Agents repeat (a few browser versions make most of them) and one search through the
        alternation costs tens of microseconds, so answers are memoized per agent string.
        """
        return self._lookup(agent)

    @functools.lru_cache(maxsize=_AGENT_CACHE)  # noqa: B019 (one table per process, long-lived)
    def _lookup(self, agent: str) -> AgentPattern | None:
        if self._regex is None:
            return None
        found = self._regex.search(agent)
        if found is None or found.lastgroup is None:
            return None
        return self._patterns[int(found.lastgroup[1:])]


@dataclass(frozen=True, slots=True)
class KnownScanners:
    """Known scanner networks and user agents."""

    networks: NetworkTable
    agents: AgentTable


class BadScannerData(ValueError):
    """A scanners data document that cannot be used (the message says which entry and why)."""


def known_scanners(documents: Iterable[Mapping[str, object]]) -> KnownScanners:
    """Build the table from parsed data documents (``[[network]]`` and ``[[user_agent]]``)."""
    networks: list[Network] = []
    agents: list[AgentPattern] = []
    for document in documents:
        networks += [_parse_network(entry) for entry in _entries(document, "network")]
        agents += [_parse_agent(entry) for entry in _entries(document, "user_agent")]
    return KnownScanners(NetworkTable(networks), AgentTable(agents))


def _entries(document: Mapping[str, object], name: str) -> list[Mapping[str, object]]:
    entries = document.get(name, [])
    if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
        raise BadScannerData(f"{name}: expected a list of tables ([[{name}]])")
    return entries


def _text(entry: Mapping[str, object], field: str, where: str) -> str:
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        raise BadScannerData(f"{where}: {field} must be a non-empty string")
    return value


def _parse_network(entry: Mapping[str, object]) -> Network:
    cidr = _text(entry, "cidr", "network")
    where = f"network {cidr}"
    _text(entry, "source", where)
    try:
        block = ipaddress.ip_network(cidr.strip())
    except ValueError as error:
        raise BadScannerData(f"{where}: {error}") from None
    return Network(block, _text(entry, "owner", where))


def _parse_agent(entry: Mapping[str, object]) -> AgentPattern:
    pattern = _text(entry, "pattern", "user_agent")
    where = f"user_agent {pattern!r}"
    _text(entry, "source", where)
    try:
        re.compile(pattern)
    except re.error as error:
        raise BadScannerData(f"{where}: {error}") from None
    return AgentPattern(pattern, _text(entry, "evidence", where))


def classify(
    click: ClickEvent, known: KnownScanners, sent_at: datetime | None = None
) -> tuple[Evidence, ...]:
    """Every rule of the contract but the burst rule; no evidence means a person's click.

    ``sent_at`` is when the clicked email was sent: the event's own ``sent_at`` or the step's
    ``requested_at`` the caller looked up (None: the timing rule does not apply).
    """
    found = [
        _method(click),
        _honeypot(click),
        _provider_flag(click),
        _network_evidence(known, click.ip),
        _agent_evidence(known, click.user_agent),
        _timing(click.occurred_at, sent_at),
    ]
    return tuple(e for e in found if e is not None)


def _method(click: ClickEvent) -> Evidence | None:
    if click.method in _PERSON_METHODS:
        return None
    return Evidence(EvidenceKind.METHOD, f"{click.method} request")


def _honeypot(click: ClickEvent) -> Evidence | None:
    return Evidence(EvidenceKind.HONEYPOT, "honeypot link") if click.honeypot else None


def _provider_flag(click: ClickEvent) -> Evidence | None:
    if click.bot_hint is None:
        return None
    return Evidence(EvidenceKind.PROVIDER_FLAG, f"provider flag: {click.bot_hint[:_MAX_FLAG]}")


def _network_evidence(known: KnownScanners, ip: str | None) -> Evidence | None:
    network = known.networks.lookup(ip)
    return None if network is None else Evidence(EvidenceKind.NETWORK, network.evidence)


def _agent_evidence(known: KnownScanners, agent: str | None) -> Evidence | None:
    """An empty agent is evidence; an absent one (upstream did not say) is not."""
    if agent is None:
        return None
    if not agent.strip():
        return Evidence(EvidenceKind.USER_AGENT, "empty user agent")
    pattern = known.agents.lookup(agent)
    return None if pattern is None else Evidence(EvidenceKind.USER_AGENT, pattern.evidence)


def _timing(clicked_at: datetime, sent_at: datetime | None) -> Evidence | None:
    if sent_at is None:
        return None
    after = clicked_at - sent_at
    if after >= SOON_AFTER_SENDING:
        return None
    if after < timedelta(0):
        return Evidence(EvidenceKind.SOON_AFTER_SENDING, "clicked before its recorded send time")
    return Evidence(EvidenceKind.SOON_AFTER_SENDING, f"{seconds(after)} s after sending")


def seconds(span: timedelta) -> str:
    """A duration in seconds with at most one decimal: ``12``, ``1.2``, ``0``."""
    text = f"{span.total_seconds():.1f}"
    return text.removesuffix(".0")
