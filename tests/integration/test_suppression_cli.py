"""``leadflow suppress`` and ``leadflow suppressions list`` against the real broker and database."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from schemas import Suppression
from tests.integration.helpers import eventually
from tests.integration.sequencer_helpers import running_sequencer
from tests.integration.suppression_helpers import (
    enroll_everywhere,
    suppression_row,
    wait_statuses,
)
from tests.integration.test_cli import LEADFLOW, cli
from workers.settings import Settings

pytestmark = pytest.mark.integration

CAMPAIGNS = ["c1", "c2", "c3"]


class TestManualSuppression:
    """An operator suppresses a person by hand: stopped in every campaign, shown, listed."""

    async def test_add_show_list_remove(self, settings: Settings) -> None:
        """`suppress add` stops l-7 everywhere; show and list say so; `remove` lifts it."""
        async with running_sequencer(settings):
            await enroll_everywhere(settings, "l-7", CAMPAIGNS, delays=["PT0S", "P1D"])
            await wait_statuses(settings.database_url, "l-7", len(CAMPAIGNS), "in_progress")
            added = await cli(settings, "suppress", "add", "l-7", "--note", "asked by phone")
            stopped = await wait_statuses(settings.database_url, "l-7", len(CAMPAIGNS), "stopped")
            shown = await cli(settings, "lead", "show", "c2", "l-7")
            listed = await cli(settings, "suppressions", "list", "--json")
            none = await cli(settings, "suppressions", "list", "--json", "--reason", "bounce")
            table = await cli(settings, "suppressions", "list")
            leads = await cli(settings, "leads", "list", "--json")
            no_leads = await cli(settings, "leads", "list", "--json", "--campaign", "c9")
            removed = await cli(settings, "suppress", "remove", "l-7")

            async def lifted() -> bool:
                row = await suppression_row(settings.database_url, "l-7")
                return bool(row and row["lifted"])

            await eventually(lifted)
            after = await cli(settings, "suppressions", "list")
            empty = await cli(settings, "suppressions", "list", "--json")
        assert (0, "") == (added.returncode, added.stderr)
        assert added.stdout.startswith("suppressed l-7 (manual, ")
        assert {"stopped: l-7 is suppressed (manual"} == {r[:34] for _, r in stopped.values()}
        assert "  suppressed manual since " in shown.stdout
        [line] = listed.stdout.splitlines()
        record = Suppression.model_validate_json(line)
        assert ("l-7", "manual", "asked by phone") == (record.lead_id, record.reason, record.note)
        assert (0, "") == (none.returncode, none.stdout)
        assert table.stdout.splitlines()[1].startswith("l-7   manual")
        statuses = [json.loads(line) for line in leads.stdout.splitlines()]
        assert [("stopped", "manual")] * 3 == [(s["status"], s["suppressed"]) for s in statuses]
        assert (0, "") == (no_leads.returncode, no_leads.stdout)
        assert (0, "") == (removed.returncode, removed.stderr)
        assert "lifted the suppression of l-7" in removed.stdout
        assert ["no suppressions"] == after.stdout.splitlines()
        assert (0, "") == (empty.returncode, empty.stdout)

    async def test_json_lines_only(self, settings: Settings) -> None:
        """Every line of `--json` is one JSON object, in lead_id order."""
        for lead_id in ("l-2", "l-1"):
            assert 0 == (await cli(settings, "suppress", "add", lead_id)).returncode
        async with running_sequencer(settings):

            async def listed() -> list[str] | None:
                done = await cli(settings, "suppressions", "list", "--json")
                lines = done.stdout.splitlines()
                return lines if len(lines) == 2 else None

            lines = await eventually(listed)
        assert ["l-1", "l-2"] == [json.loads(line)["lead_id"] for line in lines]


#: Nothing listens on port 1: connections are refused at once.
NOWHERE = {
    "LEADFLOW_KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",
    "LEADFLOW_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/leadflow",
}


class TestOneLineErrors:
    """Bad input and unreachable services: one stderr line, exit 2, nothing on stdout."""

    @pytest.mark.parametrize(
        ("expected", "argv"),
        [
            ("lead id 'bad id!' is not a valid id", ["suppress", "add", "bad id!"]),
            ("lead id 'bad id!' is not a valid id", ["suppress", "remove", "bad id!"]),
            ("argument --reason: invalid choice", ["suppress", "add", "l1", "--reason", "x"]),
            ("argument --reason: invalid choice", ["suppressions", "list", "--reason", "x"]),
            ("--note is 1001 characters long", ["suppress", "add", "l1", "--note", "n" * 1001]),
            ("--timeout 0 must be a positive", ["suppress", "remove", "l1", "--timeout", "0"]),
            ("cannot reach Kafka at 127.0.0.1:1", ["suppress", "add", "l1"]),
            ("cannot reach Kafka at 127.0.0.1:1", ["suppress", "remove", "l1"]),
            ("cannot reach the database", ["suppressions", "list", "--json"]),
            ("the following arguments are required: lead_id", ["suppress", "add"]),
        ],
    )
    def test_one_line(self, expected: str, argv: list[str]) -> None:
        """One stderr line names the problem; the exit status is 2 and stdout is empty."""
        done = subprocess.run(
            [LEADFLOW, *argv],
            env={**os.environ, **NOWHERE},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        errors = done.stderr.splitlines()
        assert (2, 1, "") == (done.returncode, len(errors), done.stdout), errors
        assert expected in errors[0]
