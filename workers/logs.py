"""structlog configured for JSON lines on stdout, with context and without personal data.

Context (worker, topic, partition, campaign, lead) is bound with ``structlog.contextvars``: the
runtime binds ``worker`` for each worker's task, a loop binds what it adds. Nothing is bound at
import time (module loggers are plain ``structlog.get_logger(name)``), so configuration always
applies. ``drop_personal_data`` replaces the values of keys that could carry message bodies,
addresses or secrets, at any depth, so a careless ``log.info("x", body=...)`` cannot leak them.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog
from structlog.typing import Processor

#: Keys never written to a log line, whatever the caller passes.
REDACTED_KEYS = frozenset(
    {
        "body",
        "body_text",
        "subject",
        "headers",
        "email",
        "value",
        "payload",
        "password",
        "token",
        "authorization",
        "secret",
        # what the classifier saw in a reply (quotes its text) and a suppression's note
        "evidence",
        "note",
        "raw_message",
        "ip",
    }
)
REDACTED = "[redacted]"


def _redacted(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: REDACTED if k in REDACTED_KEYS else _redacted(v) for k, v in value.items()}
    return value


def drop_personal_data(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Replace the value of every key in ``REDACTED_KEYS``, in nested mappings too."""
    for key, value in event_dict.items():
        event_dict[key] = REDACTED if key in REDACTED_KEYS else _redacted(value)
    return event_dict


#: What every line goes through before it is rendered: context, level, time, redaction.
PROCESSORS: tuple[Processor, ...] = (
    structlog.contextvars.merge_contextvars,
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    drop_personal_data,
)


def configure_logging(level: str = "info") -> None:
    """Send JSON lines at ``level`` and above to stdout."""
    numeric = logging.getLevelNamesMapping()[level.upper()]
    logging.basicConfig(
        stream=sys.stdout, level=max(numeric, logging.WARNING), format="%(message)s"
    )
    structlog.configure(
        processors=[
            *PROCESSORS,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        cache_logger_on_first_use=True,
    )
