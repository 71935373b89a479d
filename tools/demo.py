"""The help article's walkthrough on a running fleet, with seconds instead of days.

``python -m tools.demo`` (``make demo`` starts the infrastructure and the fleet first)
plays one campaign with rules click → continue, reply → pause, meeting → stop and three steps
(``PT0S``, ``PT4S``, ``PT8S``: the article's "4-day delay" before step 3 is 8 s here):

- ``clicker`` clicks a link: it continues and completes;
- ``replier`` replies: reply automation pauses it; a person resumes it and it completes;
- ``booker`` books a meeting: meeting automation stops it;
- ``pauser`` is paused by hand 4 s into the 8 s delay before step 3 ("day 2 of a 4-day delay")
  and resumed later: 4 s remain and step 3 comes about 4 s after the resume;
- ``skipped`` is enrolled while the campaign is a draft, skipped, and never sends after launch;
- ``stopper`` is stopped by hand after step 1.

Events go through the ingest workers (``events.*`` topics), manual actions through the CLI's own
functions, and the timeline shows every send request and status change read back from ``sends``
and ``lead-status``. The process exits 1 when the outcome differs from what the article says.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer
from pydantic import BaseModel

from schemas import (
    BookingEvent,
    CampaignSettings,
    ClickEvent,
    CommandResult,
    LeadStatus,
    LeadStatusValue,
    ReplyEvent,
    SendRequest,
)
from workers.kafka_io import make_consumer, make_producer, partitions_of
from workers.ops import kafka_ops
from workers.ops.commands import Printer, lead_action, lead_show, quiet_client_logs
from workers.ops.explain import span
from workers.ops.inputs import manual_command
from workers.settings import Settings
from workers.topics import Topics

S = LeadStatusValue
CAMPAIGN = "demo"
DELAYS = ("PT0S", "PT4S", "PT8S")
#: How far into the 8 s delay before step 3 the pauser is paused (day 2 of 4).
PAUSE_INTO_S = 4.0
#: How long the pauser stays paused.
HOLD_S = 3.0
#: What the article says becomes of each lead: final status and steps sent.
EXPECTED: dict[str, tuple[LeadStatusValue, int]] = {
    "clicker": (S.COMPLETED, 3),
    "replier": (S.COMPLETED, 3),
    "booker": (S.STOPPED, 1),
    "pauser": (S.COMPLETED, 3),
    "skipped": (S.SKIPPED, 0),
    "stopper": (S.STOPPED, 1),
}
#: Longest wait for any one thing the scenario expects.
WAIT_S = 60.0


def campaign_settings(version: int, status: str) -> CampaignSettings:
    """The demo campaign: three steps, click → continue, reply → pause, meeting → stop."""
    return CampaignSettings.model_validate(
        {
            "campaign_id": CAMPAIGN,
            "version": version,
            "status": status,
            "steps": [{"delay": d} for d in DELAYS],
            "automation": {"link_click": "continue", "reply": "pause", "meeting_booked": "stop"},
            "sender_id": "mbx-demo",
        }
    )


@dataclass
class Seen:
    """Every send request and status change seen so far, with when it was seen."""

    sends: dict[str, list[tuple[float, int]]] = field(default_factory=dict)
    statuses: dict[str, list[tuple[float, LeadStatus]]] = field(default_factory=dict)

    def steps(self, lead: str) -> int:
        """How many steps were requested for ``lead``."""
        return len(self.sends.get(lead, []))

    def status(self, lead: str) -> LeadStatus | None:
        """The latest status of ``lead``."""
        found = self.statuses.get(lead)
        return found[-1][1] if found else None

    def is_(self, lead: str, status: LeadStatusValue) -> bool:
        """True when ``lead``'s latest status is ``status``."""
        latest = self.status(lead)
        return latest is not None and latest.status is status


