"""Every validation rule of the message models, with good and bad examples."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from schemas import (
    Action,
    Automation,
    AutomationAction,
    BookingEvent,
    BookingStatus,
    CampaignSettings,
    ClickEvent,
    CommandResult,
    DlqHeaders,
    LeadCommand,
    LeadStatus,
    ReplyEvent,
    SendingWindow,
    SendRequest,
    Step,
    Suppression,
    Weekday,
)

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)

CAMPAIGN: dict[str, Any] = {
    "campaign_id": "c-42",
    "version": 7,
    "status": "active",
    "steps": [{"delay": "PT0S"}, {"delay": "P2D", "template_id": "t-2"}, {"delay": "P4D"}],
    "automation": {
        "link_click": "continue",
        "reply": "pause",
        "meeting_booked": "stop",
        "out_of_office": "pause_until_return",
        "out_of_office_buffer": "P1D",
        "out_of_office_fallback": "P7D",
        "auto_reply": "continue",
        "scanner_clicks": "ignore",
    },
    "sending_window": {
        "timezone": "Europe/Paris",
        "days": ["mon", "tue", "wed", "thu", "fri"],
        "start": "09:00",
        "end": "18:00",
    },
    "sender_id": "mbx-1",
}
#: How the example's steps are written back: the optional template_id is spelled out.
CAMPAIGN_STEPS_WRITTEN = [
    {"delay": "PT0S", "template_id": None},
    {"delay": "P2D", "template_id": "t-2"},
    {"delay": "P4D", "template_id": None},
]
COMMAND = {
    "command_id": "cmd-9",
    "campaign_id": "c-42",
    "lead_id": "l-7",
    "action": "pause",
    "source": "automation",
    "trigger": "reply",
    "event_id": "r-1",
    "occurred_at": "2026-06-01T10:00:00Z",
    "resume_at": None,
    "actor": None,
    "reason": None,
}
RESULT = {
    "command_id": "cmd-9",
    "campaign_id": "c-42",
    "lead_id": "l-7",
    "action": "pause",
    "outcome": "rejected",
    "reason": "lead has not started yet: use skip instead",
    "status": "not_started",
    "at": "2026-06-01T10:00:00.120000Z",
}
SEND = {
    "send_id": "c-42:l-7:3",
    "campaign_id": "c-42",
    "lead_id": "l-7",
    "step": 3,
    "sender_id": "mbx-1",
    "template_id": None,
    "due_at": "2026-06-01T10:00:00Z",
    "requested_at": "2026-06-01T10:00:01Z",
    "message_id": "<AbC_12-x@mail.example.com>",
    "tracking_token": "AbC_12-x",
}
STATUS = {
    "campaign_id": "c-42",
    "lead_id": "l-7",
    "status": "paused",
    "next_step": 3,
    "due_at": None,
    "remaining_seconds": 172800.0,
    "resume_at": None,
    "reason": "paused by reply automation (event r-1)",
    "updated_at": "2026-06-01T10:00:00Z",
    "version": 12,
    "campaign_paused": False,
    "suppressed": None,
}
REPLY = {
    "event_id": "r-1",
    "campaign_id": "c-42",
    "lead_id": "l-7",
    "occurred_at": "2026-06-01T10:00:00Z",
    "subject": "Re: hello",
    "body_text": "Thanks!",
    "headers": {"Auto-Submitted": "no"},
    "message_id": None,
    "tracking_token": None,
    "raw_message": None,
    "kind": None,
    "return_date": None,
}


def errors_of(model: type[BaseModel], data: dict[str, Any]) -> str:
    """The validation message ``model`` gives for ``data`` sent as JSON bytes."""
    with pytest.raises(ValidationError) as info:
        model.model_validate_json(json.dumps(data).encode())
    return str(info.value)


def step(delay: object) -> Step:
    """A step decoded from JSON with this delay."""
    return Step.model_validate_json(json.dumps({"delay": delay}))


class TestContractExamples:
    """The contract's example messages decode and encode back unchanged."""

    @pytest.mark.parametrize(
        ("model", "data"),
        [
            (CampaignSettings, CAMPAIGN | {"steps": CAMPAIGN_STEPS_WRITTEN}),
            (LeadCommand, COMMAND),
            (CommandResult, RESULT),
            (SendRequest, SEND),
            (LeadStatus, STATUS),
            (ReplyEvent, REPLY),
        ],
        ids=lambda v: getattr(v, "__name__", ""),
    )
    def test_round_trip(self, model: type[BaseModel], data: dict[str, Any]) -> None:
        """Decoding the example and encoding it again gives the same JSON."""
        message = model.model_validate_json(json.dumps(data).encode())

        assert data == json.loads(message.model_dump_json())

    def test_unknown_fields_are_ignored(self) -> None:
        """A field from a newer producer is dropped, not refused."""
        message = LeadStatus.model_validate_json(json.dumps(STATUS | {"colour": "blue"}))

        assert "colour" not in message.model_dump()

    def test_models_are_frozen(self) -> None:
        """A decoded message cannot be changed in place."""
        message = LeadStatus.model_validate_json(json.dumps(STATUS))

        with pytest.raises(ValidationError, match="frozen"):
            message.version = 13  # type: ignore[misc]

    @pytest.mark.parametrize(
        "message",
        [
            LeadCommand.model_validate(COMMAND),
            CommandResult.model_validate(RESULT),
            SendRequest.model_validate(SEND),
            LeadStatus.model_validate(STATUS),
            ReplyEvent.model_validate(REPLY),
        ],
        ids=lambda m: type(m).__name__,
    )
    def test_lead_key(
        self, message: LeadCommand | CommandResult | SendRequest | LeadStatus | ReplyEvent
    ) -> None:
        """A lead-scoped message is keyed by campaign and lead."""
        assert "c-42:l-7" == message.lead_key


