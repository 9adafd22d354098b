"""The end of every mute whose end the bot chose, kept as a durable timer (one per person: a later mute replaces
an earlier one's end), and cancelled when the mute is lifted another way."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import timers
from bot.moderation.moderation_timers import MODERATION_TIMER, MuteEnds, mute_timer_key


async def schedule_mute_end(tx: AsyncSession, community_id: int, chat_id: str | None, user_id: str, case: int,
                            until: datetime, now: datetime) -> None:
    """Every mute whose end the bot chose gets a timer that lifts it then, replacing the end of an earlier one."""
    await timers.schedule(tx, MODERATION_TIMER, MuteEnds(community_id, chat_id, user_id, case), due_at=until,
                          now=now, key=mute_timer_key(community_id, user_id))


async def cancel_mute_end(tx: AsyncSession, community_id: int, user_id: str, now: datetime, *,
                          case: int | None = None) -> None:
    """The mute was lifted some other way. With `case`, only if the pending end is that case's (a later mute's
    end stays)."""
    key = mute_timer_key(community_id, user_id)
    if case is not None:
        timer = await timers.pending(tx, key)
        if timer is None or int(timer.payload.get("case") or 0) != case:
            return
    await timers.cancel(tx, key, now)