class Timeline:
    """Prints what happens with the seconds since the start, and lets the scenario wait on it."""

    def __init__(self, out: Printer) -> None:
        self._out = out
        self._t0 = time.monotonic()
        self.seen = Seen()
        self._changed = asyncio.Condition()

    def now(self) -> float:
        """Seconds since the start."""
        return time.monotonic() - self._t0

    def say(self, kind: str, text: str) -> None:
        """One timeline line: ``+  4.02s  send     pauser: step 2``."""
        self._out(f"+{self.now():6.2f}s  {kind:<7}  {text}")

    async def until(self, what: str, check: Callable[[Seen], bool]) -> None:
        """Wait until ``check`` holds for what was seen; fail after ``WAIT_S``."""
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: check(self.seen)), WAIT_S)
            except TimeoutError:
                raise DemoFailed(f"timed out after {WAIT_S:g}s waiting for {what}") from None

    async def at(self, moment: float) -> None:
        """Sleep until ``moment`` seconds since the start (the scenario's own pacing)."""
        await asyncio.sleep(max(0.0, moment - self.now()))

    async def record(self, value: BaseModel) -> None:
        """Note a send request or a status change, print it, wake the waiters."""
        t = self.now()
        if isinstance(value, SendRequest):
            self.seen.sends.setdefault(value.lead_id, []).append((t, value.step))
            self.say("send", f"{value.lead_id}: step {value.step} requested ({value.send_id})")
        elif isinstance(value, LeadStatus):
            self.seen.statuses.setdefault(value.lead_id, []).append((t, value))
            self.say("status", f"{value.lead_id}: {value.status} - {describe(value)}")
        elif isinstance(value, CommandResult) and not value.command_id.startswith("cli-"):
            text = f"{value.lead_id}: {value.action} {value.outcome} - {value.reason}"
            self.say("result", text)
        async with self._changed:
            self._changed.notify_all()


class DemoFailed(Exception):
    """The fleet did not behave as the article says."""


def describe(status: LeadStatus) -> str:
    """A status's reason and countdown, e.g. ``paused by alice (step 3: 4.0s left)``."""
    if status.due_at is not None:
        due = (status.due_at - status.updated_at).total_seconds()
        return f"{status.reason} (step {status.next_step} due in {span(due)})"
    if status.remaining_seconds is not None:
        left = span(status.remaining_seconds)
        return f"{status.reason} (step {status.next_step}: {left} left, frozen)"
    return status.reason


@contextlib.asynccontextmanager
async def watching(settings: Settings, timeline: Timeline) -> AsyncIterator[None]:
    """Read ``sends``, ``lead-status`` and ``command-results`` (read_committed, from their
    current end) while the block runs; results of the CLI's own commands are not repeated."""
    topics = Topics(settings.topic_prefix)
    consumer = make_consumer(settings, group_id=None)
    try:
        await consumer.start()
        parsers: dict[str, type[BaseModel]] = {
            topics.sends: SendRequest,
            topics.lead_status: LeadStatus,
            topics.command_results: CommandResult,
        }
        tps = [tp for topic in parsers for tp in await partitions_of(consumer, topic)]
        consumer.assign(tps)
        await consumer.seek_to_end(*tps)
        for tp in tps:
            await consumer.position(tp)
        task = asyncio.create_task(_follow(consumer, parsers, timeline))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    finally:
        await consumer.stop()


async def _follow(
    consumer: AIOKafkaConsumer, parsers: dict[str, type[BaseModel]], timeline: Timeline
) -> None:
    """Record what arrives; within one instant, sends before the status they caused."""
    order = list(parsers)
    while True:
        batch = await consumer.getmany(timeout_ms=100)
        records = sorted(
            (r for rs in batch.values() for r in rs),
            key=lambda r: (r.timestamp, r.topic != order[0], r.offset),
        )
        for record in records:
            if record.value is not None:
                await timeline.record(parsers[record.topic].model_validate_json(record.value))


