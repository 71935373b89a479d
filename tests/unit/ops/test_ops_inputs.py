"""What a person types becomes validated commands, or one readable error."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas import Action, Source
from tests.unit.ops.factories import T0
from workers.errors import CliError
from workers.ops.inputs import (
    check_id,
    default_actor,
    manual_command,
    parse_campaign,
    parse_until,
    read_text,
)


class TestCheckId:
    """Ids follow the contract's pattern."""

    def test_valid(self) -> None:
        """A valid id passes unchanged."""
        assert "c-42.x_1" == check_id("campaign id", "c-42.x_1")

    @pytest.mark.parametrize("bad", ["", "-x", "a b", "é", "x" * 129])
    def test_invalid(self, bad: str) -> None:
        """A bad id is an exit-2 error naming the id."""
        with pytest.raises(CliError, match="is not a valid id") as caught:
            check_id("lead id", bad)
        assert 2 == caught.value.exit_code


class TestParseUntil:
    """``--until`` is RFC 3339 with an offset."""

    def test_absent(self) -> None:
        """No --until gives None."""
        assert parse_until(None) is None

    def test_offset(self) -> None:
        """An offset is converted to UTC."""
        assert datetime(2026, 6, 1, 8, 0, tzinfo=UTC) == parse_until("2026-06-01T10:00:00+02:00")

    def test_zulu(self) -> None:
        """A Z suffix is UTC."""
        assert T0 == parse_until("2026-06-01T10:00:00Z")

    def test_naive(self) -> None:
        """A time without an offset is refused."""
        with pytest.raises(CliError, match="has no UTC offset"):
            parse_until("2026-06-01T10:00:00")

    def test_garbage(self) -> None:
        """Text that is no timestamp is refused."""
        with pytest.raises(CliError, match="is not a timestamp"):
            parse_until("next monday")


class TestManualCommand:
    """The CLI's LeadCommands are manual, with a fresh id and an actor."""

    def test_pause_until(self) -> None:
        """A pause carries resume_at, the actor and the reason."""
        command = manual_command(
            "pause",
            "c-42",
            "l-7",
            actor="alice",
            until="2026-06-02T10:00:00Z",
            reason="ooo",
            now=T0,
        )
        assert (Action.PAUSE, Source.MANUAL, "alice", "ooo", T0) == (
            command.action,
            command.source,
            command.actor,
            command.reason,
            command.occurred_at,
        )
        assert datetime(2026, 6, 2, 10, tzinfo=UTC) == command.resume_at
        assert command.command_id.startswith("cli-")

    def test_unique_ids(self) -> None:
        """Two commands never share a command id."""
        first = manual_command("stop", "c-42", "l-7")
        assert first.command_id != manual_command("stop", "c-42", "l-7").command_id

    def test_actor_from_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without --actor the actor is $USER, else "cli"."""
        monkeypatch.setenv("USER", "bob")
        assert "bob" == default_actor(None)
        monkeypatch.delenv("USER")
        assert "cli" == default_actor(None)

    @pytest.mark.parametrize("action", ["enroll", "resume", "stop", "skip"])
    def test_until_only_with_pause(self, action: str) -> None:
        """--until on any other verb is refused with the reason, not silently dropped."""
        with pytest.raises(CliError, match=f"--until applies to `lead pause` only.*{action}"):
            manual_command(action, "c-42", "l-7", until="2026-06-02T10:00:00Z")

    def test_bad_lead_id(self) -> None:
        """A bad lead id is refused before anything is built."""
        with pytest.raises(CliError, match="lead id 'l 7'"):
            manual_command("skip", "c-42", "l 7")


CAMPAIGN = '{"campaign_id": "c-1", "version": 2, "status": "draft", "steps": [{"delay": "P1D"}],'
CAMPAIGN += ' "sender_id": "mbx-1"}'


class TestParseCampaign:
    """Campaign documents are validated as CampaignSettings."""

    def test_valid(self) -> None:
        """A valid document gives its settings."""
        assert ("c-1", 2) == (
            parse_campaign(CAMPAIGN, "f").campaign_id,
            parse_campaign(CAMPAIGN, "f").version,
        )

    @pytest.mark.parametrize(
        ("expected", "text"),
        [
            ("f: empty", "  "),
            ("f: invalid campaign settings: message: not valid JSON", "{"),
            (
                "f: invalid campaign settings: version: Field required",
                CAMPAIGN.replace('"version": 2,', ""),
            ),
            ("f: invalid campaign settings: message: not a JSON object", "[]"),
        ],
    )
    def test_invalid(self, expected: str, text: str) -> None:
        """A bad document is one line naming its source and the problem."""
        with pytest.raises(CliError) as caught:
            parse_campaign(text, "f")
        assert str(caught.value).startswith(expected)
        assert "\n" not in str(caught.value)


class TestReadText:
    """Campaign files are read from a path."""

    def test_missing(self) -> None:
        """A missing file is one line naming it."""
        with pytest.raises(CliError, match=r"cannot read /nonexistent/x\.json: No such file"):
            read_text("/nonexistent/x.json")