class TestIds:
    """Ids match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$."""

    @pytest.mark.parametrize("good", ["c", "c-42", "A.b_c-9", "x" * 128])
    def test_good_ids(self, good: str) -> None:
        """Letters, digits, dot, underscore and hyphen, 1 to 128 characters."""
        assert good == LeadCommand.model_validate(COMMAND | {"lead_id": good}).lead_id

    @pytest.mark.parametrize("bad", ["", "-lead", ".x", "a b", "l:7", "é", "x" * 129])
    def test_bad_ids(self, bad: str) -> None:
        """Anything else is refused, naming the pattern."""
        assert "String should match pattern" in errors_of(LeadCommand, COMMAND | {"lead_id": bad})


class TestTimestamps:
    """Timestamps are aware; they are written as RFC 3339 in UTC."""

    def test_offset_is_normalised_to_utc(self) -> None:
        """An offset timestamp is the same instant, written with Z."""
        cmd = LeadCommand.model_validate(COMMAND | {"occurred_at": "2026-06-01T12:00:00+02:00"})

        assert (T0, '"2026-06-01T10:00:00Z"') == (
            cmd.occurred_at,
            json.dumps(cmd.model_dump(mode="json")["occurred_at"]),
        )

    def test_fractions_are_kept(self) -> None:
        """Sub-second precision survives the round trip."""
        result = CommandResult.model_validate(RESULT)

        assert "2026-06-01T10:00:00.120000Z" == result.model_dump(mode="json")["at"]

    @pytest.mark.parametrize("naive", ["2026-06-01T10:00:00", "2026-06-01"])
    def test_naive_is_refused(self, naive: str) -> None:
        """A timestamp without offset is refused and the message says how to write it."""
        message = errors_of(LeadCommand, COMMAND | {"occurred_at": naive})

        assert "has no UTC offset: write it RFC 3339 with an offset" in message

    def test_naive_datetime_object_is_refused(self) -> None:
        """A naive datetime from Python code is refused too."""
        with pytest.raises(ValidationError, match="has no UTC offset"):
            LeadCommand.model_validate(COMMAND | {"occurred_at": datetime(2026, 6, 1)})

    def test_garbage_is_refused(self) -> None:
        """Text that is no timestamp is refused."""
        assert "occurred_at" in errors_of(LeadCommand, COMMAND | {"occurred_at": "tomorrow"})


