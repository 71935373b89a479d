"""The migration runner on a real PostgreSQL server."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from workers.migrate import load_migrations, migrate
from workers.setup_cmd import ensure_database

pytestmark = pytest.mark.integration

#: Concurrent ``leadflow setup`` runs started at once on one fresh database.
_RUNNERS = 8


@pytest.fixture
async def empty_database_url(postgres_url: str) -> AsyncIterator[str]:
    """A database without any table, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(postgres_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))
    await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    await admin.close()


async def _migrate_once(url: str, start: asyncio.Event) -> list[int]:
    conn = await asyncpg.connect(url)
    try:
        await start.wait()
        return await migrate(conn)
    finally:
        await conn.close()


class TestConcurrentMigrations:
    """Several setups at once on a fresh database."""

    async def test_concurrent_runs_apply_each_migration_once_without_error(
        self, empty_database_url: str
    ) -> None:
        """Every run succeeds, and together they apply each migration exactly once."""
        for _attempt in range(5):  # the catalog race needs the runs to meet; give it chances
            start = asyncio.Event()
            runs = [
                asyncio.create_task(_migrate_once(empty_database_url, start))
                for _ in range(_RUNNERS)
            ]
            await asyncio.sleep(0)
            start.set()
            applied = await asyncio.gather(*runs)

            assert sorted(m.version for m in load_migrations()) == sorted(
                v for run in applied for v in run
            )
            await _reset(empty_database_url)


async def _reset(url: str) -> None:
    """Drop everything the migrations created, so the next attempt starts fresh again."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        await conn.close()


class TestConcurrentDatabaseCreation:
    """Several setups at once creating the database they are pointed at."""

    async def test_concurrent_runs_create_the_database_once_without_error(
        self, postgres_url: str
    ) -> None:
        """Every run succeeds, and exactly one of them reports that it created the database."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        url = urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))
        try:
            created = await asyncio.gather(*(ensure_database(url) for _ in range(_RUNNERS)))

            assert [True] == [c for c in created if c]
        finally:
            admin = await asyncpg.connect(postgres_url)
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()
