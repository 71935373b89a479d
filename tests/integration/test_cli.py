"""The operator CLI against the real broker, database and an in-process sequencer."""

from __future__ import annotations

import asyncio
import json
import os
from asyncio.subprocess import PIPE
from dataclasses import dataclass
from pathlib import Path

import pytest

from schemas import LeadStatus
from tests.integration.helpers import TopicReader, eventually
from tests.integration.sequencer_helpers import campaign, running_sequencer
from workers.errors import CliError
from workers.ops.commands import campaign_put, lead_action, lead_show, leads_list, request
from workers.ops.inputs import manual_command
from workers.settings import Settings
from workers.topics import Topics

ROOT = Path(__file__).resolve().parents[2]
LEADFLOW = str(ROOT / ".venv/bin/leadflow")
#: Step 2 comes long after step 1, so a lead stays in progress for the whole test.
SLOW = ["PT0S", "PT1H", "PT2H"]


@dataclass(frozen=True)
class Done:
    """What a ``leadflow`` process printed and its exit status."""

    returncode: int
    stdout: str
    stderr: str


async def cli(settings: Settings, *argv: str, stdin: str | None = None) -> Done:
    """Run ``leadflow ARGV`` against the test's broker, topics and database (without blocking
    the event loop, where the sequencer runs)."""
    env = {
        **os.environ,
        "LEADFLOW_KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "LEADFLOW_TOPIC_PREFIX": settings.topic_prefix,
        "LEADFLOW_DATABASE_URL": settings.database_url,
    }
    process = await asyncio.create_subprocess_exec(
        LEADFLOW, *argv, env=env, stdin=PIPE, stdout=PIPE, stderr=PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(stdin.encode() if stdin else None), 60)
    assert process.returncode is not None
    return Done(process.returncode, out.decode(), err.decode())


async def put(settings: Settings, tmp_path: Path, **doc: object) -> list[str]:
    """``campaign put`` a campaign c1 document through a file; return what it printed."""
    path = tmp_path / "campaign.json"
    path.write_text(json.dumps(campaign("c1", **doc)))  # type: ignore[arg-type]
    printed: list[str] = []
    assert 0 == await campaign_put(settings, str(path), out=printed.append)
    return printed


async def act(
    settings: Settings,
    action: str,
    lead_id: str,
    *,
    until: str | None = None,
    reason: str | None = None,
) -> tuple[int, str]:
    """Run ``lead ACTION c1 LEAD_ID``; return its exit status and printed line."""
    printed: list[str] = []
    command = manual_command(action, "c1", lead_id, actor="alice", until=until, reason=reason)
    code = await lead_action(settings, command, timeout_s=30, out=printed.append)
    return code, printed[0]


class TestCampaignPut:
    """``campaign put`` validates a document and publishes it keyed by campaign id."""

    async def test_publishes_keyed_by_campaign(self, settings: Settings, tmp_path: Path) -> None:
        """A valid file is published once to campaigns, keyed by its id, with a confirmation."""
        printed = await put(settings, tmp_path, status="draft", delays=SLOW)
        assert [
            f"published campaign c1 version 1 (draft, 3 steps) to {settings.topic_prefix}campaigns"
        ] == printed
        async with TopicReader(settings, Topics(settings.topic_prefix).campaigns) as reader:
            await reader.wait_for(1)
        assert [b"c1"] == [r.key for r in reader.records]
        assert "draft" == reader.values()[0]["status"]

    async def test_bad_document_publishes_nothing(self, settings: Settings, tmp_path: Path) -> None:
        """A document that breaks the schema is refused in one line and nothing is published."""
        path = tmp_path / "bad.json"
        path.write_text(json.dumps({**campaign("c1"), "steps": []}))
        with pytest.raises(CliError, match="invalid campaign settings: steps"):
            await campaign_put(settings, str(path))
        async with TopicReader(settings, Topics(settings.topic_prefix).campaigns) as reader:
            assert [] == await reader.poll()

    async def test_from_stdin(self, settings: Settings) -> None:
        """``campaign put -`` reads the document from stdin."""
        done = await cli(settings, "campaign", "put", "-", stdin=json.dumps(campaign("c9")))
        assert (0, "") == (done.returncode, done.stderr)
        assert done.stdout.startswith("published campaign c9 version 1 (active, 1 steps)")


