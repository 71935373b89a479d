"""Turning what a person typed into validated messages: ids, ``--until``, commands, campaigns.

Every function raises :class:`~workers.errors.CliError` (exit 2) with one readable line.
"""

from __future__ import annotations

import os
import re
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from schemas import Action, CampaignSettings, LeadCommand, Source
from schemas._types import ID_PATTERN
from workers.errors import CliError, describe_validation_error

_ID = re.compile(ID_PATTERN)


def check_id(what: str, value: str) -> str:
    """``value`` when it is a valid id; else a CliError naming ``what``."""
    if not _ID.fullmatch(value):
        raise CliError(
            f"{what} {value!r} is not a valid id: use 1 to 128 letters, digits, '.', '_' or '-',"
            " starting with a letter or digit"
        )
    return value


def parse_until(text: str | None) -> datetime | None:
    """The ``--until`` time: RFC 3339 with an offset (``2026-06-01T10:00:00Z``)."""
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CliError(
            f"--until {text!r} is not a timestamp: write RFC 3339, e.g. 2026-06-01T10:00:00Z"
        ) from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise CliError(
            f"--until {text!r} has no UTC offset: add one, e.g. 2026-06-01T10:00:00Z or +02:00"
        )
    return value.astimezone(UTC)


def default_actor(actor: str | None) -> str:
    """``--actor``, else ``$USER``, else ``cli``."""
    return actor or os.environ.get("USER") or "cli"


def manual_command(
    action: str,
    campaign_id: str,
    lead_id: str,
    *,
    actor: str | None = None,
    until: str | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> LeadCommand:
    """A manual LeadCommand with a fresh ``cli-<uuid>`` command id."""
    if until is not None and action != Action.PAUSE.value:
        raise CliError(f"--until applies to `lead pause` only, not to `lead {action}`")
    return LeadCommand(
        command_id=f"cli-{uuid.uuid4()}",
        campaign_id=check_id("campaign id", campaign_id),
        lead_id=check_id("lead id", lead_id),
        action=Action(action),
        source=Source.MANUAL,
        occurred_at=now or datetime.now(UTC),
        resume_at=parse_until(until),
        actor=default_actor(actor),
        reason=reason or None,
    )


def read_text(path: str) -> tuple[str, str]:
    """The text of ``path`` (``-``: stdin) and a name for it in messages."""
    if path == "-":
        return sys.stdin.read(), "stdin"
    try:
        return Path(path).read_text(encoding="utf-8"), path
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise CliError(f"cannot read {path}: {reason}") from None


def parse_campaign(text: str, source: str) -> CampaignSettings:
    """Validate CampaignSettings JSON; a bad document is one CliError line naming ``source``."""
    if not text.strip():
        raise CliError(f"{source}: empty: CampaignSettings JSON was expected")
    try:
        return CampaignSettings.model_validate_json(text)
    except ValidationError as exc:
        raise CliError(
            f"{source}: invalid campaign settings: {describe_validation_error(exc)}"
        ) from None
