"""Pre-election periods in the running bot: the refusal a councillor gets when scheduling or opening a surgery
during one, the line `/surgery status` adds, and the durable timer that, when a period starts, cancels the
councillor surgeries scheduled inside it with a neutral notice. Surgeries a council officer hosts (a facilitator,
no councillor) pass through all of these. The rules are facilitation/elections.py's."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import timers
from bot.actions import Action, SendMessage
from bot.command_router import Refused
from bot.context import Context
from bot.events import TimerFired
from bot.features import Feature, TimerKind, TimerRoute
from bot.handlers.question_posts import home_chat
from bot.refs import Platform, UserRef
from bot.storage import audit, people
from bot.storage import communities as community_store
from bot.storage import elections as store
from bot.storage import sessions as session_store
from facilitation.elections import ElectionPeriod, Slot, blocking_period, to_cancel
from facilitation.consent import CommunityView
from facilitation.sessions import SessionState, SessionView, timer_key

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ElectionTimer:
    period_id: int

    def to_dict(self) -> dict[str, Any]:
        return {"period_id": self.period_id}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ElectionTimer:
        return cls(int(data["period_id"]))


ELECTION_TIMER = TimerKind("election", ElectionTimer.from_dict)
# Every timer a scheduled session owns before it starts (bot/handlers/sessions.py arms them).
_BEFORE_START = ("open", "warn", "close")


def election_timer_key(period_id: int) -> str:
    return f"election:{period_id}"


class ElectionHandlers:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def feature(self) -> Feature:
        return Feature("elections", timers=(TimerRoute(ELECTION_TIMER, self.on_timer),))

    def _end(self, period: ElectionPeriod) -> str:
        zone = self.ctx.settings.council.zone
        return self.ctx.messages.date(period.last_day(zone), zone)

    async def blocking(self, community_ids: Sequence[int], *, starts_at: datetime | None = None,
                       ends_at: datetime | None = None, councillor_hosted: bool = True) -> ElectionPeriod | None:
        now = self.ctx.clock.now()
        async with self.ctx.db.read() as tx:
            found = await store.periods(tx, ending_after=now)
        return blocking_period(found, community_ids, now=now, starts_at=starts_at, ends_at=ends_at,
                               councillor_hosted=councillor_hosted)

    async def refuse_schedule(self, community_ids: Sequence[int], starts_at: datetime, ends_at: datetime, *,
                              councillor_hosted: bool) -> None:
        period = await self.blocking(community_ids, starts_at=starts_at, ends_at=ends_at,
                                     councillor_hosted=councillor_hosted)
        if period is not None:
            raise Refused("election_refused_schedule", name=period.name, end=self._end(period))

    async def refuse_open(self, community_ids: Sequence[int], *, councillor_hosted: bool) -> None:
        period = await self.blocking(community_ids, councillor_hosted=councillor_hosted)
        if period is not None:
            raise Refused("election_refused_open", name=period.name, end=self._end(period))

    async def status_line(self, community_id: int) -> str:
        period = await self.blocking([community_id])
        if period is None:
            return ""
        return self.ctx.messages("election_status_line", name=period.name, end=self._end(period))

    async def on_timer(self, event: TimerFired, timer: ElectionTimer) -> Sequence[Action]:
        """The period starts: cancel the councillor surgeries scheduled inside it, telling each group."""
        now = event.occurred_at
        actions: list[Action] = []
        async with self.ctx.db.unit_of_work() as tx:
            period = await store.period(tx, timer.period_id)
            if period is None:
                return []
            every = [c.id for c in await community_store.list_communities(tx)] if not period.community_ids \
                else sorted(period.community_ids)
            scheduled = await session_store.sessions_in(tx, every, frozenset({SessionState.SCHEDULED}))
            doomed = {slot.session_id for slot in to_cancel(period, [
                Slot(s.id, s.community_ids, s.starts_at, s.ends_at, s.councillor_hosted) for s in scheduled])}
            for view in scheduled:
                if view.id not in doomed:
                    continue
                await session_store.save_session(tx, replace(view, state=SessionState.CANCELLED, closed_at=now))
                reminders = [f"remind:{m}" for m in self.ctx.settings.sessions.reminder_minutes]
                for suffix in reminders + list(_BEFORE_START):
                    await timers.cancel(tx, timer_key(view.id, suffix), now)
                await audit.record(tx, at=now, platform="bot", actor="timer", action="session_cancelled_election",
                                   target=f"session:{view.id}", reason=f"election period {period.id}",
                                   outcome="recorded")
                active = [c for c in await self.ctx.cache.communities(view.community_ids) if c.is_active]
                # Each group reads it in its own language, the councillor in theirs (bot/localise.py).
                text = self.ctx.messages("election_cancelled_group", when=self._when(view.starts_at),
                                         end=self._end(period))
                actions += [SendMessage(target=home_chat(community), text=text,
                                        reason="session cancelled: pre-election period") for community in active]
                actions += await self._tell_councillor(tx, view, period, active)
        log.info("election period %s started: %d surgeries cancelled", timer.period_id, len(doomed))
        return actions

    async def _tell_councillor(self, tx: AsyncSession, view: SessionView, period: ElectionPeriod,
                               communities: list[CommunityView]) -> list[Action]:
        """A private note to the host councillor, once, on the platform of the surgery's first group where they
        linked an account."""
        if view.councillor_id is None:
            return []  # only councillor surgeries are cancelled; an officer's never reaches here
        for community in communities:
            user_id = await people.councillor_identity(tx, view.councillor_id, community.platform)
            if user_id is None:
                continue
            text = self.ctx.messages("election_cancelled_councillor", when=self._when(view.starts_at),
                                     community=community.name, name=period.name, end=self._end(period))
            return [SendMessage(target=UserRef(Platform(community.platform), user_id), text=text,
                                reason="session cancelled: pre-election period")]
        return []

    def _when(self, at: datetime) -> str:
        return self.ctx.messages.datetime(at, self.ctx.settings.council.zone)
