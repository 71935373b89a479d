"""The campaign settings table: which campaigns records change what is held."""

from __future__ import annotations

import json
from typing import Any

import pytest

from schemas import AutomationAction, CampaignSettings
from workers.ingest.campaigns import CampaignTable, ChangeKind, classify


def raw(campaign_id: str = "c-42", version: int = 1, **extra: Any) -> dict[str, Any]:
    """A CampaignSettings document as JSON-ready data."""
    return {
        "campaign_id": campaign_id,
        "version": version,
        "status": "active",
        "steps": [{"delay": "PT0S"}, {"delay": "P2D"}],
        "sender_id": "mbx-1",
        **extra,
    }


def encoded(**kw: Any) -> bytes:
    """A CampaignSettings record value."""
    return json.dumps(raw(**kw)).encode()


def held(version: int = 5) -> dict[str, CampaignSettings]:
    """A table holding campaign c-42 at ``version``."""
    return {"c-42": CampaignSettings.model_validate(raw(version=version))}


class TestClassify:
    """``classify`` decides what one record of the campaigns topic does to the table."""

    @pytest.mark.parametrize(
        ("table", "key", "value", "expected"),
        [
            ({}, b"c-42", encoded(), ChangeKind.STORED),
            (held(5), b"c-42", encoded(version=6), ChangeKind.STORED),
            (held(5), b"c-42", encoded(version=4), ChangeKind.STALE),
            (held(5), b"c-42", encoded(version=5), ChangeKind.STALE),
            (held(5), b"c-42", None, ChangeKind.DELETED),
            ({}, b"c-42", None, ChangeKind.DELETED),
            (held(5), b"c-42", b"{not json", ChangeKind.INVALID),
            (held(5), b"c-42", b"[1, 2]", ChangeKind.INVALID),
            (held(5), b"c-42", encoded(version=-1), ChangeKind.INVALID),
            (held(5), b"c-42", encoded(version=9, campaign_id="c-43"), ChangeKind.INVALID),
            (held(5), None, encoded(version=9), ChangeKind.INVALID),
            (held(5), b"\xff\xfe", encoded(version=9), ChangeKind.INVALID),
        ],
        ids=[
            "new campaign stored",
            "newer version stored",
            "older version ignored",
            "equal version keeps the held one",
            "tombstone deletes",
            "tombstone of an unknown campaign",
            "bad JSON",
            "JSON not an object",
            "schema violation",
            "key differs from campaign_id",
            "no key",
            "key not UTF-8",
        ],
    )
    def test_kind(
        self,
        table: dict[str, CampaignSettings],
        key: bytes | None,
        value: bytes | None,
        expected: ChangeKind,
    ) -> None:
        """Each kind of record is classified as the contract says."""
        assert expected is classify(table, key, value).kind

    def test_stored_carries_the_settings(self) -> None:
        """A stored change carries the decoded settings."""
        change = classify({}, b"c-42", encoded(automation={"reply": "pause"}))
        assert change.settings is not None
        assert AutomationAction.PAUSE is change.settings.automation.reply

    def test_key_mismatch_reason(self) -> None:
        """A key that differs from campaign_id is named in the reason."""
        change = classify({}, b"c-42", encoded(campaign_id="c-43"))
        assert "key 'c-42' does not match campaign_id 'c-43'" == change.reason

    def test_schema_reason_is_readable(self) -> None:
        """A schema violation names the field and the problem."""
        change = classify({}, b"c-42", encoded(status="launched"))
        assert change.reason is not None
        assert change.reason.startswith("invalid CampaignSettings: status: ")

    def test_stale_reason(self) -> None:
        """An older version says which version is held."""
        change = classify(held(5), b"c-42", encoded(version=3))
        assert "version 3 is not newer than held version 5" == change.reason


class TestCampaignTable:
    """``CampaignTable.apply`` changes what is held only for good, newer records."""

    def test_stores_and_reads(self) -> None:
        """Stored settings are returned by ``get``."""
        table = CampaignTable()
        table.apply(b"c-42", encoded(version=1))
        assert 1 == len(table)
        assert table.get("c-42") is not None

    def test_bad_record_keeps_good_settings(self) -> None:
        """A bad record for a held campaign leaves its settings in place."""
        table = CampaignTable()
        table.apply(b"c-42", encoded(version=2, automation={"reply": "pause"}))
        table.apply(b"c-42", b'{"campaign_id": "c-42", "version": 3}')
        settings = table.get("c-42")
        assert settings is not None
        assert (2, AutomationAction.PAUSE) == (settings.version, settings.automation.reply)

    def test_older_version_keeps_newer(self) -> None:
        """An older version after a newer one is ignored."""
        table = CampaignTable()
        table.apply(b"c-42", encoded(version=7))
        table.apply(b"c-42", encoded(version=6))
        settings = table.get("c-42")
        assert settings is not None
        assert 7 == settings.version

    def test_tombstone_deletes(self) -> None:
        """A null value removes the campaign."""
        table = CampaignTable()
        table.apply(b"c-42", encoded())
        table.apply(b"c-42", None)
        assert (0, None) == (len(table), table.get("c-42"))

    def test_re_creation_after_deletion_accepts_a_lower_version(self) -> None:
        """After a tombstone, a lower version starts the campaign anew (the core's rule)."""
        table = CampaignTable()
        table.apply(b"c-42", encoded(version=5))
        table.apply(b"c-42", None)
        change = table.apply(b"c-42", encoded(version=2))
        settings = table.get("c-42")
        assert (ChangeKind.STORED, 2) == (change.kind, settings.version if settings else None)

    def test_initial_settings(self) -> None:
        """A table can start from given settings."""
        table = CampaignTable(held(4).values())
        assert ChangeKind.STALE is table.apply(b"c-42", encoded(version=4)).kind
