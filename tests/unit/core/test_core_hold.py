"""The burst rule: ClickHold holds clicks up to 5 s for another link of the same email."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any, ClassVar

from hypothesis import given
from hypothesis import strategies as st

from schemas import ClickEvent
from tests.unit.core.core_factories import T0
from workers.core.hold import Click, ClickHold, Released, email_of
from workers.core.scanner import Evidence, EvidenceKind, Verdict

HEAD = (Evidence(EvidenceKind.METHOD, "HEAD request"),)


def click(
    offset: int,
    url: str = "https://x.test/a",
    at_s: float = 0.0,
    *,
    lead: str = "l-7",
    email: str = "step:1",
    partition: int = 0,
    evidence: tuple[Evidence, ...] = (),
) -> Click[int]:
    """A click of lead ``lead`` at ``at_s`` seconds after T0; its payload is its offset."""
    return Click(
        lead=("c-42", lead),
        email=email,
        url=url,
        occurred_at=T0 + timedelta(seconds=at_s),
        partition=partition,
        offset=offset,
        evidence=evidence,
        payload=offset,
    )


def summary(released: list[Released[int]]) -> list[tuple[int, Verdict, list[str]]]:
    """(offset, verdict, evidence words) of each released click, in release order."""
    return [(r.click.offset, r.verdict, [e.text for e in r.evidence]) for r in released]


class TestClickHold:
    """ClickHold: a lone click waits 5 s; a burst is released at once, every click a scanner's."""

    def test_lone_click_is_held_then_released_as_a_person(self) -> None:
        """A lone click waits its 5 s, then is a person's."""
        hold: ClickHold[int] = ClickHold()
        assert [] == hold.add(click(1), arrived_at=100.0)
        assert 1 == hold.held
        assert 105.0 == hold.next_due()
        assert [] == hold.due(104.9)
        released = hold.due(105.0)
        assert [(1, Verdict.PERSON, [])] == summary(released)
        assert 5.0 == released[0].held_s
        assert (0, None, None) == (hold.held, hold.next_due(), hold.oldest_offset(0))

    def test_second_link_within_5_s_makes_a_burst(self) -> None:
        """Two links of one email 1.2 s apart: both are a scanner's, at once."""
        hold: ClickHold[int] = ClickHold()
        hold.add(click(1, "https://x.test/a", 0.0), arrived_at=100.0)
        released = hold.add(click(2, "https://x.test/b", 1.2), arrived_at=101.2)
        burst = ["second link within 1.2 s"]
        assert [(1, Verdict.SCANNER, burst), (2, Verdict.SCANNER, burst)] == summary(released)
        assert 0 == hold.held

    def test_third_link_of_a_burst_is_a_scanners_too(self) -> None:
        """A later link of a settled burst is a scanner's at once; the earlier ones stay settled."""
        hold: ClickHold[int] = ClickHold()
        hold.add(click(1, "https://x.test/a", 0.0), arrived_at=100.0)
        hold.add(click(2, "https://x.test/b", 0.5), arrived_at=100.5)
        released = hold.add(click(3, "https://x.test/c", 0.9), arrived_at=100.9)
        assert [(3, Verdict.SCANNER, ["second link within 0.4 s"])] == summary(released)

    def test_same_link_twice_is_no_burst(self) -> None:
        """A person clicking the same link twice is still a person."""
        hold: ClickHold[int] = ClickHold()
        hold.add(click(1), arrived_at=100.0)
        assert [] == hold.add(click(2, at_s=1.0), arrived_at=101.0)
        assert [(1, Verdict.PERSON, []), (2, Verdict.PERSON, [])] == summary(hold.due(106.0))

    def test_links_5_s_apart_are_no_burst(self) -> None:
        """Links clicked 5 s or more apart are separate clicks."""
        hold: ClickHold[int] = ClickHold()
        hold.add(click(1, "https://x.test/a", 0.0), arrived_at=100.0)
        assert [] == hold.add(click(2, "https://x.test/b", 5.0), arrived_at=101.0)

    def test_other_email_or_other_lead_is_no_burst(self) -> None:
        """Bursts are per lead and per email."""
        hold: ClickHold[int] = ClickHold()
        hold.add(click(1, "https://x.test/a"), arrived_at=100.0)
        assert [] == hold.add(click(2, "https://x.test/b", email="step:2"), arrived_at=100.1)
        assert [] == hold.add(click(3, "https://x.test/b", lead="l-8"), arrived_at=100.2)
        assert 3 == hold.held

    def test_click_with_its_own_evidence_is_released_at_once(self) -> None:
        """A click already known as a scanner's does not wait, but a burst can still find it."""
        hold: ClickHold[int] = ClickHold()
        released = hold.add(click(1, evidence=HEAD), arrived_at=100.0)
        assert [(1, Verdict.SCANNER, ["HEAD request"])] == summary(released)
        released = hold.add(click(2, "https://x.test/b", 2.0), arrived_at=102.0)
        assert [(2, Verdict.SCANNER, ["second link within 2 s"])] == summary(released)

    def test_add_releases_what_is_due_first(self) -> None:
        """A click arriving after another's deadline releases that one first."""
        hold: ClickHold[int] = ClickHold()
        hold.add(click(1), arrived_at=100.0)
        released = hold.add(click(2, lead="l-8"), arrived_at=106.0)
        assert [(1, Verdict.PERSON, [])] == summary(released)

    def test_time_never_goes_back(self) -> None:
        """An earlier arrival time than the last one counts as the last one."""
        hold: ClickHold[int] = ClickHold()
        hold.due(200.0)
        hold.add(click(1), arrived_at=100.0)
        assert 205.0 == hold.next_due()

    def test_oldest_offset_covers_remembered_clicks(self) -> None:
        """A partition commits below its oldest click still held or remembered."""
        hold: ClickHold[int] = ClickHold()
        hold.add(click(7, evidence=HEAD, partition=0), arrived_at=100.0)
        hold.add(click(8, lead="l-8", partition=0), arrived_at=101.0)
        hold.add(click(3, lead="l-9", partition=1), arrived_at=102.0)
        assert (7, 3, None) == (hold.oldest_offset(0), hold.oldest_offset(1), hold.oldest_offset(2))
        hold.due(105.0)
        assert (8, 2) == (hold.oldest_offset(0), len(hold))

    def test_forget_drops_revoked_partitions(self) -> None:
        """Revoked partitions' clicks are dropped unreleased (their new owner replays them)."""
        hold: ClickHold[int] = ClickHold()
        hold.add(click(1, partition=0), arrived_at=100.0)
        hold.add(click(2, lead="l-8", partition=1, evidence=HEAD), arrived_at=100.0)
        hold.add(click(3, lead="l-9", partition=1), arrived_at=100.0)
        assert 1 == hold.forget([1, 5])
        assert (1, 1, None) == (hold.held, len(hold), hold.oldest_offset(1))
        assert [(1, Verdict.PERSON, [])] == summary(hold.due(105.0))