class TestDurations:
    """Durations: ISO 8601 or non-negative seconds; fixed lengths only."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("P4D", timedelta(days=4)),
            ("PT12H", timedelta(hours=12)),
            ("PT30S", timedelta(seconds=30)),
            ("P1DT2H", timedelta(days=1, hours=2)),
            ("P1W", timedelta(weeks=1)),
            ("PT1.5S", timedelta(seconds=1.5)),
            ("PT0,25S", timedelta(seconds=0.25)),
            ("PT90M", timedelta(minutes=90)),
            ("p2d", timedelta(days=2)),
            ("PT0S", timedelta(0)),
            (30, timedelta(seconds=30)),
            (0.5, timedelta(seconds=0.5)),
            (0, timedelta(0)),
        ],
    )
    def test_good_durations(self, text: object, expected: timedelta) -> None:
        """ISO 8601 text and numbers of seconds are read."""
        assert expected == step(text).delay

    @pytest.mark.parametrize(
        ("bad", "words"),
        [
            ("P1M", "months or years, which have no fixed length"),
            ("P1Y", "months or years, which have no fixed length"),
            ("P1Y2M3D", "months or years"),
            ("-P1D", "is negative"),
            (-1, "is negative"),
            (-0.5, "is negative"),
            ("P", "is not understood"),
            ("PT", "is not understood"),
            ("P1DT", "is not understood"),
            ("4 days", "is not understood"),
            (True, "must be text or a number"),
            (None, "must be text or a number"),
            (1e300, "is too long"),
        ],
    )
    def test_bad_durations(self, bad: object, words: str) -> None:
        """Negative, calendar-length and malformed durations are refused, saying why."""
        assert words in errors_of(Step, {"delay": bad})

    def test_non_finite_python_number_is_refused(self) -> None:
        """A NaN from Python code is refused."""
        with pytest.raises(ValidationError, match="not a finite number"):
            Step.model_validate({"delay": float("nan")})

    @pytest.mark.parametrize(
        ("delay", "text"),
        [
            (timedelta(0), "PT0S"),
            (timedelta(days=2), "P2D"),
            (timedelta(days=7), "P7D"),
            (timedelta(hours=12), "PT12H"),
            (timedelta(days=1, hours=2), "P1DT2H"),
            (timedelta(minutes=1, seconds=30), "PT1M30S"),
            (timedelta(seconds=0.25), "PT0.25S"),
        ],
    )
    def test_written_as_iso_8601(self, delay: timedelta, text: str) -> None:
        """A delay is written back as ISO 8601."""
        assert {"delay": text, "template_id": None} == json.loads(
            Step(delay=delay).model_dump_json()
        )

    def test_timedelta_is_accepted_from_python(self) -> None:
        """Python code may pass a timedelta; a negative one is refused."""
        assert timedelta(hours=1) == Step(delay=timedelta(hours=1)).delay
        with pytest.raises(ValidationError, match="is negative"):
            Step(delay=timedelta(seconds=-1))


class TestSendingWindow:
    """A sending window: a real timezone, some days, start before end."""

    def test_good_window(self) -> None:
        """The contract's window decodes to times and weekdays."""
        window = SendingWindow.model_validate(CAMPAIGN["sending_window"])

        assert (time(9), time(18), [Weekday.MON, Weekday.TUE, Weekday.WED]) == (
            window.start,
            window.end,
            window.days[:3],
        )
        assert "Europe/Paris" == window.tz.key

    @pytest.mark.parametrize(
        ("change", "words"),
        [
            ({"timezone": "Mars/Olympus"}, "unknown timezone 'Mars/Olympus': use an IANA name"),
            ({"timezone": "../etc/passwd"}, "unknown timezone"),
            ({"timezone": ""}, "unknown timezone"),
            ({"days": []}, "at least 1 item"),
            ({"days": ["monday"]}, "Input should be 'mon'"),
            ({"start": "9:00"}, "must be written HH:MM"),
            ({"start": "24:00"}, "must be written HH:MM"),
            ({"end": 18}, "must be written HH:MM"),
            ({"start": "18:00", "end": "09:00"}, "start 18:00 must be before end 09:00"),
            ({"start": "09:00", "end": "09:00"}, "start 09:00 must be before end 09:00"),
        ],
    )
    def test_bad_windows(self, change: dict[str, Any], words: str) -> None:
        """A window that cannot be used is refused, saying why."""
        data = CAMPAIGN["sending_window"] | change

        assert words in errors_of(SendingWindow, data)

    def test_time_objects_pass(self) -> None:
        """Python code may pass time objects."""
        window = SendingWindow(timezone="UTC", days=[Weekday.SUN], start=time(8), end=time(9))

        assert '"start":"08:00","end":"09:00"' in window.model_dump_json()


