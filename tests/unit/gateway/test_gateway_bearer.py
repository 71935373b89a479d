"""The bearer-token JSON routes: who may post, and all-or-none validation."""

from __future__ import annotations

import base64
import json

import pytest

from schemas import ReplyEvent
from tests.unit.gateway.payloads import TOKEN, reply_mime
from workers.gateway.bearer import InvalidItems, authorized, parse_events
from workers.gateway.core import BadBody, Topic

CLICK = {
    "event_id": "k-1",
    "campaign_id": "c-1",
    "lead_id": "l-1",
    "occurred_at": "2026-06-01T10:00:00Z",
    "url": "https://example.com",
}


class TestAuthorized:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("Bearer second", True),
            ("bearer first", True),
            ("Bearer third", False),
            ("Basic first", False),
            ("Bearer ", False),
            ("", False),
        ],
    )
    def test_one_of_the_tokens_is_required(self, value: str, expected: bool) -> None:
        """Only a bearer token of the configured list is accepted."""
        assert expected is authorized({"Authorization": value}, ["first", "second"])


class TestParseEvents:
    def test_one_event_or_an_array(self) -> None:
        """A single object and an array of objects are both accepted."""
        one = parse_events(Topic.CLICKS, json.dumps(CLICK).encode())
        many = parse_events(
            Topic.CLICKS, json.dumps([CLICK, {**CLICK, "event_id": "k-2"}]).encode()
        )
        assert (1, 2) == (len(one), len(many))

    def test_one_invalid_item_rejects_all_with_reasons(self) -> None:
        """All or none: each invalid item is named with its reason."""
        body = json.dumps([CLICK, {**CLICK, "url": None}, {"event_id": "?"}]).encode()
        with pytest.raises(InvalidItems) as caught:
            parse_events(Topic.CLICKS, body)
        assert [1, 2] == [e.index for e in caught.value.errors]
        assert "url" in caught.value.errors[0].reason

    @pytest.mark.parametrize("body", [b"[]", b"nope", json.dumps([CLICK] * 1001).encode()])
    def test_unreadable_bodies_are_bad(self, body: bytes) -> None:
        """Empty, non-JSON or oversized batches are bad bodies."""
        with pytest.raises(BadBody):
            parse_events(Topic.CLICKS, body)

    def test_raw_reply_is_referenced_by_its_in_reply_to(self) -> None:
        """A raw reply without token is keyed by the Message-ID it answers."""
        item = {
            "event_id": "r-1",
            "occurred_at": "2026-06-01T10:00:00Z",
            "raw_message": base64.b64encode(reply_mime()).decode(),
        }
        (mapped,) = parse_events(Topic.REPLIES, json.dumps(item).encode())
        assert isinstance(mapped.event, ReplyEvent)
        assert TOKEN == mapped.ref
