"""Telling an error that will pass from one that a record causes for good.

Transient: everything that may succeed when tried again — lost connections (class 08),
serialization failures and deadlocks (40), lock and statement timeouts (55P03, 57014), an
administrator's shutdown (57P01), too many connections and other resource limits (53),
I/O errors (58), the driver's own connection errors. The batch is retried from the stored
offsets.

Permanent: errors a record's values cause, which no retry changes — data exceptions (class
22: out-of-range values, invalid text such as a NUL byte, ...), integrity constraint
violations (23), program limits such as an over-long index row (54), and the driver's refusal
to encode a value (asyncpg's client-side ``DataError``, e.g. an integer beyond ``bigint``).
The batch is bisected down to the record, which is dead-lettered alone.

One error of the computation is permanent too: ``OverflowError``, raised by the core when a
schema-valid duration carries a date beyond what Python's ``datetime`` holds (a step delay of
a hundred million days): the record can never be applied.

Syntax and schema errors (42: undefined table or column, ...) are the code's or the
migration's fault, not a record's: they stay transient, so a deployment mistake stalls the
sequencer (visible, recoverable) instead of dead-lettering every record.
"""

from __future__ import annotations

import asyncpg

#: SQLSTATE classes whose errors a record's own values cause.
PERMANENT_CLASSES = frozenset({"22", "23", "54"})


def is_permanent(exc: BaseException) -> bool:
    """Whether retrying the statement that raised ``exc`` can never succeed."""
    if isinstance(exc, OverflowError):
        return True
    if isinstance(exc, asyncpg.PostgresError):
        return sqlstate(exc)[:2] in PERMANENT_CLASSES
    # The driver's client-side DataError is both an InterfaceError and a ValueError.
    return isinstance(exc, asyncpg.InterfaceError) and isinstance(exc, ValueError)


def sqlstate(exc: BaseException) -> str:
    """The error's SQLSTATE, or ``"client"`` for an error raised by the driver itself."""
    code = getattr(exc, "sqlstate", None)
    return code if isinstance(code, str) else "client"


def describe(exc: BaseException) -> str:
    """A reason for the DLQ header: the SQLSTATE, the error's kind and PostgreSQL's message.

    The message may quote the offending value; it goes to the DLQ with the record itself,
    never into a log line (log ``sqlstate`` and the class name only).
    """
    if isinstance(exc, OverflowError):
        return f"it cannot be applied: a computed date is out of range ({exc})"
    return f"the database refused it for good ({sqlstate(exc)} {type(exc).__name__}): {exc}"
