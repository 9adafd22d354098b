"""Durable timers. A timer is a row: scheduled inside the caller's unit of work (so it commits or rolls back
with the state it belongs to), re-armed at start-up simply by being in the table, and fired exactly once:
the firing instance claims it by setting `fired_at` where it is still unset, then dispatches `TimerFired`.
A handler whose work failed and may succeed later schedules it again as a new timer (see
bot/moderation/lifting.py), so a claimed timer is never lost to one failed platform call."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.health import ReceiverHealth
from bot.clock import Clock, ensure_utc
from bot.events import Event, TimerFired
from bot.features import P, TimerKind
from bot.storage.database import Database
from bot.tasks import finish_or_cancel
from bot.storage.models import Timer
from bot.storage.rows import affected

log = logging.getLogger(__name__)

# The loop never sleeps longer than this, so a timer written by another process is noticed promptly.
MAX_IDLE_SECONDS = 5.0


async def schedule(tx: AsyncSession, kind: TimerKind[P], payload: P, *, due_at: datetime, now: datetime,
                   key: str | None = None) -> None:
    """Add a timer in the caller's transaction. A `key` replaces any earlier timer with the same key. The payload
    is stored as its `to_dict()`, and read back by `kind.decode` when the timer fires."""
    if key is not None:
        await tx.execute(delete(Timer).where(Timer.key == key))
    tx.add(Timer(kind=kind.name, key=key, due_at=due_at, payload=payload.to_dict(), created_at=now))


async def cancel(tx: AsyncSession, key: str, now: datetime) -> bool:
    """Cancel a pending timer by key. True if one was pending."""
    changed = await affected(tx,
        update(Timer).where(Timer.key == key, Timer.fired_at.is_(None), Timer.cancelled_at.is_(None))
        .values(cancelled_at=now))
    return changed > 0


async def pending(tx: AsyncSession, key: str) -> Timer | None:
    return await tx.scalar(
        select(Timer).where(Timer.key == key, Timer.fired_at.is_(None), Timer.cancelled_at.is_(None)))


class TimerService:
    def __init__(self, db: Database, clock: Clock, dispatch: Callable[[Event], Awaitable[Any]]) -> None:
        self.db = db
        self.clock = clock
        self.dispatch = dispatch
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._last_failure: str | None = None

    def health(self) -> ReceiverHealth:
        """For the health file: the loop runs, and its last look at the timers did not fail."""
        if self._task is None or self._task.done():
            return ReceiverHealth(False, "the timer loop is not running")
        if self._last_failure is not None:
            return ReceiverHealth(False, f"the timer loop's last run failed: {self._last_failure}")
        return ReceiverHealth(True, "running")

    def notify(self) -> None:
        """Something was scheduled: re-check the next due time as soon as it is committed, not after the idle
        period."""
        self.db.after_commit(self._wake.set)

    async def next_due(self) -> datetime | None:
        async with self.db.read() as tx:
            due = await tx.scalar(select(Timer.due_at).where(
                Timer.fired_at.is_(None), Timer.cancelled_at.is_(None)).order_by(Timer.due_at).limit(1))
        return ensure_utc(due) if due else None

    async def run_due(self) -> int:
        """Fire every timer that is due now. Returns how many this instance fired."""
        now = self.clock.now()
        async with self.db.read() as tx:
            due = (await tx.scalars(select(Timer).where(
                Timer.fired_at.is_(None), Timer.cancelled_at.is_(None), Timer.due_at <= now)
                .order_by(Timer.due_at, Timer.id).limit(200))).all()
        fired = 0
        for timer in due:
            async with self.db.unit_of_work() as tx:
                claimed = await affected(tx, update(Timer).where(Timer.id == timer.id, Timer.fired_at.is_(None),
                                                                      Timer.cancelled_at.is_(None))
                                                  .values(fired_at=now))
            if claimed != 1:
                continue  # another instance fired it, or it was cancelled meanwhile
            fired += 1
            # The claim key names the row's creation too: SQLite hands a deleted row's id to the next one, and a
            # timer re-scheduled under its key (a retried lift) must not look like a redelivery of the first.
            created = ensure_utc(timer.created_at).isoformat()
            event = TimerFired(update_key=f"timer:{timer.id}:{created}", occurred_at=now, timer_id=timer.id,
                               kind=timer.kind, payload=dict(timer.payload), due_at=ensure_utc(timer.due_at))
            try:
                await self.dispatch(event)
            except Exception:
                log.exception("timer %s (%s) failed", timer.id, timer.kind)
        return fired

    async def _loop(self) -> None:
        while not self._stopping:
            try:
                await self.run_due()
                due = await self.next_due()
                self._last_failure = None
            except Exception as error:
                log.exception("timer loop iteration failed; retrying")
                self._last_failure = f"{type(error).__name__}: {error}"[:200]
                due = None
            idle = MAX_IDLE_SECONDS
            if due is not None:
                idle = min(idle, max(0.0, (due - self.clock.now()).total_seconds()))
            if self._stopping:
                return
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=idle)
            except TimeoutError:
                pass

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="surgerybot-timers")

    async def stop(self, grace: float = 10.0) -> None:
        """Let a firing timer finish its unit of work (cancelling it mid-transaction leaves a connection to be
        reset by a cancelled task), then stop; cancel only if it overruns `grace` seconds."""
        if self._task is None:
            return
        self._stopping = True
        self._wake.set()
        await finish_or_cancel(self._task, grace)
        self._task = None
        self._stopping = False