class Scenario:
    """The article's walkthrough, act by act, against one fleet."""

    def __init__(self, settings: Settings, timeline: Timeline) -> None:
        self.settings = settings
        self.topics = Topics(settings.topic_prefix)
        self.timeline = timeline
        self.launched_at = 0.0
        self.resumed_pauser_at = 0.0
        self.frozen_s: float | None = None

    async def run(self) -> None:
        """Draft, enroll, skip, launch, then the automation and manual acts."""
        await self.put(1, "draft")
        await asyncio.gather(*(self.act("enroll", lead) for lead in EXPECTED))
        await self.act("pause", "skipped")  # rejected: not started yet, use skip
        await self.act("skip", "skipped")
        await self.put(2, "active")
        self.launched_at = self.timeline.now()
        await self.timeline.until("step 1 of every started lead", _first_steps_sent)
        await self.automation()
        await self.act("stop", "stopper", reason="not interested")
        await asyncio.gather(self.manual_pause(), self.resume_replier())
        await self.timeline.until("every lead to reach its end", _all_final)

    async def put(self, version: int, status: str) -> None:
        """``leadflow campaign put`` of the demo campaign."""
        settings = campaign_settings(version, status)
        await kafka_ops.put_campaign(self.settings, settings, 30.0)
        self.timeline.say("cli", f"campaign put {CAMPAIGN} version {version}: {status}")

    async def act(self, action: str, lead: str, reason: str | None = None) -> None:
        """``leadflow lead ACTION demo LEAD`` and its answer."""
        command = manual_command(action, CAMPAIGN, lead, actor="demo", reason=reason)
        printed: list[str] = []
        await lead_action(self.settings, command, timeout_s=30.0, out=printed.append)
        self.timeline.say("cli", f"lead {action} {lead} -> {printed[0]}")

    async def event(self, topic: str, event: ClickEvent | ReplyEvent | BookingEvent) -> None:
        """Publish one upstream event (the ingest workers turn it into a command)."""
        producer = make_producer(self.settings, linger_ms=0)
        try:
            await producer.start()
            await producer.send_and_wait(
                topic, event.model_dump_json().encode(), key=event.lead_key.encode()
            )
        finally:
            await producer.stop()
        self.timeline.say("event", f"{event.lead_id}: {type(event).__name__} {event.event_id}")

    async def automation(self) -> None:
        """Click (continue), reply (pause) and booking (stop) events through the ingest workers."""
        ids = {"campaign_id": CAMPAIGN, "occurred_at": datetime.now(UTC)}
        click = ClickEvent(event_id="k-1", lead_id="clicker", url="https://x.test/pricing", **ids)
        reply = ReplyEvent(event_id="r-1", lead_id="replier", body_text="Thanks!", **ids)
        booking = BookingEvent(event_id="b-1", lead_id="booker", **ids)
        await self.event(self.topics.clicks, click)
        await self.event(self.topics.replies, reply)
        await self.event(self.topics.bookings, booking)
        await self.timeline.until("the replier paused", lambda s: s.is_("replier", S.PAUSED))
        await self.timeline.until("the booker stopped", lambda s: s.is_("booker", S.STOPPED))
        await self.show("replier")

    async def resume_replier(self) -> None:
        """A person reviews the reply and resumes the replier, 6 s after the launch."""
        await self.timeline.at(self.launched_at + 6.0)
        await self.act("resume", "replier", reason="reply reviewed: still relevant")

    async def manual_pause(self) -> None:
        """Pause the pauser 4 s into the 8 s delay before step 3; resume it 3 s later."""
        await self.timeline.until(
            "the pauser's step 2", lambda s: s.steps("pauser") >= len(DELAYS) - 1
        )
        step_2_at = self.timeline.seen.sends["pauser"][1][0]
        await self.timeline.at(step_2_at + PAUSE_INTO_S)
        await self.act("pause", "pauser", reason="day 2 of the 4-day delay")
        await self.timeline.until("the pauser paused", lambda s: s.is_("pauser", S.PAUSED))
        paused = self.timeline.seen.status("pauser")
        self.frozen_s = paused.remaining_seconds if paused else None
        await self.show("pauser")
        await asyncio.sleep(HOLD_S)
        self.resumed_pauser_at = self.timeline.now()
        await self.act("resume", "pauser")

    async def show(self, lead: str) -> None:
        """``leadflow lead show demo LEAD``, indented under the timeline."""
        lines: list[str] = []
        await lead_show(self.settings, CAMPAIGN, lead, out=lines.append)
        self.timeline.say("cli", f"lead show {lead}")
        for line in lines:
            self.timeline.say("", f"    {line}")