class TestEmailOf:
    """email_of(click): the step, else the token, else the sending time, else the whole lead."""

    BASE: ClassVar[dict[str, Any]] = {
        "event_id": "k-1",
        "campaign_id": "c-42",
        "lead_id": "l-7",
        "occurred_at": T0,
        "url": "https://x.test",
    }

    def test_each_way_of_naming_the_email(self) -> None:
        """Each field names the email when those before it are absent."""
        token = "1" + "A" * 32
        assert "step:2" == email_of(ClickEvent(**self.BASE, step=2, tracking_token=token))
        assert f"token:{token}" == email_of(ClickEvent(**self.BASE, tracking_token=token))
        assert "sent:2026-06-01T10:00:00+00:00" == email_of(ClickEvent(**self.BASE, sent_at=T0))
        assert "" == email_of(ClickEvent(**self.BASE))


#: (lead, email, url, arrival in ms, scanner by its own evidence)
ClickSpec = tuple[int, int, int, int, bool]
SPECS = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.integers(0, 1),
        st.integers(0, 2),
        st.integers(0, 20_000),
        st.booleans(),
    ),
    max_size=30,
)


def run(specs: list[ClickSpec]) -> list[tuple[int, Released[int]]]:
    """Feed clicks in arrival order (clicked when they arrive), calling ``due`` at every
    deadline; returns (release time in ms, released) pairs."""
    specs = sorted(specs, key=lambda s: s[3])
    hold: ClickHold[int] = ClickHold()
    out: list[tuple[int, Released[int]]] = []

    def settle_until(ms: int) -> None:
        while (next_due := hold.next_due()) is not None and next_due <= ms / 1000:
            out.extend((round(next_due * 1000), r) for r in hold.due(next_due))

    for i, (lead, email, url, ms, own) in enumerate(specs):
        settle_until(ms)
        spec = click(i, f"https://x.test/{url}", ms / 1000, lead=f"l-{lead}", email=f"step:{email}")
        if own:
            spec = replace(spec, evidence=HEAD)
        out.extend((ms, r) for r in hold.add(spec, ms / 1000))
    settle_until(10**9)
    return out


class TestClickHoldProperties:
    """Properties over any arrival sequence."""

    @given(SPECS)
    def test_every_click_released_exactly_once(self, specs: list[ClickSpec]) -> None:
        """Each click comes out once, whatever the sequence."""
        released = [r.click.offset for _, r in run(specs)]
        assert sorted(released) == list(range(len(specs)))

    @given(SPECS)
    def test_never_later_than_5_s_after_arrival(self, specs: list[ClickSpec]) -> None:
        """No click waits more than 5 s (when ``due`` is called at the deadlines)."""
        arrivals = sorted(s[3] for s in specs)
        for released_ms, r in run(specs):
            assert released_ms - arrivals[r.click.offset] <= 5000

    @given(SPECS)
    def test_a_burst_is_all_scanner(self, specs: list[ClickSpec]) -> None:
        """Two different links of one email by one lead less than 5 s apart: both scanners."""
        ordered = sorted(specs, key=lambda s: s[3])
        verdicts = {r.click.offset: r.verdict for _, r in run(specs)}
        for i, a in enumerate(ordered):
            for j, b in enumerate(ordered):
                same_email = a[:2] == b[:2]
                if same_email and a[2] != b[2] and abs(a[3] - b[3]) < 4999:
                    assert (Verdict.SCANNER, Verdict.SCANNER) == (verdicts[i], verdicts[j])

    @given(SPECS)
    def test_a_lone_click_without_evidence_is_a_person(self, specs: list[ClickSpec]) -> None:
        """A click with no evidence and no other link of its email within 5 s is a person's."""
        ordered = sorted(specs, key=lambda s: s[3])
        verdicts = {r.click.offset: r.verdict for _, r in run(specs)}
        for i, a in enumerate(ordered):
            near = [
                b for b in ordered if b[:2] == a[:2] and b[2] != a[2] and abs(a[3] - b[3]) <= 5001
            ]
            if not a[4] and not near:
                assert Verdict.PERSON == verdicts[i]