class TestCampaignSettings:
    """Campaign settings: version, steps, automation defaults."""

    def test_automation_defaults(self) -> None:
        """Absent automation continues on click and stops on reply and booking."""
        data = {k: v for k, v in CAMPAIGN.items() if k != "automation"}

        settings = CampaignSettings.model_validate(data)

        assert (
            Automation(
                link_click=AutomationAction.CONTINUE,
                reply=AutomationAction.STOP,
                meeting_booked=AutomationAction.STOP,
            )
            == settings.automation
        )
        assert timedelta(days=2) == settings.delay_of(2)

    def test_window_is_optional(self) -> None:
        """Without a window, a campaign sends at any time."""
        data = {k: v for k, v in CAMPAIGN.items() if k != "sending_window"}

        assert CampaignSettings.model_validate(data).sending_window is None

    @pytest.mark.parametrize(
        ("change", "words"),
        [
            ({"steps": []}, "at least 1 item"),
            ({"version": -1}, "greater than or equal to 0"),
            ({"status": "running"}, "Input should be 'draft', 'active' or 'paused'"),
            ({"automation": {"reply": "ignore"}}, "Input should be 'continue', 'pause' or 'stop'"),
            ({"sender_id": "mbx 1"}, "String should match pattern"),
            ({"version": "seven"}, "valid integer"),
        ],
    )
    def test_bad_settings(self, change: dict[str, Any], words: str) -> None:
        """Bad settings are refused, naming the field."""
        assert words in errors_of(CampaignSettings, CAMPAIGN | change)

    def test_missing_field(self) -> None:
        """A missing required field is named."""
        data = {k: v for k, v in CAMPAIGN.items() if k != "sender_id"}

        assert "sender_id\n  Field required" in errors_of(CampaignSettings, data)


class TestLeadCommand:
    """A command is consistent with its source and action."""

    @pytest.mark.parametrize("missing", ["trigger", "event_id"])
    def test_automation_needs_trigger_and_event(self, missing: str) -> None:
        """An automation command names the event that caused it."""
        message = errors_of(LeadCommand, COMMAND | {missing: None})

        assert "an automation command needs both trigger and event_id" in message

    @pytest.mark.parametrize("action", ["resume", "stop", "skip", "enroll", "continue"])
    def test_resume_at_only_with_pause(self, action: str) -> None:
        """resume_at makes sense only for a pause."""
        data = COMMAND | {"action": action, "resume_at": "2026-06-02T10:00:00Z"}

        assert f"resume_at goes only with action pause, not {action}" in errors_of(
            LeadCommand, data
        )

    def test_manual_pause_until(self) -> None:
        """A manual pause with an end is a good command."""
        data = COMMAND | {
            "source": "manual",
            "trigger": None,
            "event_id": None,
            "actor": "alice",
            "resume_at": "2026-06-02T10:00:00Z",
        }

        cmd = LeadCommand.model_validate(data)

        assert (Action.PAUSE, T0 + timedelta(days=1)) == (cmd.action, cmd.resume_at)

    def test_bad_action(self) -> None:
        """An action outside the contract is refused, listing the good ones."""
        assert "Input should be 'enroll', 'pause'" in errors_of(
            LeadCommand, COMMAND | {"action": "delete"}
        )


class TestEvents:
    """Upstream events and their optional fields."""

    def test_reply_headers_case_insensitive(self) -> None:
        """A header is found whatever its case."""
        reply = ReplyEvent.model_validate(REPLY)

        assert ("no", None) == (reply.header("auto-submitted"), reply.header("Precedence"))

    def test_minimal_reply(self) -> None:
        """A reply needs only its ids and time."""
        reply = ReplyEvent.model_validate({k: REPLY[k] for k in list(REPLY)[:4]})

        assert ({}, None) == (reply.headers, reply.subject)

    def test_click(self) -> None:
        """A click needs its url; the step is 1-based."""
        data = {k: REPLY[k] for k in list(REPLY)[:4]} | {"url": "https://x.test", "step": 2}

        assert 2 == ClickEvent.model_validate(data).step
        assert "greater than or equal to 1" in errors_of(ClickEvent, data | {"step": 0})
        assert "url\n  Field required" in errors_of(
            ClickEvent, {k: REPLY[k] for k in list(REPLY)[:4]}
        )

    def test_booking_defaults_to_booked(self) -> None:
        """A booking without status is a booking."""
        data = {k: REPLY[k] for k in list(REPLY)[:4]}

        assert BookingStatus.BOOKED == BookingEvent.model_validate(data).status
        assert "Input should be 'booked' or 'cancelled'" in errors_of(
            BookingEvent, data | {"status": "maybe"}
        )


