"""The database handle: engine set-up, units of work, the per-event transaction, the write generation the
context cache follows, and migrations.

SQLite is the embedded default. Writers run in WAL mode with `synchronous=NORMAL`, foreign keys on and a 5 s
busy timeout; every write transaction starts with `BEGIN IMMEDIATE` under one in-process lock, so writers queue
instead of failing with "database is locked". Reads (`Database.read`) use a second engine whose connections are
query-only and begin deferred transactions: WAL lets them run beside the writer, so a read never waits behind
a write. PostgreSQL needs neither trick; both kinds of work share one pool there.

One event, one write: while the dispatcher handles an event it opens an `EventWork`. Every `unit_of_work()` a
handler opens meanwhile joins that event's single transaction (as a savepoint, so a handler's failure still rolls
back only its own part), the event's at-most-once claim is inserted first in that same transaction, and the
audit rows of the actions it returns are added before it commits. An event nobody writes for opens nothing."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager, nullcontext
from contextvars import ContextVar, Token
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000

# The tables the context cache (bot/event_context.py) is built from. A write to any of them bumps the write
# generation: at once in this process, and through `cache_generation` (kept by triggers, migration 0006) in others.
WATCHED_TABLES = frozenset({"communities", "people", "identities", "councillors", "facilitators", "sessions",
                            "session_communities", "policies", "cases"})
_WRITE_STATEMENT = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*['\"]?([\w-]+|None)['\"]?", re.MULTILINE)
_TOUCHED = "surgerybot_touched_watched"
_INCREMENTS = "surgerybot_generation_increments"


class Redelivered(Exception):
    """The event's at-most-once claim already exists: an earlier delivery of it was handled."""


def _watch_writes(engine: AsyncEngine, *, row_triggers: bool) -> None:
    @event.listens_for(engine.sync_engine, "after_cursor_execute")
    def _note(conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any,
              executemany: bool) -> None:
        found = _WRITE_STATEMENT.match(statement)
        if found is not None and found.group(1).lower() in WATCHED_TABLES:
            conn.info.setdefault(_TOUCHED, set()).add(found.group(1).lower())
            # How far this statement moved `cache_generation` (SQLite's triggers fire per row, PostgreSQL's per
            # statement), so that our own commits are not mistaken for another process's.
            conn.info[_INCREMENTS] = conn.info.get(_INCREMENTS, 0) + (max(cursor.rowcount, 0) if row_triggers else 1)

    @event.listens_for(engine.sync_engine, "begin")
    def _forget(conn: Connection) -> None:
        # A rolled-back transaction's writes never happened.
        conn.info.pop(_TOUCHED, None)
        conn.info.pop(_INCREMENTS, None)


async def _own_writes(tx: AsyncSession) -> tuple[set[str] | None, int | None, int]:
    """Before a commit: the watched tables this transaction wrote, and then where `cache_generation` stands
    inside it and how much of that it moved itself."""
    info = (await tx.connection()).info
    touched, increments = info.pop(_TOUCHED, None), info.pop(_INCREMENTS, 0)
    if not touched:
        return None, None, 0
    try:
        async with tx.begin_nested():  # the table is missing before migration 0006: that must not fail the commit
            stored = (await tx.execute(text("SELECT value FROM cache_generation WHERE id = 1"))).scalar()
    except Exception:
        stored = None
    return touched, stored, increments