class TestLeadActions:
    """``lead <action>`` waits for the sequencer's answer and exits by its outcome."""

    async def test_enroll_pause_pause_skip(self, settings: Settings, tmp_path: Path) -> None:
        """Enroll and pause apply (0), a second pause is ignored (0), skip is rejected (1)."""
        await put(settings, tmp_path, delays=SLOW)
        async with running_sequencer(settings):
            assert 0 == (await act(settings, "enroll", "l1"))[0]
            paused = await act(settings, "pause", "l1", reason="call first")
            again = await act(settings, "pause", "l1")
            skipped = await act(settings, "skip", "l1")
        assert (0, "applied: lead c1/l1 is now paused (paused by alice: call first)") == paused
        assert (0, "ignored: lead is already paused (status paused)") == again
        assert (
            1,
            "rejected: lead has already started: pause or stop it instead (status paused)",
        ) == skipped

    async def test_through_the_command_line(self, settings: Settings, tmp_path: Path) -> None:
        """The installed command prints the result on stdout and exits 1 on a rejection."""
        await put(settings, tmp_path, status="draft", delays=SLOW)
        async with running_sequencer(settings):
            enrolled = await cli(settings, "lead", "enroll", "c1", "l1", "--actor", "bob")
            paused = await cli(settings, "lead", "pause", "c1", "l1")
        assert (0, "") == (enrolled.returncode, enrolled.stderr)
        assert "applied: lead c1/l1 is now not_started" in enrolled.stdout
        assert (1, "") == (paused.returncode, paused.stderr)
        assert (
            "rejected: lead has not started yet: use skip instead (status not_started)\n"
            == paused.stdout
        )

    async def test_no_sequencer_no_answer(self, settings: Settings) -> None:
        """Without a sequencer the command ends after its timeout with exit 2."""
        command = manual_command("pause", "c1", "l1")
        with pytest.raises(CliError, match=r"no answer to pause c1/l1 within 1\.5s") as caught:
            await request(settings, command, timeout_s=1.5)
        assert 2 == caught.value.exit_code


class TestShowAndList:
    """``lead show`` explains one lead; ``leads list`` filters and prints them all."""

    async def test_show_and_list(self, settings: Settings, tmp_path: Path) -> None:
        """A paused lead is explained, filtered by status and printed as LeadStatus JSON."""
        await put(settings, tmp_path, delays=SLOW)
        async with running_sequencer(settings):
            for lead_id in ("l1", "l2", "l3"):
                assert 0 == (await act(settings, "enroll", lead_id))[0]
            await act(settings, "pause", "l2", until="2099-01-01T00:00:00Z", reason="ooo")
        shown: list[str] = []
        assert 0 == await lead_show(settings, "c1", "l2", out=shown.append)
        assert "  status     paused" == shown[1]
        assert shown[-1].startswith("why: paused by alice: ooo until 2099-01-01T00:00:00Z at ")
        assert "auto-resumes at 2099-01-01T00:00:00Z" in shown[-1]
        table: list[str] = []
        assert 0 == await leads_list(settings, campaign_id="c1", out=table.append)
        assert ["l1", "l2", "l3"] == [line.split()[1] for line in table[1:]]
        lines: list[str] = []
        await leads_list(settings, status="paused", as_json=True, out=lines.append)
        assert ["l2"] == [LeadStatus.model_validate_json(line).lead_id for line in lines]
        assert ["no leads match"] == await self._listed(settings, campaign_id="c2")

    async def _listed(self, settings: Settings, **filters: str) -> list[str]:
        printed: list[str] = []
        await leads_list(settings, out=printed.append, **filters)  # type: ignore[arg-type]
        return printed

    async def test_unknown_lead(self, settings: Settings) -> None:
        """Showing a lead that is not enrolled is one line and exit 1."""
        done = await cli(settings, "lead", "show", "c1", "nobody")
        assert (1, "leadflow: lead nobody is not enrolled in campaign c1\n", "") == (
            done.returncode,
            done.stderr,
            done.stdout,
        )

    async def test_list_json_through_the_command_line(
        self, settings: Settings, tmp_path: Path
    ) -> None:
        """``leads list --json`` prints one LeadStatus object per line."""
        await put(settings, tmp_path, delays=SLOW)
        async with running_sequencer(settings):
            await act(settings, "enroll", "l1")

            async def sent() -> bool:
                done = await cli(settings, "leads", "list", "--json")
                return bool(json.loads(done.stdout)["next_step"] == 2)

            await eventually(sent)
        done = await cli(settings, "leads", "list", "--status", "in_progress", "--json")
        assert 0 == done.returncode
        status = LeadStatus.model_validate_json(done.stdout)
        assert ("l1", 2, None) == (status.lead_id, status.next_step, status.remaining_seconds)
