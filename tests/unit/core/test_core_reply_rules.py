"""Reply rules: what each reply class does, and when an out-of-office pause ends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas import (
    Action,
    Automation,
    AutomationAction,
    OutOfOfficeAction,
    ReplyEvent,
    ReplyKind,
    SendingWindow,
    Trigger,
    Weekday,
)
from tests.unit.core.core_factories import settings
from workers.core import decide
from workers.core.replies import Classification
from workers.core.reply_rules import decide_reply, resume_time, usable_return_date

#: A December reply: "back 5 January" means next year.
REPLIED = datetime(2026, 12, 18, 15, 30, tzinfo=UTC)
PARIS = SendingWindow(
    timezone="Europe/Paris",
    days=[Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI],
    start="09:00",
    end="18:00",
)


def seen(kind: ReplyKind, returns: date | None = None) -> Classification:
    """A classifier verdict with plain evidence."""
    return Classification(kind, returns, "fr", '"de retour le 5 janvier"')


class TestDecideReply:
    """decide_reply(classification, settings, occurred_at) -> the command's parts."""

    @pytest.mark.parametrize(
        ("kind", "trigger", "action"),
        [
            (ReplyKind.HUMAN, Trigger.REPLY, Action.PAUSE),
            (ReplyKind.AUTO_REPLY, Trigger.AUTO_REPLY, Action.STOP),
            (ReplyKind.UNSUBSCRIBE, Trigger.UNSUBSCRIBE, Action.STOP),
            (ReplyKind.BOUNCE, Trigger.BOUNCE, Action.STOP),
            (ReplyKind.COMPLAINT, Trigger.COMPLAINT, Action.STOP),
            (ReplyKind.SOFT_BOUNCE, Trigger.SOFT_BOUNCE, Action.CONTINUE),
        ],
    )
    def test_class_to_command(self, kind: ReplyKind, trigger: Trigger, action: Action) -> None:
        """Each class follows its rule; suppressing classes stop whatever the settings say."""
        rules = settings(
            automation=Automation(
                reply=AutomationAction.PAUSE,
                auto_reply=AutomationAction.STOP,
                link_click=AutomationAction.CONTINUE,
            )
        )
        decision = decide_reply(seen(kind), rules, REPLIED)

        assert (trigger, action, None) == (decision.trigger, decision.action, decision.resume_at)

    def test_suppressing_reason_says_so(self) -> None:
        """An unsubscribe's reason names what was seen and that the lead is suppressed."""
        decision = decide_reply(seen(ReplyKind.UNSUBSCRIBE), settings(), REPLIED)

        assert 'unsubscribe ("de retour le 5 janvier"): stopped and suppressed' == decision.reason

    def test_out_of_office_pauses_until_return_plus_buffer(self) -> None:
        """Back 5 January (Paris window, P1D buffer): resumes 6 January 00:00 Paris time."""
        rules = settings(window=PARIS)
        decision = decide_reply(seen(ReplyKind.OUT_OF_OFFICE, date(2027, 1, 5)), rules, REPLIED)

        assert (Trigger.OUT_OF_OFFICE, Action.PAUSE) == (decision.trigger, decision.action)
        assert datetime(2027, 1, 5, 23, 0, tzinfo=UTC) == decision.resume_at
        assert (
            'out of office until 2027-01-05 ("de retour le 5 janvier"),'
            " resumes 2027-01-06 00:00 Europe/Paris"
        ) == decision.reason

    def test_no_window_means_utc(self) -> None:
        """Without a sending window the return day starts at 00:00 UTC."""
        decision = decide_reply(
            seen(ReplyKind.OUT_OF_OFFICE, date(2027, 1, 5)), settings(), REPLIED
        )

        assert datetime(2027, 1, 6, 0, 0, tzinfo=UTC) == decision.resume_at

    @pytest.mark.parametrize(
        "returns",
        [None, date(2026, 12, 18), date(2026, 12, 1), date(2027, 12, 19)],
        ids=["no date", "the reply's own day", "before the reply", "over 365 days ahead"],
    )
    def test_fallback_without_usable_date(self, returns: date | None) -> None:
        """No usable return date: resumes at the reply's time plus the fallback (P7D)."""
        decision = decide_reply(seen(ReplyKind.OUT_OF_OFFICE, returns), settings(), REPLIED)

        assert REPLIED + timedelta(days=7) == decision.resume_at
        assert decision.reason.endswith("after the P7D fallback")

    @pytest.mark.parametrize(
        ("rule", "action"),
        [
            (OutOfOfficeAction.CONTINUE, Action.CONTINUE),
            (OutOfOfficeAction.PAUSE, Action.PAUSE),
            (OutOfOfficeAction.STOP, Action.STOP),
        ],
    )
    def test_other_out_of_office_rules(self, rule: OutOfOfficeAction, action: Action) -> None:
        """continue / pause / stop act as said, with no resume_at."""
        rules = settings(automation=Automation(out_of_office=rule))
        decision = decide_reply(seen(ReplyKind.OUT_OF_OFFICE, date(2027, 1, 5)), rules, REPLIED)

        assert (action, None) == (decision.action, decision.resume_at)
        assert "out of office until 2027-01-05" in decision.reason

    def test_other_rule_without_date(self) -> None:
        """A notice without a date under the pause rule names no date."""
        rules = settings(automation=Automation(out_of_office=OutOfOfficeAction.PAUSE))
        decision = decide_reply(seen(ReplyKind.OUT_OF_OFFICE), rules, REPLIED)

        assert decision.reason.startswith("out of office (")


