"""The database handle: engine set-up (SQLite pragmas, serialised writes), units of work, and migrations.

SQLite is the embedded default. Its connections run in WAL mode with `synchronous=NORMAL`, foreign keys on
and a 5 s busy timeout; every unit of work starts with `BEGIN IMMEDIATE` under one in-process lock, so
writers queue instead of failing with "database is locked". PostgreSQL needs neither trick."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Take transaction control away from the driver so BEGIN IMMEDIATE below is what actually runs.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # IMMEDIATE takes the write lock up front; a deferred transaction that later writes can fail with
        # SQLITE_BUSY without waiting, which is the classic source of "database is locked".
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _ensure_sqlite_directory(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            _ensure_sqlite_directory(url)
            self.engine = create_async_engine(url, echo=echo)
            _configure_sqlite(self.engine)
        else:
            self.engine = create_async_engine(url, echo=echo, pool_pre_ping=True, pool_size=10)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite allows one writer; queueing writers here is cheaper and fairer than busy-waiting in the driver.
        self._write_lock = asyncio.Lock() if self.is_sqlite else None

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One transaction: commits on success, rolls back on error. Never hold one across a platform call."""
        async with self._write_lock or nullcontext():
            async with self._sessions() as session:
                async with session.begin():
                    yield session

    async def dispose(self) -> None:
        await self.engine.dispose()

    # -- migrations -------------------------------------------------------------------------------------

    def alembic_config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    async def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to `revision` through Alembic (the only way the schema changes)."""
        config = self.alembic_config()

        def _run(connection: Connection) -> None:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

        async with self._write_lock or nullcontext():
            async with self.engine.begin() as connection:
                await connection.run_sync(_run)
        log.info("database schema is at %s", revision)

    async def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        def _read(connection: Connection) -> str | None:
            return MigrationContext.configure(connection).get_current_revision()

        async with self.engine.connect() as connection:
            return await connection.run_sync(_read)