def _configure_sqlite(engine: AsyncEngine, *, reader: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        # Take transaction control away from the driver so the BEGIN below is what actually runs.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted and overwritten content is zeroed on disk, not left in free pages until a VACUUM: an erasure
        # (/forgetme) must not stay readable in the file. SQLite builds differ in their default.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if reader:
            cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Writers: IMMEDIATE takes the write lock up front; a deferred transaction that later writes can fail
        # with SQLITE_BUSY without waiting, the classic source of "database is locked". Readers: a deferred
        # transaction is one consistent WAL snapshot and never blocks the writer.
        connection.exec_driver_sql("BEGIN" if reader else "BEGIN IMMEDIATE")


def _ensure_sqlite_directory(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


_current_work: ContextVar[EventWork | None] = ContextVar("surgerybot_event_work", default=None)


class EventWork:
    """The one transaction of one event, opened lazily by the first write (or by `add_audit`). A context
    variable carries it to the handlers' `unit_of_work()` calls: asyncio gives each event's task its own copy,
    so two events handled at once never share a transaction."""

    def __init__(self, db: Database, claim_key: str | None, now: datetime) -> None:
        self.db = db
        self.claim_key = claim_key
        self.now = now
        self.tx: AsyncSession | None = None
        self.active = True
        self._locked = False
        self._after_commit: list[Callable[[], None]] = []
        self._token: Token[EventWork | None] | None = None

    @property
    def opened(self) -> bool:
        return self.tx is not None

    # A class of its own rather than a generator-based context manager: every event passes through here,
    # most of them opening nothing, and the generator machinery cost more than the rest.
    async def __aenter__(self) -> EventWork:
        self._token = _current_work.set(self)
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        traceback: object) -> None:
        token = self._token
        assert token is not None, "EventWork left without being entered"
        if kind is not None:
            try:
                await self.rollback()
            finally:
                _current_work.reset(token)
            return  # the error goes on
        _current_work.reset(token)
        await self.commit()

    async def open(self) -> AsyncSession:
        if self.tx is not None:
            return self.tx
        if self.db._write_lock is not None:
            await self.db._write_lock.acquire()
            self._locked = True
        tx = self.db._sessions()
        try:
            await tx.begin()
            if self.claim_key is not None:
                from bot.storage.models import ProcessedUpdate

                tx.add(ProcessedUpdate(key=self.claim_key, processed_at=self.now))
                await tx.flush()
        except IntegrityError:
            await self._discard(tx)
            raise Redelivered(self.claim_key) from None
        except BaseException:
            await self._discard(tx)
            raise
        self.tx = tx
        return tx

    async def _discard(self, tx: AsyncSession) -> None:
        try:
            await tx.rollback()
            await tx.close()
        finally:
            self._release()

    def _release(self) -> None:
        if self._locked and self.db._write_lock is not None:
            self._locked = False
            self.db._write_lock.release()

    async def commit(self) -> None:
        self.active = False
        tx, self.tx = self.tx, None
        if tx is None:
            return
        try:
            touched, stored, increments = await _own_writes(tx)
            await tx.commit()
        except BaseException:
            await tx.rollback()
            raise
        finally:
            await tx.close()
            self._release()
        if touched:
            self.db.committed(touched, stored, increments)
        for callback in self._after_commit:
            callback()

    async def rollback(self) -> None:
        self.active = False
        tx, self.tx = self.tx, None
        if tx is None:
            return
        try:
            info = (await tx.connection()).info
            info.pop(_TOUCHED, None)
            info.pop(_INCREMENTS, None)
            await tx.rollback()
        finally:
            await tx.close()
            self._release()


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            _ensure_sqlite_directory(url)
            self.engine = create_async_engine(url, echo=echo)
            _configure_sqlite(self.engine, reader=False)
            self.read_engine = create_async_engine(url, echo=echo)
            _configure_sqlite(self.read_engine, reader=True)
        else:
            self.engine = create_async_engine(url, echo=echo, pool_pre_ping=True, pool_size=10)
            self.read_engine = self.engine
        _watch_writes(self.engine, row_triggers=self.is_sqlite)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = async_sessionmaker(self.read_engine, expire_on_commit=False)
        # SQLite allows one writer; queueing writers here is cheaper and fairer than busy-waiting in the driver.
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        # Per watched table, bumped when a committed write here touched it; `_everything` is bumped when
        # another process wrote (see `stored_generation`). The context cache compares `generation_of(tables)`
        # with the value its entries were read at.
        self._table_generation: dict[str, int] = dict.fromkeys(WATCHED_TABLES, 0)
        self._everything = 0
        # Goes up with every bump, whatever was written: while it stands still, nothing cached can be stale.
        self.version = 0
        # Called (synchronously, so keep them cheap) after every bump: the context cache refreshes itself.
        self.on_change: list[Callable[[], None]] = []
        # The value of `cache_generation` whose changes this process has accounted for (None: not read yet).
        self.stored_seen: int | None = None
        self._checkpoints: set[asyncio.Task[None]] = set()

    # -- the write generation -----------------------------------------------------------------------------

    def bump_generation(self, tables: Iterable[str] | None = None) -> None:
        """After a commit that wrote `tables` (None: anything may have changed, e.g. in another process)."""
        self.version += 1
        for callback in self.on_change:
            callback()
        if tables is None:
            self._everything += 1
            return
        for table in tables:
            self._table_generation[table] = self._table_generation.get(table, 0) + 1

    def committed(self, tables: Iterable[str], stored: int | None, increments: int) -> None:
        """After our own commit that wrote `tables`: they are stale here at once. `stored` is where the triggers'
        `cache_generation` stood inside the transaction and `increments` how much of that was ours: if the rest
        is what we had already seen, nobody else wrote meanwhile and the poll needn't treat this as news.
        Anything that doesn't add up is treated as another process's write (one needless reload at worst)."""
        self.bump_generation(tables)
        if stored is None:
            return
        if self.stored_seen is not None and stored - increments == self.stored_seen:
            self.stored_seen = stored
            return
        self.stored_seen = max(stored, self.stored_seen or stored)
        self.bump_generation(None)

    def generation_of(self, tables: Iterable[str]) -> int:
        return self._everything + sum(self._table_generation.get(table, 0) for table in tables)

    async def stored_generation(self) -> int | None:
        """The generation the database's triggers keep (None before migration 0006)."""
        try:
            # Core on a pooled reader connection: this runs twice a second, so no ORM session for it.
            async with self.read_engine.connect() as connection:
                return (await connection.exec_driver_sql("SELECT value FROM cache_generation WHERE id = 1")).scalar()
        except Exception:
            return None

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once what is being written now is committed: at once outside an event's transaction.
        (Waking the timer loop before the commit would let it look, find nothing, and sleep past the timer.)"""
        work = _current_work.get()
        if work is not None and work.active:
            work._after_commit.append(callback)
        else:
            callback()

    # -- units of work --------------------------------------------------------------------------------------

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One transaction: commits on success, rolls back on error. Never hold one across a platform call.
        Inside an event being dispatched it is a savepoint of that event's one transaction instead."""
        work = _current_work.get()
        if work is not None and work.active:
            tx = await work.open()
            async with tx.begin_nested():
                yield tx
            return
        async with self._write_lock or nullcontext():
            async with self._sessions() as tx:
                async with tx.begin():
                    yield tx
                    touched, stored, increments = await _own_writes(tx)
        if touched:
            self.committed(touched, stored, increments)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A read-only transaction that never waits for the writer (SQLite WAL reader; PostgreSQL pool)."""
        async with self._read_sessions() as tx:
            async with tx.begin():
                yield tx

    def event_work(self, claim_key: str | None, now: datetime) -> EventWork:
        """The scope of one event's handling (`async with`): commits its one transaction (if anything opened
        it) at the end, rolls it back on error. Raises `Redelivered` from inside when the claim shows a
        redelivery."""
        return EventWork(self, claim_key, now)

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file and empty it (SQLite; nothing elsewhere). After an
        erasure: the WAL would otherwise keep the erased text until the next automatic checkpoint. Waits for
        the writer, and does its best around readers still holding an older snapshot (logged)."""
        if not self.is_sqlite:
            return
        async with self._write_lock or nullcontext():
            async with self.engine.connect() as connection:
                raw = await connection.get_raw_connection()
                driver = raw.driver_connection
                assert driver is not None
                cursor = await driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                busy, logged, copied = await cursor.fetchone()
                await cursor.close()
        if busy:
            log.warning("WAL checkpoint after an erasure was partial (%s of %s frames): a reader was busy",
                        copied, logged)

    def checkpoint_after_commit(self) -> None:
        """`checkpoint()` once what is being written now is committed (the WAL only then holds all of it)."""
        if not self.is_sqlite:
            return

        def start() -> None:
            task = asyncio.get_running_loop().create_task(self.checkpoint(), name="surgerybot-checkpoint")
            self._checkpoints.add(task)
            task.add_done_callback(self._checkpoints.discard)

        self.after_commit(start)

    async def checkpoints_done(self) -> None:
        """Wait for the checkpoints started after commits (at stop, and for tests that read the files)."""
        if self._checkpoints:
            await asyncio.gather(*self._checkpoints, return_exceptions=True)

    async def dispose(self) -> None:
        await self.checkpoints_done()
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()

    # -- migrations -------------------------------------------------------------------------------------

    def alembic_config(self) -> Config:
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    async def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to `revision` through Alembic (the only way the schema changes). On SQLite the
        migrations run with foreign keys off, as SQLite's own procedure for changing a table asks: changing a
        column means recreating its table, and dropping the old one with foreign keys on would first delete its
        rows, cascading to every row that refers to them. The references are checked before the commit.
        A database already at the newest revision is left as it is without loading Alembic, which (with Mako and
        Pygments) would stay in every running process's memory for nothing (~15 MB)."""
        if revision == "head" and await self._at_newest_revision():
            log.info("database schema is at %s", revision)
            return
        from alembic import command

        config = self.alembic_config()

        def _run(connection: Connection) -> None:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            if self.is_sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration left references to missing rows: {broken[:5]}")

        def _foreign_keys(connection: Connection, on: bool) -> None:
            # Straight to the driver, outside any transaction: SQLite ignores this pragma inside one.
            cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
            cursor.close()

        async with self._write_lock or nullcontext():
            async with self.engine.connect() as connection:
                if self.is_sqlite:
                    await connection.run_sync(_foreign_keys, False)
                try:
                    async with connection.begin():
                        await connection.run_sync(_run)
                finally:
                    if self.is_sqlite:
                        await connection.run_sync(_foreign_keys, True)
        self.bump_generation()
        log.info("database schema is at %s", revision)

    async def ping(self) -> None:
        """One trivial query on the read side: raises when the database does not answer."""
        async with self.read() as tx:
            await tx.execute(text("SELECT 1"))

    async def _at_newest_revision(self) -> bool:
        try:
            async with self.engine.connect() as connection:
                stored = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
        except Exception:  # no schema yet (or no version table): Alembic decides
            return False
        return stored == [newest_revision()]

    async def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        def _read(connection: Connection) -> str | None:
            return MigrationContext.configure(connection).get_current_revision()

        async with self.engine.connect() as connection:
            return await connection.run_sync(_read)


def newest_revision(versions: Path = MIGRATIONS_DIR / "versions") -> str | None:
    """The revision no other migration builds on, read from the migration files' `revision`/`down_revision` lines
    (the same lines Alembic reads); None when that is not one revision (a branch), so that Alembic decides."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions.glob("*.py"):
        for name, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8")):
            (revisions if name == "revision" else parents).add(value)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None
