"""``leadflow classify FILE|-``: one raw message in, one JSON object out (contract v2)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from workers.core.replies import NotAMessage, classify_message
from workers.errors import CliError


def read_input(file: str) -> bytes:
    """The bytes of ``file`` (``-``: standard input); ``CliError`` when it cannot be read."""
    if file == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(file).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {file}: {exc.strerror or exc}") from None


def classify(file: str) -> int:
    """Print the classification of the message in ``file``; exit 2 when it is not a message."""
    raw = read_input(file)
    try:
        result = classify_message(raw)
    except NotAMessage as exc:
        raise CliError(str(exc)) from None
    print(json.dumps(result.as_json(), ensure_ascii=False))
    return 0
