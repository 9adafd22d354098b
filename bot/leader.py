"""One receiver per deployment. Telegram allows one `getUpdates` poller per token, so when several bot
processes share a database only the holder of this lease polls; the others send, and stand by to take over.

PostgreSQL: a session-level advisory lock on a connection held open for as long as the lease (it is released by
the server if the process dies). The lease is only as good as that connection: if it drops (a restarted server,
a network cut, `pg_terminate_backend`), the server frees the lock and another instance may take it at once. So the
connection is watched — asyncpg reports its end as it happens, and a ping every `CHECK_SECONDS` catches a silent
network — and the moment it is lost the holder is told (`on_lost`) and must stop receiving.
SQLite: an exclusive `flock` on a file next to the database (released by the kernel if the process dies) — SQLite
deployments are single-machine by nature."""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.database import Database

log = logging.getLogger(__name__)

# How often a held PostgreSQL lease pings its connection, and how long a ping may take before the lease counts
# as lost (a network that silently drops packets never reports the connection's end).
CHECK_SECONDS = 2.0
PING_TIMEOUT_SECONDS = 5.0

LostHook = Callable[[], Awaitable[None]]


def lease_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for `name`."""
    digest = hashlib.sha256(f"surgerybot:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class ReceiverLease:
    def __init__(self, db: Database, name: str, *, on_lost: LostHook | None = None) -> None:
        self.db = db
        self.name = name
        self.on_lost = on_lost
        self.check_seconds = CHECK_SECONDS
        self.backend_pid: int | None = None  # PostgreSQL: the server process holding the lock
        self._connection: AsyncConnection | None = None
        self._fd: int | None = None
        self._watch: asyncio.Task[None] | None = None
        self._dropped = asyncio.Event()

    @property
    def held(self) -> bool:
        return self._connection is not None or self._fd is not None

    async def try_acquire(self) -> bool:
        """Take the lease if nobody holds it; never waits."""
        if self.held:
            return True
        if self.db.is_sqlite:
            return self._try_file_lock()
        connection = await self.db.engine.connect()
        try:
            got, pid = (await connection.execute(text("SELECT pg_try_advisory_lock(:key), pg_backend_pid()"),
                                                 {"key": lease_key(self.name)})).one()
            await connection.commit()
        except Exception:
            await connection.close()
            raise
        if not got:
            await connection.close()
            return False
        self._connection, self.backend_pid = connection, pid
        self._dropped = asyncio.Event()
        await self._listen_for_the_end(connection)
        self._watch = asyncio.create_task(self._watch_connection(connection), name=f"lease-{self.name}")
        log.info("this instance holds the %s lease", self.name)
        return True

    async def _listen_for_the_end(self, connection: AsyncConnection) -> None:
        """asyncpg calls back as soon as the server closes the connection: no need to wait for the next ping."""
        raw = (await connection.get_raw_connection()).driver_connection
        add = getattr(raw, "add_termination_listener", None)
        if add is not None:
            add(lambda _connection: self._dropped.set())

    async def _watch_connection(self, connection: AsyncConnection) -> None:
        while True:
            dropped = asyncio.create_task(self._dropped.wait())
            try:
                await asyncio.wait_for(asyncio.shield(dropped), timeout=self.check_seconds)
                break  # the connection ended
            except TimeoutError:
                pass
            finally:
                dropped.cancel()
            try:
                await asyncio.wait_for(connection.execute(text("SELECT 1")), PING_TIMEOUT_SECONDS)
                await connection.rollback()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("the %s lease's database connection failed a check: %s", self.name, error)
                break
        await self._lost()

    async def _lost(self) -> None:
        """The server has (or may have) freed the lock: this instance holds nothing any more."""
        connection, self._connection, self._watch = self._connection, None, None
        log.critical("this instance lost the %s lease: its database connection dropped", self.name)
        if connection is not None:
            await _close_quietly(connection)
        if self.on_lost is not None:
            try:
                await self.on_lost()
            except Exception:
                log.exception("stopping after losing the %s lease failed", self.name)

    def lock_path(self) -> Path:
        database = make_url(self.db.url).database or "surgerybot.db"
        if database == ":memory:":
            database = f"/tmp/surgerybot-memory-{os.getpid()}"
        return Path(f"{database}.{self.name}.lock")

    @staticmethod
    def file_is_free(path: Path) -> bool:
        """Whether nobody holds the file lock at `path` (checked by taking it for a moment)."""
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        finally:
            os.close(fd)  # closing drops the lock it may have taken
        return True

    def _try_file_lock(self) -> bool:
        fd = os.open(self.lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        log.info("this instance holds the %s lease", self.name)
        return True

    async def release(self, *, forget: bool = False) -> None:
        """Give the lease up. Never raises: it runs while stopping, when the connection may long be gone (the
        server then freed the lock already). `forget` also removes an SQLite lock file named after one instance."""
        watch, self._watch = self._watch, None
        if watch is not None:
            watch.cancel()
            await asyncio.gather(watch, return_exceptions=True)
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": lease_key(self.name)})
                await connection.commit()
            except Exception as error:
                log.info("releasing the %s lease: the connection was already gone (%s)", self.name, error)
            await _close_quietly(connection)
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
            if forget:
                self.lock_path().unlink(missing_ok=True)


async def _close_quietly(connection: AsyncConnection) -> None:
    try:
        await connection.close()
    except Exception as error:
        log.debug("closing a dropped lease connection: %s", error)
