"""The closed vocabularies of the contract, one ``StrEnum`` each."""

from enum import StrEnum


class CampaignStatus(StrEnum):
    """Where a campaign is in its life."""

    #: Leads wait, not started; nothing sends.
    DRAFT = "draft"
    #: Launched and sending; the first move to active is the launch.
    ACTIVE = "active"
    #: Campaign-level pause: nothing sends, countdowns freeze like a lead pause.
    PAUSED = "paused"


class AutomationAction(StrEnum):
    """What a campaign automation rule does to a running lead."""

    #: Nothing changes; the sequence goes on.
    CONTINUE = "continue"
    #: The lead pauses (countdown frozen) until someone resumes it.
    PAUSE = "pause"
    #: The lead stops for good.
    STOP = "stop"


class Weekday(StrEnum):
    """A day of the week in a sending window."""

    #: Monday.
    MON = "mon"
    #: Tuesday.
    TUE = "tue"
    #: Wednesday.
    WED = "wed"
    #: Thursday.
    THU = "thu"
    #: Friday.
    FRI = "fri"
    #: Saturday.
    SAT = "sat"
    #: Sunday.
    SUN = "sun"


class BookingStatus(StrEnum):
    """The state of a booked meeting in a BookingEvent."""

    #: A meeting was booked.
    BOOKED = "booked"
    #: A previously booked meeting was cancelled.
    CANCELLED = "cancelled"


class Action(StrEnum):
    """What a LeadCommand asks for."""

    #: Add the lead to the campaign (it starts at once when the campaign is running).
    ENROLL = "enroll"
    #: Freeze a running lead's countdown, keeping its position.
    PAUSE = "pause"
    #: Continue a paused lead with the countdown it had left.
    RESUME = "resume"
    #: End the lead's sequence for good.
    STOP = "stop"
    #: Keep a lead that has not started from ever starting.
    SKIP = "skip"
    #: Nothing to do (an automation rule said continue); recorded only.
    CONTINUE = "continue"


class Source(StrEnum):
    """Who issued a LeadCommand."""

    #: A person (``actor`` names them).
    MANUAL = "manual"
    #: An automation rule reacting to an event (``trigger`` and ``event_id`` set).
    AUTOMATION = "automation"
    #: The platform itself.
    SYSTEM = "system"


class Trigger(StrEnum):
    """The kind of event behind an automation or system command."""

    #: The lead replied.
    REPLY = "reply"
    #: The lead clicked a tracked link.
    LINK_CLICK = "link_click"
    #: The lead booked (or cancelled) a meeting.
    MEETING_BOOKED = "meeting_booked"
    #: An automatic reply (out of office, vacation responder).
    OUT_OF_OFFICE = "out_of_office"
    #: The lead unsubscribed.
    UNSUBSCRIBE = "unsubscribe"
    #: A message to the lead bounced (permanent failure).
    BOUNCE = "bounce"
    #: v2: any other automatic answer (ticket acknowledgement, mailbox not monitored).
    AUTO_REPLY = "auto_reply"
    #: v2: a temporary delivery failure (mailbox full, delayed); recorded only.
    SOFT_BOUNCE = "soft_bounce"
    #: v2: a spam complaint reported by a mail provider.
    COMPLAINT = "complaint"


class Outcome(StrEnum):
    """What became of a LeadCommand."""

    #: The lead's state changed.
    APPLIED = "applied"
    #: Nothing to do: duplicate, already so, continue, not running, or stale automation.
    IGNORED = "ignored"
    #: Not allowed; the reason says why and what to do instead.
    REJECTED = "rejected"


class LeadStatusValue(StrEnum):
    """Where a lead is in its campaign's sequence."""

    #: Enrolled; waits for the campaign launch.
    NOT_STARTED = "not_started"
    #: Skipped before starting; never enters the sequence.
    SKIPPED = "skipped"
    #: In the sequence; counting down to its next step.
    IN_PROGRESS = "in_progress"
    #: Held; position kept and countdown frozen until resumed.
    PAUSED = "paused"
    #: Ended for good (final).
    STOPPED = "stopped"
    #: Every step was sent (final).
    COMPLETED = "completed"


class ReplyKind(StrEnum):
    """v2: what a reply is, as the replies worker classifies it (or upstream says in ``kind``)."""

    #: A person wrote it: the campaign's ``reply`` rule.
    HUMAN = "human"
    #: An automatic absence notice, with a return date where the text gives one.
    OUT_OF_OFFICE = "out_of_office"
    #: Any other automatic answer (ticket acknowledgement, "no longer with the company").
    AUTO_REPLY = "auto_reply"
    #: The person asks not to be contacted again: stop and suppress.
    UNSUBSCRIBE = "unsubscribe"
    #: A permanent delivery failure (DSN 5.x.x or a provider's hard bounce): stop and suppress.
    BOUNCE = "bounce"
    #: A temporary delivery failure (DSN 4.x.x, mailbox full, delayed): recorded only.
    SOFT_BOUNCE = "soft_bounce"
    #: A spam complaint (from a provider's webhook only): stop and suppress.
    COMPLAINT = "complaint"


#: The reply classes that always stop the lead and suppress its ``lead_id``.
SUPPRESSING_KINDS = frozenset({ReplyKind.UNSUBSCRIBE, ReplyKind.BOUNCE, ReplyKind.COMPLAINT})


class OutOfOfficeAction(StrEnum):
    """v2: what a campaign does with an out-of-office reply."""

    #: Pause the lead until the return date plus the buffer (or the fallback without a date).
    PAUSE_UNTIL_RETURN = "pause_until_return"
    #: Nothing changes.
    CONTINUE = "continue"
    #: Pause the lead until someone resumes it.
    PAUSE = "pause"
    #: Stop the lead.
    STOP = "stop"


class ScannerClicks(StrEnum):
    """v2: how a campaign treats clicks that look like a mail security scanner's."""

    #: Scanner clicks never trigger the ``link_click`` rule.
    IGNORE = "ignore"
    #: Every click counts as a person's.
    COUNT = "count"


class SuppressionReason(StrEnum):
    """v2: why a ``lead_id`` is on the do-not-contact list."""

    #: The person asked not to be contacted again.
    UNSUBSCRIBE = "unsubscribe"
    #: Mail to the person bounced permanently.
    BOUNCE = "bounce"
    #: The person reported our mail as spam.
    COMPLAINT = "complaint"
    #: An operator added it by hand.
    MANUAL = "manual"
