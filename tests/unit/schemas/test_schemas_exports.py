"""The public surface of ``schemas`` and its exported JSON Schemas."""

from __future__ import annotations

from pathlib import Path

import pytest

import schemas
from tools import schema_export


class TestExportedMembers:
    """schemas exports the message models and their enums, nothing else."""

    def test_all_is_pinned(self) -> None:
        """The exported names are exactly the contract's models and enums."""
        assert [
            "Action",
            "Automation",
            "AutomationAction",
            "BookingEvent",
            "BookingStatus",
            "CampaignSettings",
            "CampaignStatus",
            "ClickEvent",
            "CommandResult",
            "DlqHeaders",
            "LeadCommand",
            "LeadStatus",
            "LeadStatusValue",
            "OutOfOfficeAction",
            "Outcome",
            "ReplyEvent",
            "ReplyKind",
            "ScannerClicks",
            "SendRequest",
            "SendingWindow",
            "Source",
            "Step",
            "Suppression",
            "SuppressionReason",
            "Trigger",
            "Weekday",
        ] == sorted(schemas.__all__)

    def test_every_name_resolves(self) -> None:
        """Each exported name is importable from the package."""
        assert all(hasattr(schemas, name) for name in schemas.__all__)


class TestSchemaExport:
    """python -m tools.schema_export keeps schemas/json/ in step with the models."""

    def test_committed_schemas_are_up_to_date(self) -> None:
        """The files in schemas/json/ are what the models generate now."""
        assert [] == schema_export.stale_files()

    def test_one_file_per_message(self) -> None:
        """Each topic's message has its schema file, named in snake case."""
        names = sorted(p.name for p in schema_export.expected_files())

        assert [
            "booking_event.schema.json",
            "campaign_settings.schema.json",
            "click_event.schema.json",
            "command_result.schema.json",
            "lead_command.schema.json",
            "lead_status.schema.json",
            "reply_event.schema.json",
            "send_request.schema.json",
            "suppression.schema.json",
        ] == names

    def test_write_then_check(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--check fails on a missing or edited file and passes after a write."""
        assert 1 == schema_export.main(["--check", "--dir", str(tmp_path)])
        assert 0 == schema_export.main(["--dir", str(tmp_path)])
        assert 0 == schema_export.main(["--check", "--dir", str(tmp_path)])

        (tmp_path / "lead_status.schema.json").write_text("{}", encoding="utf-8")

        assert 1 == schema_export.main(["--check", "--dir", str(tmp_path)])
        assert "out of date" in capsys.readouterr().err
