"""structlog configured for JSON lines on stdout, with context and without personal data.

Context (worker, topic, partition, campaign, lead) is bound with ``structlog.contextvars``
or ``log.bind``.  A processor drops keys that could carry message bodies or e-mail addresses,
so a careless ``log.info("x", body=...)`` cannot leak them.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

#: Keys never written to a log line, whatever the caller passes.
_REDACTED_KEYS = frozenset(
    {"body", "body_text", "subject", "headers", "email", "value", "payload", "password"}
)


def _drop_personal_data(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key in _REDACTED_KEYS.intersection(event_dict):
        event_dict[key] = "[redacted]"
    return event_dict


def configure_logging(level: str = "info") -> None:
    """Send JSON lines at ``level`` and above to stdout."""
    numeric = logging.getLevelNamesMapping()[level.upper()]
    logging.basicConfig(
        stream=sys.stdout, level=max(numeric, logging.WARNING), format="%(message)s"
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _drop_personal_data,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        cache_logger_on_first_use=True,
    )
