"""The sequencer on the real broker and database: the help article's behaviour end to end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.integration.helpers import TopicReader, eventually, publish
from tests.integration.scenarios import scalar, settle
from tests.integration.sequencer_helpers import campaign, command, running_sequencer
from workers.settings import Settings
from workers.topics import Topics


class Watch:
    """Reads command results, sends and statuses of one test's topics."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.topics = Topics(settings.topic_prefix)
        self.results = TopicReader(settings, self.topics.command_results)
        self.sends = TopicReader(settings, self.topics.sends)
        self.statuses = TopicReader(settings, self.topics.lead_status)

    async def __aenter__(self) -> Watch:
        for reader in (self.results, self.sends, self.statuses):
            await reader.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        for reader in (self.results, self.sends, self.statuses):
            await reader.__aexit__(*exc)

    async def do(self, body: dict[str, Any]) -> dict[str, Any]:
        """Publish a command and wait for its result."""
        key = f"{body['campaign_id']}:{body['lead_id']}"
        await publish(self.settings, self.topics.commands, [(key, body)])
        return await self.result(body["command_id"])

    async def result(self, command_id: str) -> dict[str, Any]:
        async def found() -> dict[str, Any] | None:
            await self.results.poll()
            return next((r for r in self.results.values() if r["command_id"] == command_id), None)

        return await eventually(found)

    async def sent(self, send_id: str, *, timeout_s: float = 30.0) -> dict[str, Any]:
        async def found() -> dict[str, Any] | None:
            await self.sends.poll()
            return next((s for s in self.sends.values() if s["send_id"] == send_id), None)

        return await eventually(found, timeout_s=timeout_s)

    async def status(self, lead_id: str, wanted: str, *, after: int = 0) -> dict[str, Any]:
        """The lead's latest status once it is ``wanted`` with a version above ``after``."""

        async def found() -> dict[str, Any] | None:
            await self.statuses.poll()
            mine = [s for s in self.statuses.values() if s["lead_id"] == lead_id]
            latest = mine[-1] if mine else None
            if latest and latest["status"] == wanted and latest["version"] > after:
                return latest
            return None

        return await eventually(found)

    async def send_ids(self) -> list[str]:
        await self.sends.poll()
        return [s["send_id"] for s in self.sends.values()]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def _campaign(settings: Settings, body: dict[str, Any]) -> None:
    await publish(settings, Topics(settings.topic_prefix).campaigns, [(body["campaign_id"], body)])


class TestSequencing:
    """Enrolled leads are sent every step once, in order, then complete."""

    async def test_enrolled_lead_gets_every_step_once(self, settings: Settings) -> None:
        """Three steps are requested once each, in order, and the lead ends completed."""
        await _campaign(settings, campaign("c1", delays=["PT0S", "PT0.5S", "PT0.5S"]))
        async with running_sequencer(settings), Watch(settings) as watch:
            await watch.do(command("c1", "l1", "enroll"))
            await watch.status("l1", "completed")
            await watch.sent("c1:l1:3")
            assert ["c1:l1:1", "c1:l1:2", "c1:l1:3"] == await watch.send_ids()


class TestTimerWakeUps:
    """A wake-up time the sequencer writes is acted on at once, not at the timer loop's next poll.

    The poll interval is set far beyond the wait allowed, so only the wake-up can pass.
    """

    async def test_enrolment_is_sent_without_waiting_for_the_poll(self, settings: Settings) -> None:
        await _campaign(settings, campaign("c1"))
        async with running_sequencer(settings, poll_s=120.0), Watch(settings) as watch:
            await watch.do(command("c1", "l1", "enroll"))
            await watch.sent("c1:l1:1", timeout_s=20.0)

    async def test_launch_and_campaign_resume_wake_the_timers(self, settings: Settings) -> None:
        await _campaign(settings, campaign("c1", status="draft", delays=["PT0S", "PT2S"]))
        async with running_sequencer(settings, poll_s=120.0), Watch(settings) as watch:
            await watch.do(command("c1", "l1", "enroll"))
            await _campaign(settings, campaign("c1", version=2, delays=["PT0S", "PT2S"]))
            await watch.sent("c1:l1:1", timeout_s=20.0)
            await _campaign(
                settings, campaign("c1", version=3, status="paused", delays=["PT0S", "PT2S"])
            )
            await eventually(lambda: _frozen(watch))
            await settle(2.5)  # step 2 would have been due by now: the timer loop sleeps
            assert ["c1:l1:1"] == await watch.send_ids()
            await _campaign(settings, campaign("c1", version=4, delays=["PT0S", "PT2S"]))
            await watch.sent("c1:l1:2", timeout_s=20.0)

    async def test_opened_sending_window_wakes_the_timers(self, settings: Settings) -> None:
        """A due step held by a closed window goes out once new settings open the window."""
        days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        # A zone whose clock is far from midnight now, so "today" stays today during the test.
        zone = "UTC" if 2 <= datetime.now(UTC).hour <= 21 else "America/Chicago"
        today = datetime.now(ZoneInfo(zone)).weekday()
        closed = [d for i, d in enumerate(days) if i not in (today, (today + 1) % 7)]
        window = {"timezone": zone, "start": "00:00", "end": "23:59"}
        await _campaign(settings, campaign("c1", sending_window={**window, "days": closed}))
        async with running_sequencer(settings, poll_s=120.0), Watch(settings) as watch:
            await watch.do(command("c1", "l1", "enroll"))
            await watch.status("l1", "in_progress")
            await _campaign(
                settings, campaign("c1", version=2, sending_window={**window, "days": days})
            )
            await watch.sent("c1:l1:1", timeout_s=20.0)


