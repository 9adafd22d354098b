"""The retention job (SPEC §6): run on demand by `surgerybot retention run` and daily by a durable timer that
re-schedules itself each time it fires, so a restart never loses the next run."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot import timers
from bot.actions import Action
from bot.clock import Clock
from bot.events import TimerFired
from bot.features import Feature, TimerKind, TimerRoute
from bot.storage import audit, joins
from bot.storage import retention as store
from bot.storage.database import Database
from config.settings import Settings
from facilitation.retention import Category, Cutoffs, Periods, cutoffs, next_run

log = logging.getLogger(__name__)

# The longest newcomer window a policy may set (links.new_member_hours): join times older than that are no use.
NEWCOMER_LONGEST = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class DailyPurge:
    """The daily retention run: nothing to carry."""

    def to_dict(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DailyPurge:
        return cls()


RETENTION_TIMER = TimerKind("retention", DailyPurge.from_dict)
DAILY_KEY = "retention:daily"


class _DryRun(Exception):
    """Raised inside the unit of work to roll a dry run back after counting."""


class RetentionService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock

    @property
    def periods(self) -> Periods:
        r = self.settings.retention
        return Periods(session_days=r.session_days, case_days=r.case_days, audit_days=r.audit_days,
                       left_community_days=r.left_community_days, processed_update_days=r.processed_update_days)

    def cutoffs(self) -> Cutoffs:
        return cutoffs(self.clock.now(), self.periods)

    async def run(self, *, dry_run: bool = False) -> dict[Category, int]:
        """Purge what is due now. A dry run performs the same deletes and rolls them back, so its counts are
        exactly what a real run would remove."""
        cut, counts = self.cutoffs(), {}
        try:
            async with self.db.unit_of_work() as tx:
                counts = await store.purge(tx, cut)
                # Nobody is a newcomer for longer than the policy's longest window.
                await joins.purge_joins(tx, cut.now - NEWCOMER_LONGEST)
                if dry_run:
                    raise _DryRun
                await audit.record(tx, at=cut.now, platform="core", action="retention_purge",
                                   reason=", ".join(f"{c.value}={n}" for c, n in counts.items() if n) or "nothing due",
                                   outcome="recorded")
        except _DryRun:
            pass
        log.info("retention %s: %s", "dry run" if dry_run else "purge",
                 {c.value: n for c, n in counts.items() if n} or "nothing due")
        return counts

    async def ensure_scheduled(self) -> None:
        """At start-up: the daily run exists exactly once (keyed), whatever happened before the restart."""
        now = self.clock.now()
        async with self.db.unit_of_work() as tx:
            if await timers.pending(tx, DAILY_KEY) is None:
                await timers.schedule(tx, RETENTION_TIMER, DailyPurge(), key=DAILY_KEY, now=now,
                                      due_at=next_run(now, self.settings.council.zone,
                                                      self.settings.retention.purge_hour))

    def feature(self) -> Feature:
        return Feature("retention", timers=(TimerRoute(RETENTION_TIMER, self.on_timer),))

    async def on_timer(self, event: TimerFired, purge: DailyPurge) -> Sequence[Action]:
        now = self.clock.now()
        # Schedule tomorrow's run first: if this one fails, the job still comes back.
        async with self.db.unit_of_work() as tx:
            await timers.schedule(tx, RETENTION_TIMER, DailyPurge(), key=DAILY_KEY, now=now,
                                  due_at=next_run(now, self.settings.council.zone, self.settings.retention.purge_hour))
        await self.run()
        return []
