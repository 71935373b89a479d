"""Which database errors a retry can cure, and which a record causes for good."""

from __future__ import annotations

import asyncpg
import asyncpg.exceptions
import pytest

from workers.sequencer.db_errors import describe, is_permanent

_CLIENT_DATA_ERROR = asyncpg.exceptions._base.DataError  # the driver's own


class TestIsPermanent:
    """``is_permanent`` by SQLSTATE class and by the driver's own errors."""

    @pytest.mark.parametrize(
        ("expected", "error"),
        [
            (False, asyncpg.exceptions.ConnectionDoesNotExistError("closed")),  # 08003
            (False, asyncpg.exceptions.SerializationError("serialization")),  # 40001
            (False, asyncpg.exceptions.DeadlockDetectedError("deadlock")),  # 40P01
            (False, asyncpg.exceptions.AdminShutdownError("shutdown")),  # 57P01
            (False, asyncpg.exceptions.TooManyConnectionsError("too many")),  # 53300
            (False, asyncpg.exceptions.LockNotAvailableError("lock timeout")),  # 55P03
            (False, asyncpg.exceptions.QueryCanceledError("statement timeout")),  # 57014
            (False, asyncpg.exceptions.UndefinedTableError("no table")),  # 42P01: a bug
            (False, asyncpg.exceptions.IdleInTransactionSessionTimeoutError("idle")),  # 25P03
            (False, asyncpg.InterfaceError("connection is closed")),
            (False, OSError("refused")),
            (True, asyncpg.exceptions.CharacterNotInRepertoireError("NUL")),  # 22021
            (True, asyncpg.exceptions.NumericValueOutOfRangeError("range")),  # 22003
            (True, asyncpg.exceptions.InvalidTextRepresentationError("text")),  # 22P02
            (True, asyncpg.exceptions.UniqueViolationError("unique")),  # 23505
            (True, asyncpg.exceptions.CheckViolationError("check")),  # 23514
            (True, asyncpg.exceptions.ProgramLimitExceededError("index row")),  # 54000
            (True, _CLIENT_DATA_ERROR("value out of int64 range")),
            (True, OverflowError("date value out of range")),
        ],
    )
    def test_classification(self, expected: bool, error: BaseException) -> None:
        """Data and constraint errors are permanent; connection, contention and bugs are not."""
        assert expected == is_permanent(error)


class TestDescribe:
    """``describe``: the DLQ reason."""

    def test_names_sqlstate_kind_and_message(self) -> None:
        """The reason holds the SQLSTATE, the error's class and PostgreSQL's message."""
        error = asyncpg.exceptions.CharacterNotInRepertoireError("invalid byte sequence")

        assert (
            "the database refused it for good (22021 CharacterNotInRepertoireError):"
            " invalid byte sequence"
        ) == describe(error)