class TestPauseAndResume:
    """Pause freezes the countdown and keeps the position; resume continues with what was left."""

    async def test_paused_on_day_2_of_a_4_day_delay(self, settings: Settings) -> None:
        """Paused halfway through a 4 s delay, the lead gets its next step 2 s after the resume."""
        await _campaign(settings, campaign("c1", delays=["PT0S", "PT4S"]))
        async with running_sequencer(settings), Watch(settings) as watch:
            await watch.do(command("c1", "l1", "enroll"))
            first = await watch.sent("c1:l1:1")
            await settle(2.0)  # "day 2" of the delay
            paused = await watch.do(command("c1", "l1", "pause"))
            status = await watch.status("l1", "paused")
            await settle(3.0)  # paused time must not count
            assert ["c1:l1:1"] == await watch.send_ids()
            resumed = await watch.do(command("c1", "l1", "resume"))
            second = await watch.sent("c1:l1:2")
        elapsed_before_pause = (_at(paused["at"]) - _at(first["requested_at"])).total_seconds()
        wait_after_resume = (_at(second["requested_at"]) - _at(resumed["at"])).total_seconds()
        assert "applied" == paused["outcome"] == resumed["outcome"]
        assert 2 == status["next_step"]
        assert status["remaining_seconds"] == pytest.approx(4.0 - elapsed_before_pause, abs=0.05)
        assert wait_after_resume == pytest.approx(status["remaining_seconds"], abs=0.5)

    async def test_pause_until_resumes_by_itself(self, settings: Settings) -> None:
        """A pause with resume_at returns to in_progress at that time and sends the next step."""
        await _campaign(settings, campaign("c1", delays=["PT0S", "PT1S"]))
        async with running_sequencer(settings), Watch(settings) as watch:
            await watch.do(command("c1", "l1", "enroll"))
            await watch.sent("c1:l1:1")
            until = datetime.now(UTC) + timedelta(seconds=1.5)
            await watch.do(command("c1", "l1", "pause", resume_at=until.isoformat()))
            paused = await watch.status("l1", "paused")
            resumed = await watch.status("l1", "in_progress", after=paused["version"])
            second = await watch.sent("c1:l1:2")
        assert _at(resumed["updated_at"]) >= until
        assert _at(second["requested_at"]) >= until


class TestStopAndSkip:
    """Stop is final; skip works only before the lead starts."""

    async def test_stop_is_final(self, settings: Settings) -> None:
        """A stopped lead cannot be resumed and is never sent another step."""
        await _campaign(settings, campaign("c1", delays=["PT0S", "PT1S"]))
        async with running_sequencer(settings), Watch(settings) as watch:
            await watch.do(command("c1", "l1", "enroll"))
            await watch.sent("c1:l1:1")
            stopped = await watch.do(command("c1", "l1", "stop"))
            resumed = await watch.do(command("c1", "l1", "resume"))
            await settle(1.5)  # past the step's due time
            assert ["c1:l1:1"] == await watch.send_ids()
        assert ("applied", "rejected") == (stopped["outcome"], resumed["outcome"])
        assert "stopped" == resumed["status"]

    async def test_skip_before_launch(self, settings: Settings) -> None:
        """In a draft campaign a skipped lead never starts; pause is refused with a hint to skip."""
        await _campaign(settings, campaign("c1", status="draft"))
        async with running_sequencer(settings), Watch(settings) as watch:
            await watch.do(command("c1", "l1", "enroll"))
            await watch.do(command("c1", "l2", "enroll"))
            pause = await watch.do(command("c1", "l1", "pause"))
            skip = await watch.do(command("c1", "l2", "skip"))
            await _campaign(settings, campaign("c1", version=2, status="active"))
            await watch.sent("c1:l1:1")
            await watch.status("l1", "completed")
            assert ["c1:l1:1"] == await watch.send_ids()
        assert "rejected" == pause["outcome"]
        assert "use skip" in pause["reason"]
        assert "applied" == skip["outcome"]


