"""Shared fixtures. Storage tests run on a real SQLite file and, when SURGERYBOT_TEST_POSTGRES_URL is set
(.ci/run sets it whenever the local PostgreSQL answers), on a fresh PostgreSQL database as well."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest

POSTGRES_URL = os.environ.get("SURGERYBOT_TEST_POSTGRES_URL", "")
_postgres_used = False


def pytest_report_header(config: pytest.Config) -> str:
    if POSTGRES_URL:
        return f"PostgreSQL storage tests: ON ({POSTGRES_URL.rsplit('@', 1)[-1]})"
    return "PostgreSQL storage tests: OFF (SURGERYBOT_TEST_POSTGRES_URL is not set)"


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    if POSTGRES_URL and _postgres_used:
        terminalreporter.write_line("PostgreSQL: storage tests ran against PostgreSQL as well as SQLite.")
    else:
        terminalreporter.write_line("PostgreSQL was NOT tested: storage tests ran on SQLite only "
                                    "(set SURGERYBOT_TEST_POSTGRES_URL to include it).")


async def _create_postgres_database() -> tuple[str, str]:
    import asyncpg

    name = f"surgerybot_test_{uuid.uuid4().hex[:12]}"
    admin_dsn = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(admin_dsn)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    base, _, _ = POSTGRES_URL.rpartition("/")
    return f"{base}/{name}", name


async def _drop_postgres_database(name: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[str]:  # type: ignore[no-untyped-def]
    """A fresh, empty database: a SQLite file in tmp_path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL not configured (SURGERYBOT_TEST_POSTGRES_URL)")
    global _postgres_used
    _postgres_used = True
    url, name = await _create_postgres_database()
    try:
        yield url
    finally:
        await _drop_postgres_database(name)


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A fresh PostgreSQL database at the latest schema (tests that need two instances on one server)."""
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL not configured (SURGERYBOT_TEST_POSTGRES_URL)")
    from bot.storage.database import Database

    global _postgres_used
    _postgres_used = True
    url, name = await _create_postgres_database()
    try:
        database = Database(url)
        await database.upgrade()
        await database.dispose()
        yield url
    finally:
        await _drop_postgres_database(name)
