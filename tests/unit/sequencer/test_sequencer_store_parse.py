"""The claim's campaign settings are parsed once per distinct stored text."""

from __future__ import annotations

from schemas import CampaignSettings
from tests.unit.core.core_factories import settings
from workers.sequencer.store import parse_settings


class TestParseSettings:
    """``parse_settings`` is ``model_validate_json``, remembered."""

    def test_equal_to_a_fresh_parse(self) -> None:
        """The parsed settings equal pydantic's parse of the same text."""
        text = settings().model_dump_json()
        assert CampaignSettings.model_validate_json(text) == parse_settings(text)

    def test_the_same_text_is_parsed_once(self) -> None:
        """A second claim of the same campaign reuses the parsed (frozen) settings."""
        text = settings(version=7).model_dump_json()
        assert parse_settings(text) is parse_settings(text)

    def test_a_new_version_is_parsed_anew(self) -> None:
        """Changed settings (another text) are parsed, never mistaken for the old ones."""
        old, new = (settings(version=v).model_dump_json() for v in (8, 9))
        assert (8, 9) == (parse_settings(old).version, parse_settings(new).version)
