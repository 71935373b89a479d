"""Field types shared by every message: ids, timestamps, durations, clock times.

Each type validates the wire form (JSON) and the Python form alike, and serializes
back to the wire form the contract names:

- ``Id``: ``^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$``.
- ``Timestamp``: an aware datetime (RFC 3339 with an offset); held in UTC and
  written as RFC 3339 with ``Z``.
- ``Duration``: ISO 8601 (``P4D``, ``PT12H``, ``P1DT2H``, ``P1W``, ``PT0.5S``) or a
  non-negative number of seconds; written back as ISO 8601.
- ``ClockTime``: ``"HH:MM"`` wall-clock time of day.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""An identifier: letters, digits, ``.``, ``_``, ``-``; 1 to 128 characters."""


def _aware_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"timestamp {value.isoformat()} has no UTC offset:"
            " write it RFC 3339 with an offset, e.g. 2026-06-01T10:00:00Z"
        )
    return value.astimezone(UTC)


def format_timestamp(value: datetime) -> str:
    """RFC 3339 in UTC with ``Z`` (``2026-06-01T10:00:00Z``, fractions only when present)."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


# Held in UTC, a timestamp is written by pydantic's own (Rust) serializer as RFC 3339 with "Z":
# no Python call per field on the hot path.
Timestamp = Annotated[datetime, AfterValidator(_aware_utc)]
"""An aware instant; a timestamp without an offset is refused."""

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_ISO_DURATION = re.compile(
    rf"^P(?:{_NUMBER}W)?(?:{_NUMBER}D)?(?:T(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?$"
)
_CALENDAR_UNITS = re.compile(r"^P(?:[^T]*[YM])")
_UNIT_SECONDS = (7 * 86400, 86400, 3600, 60, 1)
DURATION_HELP = "use ISO 8601 (P4D, PT12H, PT30S) or a non-negative number of seconds"


def _duration_error(text: str) -> ValueError:
    upper = text.strip().upper()
    if upper.startswith("-"):
        return ValueError(f"duration {text!r} is negative: {DURATION_HELP}")
    if _CALENDAR_UNITS.match(upper):
        return ValueError(
            f"duration {text!r} uses months or years, which have no fixed length:"
            " use days or weeks instead (P30D, P4W)"
        )
    return ValueError(f"duration {text!r} is not understood: {DURATION_HELP}")


def _parse_iso_duration(text: str) -> timedelta:
    upper = text.strip().upper()
    match = _ISO_DURATION.fullmatch(upper)
    if match is None or not any(match.groups()) or upper.endswith("T"):
        raise _duration_error(text)
    seconds = sum(
        (
            Decimal(part.replace(",", ".")) * unit
            for part, unit in zip(match.groups(), _UNIT_SECONDS, strict=True)
            if part
        ),
        Decimal(0),
    )
    return _seconds(seconds, text)


def _seconds(seconds: float | Decimal, original: object) -> timedelta:
    if not math.isfinite(seconds):
        raise ValueError(f"duration {original!r} is not a finite number of seconds")
    if seconds < 0:
        raise ValueError(f"duration {original!r} is negative: {DURATION_HELP}")
    try:
        return timedelta(seconds=float(seconds))
    except OverflowError as error:
        raise ValueError(f"duration {original!r} is too long") from error


def parse_duration(value: Any) -> timedelta:
    """Read a duration from ISO 8601 text, a number of seconds or a ``timedelta``."""
    if isinstance(value, str):
        return _parse_iso_duration(value)
    if isinstance(value, timedelta):
        _seconds(value.total_seconds(), value)
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return _seconds(value, value)
    raise ValueError(f"duration {value!r} must be text or a number: {DURATION_HELP}")


@lru_cache(maxsize=256)
def format_duration(value: timedelta) -> str:
    """ISO 8601 text for a non-negative duration: ``P2D``, ``PT12H``, ``P1DT2H``, ``PT0.5S``.

    Cached: a fleet writes the few durations of its campaigns' settings over and over (every
    out-of-office pause's reason names its fallback).
    """
    micros = value // timedelta(microseconds=1)
    days, micros = divmod(micros, 86_400_000_000)
    hours, micros = divmod(micros, 3_600_000_000)
    minutes, micros = divmod(micros, 60_000_000)
    seconds = Decimal(micros) / Decimal(1_000_000)
    date_part = f"{days}D" if days else ""
    time_part = "".join(
        f"{amount}{unit}" for amount, unit in ((hours, "H"), (minutes, "M")) if amount
    )
    if seconds:
        time_part += f"{seconds.normalize():f}S"
    if not date_part and not time_part:
        return "PT0S"
    return f"P{date_part}" + (f"T{time_part}" if time_part else "")


Duration = Annotated[
    timedelta,
    PlainValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "duration", "examples": ["P4D", "PT12H", "PT30S"]},
                {"type": "number", "minimum": 0},
            ],
            "description": "ISO 8601 duration or a non-negative number of seconds",
        }
    ),
]
"""A fixed-length, non-negative duration."""

_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_clock(value: Any) -> Any:
    """Read ``"HH:MM"`` into a ``time``; a ``time`` passes through."""
    if isinstance(value, time):
        return value
    if not isinstance(value, str) or not _CLOCK.fullmatch(value):
        raise ValueError(f"time of day {value!r} must be written HH:MM (24-hour clock, e.g. 09:00)")
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def format_clock(value: time) -> str:
    """``"HH:MM"``."""
    return value.strftime("%H:%M")


ClockTime = Annotated[
    time,
    BeforeValidator(parse_clock),
    PlainSerializer(format_clock, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$"}),
]
"""A wall-clock time of day, minute precision."""
