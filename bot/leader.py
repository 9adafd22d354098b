"""One receiver per deployment. Telegram allows one `getUpdates` poller per token, so when several bot
processes share a database only the holder of this lease polls; the others send, and stand by to take over.

PostgreSQL: a session-level advisory lock on a connection held open for as long as the lease (it is released by
the server if the process dies). SQLite: an exclusive `flock` on a file next to the database (released by the
kernel if the process dies) — SQLite deployments are single-machine by nature."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.database import Database

log = logging.getLogger(__name__)


def lease_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for `name`."""
    digest = hashlib.sha256(f"surgerybot:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class ReceiverLease:
    def __init__(self, db: Database, name: str) -> None:
        self.db = db
        self.name = name
        self._connection: AsyncConnection | None = None
        self._fd: int | None = None

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
            got = (await connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                            {"key": lease_key(self.name)})).scalar()
            await connection.commit()
        except Exception:
            await connection.close()
            raise
        if not got:
            await connection.close()
            return False
        self._connection = connection
        log.info("this instance holds the %s lease", self.name)
        return True

    def _lock_path(self) -> Path:
        database = make_url(self.db.url).database or "surgerybot.db"
        if database == ":memory:":
            database = f"/tmp/surgerybot-memory-{os.getpid()}"
        return Path(f"{database}.{self.name}.lock")

    def _try_file_lock(self) -> bool:
        fd = os.open(self._lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        log.info("this instance holds the %s lease", self.name)
        return True

    async def release(self) -> None:
        if self._connection is not None:
            try:
                await self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": lease_key(self.name)})
                await self._connection.commit()
            finally:
                await self._connection.close()
                self._connection = None
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
