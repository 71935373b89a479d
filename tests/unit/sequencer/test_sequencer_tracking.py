"""The sequencer stamps each send with its tracking token and Message-ID, keeping its ref."""

from __future__ import annotations

import pytest

from schemas import LeadStatusValue, SendRequest
from tests.unit.core.core_factories import HOUR, T0, campaign, lead
from workers.core import Transition, on_timer
from workers.core.tokens import Secrets, ref_for, sign, verify
from workers.sequencer.effects import Effects
from workers.sequencer.tracking import SendStamp
from workers.topics import Topics

SECRETS = Secrets((b"new-secret", b"old-secret"))
STAMP = SendStamp(SECRETS, "mail.example.com")
TOPICS = Topics("leadflow.")


def sending() -> Transition:
    """The timer of lead l-7 of c-42 whose step 2 fell due: one send."""
    transition = on_timer(lead(LeadStatusValue.IN_PROGRESS, due_at=T0), campaign(), T0 + HOUR)
    assert 1 == len(transition.sends)
    return transition


class TestSendStamp:
    """``SendStamp.stamp`` fills in the two v2 fields from the send_id."""

    def test_token_and_message_id(self) -> None:
        """The token is the send's, signed with the first secret; the Message-ID wraps it."""
        (send,) = sending().sends
        stamped, ref = STAMP.stamp(send)
        token = sign("c-42:l-7:2", SECRETS)
        assert (token, f"<{token}@mail.example.com>", ref_for("c-42:l-7:2", SECRETS)) == (
            stamped.tracking_token,
            stamped.message_id,
            ref,
        )
        assert ref == verify(stamped.tracking_token, SECRETS)

    def test_the_stamped_send_is_a_valid_contract_message(self) -> None:
        """What goes to the outbox validates as a SendRequest (the fields are required)."""
        (send,) = sending().sends
        stamped, _ = STAMP.stamp(send)
        again = SendRequest.model_validate_json(stamped.model_dump_json())
        assert stamped.tracking_token == again.tracking_token


class TestEffects:
    """``Effects`` stamps every send it writes and keeps the refs for ``send_tokens``."""

    def test_outbox_carries_the_stamped_send(self) -> None:
        """The sends topic's record holds the token and the Message-ID; the ref is kept."""
        effects = Effects(TOPICS, stamp=STAMP)
        effects.add(sending(), campaign())
        (record,) = [r for r in effects.outbox if r.topic == TOPICS.sends]
        assert record.value is not None
        published = SendRequest.model_validate_json(record.value)
        assert sign("c-42:l-7:2", SECRETS) == published.tracking_token
        assert {"c-42:l-7:2": ref_for("c-42:l-7:2", SECRETS)} == effects.refs

    def test_dropped_sends_drop_their_refs(self) -> None:
        """A send the send log refuses leaves no token row behind."""
        effects = Effects(TOPICS, stamp=STAMP)
        effects.add(sending(), campaign())
        effects.drop_sends({"c-42:l-7:2"})
        assert ([], {}) == (effects.sends, effects.refs)

    def test_sending_without_a_stamp_is_a_bug(self) -> None:
        """Effects built without a stamp refuse a transition that sends."""
        with pytest.raises(RuntimeError, match="no SendStamp"):
            Effects(TOPICS).add(sending(), campaign())