def _first_steps_sent(seen: Seen) -> bool:
    return all(seen.steps(lead) >= 1 for lead, (_, steps) in EXPECTED.items() if steps)


def _all_final(seen: Seen) -> bool:
    return all(seen.is_(lead, status) for lead, (status, _) in EXPECTED.items())


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the demo observed, lead by lead, and what went wrong."""

    rows: list[str]
    problems: list[str]


def judge(scenario: Scenario) -> Outcome:
    """Compare what was seen with what the article says."""
    seen = scenario.timeline.seen
    rows, problems = [], []
    for lead, (status, steps) in EXPECTED.items():
        latest = seen.status(lead)
        got = (latest.status if latest else None, seen.steps(lead))
        ok = got == (status, steps)
        rows.append(f"{lead:<8} {got[0]!s:<11} steps sent {got[1]}  {'ok' if ok else 'WRONG'}")
        if not ok:
            problems.append(f"{lead}: expected {status} after {steps} steps, got {got}")
    problems += _pause_problems(scenario)
    return Outcome(rows, problems)


def _pause_problems(scenario: Scenario) -> list[str]:
    """The pauser froze about 4 s and sent step 3 about 4 s after its resume."""
    problems = []
    frozen = scenario.frozen_s
    if frozen is None or not 3.0 <= frozen <= 4.5:  # noqa: PLR2004
        problems.append(f"pauser: expected about 4s frozen at the pause, got {frozen}")
    sends = scenario.timeline.seen.sends.get("pauser", [])
    if len(sends) == len(DELAYS):
        gap = sends[-1][0] - scenario.resumed_pauser_at
        scenario.timeline.say("note", f"pauser: step 3 came {gap:.1f}s after the resume")
        if not 3.0 <= gap <= 6.5:  # noqa: PLR2004
            problems.append(f"pauser: step 3 came {gap:.1f}s after the resume, not about 4s")
    return problems


async def play(settings: Settings, out: Printer = print) -> Outcome:
    """Play the walkthrough against the fleet behind ``settings``; return the outcome."""
    timeline = Timeline(out)
    scenario = Scenario(settings, timeline)
    failure: list[str] = []
    async with watching(settings, timeline):
        try:
            await scenario.run()
        except DemoFailed as exc:
            failure.append(str(exc))
    judged = judge(scenario)
    outcome = Outcome(judged.rows, failure + judged.problems)
    out("")
    out("summary (lead, final status, steps sent):")
    for row in outcome.rows:
        out(f"  {row}")
    for problem in outcome.problems:
        out(f"  PROBLEM: {problem}")
    return outcome


async def wait_ready(url: str, fleet_pid: int | None = None, timeout_s: float = 120.0) -> None:
    """Wait until the fleet's ``/readyz`` answers 200; fail early when its process is gone."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if await asyncio.to_thread(_answers, url):
            return
        if fleet_pid is not None and not _alive(fleet_pid):
            raise DemoFailed(f"the fleet (pid {fleet_pid}) exited before it was ready")
        await asyncio.sleep(0.5)
    raise DemoFailed(f"the fleet was not ready within {timeout_s:g}s ({url})")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local http only
            return bool(response.status == 200)  # noqa: PLR2004
    except OSError:
        return False


async def _main(args: argparse.Namespace) -> int:
    settings = Settings()
    quiet_client_logs()
    if args.ready_url:
        print(f"waiting for the fleet: {args.ready_url}")
        await wait_ready(args.ready_url, args.fleet_pid)
    print(f"demo campaign {CAMPAIGN!r}, steps {list(DELAYS)}, topics {settings.topic_prefix}*")
    outcome = await play(settings)
    print("outcome matches the article" if not outcome.problems else "outcome DIFFERS")
    return 1 if outcome.problems else 0


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.demo [--ready-url URL]``."""
    parser = argparse.ArgumentParser(prog="python -m tools.demo", description=__doc__)
    parser.add_argument("--ready-url", help="wait until this /readyz answers 200 first")
    parser.add_argument("--fleet-pid", type=int, help="the fleet's process (fail if it exits)")
    args = parser.parse_args(argv)
    try:
        return asyncio.run(_main(args))
    except DemoFailed as exc:
        print(f"demo: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