class TestDlqHeaders:
    """The headers of a dead-lettered message."""

    def test_kafka_headers(self) -> None:
        """Each field becomes a leadflow.* header of UTF-8 bytes."""
        headers = DlqHeaders(
            error="occurred_at: has no UTC offset",
            source_topic="leadflow.commands",
            source_partition=3,
            source_offset=1042,
            worker="sequencer",
        )

        assert [
            ("leadflow.error", b"occurred_at: has no UTC offset"),
            ("leadflow.source-topic", b"leadflow.commands"),
            ("leadflow.source-partition", b"3"),
            ("leadflow.source-offset", b"1042"),
            ("leadflow.worker", b"sequencer"),
        ] == headers.to_kafka_headers()


class TestV2Events:
    """Contract v2: events addressed by token, raw replies, scanner hints."""

    def test_token_instead_of_lead(self) -> None:
        """An event with a tracking_token may leave campaign_id and lead_id out."""
        event = ClickEvent.model_validate_json(
            json.dumps(
                {
                    "event_id": "k-1",
                    "occurred_at": "2026-06-01T10:00:00Z",
                    "url": "https://x.example/",
                    "tracking_token": "AbC_12-x",
                }
            )
        )

        assert (False, "AbC_12-x") == (event.names_lead, event.tracking_token)

    @pytest.mark.parametrize(
        ("fields", "fragment"),
        [
            ({}, "the event names no lead"),
            ({"campaign_id": "c-42"}, "campaign_id and lead_id go together"),
            ({"tracking_token": "a b"}, "String should match pattern"),
            ({"tracking_token": "a" * 81}, "String should match pattern"),
        ],
        ids=["no lead", "half a lead", "token with a space", "token too long"],
    )
    def test_lead_must_be_named(self, fields: dict[str, Any], fragment: str) -> None:
        """An event that names no lead, or half of one, is bad input."""
        data = {"event_id": "b-1", "occurred_at": "2026-06-01T10:00:00Z"} | fields

        assert fragment in errors_of(BookingEvent, data)

    def test_raw_reply_may_name_its_lead_by_message_id(self) -> None:
        """A reply with a raw message needs no ids: In-Reply-To may name the send."""
        raw = base64.b64encode(b"Subject: Re: hi\r\n\r\nThanks").decode()
        event = ReplyEvent.model_validate_json(
            json.dumps(
                {"event_id": "r-1", "occurred_at": "2026-06-01T10:00:00Z", "raw_message": raw}
            )
        )

        assert b"Subject: Re: hi\r\n\r\nThanks" == event.raw_bytes()

    def test_raw_message_must_be_base64(self) -> None:
        """raw_message that is not base64 is refused with the reason."""
        data = REPLY | {"raw_message": "not base64!"}

        assert "raw_message is not base64" in errors_of(ReplyEvent, data)

    def test_return_date_only_with_out_of_office(self) -> None:
        """A return_date without kind out_of_office is bad input."""
        data = REPLY | {"kind": "human", "return_date": "2027-01-05"}

        assert "return_date goes only with kind out_of_office" in errors_of(ReplyEvent, data)

    @pytest.mark.parametrize(
        ("hint", "expected"), [(True, "true"), (False, None), ("", None), ("generic", "generic")]
    )
    def test_bot_hint(self, hint: object, expected: str | None) -> None:
        """A provider's bot flag is kept as text; false or empty means no flag."""
        data = {
            "event_id": "k-1",
            "campaign_id": "c-42",
            "lead_id": "l-7",
            "occurred_at": "2026-06-01T10:00:00Z",
            "url": "https://x.example/",
            "bot_hint": hint,
            "method": "head",
        }
        event = ClickEvent.model_validate_json(json.dumps(data))

        assert (expected, "HEAD") == (event.bot_hint, event.method)

    def test_suppression_round_trip(self) -> None:
        """The contract's Suppression example decodes and encodes back unchanged."""
        data = {
            "lead_id": "l-7",
            "reason": "unsubscribe",
            "event_id": "r-9",
            "at": "2026-06-02T08:00:00Z",
            "note": "please remove me",
        }

        assert data == json.loads(
            Suppression.model_validate_json(json.dumps(data)).model_dump_json()
        )


class TestDelayBound:
    """A campaign's delays are bounded, so no schema-valid setting overflows the calendar."""

    @pytest.mark.parametrize("delay", ["P3651D", 10**9])
    def test_too_long_delay_is_refused(self, delay: object) -> None:
        """A step delay over ten years is bad input with the limit named."""
        data = CAMPAIGN | {"steps": [{"delay": delay}]}

        assert "longer than the 3650 days allowed" in errors_of(CampaignSettings, data)

    def test_ten_years_is_allowed(self) -> None:
        """Exactly 3650 days is accepted."""
        assert timedelta(days=3650) == step("P3650D").delay