class TestCommandDelivery:
    """Duplicates have one effect; stale automation is ignored; bad commands reach the DLQ."""

    async def test_same_command_twice_has_one_result(self, settings: Settings) -> None:
        """A command delivered twice is applied once and answered once."""
        await _campaign(settings, campaign("c1", delays=["PT0S", "PT1H"]))
        body = command("c1", "l1", "enroll")
        async with running_sequencer(settings), Watch(settings) as watch:
            key = "c1:l1"
            await publish(settings, watch.topics.commands, [(key, body), (key, body)])
            await watch.result(body["command_id"])
            marker = await watch.do(command("c1", "l1", "pause"))
            answered = [r for r in watch.results.values() if r["command_id"] == body["command_id"]]
        assert 1 == len(answered)
        assert "applied" == marker["outcome"]

    async def test_stale_automation_after_manual_resume(self, settings: Settings) -> None:
        """An automation pause that happened before a manual resume is ignored as stale."""
        await _campaign(settings, campaign("c1", delays=["PT0S", "PT1H"]))
        async with running_sequencer(settings), Watch(settings) as watch:
            await watch.do(command("c1", "l1", "enroll"))
            await watch.do(command("c1", "l1", "pause"))
            resumed_at = datetime.now(UTC)
            await watch.do(command("c1", "l1", "resume", occurred_at=resumed_at.isoformat()))
            late = command(
                "c1",
                "l1",
                "pause",
                source="automation",
                actor=None,
                trigger="reply",
                event_id="r-1",
                occurred_at=(resumed_at - timedelta(minutes=1)).isoformat(),
            )
            result = await watch.do(late)
        assert "ignored" == result["outcome"]
        assert "in_progress" == result["status"]

    async def test_bad_command_goes_to_dlq(self, settings: Settings) -> None:
        """A command that is not JSON reaches the DLQ with a reason; the next one is applied."""
        await _campaign(settings, campaign("c1", delays=["PT0S", "PT1H"]))
        async with running_sequencer(settings), Watch(settings) as watch:
            await publish(settings, watch.topics.commands, [("c1:l1", b"{not json")])
            applied = await watch.do(command("c1", "l1", "enroll"))
            async with TopicReader(settings, watch.topics.dlq) as dlq:
                record = (await eventually(dlq.poll))[0]
        headers = {k: v.decode() for k, v in record.headers}
        assert b"{not json" == record.value
        assert "not valid JSON" in headers["leadflow.error"]
        assert watch.topics.commands == headers["leadflow.source-topic"]
        assert "sequencer" == headers["leadflow.worker"]
        assert "applied" == applied["outcome"]


class TestCampaignPause:
    """A campaign-level pause freezes every countdown; resume continues them."""

    async def test_campaign_pause_freezes_countdown(self, settings: Settings) -> None:
        """Paused for ~2 s, the campaign's next step comes ~2 s later than without the pause."""
        await _campaign(settings, campaign("c1", delays=["PT0S", "PT2S"]))
        async with running_sequencer(settings), Watch(settings) as watch:
            await watch.do(command("c1", "l1", "enroll"))
            first = await watch.sent("c1:l1:1")
            await _campaign(
                settings, campaign("c1", version=2, status="paused", delays=["PT0S", "PT2S"])
            )
            frozen = await eventually(lambda: _frozen(watch))
            await settle(2.5)
            assert ["c1:l1:1"] == await watch.send_ids()
            await _campaign(
                settings, campaign("c1", version=3, status="active", delays=["PT0S", "PT2S"])
            )
            second = await watch.sent("c1:l1:2")
        gap = (_at(second["requested_at"]) - _at(first["requested_at"])).total_seconds()
        assert gap >= 2.0 + 2.5
        assert frozen["remaining_seconds"] > 0


async def _frozen(watch: Watch) -> dict[str, Any] | None:
    await watch.statuses.poll()
    mine = [s for s in watch.statuses.values() if s["lead_id"] == "l1"]
    return mine[-1] if mine and mine[-1]["remaining_seconds"] is not None else None


class TestCampaignLaunch:
    """A launch starts every enrolled lead, however many the campaign has."""

    async def test_launch_starts_more_leads_than_one_chunk(self, settings: Settings) -> None:
        """12,000 not-started leads (over two 5,000-row chunks) all start at the launch."""
        leads = 12_000
        await _campaign(settings, campaign("c1", status="draft", delays=["P1D"]))
        commands = [
            (f"c1:l{i}", command("c1", f"l{i}", "enroll", command_id=f"e-{i}"))
            for i in range(leads)
        ]
        await publish(settings, Topics(settings.topic_prefix).commands, commands)
        async with running_sequencer(settings):
            await eventually(
                lambda: _count(settings, "status = 'not_started'", leads), timeout_s=60
            )
            await _campaign(settings, campaign("c1", version=2, status="active", delays=["P1D"]))
            started = "status = 'in_progress' AND wake_at IS NOT NULL"
            await eventually(lambda: _count(settings, started, leads), timeout_s=60)
        assert leads == await scalar(
            settings.database_url, f"SELECT count(*) FROM leads WHERE {started}"
        )


async def _count(settings: Settings, where: str, wanted: int) -> bool:
    found = await scalar(settings.database_url, f"SELECT count(*) FROM leads WHERE {where}")
    return bool(wanted == found)
