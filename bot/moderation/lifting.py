"""Ending what moderation started, when its time is up: the end of a timed mute, ban or slow mode, and the lifts
at a session's close. A lift the platform failed (a 5xx, a rate limit) is tried again with a growing pause, as a
new durable timer, until it works; one that can't work (the right is gone, the platform refuses) or still fails
after `MAX_ATTEMPTS` is given up, and the community's facilitators are told so they can do it by hand."""

from __future__ import annotations

import logging
from dataclasses import replace
from collections.abc import Sequence
from datetime import timedelta

from bot import actions as a
from bot import timers
from bot.context import Context
from bot.errors import NotFound, PlatformError
from bot.events import TimerFired
from bot.moderation.moderation_timers import (
    MODERATION_TIMER,
    BanEnds,
    LiftAtClose,
    ModerationTimer,
    MuteEnds,
    SingleLift,
    SlowModeEnds,
    lift_key,
)
from bot.moderation.mute_ends import cancel_mute_end
from bot.moderation.service import ModerationService, chat_in
from bot.refs import Platform, UserRef
from bot.storage import cases as store
from bot.storage import communities
from facilitation.consent import CommunityView

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
# 30 s, 1, 2, 4, 8, 16, 32 min, then hourly: about four hours of trying before facilitators are asked to step in.
MAX_ATTEMPTS = 10


def retry_delay(attempt: int) -> timedelta:
    """The pause before try number `attempt + 1` (the first retry has attempt 1)."""
    return min(FIRST_RETRY * 2 ** max(0, attempt - 1), LONGEST_RETRY)


def worth_retrying(error: Exception | None) -> bool:
    return isinstance(error, PlatformError) and error.retryable


def nothing_left(error: Exception | None) -> bool:
    """The platform says there is nothing to lift: the ban is gone, the account deleted."""
    return isinstance(error, NotFound)


class Lifts:
    def __init__(self, ctx: Context, service: ModerationService) -> None:
        self.ctx = ctx
        self.service = service

    async def on_timer(self, event: TimerFired, timer: ModerationTimer) -> Sequence[a.Step]:
        if isinstance(timer, LiftAtClose):
            return await self._lift_at_close(list(timer.community_ids))
        async with self.ctx.db.unit_of_work() as tx:
            community = await communities.community_by_id(tx, timer.community_id)
        if community is None or not community.is_active:
            return []
        return [self._guarded(community, [(self._action(community, timer), timer)])]

    @staticmethod
    def _action(community: CommunityView, timer: SingleLift) -> a.Action:
        chat = chat_in(community, timer.chat_id)
        match timer:
            case SlowModeEnds():
                return a.SetSlowMode(chat=chat, seconds=0, reason="cool-down over")
            case BanEnds():
                return a.UnbanMember(chat=chat, user=UserRef(Platform(community.platform), timer.user_id),
                                     reason=f"case {timer.case}: ban ended")
            case MuteEnds():
                return a.UnmuteMember(chat=chat, user=UserRef(Platform(community.platform), timer.user_id),
                                      reason=f"case {timer.case}: mute ended")

    async def _lift_at_close(self, community_ids: list[int]) -> list[a.Step]:
        now = self.ctx.clock.now()
        lifts: dict[int, list[tuple[a.Action, SingleLift]]] = {}
        async with self.ctx.db.unit_of_work() as tx:
            found = {c.id: c for c in [await communities.community_by_id(tx, cid) for cid in community_ids]
                     if c is not None and c.is_active}
            for case in await store.lifting_at_close(tx, list(found), now):
                # Ended, not undone: the offence still counts towards the ladder.
                await store.end_now(tx, case.id, now)
                if case.target_user_id is not None:
                    await cancel_mute_end(tx, case.community_id, case.target_user_id, now, case=case.number)
                    community = found[case.community_id]
                    timer = MuteEnds(community.id, case.chat_id, case.target_user_id, case.number)
                    action = a.UnmuteMember(chat=chat_in(community, case.chat_id),
                                            user=UserRef(Platform(community.platform), case.target_user_id),
                                            reason=f"case {case.number}: the session closed")
                    lifts.setdefault(community.id, []).append((action, timer))
            for lock in await store.active_locks(tx, list(found)):
                await store.mark_reversed(tx, lock.id, by="bot", now=now)
        return [self._guarded(found[cid], pairs) for cid, pairs in lifts.items()]

    def _guarded(self, community: CommunityView, lifts: list[tuple[a.Action, SingleLift]]) -> a.FollowUp:
        """The lifts, then a look at how each went: a transient failure is tried again later, a lasting one is
        given up and said to the facilitators."""

        async def check(results: list[a.ActionResult]) -> list[a.Step]:
            told: list[a.Step] = []
            for result, (_, timer) in zip(results, lifts, strict=True):
                if result.ok or nothing_left(result.error):
                    continue
                attempt = timer.attempt + 1
                if worth_retrying(result.error) and attempt < MAX_ATTEMPTS:
                    await self._again(timer, attempt)
                    continue
                log.warning("gave up lifting %s after %d tries: %s", timer, attempt, result.error)
                told += await self._gave_up(community, timer, result.error)
            return told

        return a.FollowUp(tuple(action for action, _ in lifts), check)

    async def _again(self, timer: SingleLift, attempt: int) -> None:
        now = self.ctx.clock.now()
        retry = replace(timer, attempt=attempt)
        async with self.ctx.db.unit_of_work() as tx:
            await timers.schedule(tx, MODERATION_TIMER, retry, due_at=now + retry_delay(attempt), now=now,
                                  key=lift_key(retry))
        self.ctx.timers.notify()

    async def _gave_up(self, community: CommunityView, timer: SingleLift,
                       error: Exception | None) -> list[a.Action]:
        m = self.ctx.messages
        match timer:
            case SlowModeEnds():
                what = m("mod_lift_slowmode")
            case BanEnds() | MuteEnds():
                name = await self.service.name_of(Platform(community.platform), timer.user_id)
                what = m("mod_lift_unban" if isinstance(timer, BanEnds) else "mod_lift_unmute", name=name,
                         number=timer.case)
        text = m("mod_lift_gave_up", chat=community.name, what=what, problem=str(error).rstrip("."))
        return await self.service.tell_facilitators(community, text, reason="lift failed")

