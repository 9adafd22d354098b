"""The outbox: what a process killed between committing an event and making its platform calls leaves undone.

The dispatcher commits an event's actions with its claim (so a redelivered update is never handled twice); the
executor copies each into the outbox in that same transaction and deletes it, committed, just before the call.
A row still in the outbox is therefore an action certainly never attempted, and carrying it out later keeps
"at most once": an action whose call was in flight when the process died is not in the outbox any more and stays
"pending" in the audit log (it may or may not have happened), never repeated.

Every instance holds a liveness lease named after itself (bot/leader.py: a PostgreSQL advisory lock, or a file
lock beside an SQLite file) for as long as it runs. At start each instance looks at the outbox's owners; one whose
lease can be taken is gone, and its rows are taken (deleted, so only one instance gets them) and carried out —
unless they are older than `REDRIVE_WITHIN`, when a late message or mute would do more harm than good: those are
marked in the audit log and dropped. Results come back to hooks by tag (a question's post remembers its message),
since a handler's follow-up does not outlive its process."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

from bot import actions as a
from bot.action_codec import decode_action
from bot.clock import Clock, ensure_utc
from bot.executor import Executor
from bot.leader import ReceiverLease
from bot.storage import audit
from bot.storage import outbox as rows
from bot.storage.database import Database

log = logging.getLogger(__name__)

REDRIVE_WITHIN = timedelta(minutes=30)
LEASE_PREFIX = "instance-"

RedrivenHook = Callable[[str, a.ActionResult], Awaitable[None]]


class Outbox:
    def __init__(self, db: Database, executor: Executor, clock: Clock, *,
                 redrive_within: timedelta = REDRIVE_WITHIN) -> None:
        self.db, self.executor, self.clock = db, executor, clock
        self.instance = uuid.uuid4().hex
        self.redrive_within = redrive_within
        self._lease = ReceiverLease(db, LEASE_PREFIX + self.instance, on_lost=self._lease_lost)
        self._hooks: list[tuple[str, RedrivenHook]] = []
        self._retaking: asyncio.Task[None] | None = None

    def on_redriven(self, tag_prefix: str, hook: RedrivenHook) -> None:
        """`hook(tag, result)` for each re-driven SendMessage whose tag starts with `tag_prefix`."""
        self._hooks.append((tag_prefix, hook))

    async def start(self) -> None:
        """Take this instance's liveness lease and put its name on what it records. `recover` comes once the
        adapters are connected."""
        if not await self._lease.try_acquire():
            raise RuntimeError(f"the liveness lease of instance {self.instance} is taken")
        self.executor.instance = self.instance

    async def stop(self) -> None:
        self.executor.instance = None
        if self._retaking is not None:
            self._retaking.cancel()
            await asyncio.gather(self._retaking, return_exceptions=True)
            self._retaking = None
        self._lease.on_lost = None
        await self._lease.release(forget=True)

    async def _lease_lost(self) -> None:
        """Without its liveness lease this instance looks gone, and another one starting could take its rows (the
        executor then skips them: never twice, see `Executor._take_from_outbox`). Take the lease back soon."""
        if self._retaking is None or self._retaking.done():
            self._retaking = asyncio.create_task(self._retake(), name="outbox-liveness-lease")

    async def _retake(self) -> None:
        delay = 1.0
        while True:
            await asyncio.sleep(delay)
            try:
                if await self._lease.try_acquire():
                    log.warning("this instance holds its liveness lease again")
                    return
            except Exception as error:
                log.warning("taking the liveness lease back failed (%s); will retry", error)
            delay = min(delay * 2, 60.0)

    async def recover(self) -> int:
        """Carry out what gone instances left in the outbox; returns how many actions were attempted."""
        async with self.db.read() as tx:
            owners = [owner for owner in await rows.owners(tx) if owner != self.instance]
        attempted = 0
        for owner in owners:
            if not await self._is_gone(owner):
                continue
            async with self.db.unit_of_work() as tx:
                left = await rows.take_owned_by(tx, owner)
            attempted += await self._redrive(owner, left)
        self._forget_stale_lock_files()
        return attempted

    async def _is_gone(self, owner: str) -> bool:
        probe = ReceiverLease(self.db, LEASE_PREFIX + owner)
        if not await probe.try_acquire():
            return False
        await probe.release(forget=True)
        return True

    def _forget_stale_lock_files(self) -> None:
        """SQLite: the lock files of instances killed with nothing in the outbox; a held one is left alone."""
        if not self.db.is_sqlite:
            return
        own = self._lease.lock_path()
        for path in own.parent.glob(own.name.replace(self.instance, "*")):
            if path != own and ReceiverLease.file_is_free(path):
                path.unlink(missing_ok=True)

    async def _redrive(self, owner: str, left: list[tuple[int, datetime, str]]) -> int:
        now = self.clock.now()
        due: list[tuple[int, a.Action]] = []
        too_late: list[tuple[int, str]] = []
        for row_id, at, text in left:
            try:
                action = decode_action(text)
            except (KeyError, TypeError, ValueError) as error:
                log.error("outbox row %s of instance %s is unreadable (%s); dropped", row_id, owner, error)
                too_late.append((row_id, "not carried out: unreadable after a restart"))
                continue
            if now - ensure_utc(at) > self.redrive_within:
                too_late.append((row_id, "not carried out: the bot stopped before it and restarted too late"))
            else:
                due.append((row_id, action))
        if too_late:
            async with self.db.unit_of_work() as tx:
                await audit.set_outcomes(tx, too_late)
            log.warning("dropped %d actions instance %s left undone too long ago", len(too_late), owner)
        if not due:
            return 0
        log.info("carrying out %d actions instance %s committed but never attempted", len(due), owner)
        results = await self.executor.execute([action for _, action in due],
                                              audit_ids=[row_id for row_id, _ in due])
        for result in results:
            tag = result.action.tag if isinstance(result.action, a.SendMessage) else None
            for prefix, hook in self._hooks:
                if tag is not None and tag.startswith(prefix):
                    try:
                        await hook(tag, result)
                    except Exception:
                        log.exception("the outbox hook for %s failed", tag)
        return len(due)


def lock_files_of(database_file: Path) -> list[Path]:
    """Every instance lock file beside an SQLite database (for tests and operators)."""
    return sorted(database_file.parent.glob(f"{database_file.name}.{LEASE_PREFIX}*.lock"))