class TestResumeTime:
    """resume_time: midnight of the return day in the zone, plus the buffer on the wall clock."""

    def test_buffer_across_dst(self) -> None:
        """Back Saturday 27 March 2027 in Paris, P1D buffer: Sunday 00:00 CET = 23:00 UTC."""
        assert datetime(2027, 3, 27, 23, 0, tzinfo=UTC) == resume_time(
            date(2027, 3, 27), timedelta(days=1), PARIS.tz
        )

    @given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
    def test_never_before_the_return_day(self, returns: date) -> None:
        """With a non-negative buffer the lead never resumes before its return day begins."""
        resumed = resume_time(returns, timedelta(0), PARIS.tz)

        assert returns == resumed.astimezone(PARIS.tz).date()

    def test_usable_date_bounds(self) -> None:
        """The day after the reply and exactly 365 days after it are usable."""
        assert [date(2026, 12, 19), date(2027, 12, 18)] == [
            usable_return_date(d, REPLIED, UTC) for d in (date(2026, 12, 19), date(2027, 12, 18))
        ]


class TestDecideWithClassification:
    """decide() takes the classifier's verdict for a reply, or falls back to upstream's kind."""

    def test_upstream_kind_is_trusted(self) -> None:
        """A reply whose event says kind out_of_office with a date pauses until it."""
        event = ReplyEvent(
            event_id="r-1",
            campaign_id="c-42",
            lead_id="l-7",
            occurred_at=REPLIED,
            kind=ReplyKind.OUT_OF_OFFICE,
            return_date=date(2027, 1, 5),
        )
        cmd = decide(event, settings())

        assert (Action.PAUSE, datetime(2027, 1, 6, tzinfo=UTC)) == (cmd.action, cmd.resume_at)
        assert "classified upstream" in (cmd.reason or "")

    def test_classifier_verdict_wins(self) -> None:
        """The classifier's verdict decides, not the event's headers."""
        event = ReplyEvent(event_id="r-1", campaign_id="c-42", lead_id="l-7", occurred_at=REPLIED)
        cmd = decide(event, settings(), seen(ReplyKind.UNSUBSCRIBE))

        assert (Trigger.UNSUBSCRIBE, Action.STOP) == (cmd.trigger, cmd.action)

    def test_unresolved_event_is_refused(self) -> None:
        """An event whose lead is not resolved cannot be decided."""
        event = ReplyEvent(event_id="r-1", occurred_at=REPLIED, tracking_token="abc")

        with pytest.raises(ValueError, match="resolve the event's lead"):
            decide(event, settings())


class TestClassificationJson:
    """Classification.as_json is what `leadflow classify` prints."""

    def test_shape(self) -> None:
        """kind, return_date (ISO or null), language, evidence."""
        assert {
            "kind": "out_of_office",
            "return_date": "2027-01-05",
            "language": "fr",
            "evidence": '"de retour le 5 janvier"',
        } == seen(ReplyKind.OUT_OF_OFFICE, date(2027, 1, 5)).as_json()
        assert None is seen(ReplyKind.HUMAN).as_json()["return_date"]
