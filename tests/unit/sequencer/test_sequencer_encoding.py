"""The timer path's serializers write exactly what ``model_dump_json`` writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from schemas import LeadStatus, LeadStatusValue, SendRequest
from schemas.enums import SuppressionReason
from tests.unit.core.core_factories import T0
from workers.sequencer.encoding import lead_status_json, send_request_json

TOKEN = "1" + "A" * 32
MESSAGE_ID = f"<{TOKEN}@mail.example.com>"

texts = st.text(min_size=1, max_size=40)
stamps = st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.just(UTC)
)


def send(**changes: Any) -> SendRequest:
    """Step 2 of l-7 in c-42, unsigned, as the core builds it."""
    values: dict[str, Any] = {
        "send_id": "c-42:l-7:2",
        "campaign_id": "c-42",
        "lead_id": "l-7",
        "step": 2,
        "sender_id": "mbx-1",
        "template_id": None,
        "due_at": T0,
        "requested_at": T0 + timedelta(microseconds=1234),
        "message_id": "",
        "tracking_token": "",
    }
    return SendRequest.model_construct(**(values | changes))


def status(**changes: Any) -> LeadStatus:
    """l-7's status after its step 1 was sent."""
    values: dict[str, Any] = {
        "campaign_id": "c-42",
        "lead_id": "l-7",
        "status": LeadStatusValue.IN_PROGRESS,
        "next_step": 2,
        "due_at": T0,
        "remaining_seconds": None,
        "resume_at": None,
        "reason": "in progress: step 1 sent, step 2 next",
        "updated_at": T0,
        "version": 3,
        "campaign_paused": None,
        "suppressed": None,
    }
    return LeadStatus.model_construct(**(values | changes))


def pydantic_send(request: SendRequest) -> bytes:
    stamped = request.model_copy(update={"tracking_token": TOKEN, "message_id": MESSAGE_ID})
    return stamped.model_dump_json().encode()


class TestSendRequestJson:
    """``send_request_json`` equals the stamped model's ``model_dump_json``."""

    def test_a_timer_send(self) -> None:
        """The send of a timer: the same bytes, and it parses back to the stamped send."""
        request = send()
        written = send_request_json(request, TOKEN, MESSAGE_ID)
        assert pydantic_send(request) == written
        parsed = SendRequest.model_validate_json(written)
        assert (TOKEN, MESSAGE_ID, T0) == (parsed.tracking_token, parsed.message_id, parsed.due_at)

    @given(
        send_id=texts,
        sender=texts,
        template=st.none() | texts,
        step=st.integers(min_value=1, max_value=2**40),
        due=stamps,
        requested=stamps,
    )
    def test_any_values(  # noqa: PLR0917 (one argument per drawn field)
        self,
        send_id: str,
        sender: str,
        template: str | None,
        step: int,
        due: datetime,
        requested: datetime,
    ) -> None:
        """Any texts (quotes, controls, non-ASCII), steps and UTC times: the same bytes."""
        request = send(
            send_id=send_id,
            lead_id=send_id,
            sender_id=sender,
            template_id=template,
            step=step,
            due_at=due,
            requested_at=requested,
        )
        assert pydantic_send(request) == send_request_json(request, TOKEN, MESSAGE_ID)

    def test_another_zone(self) -> None:
        """A timestamp with another offset: the same bytes."""
        request = send(due_at=T0.astimezone(timezone(timedelta(hours=2))))
        assert pydantic_send(request) == send_request_json(request, TOKEN, MESSAGE_ID)

    def test_an_already_stamped_send(self) -> None:
        """A send that carries a token already is stamped anew, like ``model_copy`` would."""
        request = send(tracking_token="1" + "B" * 32, message_id="<old@mail.example.com>")
        assert pydantic_send(request) == send_request_json(request, TOKEN, MESSAGE_ID)

    def test_a_domain_that_needs_escaping(self) -> None:
        """The Message-ID is written as a JSON string whatever its characters."""
        request = send()
        odd = f'<{TOKEN}@mail."é\\.example>'
        stamped = request.model_copy(update={"tracking_token": TOKEN, "message_id": odd})
        assert stamped.model_dump_json().encode() == send_request_json(request, TOKEN, odd)


class TestLeadStatusJson:
    """``lead_status_json`` equals the model's ``model_dump_json``."""

    def test_a_timer_status(self) -> None:
        """The status after a send: the same bytes."""
        assert status().model_dump_json().encode() == lead_status_json(status())

    @given(
        value=st.sampled_from(LeadStatusValue),
        reason=st.text(max_size=60),
        due=st.none() | stamps,
        resume=st.none() | stamps,
        version=st.integers(min_value=0, max_value=2**62),
        paused=st.none() | st.booleans(),
        suppressed=st.none() | st.sampled_from(SuppressionReason),
        remaining=st.none() | st.floats(min_value=0, allow_nan=False, allow_infinity=False),
    )
    def test_any_values(  # noqa: PLR0917 (one argument per drawn field)
        self,
        value: LeadStatusValue,
        reason: str,
        due: datetime | None,
        resume: datetime | None,
        version: int,
        paused: bool | None,
        suppressed: SuppressionReason | None,
        remaining: float | None,
    ) -> None:
        """Any status, reason, times, flags and countdowns: the same bytes."""
        made = status(
            status=value,
            reason=reason,
            due_at=due,
            resume_at=resume,
            version=version,
            campaign_paused=paused,
            suppressed=suppressed,
            remaining_seconds=remaining,
        )
        assert made.model_dump_json().encode() == lead_status_json(made)
