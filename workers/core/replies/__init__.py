"""Reply understanding: a raw reply in, what it is (and when its writer is back) out.

``classify_message(raw_bytes) -> Classification`` is pure and deterministic: no clock (dates
are read relative to the message's own ``Date``), no network, no model download. The language
tables are data files beside the code (``lang/*.toml``), one per language.
"""

from workers.core.replies.classify import (
    classify_mail,
    classify_message,
    classify_parts,
    detect_language,
)
from workers.core.replies.mime import Mail, NotAMessage, parse_message
from workers.core.replies.result import Classification

__all__ = [
    "Classification",
    "Mail",
    "NotAMessage",
    "classify_mail",
    "classify_message",
    "classify_parts",
    "detect_language",
    "parse_message",
]
