"""A minimal, strict migration runner for the sequencer's schema.

Why not alembic or yoyo: both drive a synchronous driver (SQLAlchemy / DB-API), while the
sequencer speaks asyncpg only; our needs are four: ordered plain-SQL files, each applied once
in its own transaction, a checksum that refuses an edited applied file, and a lock so that two
``leadflow setup`` runs at once cannot both apply.  That is this module.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

import asyncpg

#: Any constant shared by every runner: the advisory lock serializing concurrent setups.
_LOCK_KEY = 0x1EADF10


@dataclass(frozen=True, slots=True)
class Migration:
    """One ``NNNN_name.sql`` file."""

    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


class MigrationError(RuntimeError):
    """The database's applied migrations disagree with the files."""


def load_migrations() -> list[Migration]:
    """The packaged migrations, in version order."""
    folder = resources.files("workers.sequencer") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append(Migration(int(number), rest.removesuffix(".sql"), entry.read_text()))
    return sorted(found, key=lambda m: m.version)


async def migrate(conn: asyncpg.Connection) -> list[int]:
    """Apply the pending migrations; return the versions applied (empty when up to date).

    The advisory lock is taken before the first statement: even ``CREATE TABLE IF NOT EXISTS``
    races in PostgreSQL's catalog (two sessions both see no table, one fails with a unique
    violation on ``pg_type``), so concurrent setups must not reach it together.
    """
    await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
    try:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        rows = await conn.fetch("SELECT version, checksum FROM schema_migrations")
        applied = {row["version"]: row["checksum"] for row in rows}
        done: list[int] = []
        for migration in load_migrations():
            if migration.version in applied:
                _check(migration, applied[migration.version])
                continue
            async with conn.transaction():
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    migration.checksum,
                )
            done.append(migration.version)
        return done
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)


def _check(migration: Migration, checksum: str) -> None:
    if checksum != migration.checksum:
        raise MigrationError(
            f"migration {migration.version:04d}_{migration.name} was edited after it was applied;"
            " add a new migration instead"
        )
