"""The fleet's failures, by name.

::

    LeadflowError
    └── CliError          a person's mistake or an unreachable service, shown in one line
        └── ConfigurationError   credentials or certificates that can never work: stop at once

A record that breaks the contract is not an exception: the pure deciders return it as a dead
letter (``workers.ingest.batch.DeadLetter``, ``workers.sequencer.commands.decode``).
"""

from __future__ import annotations

from pydantic import ValidationError


class LeadflowError(Exception):
    """Base of the errors leadflow raises on purpose."""


class CliError(LeadflowError):
    """A CLI failure with a one-line message and the process exit code."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def describe_validation_error(exc: ValidationError, *, limit: int = 3) -> str:
    """One readable line from a pydantic error: ``field: problem; field: problem``."""
    parts = []
    for error in exc.errors()[:limit]:
        where = ".".join(str(p) for p in error["loc"]) or "message"
        message = error["msg"]
        if error["type"] == "json_invalid":
            message = f"not valid JSON ({error.get('ctx', {}).get('error', 'parse error')})"
        elif error["type"] == "model_type":
            message = "not a JSON object"
        parts.append(f"{where}: {message}")
    more = exc.error_count() - limit
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


class ConfigurationError(CliError):
    """A setting that cannot work whatever we retry: wrong password, untrusted certificate.

    Raised by the start-up checks (``workers.preflight``) of the CLI and of ``leadflow run``:
    one line on stderr and exit status 2, instead of a worker retrying or crashing later.
    """
