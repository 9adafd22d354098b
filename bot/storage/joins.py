"""When members joined a community's chat: one row per member, the latest join, for the newcomer-links rule.
Old rows are purged daily (nobody is a newcomer for long); a person's rows go with their erasure
(bot/storage/subjects.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import ensure_utc
from bot.storage.models import MemberJoin
from bot.storage.rows import affected


async def record_join(tx: AsyncSession, community_id: int, user_id: str, at: datetime) -> None:
    row = await tx.scalar(select(MemberJoin).where(MemberJoin.community_id == community_id,
                                                   MemberJoin.user_id == user_id))
    if row is None:
        tx.add(MemberJoin(community_id=community_id, user_id=user_id, joined_at=at))
    else:
        row.joined_at = at
    await tx.flush()


async def joined_at(tx: AsyncSession, community_id: int, user_id: str) -> datetime | None:
    at = await tx.scalar(select(MemberJoin.joined_at).where(MemberJoin.community_id == community_id,
                                                            MemberJoin.user_id == user_id))
    return ensure_utc(at) if at is not None else None


async def joins_in(tx: AsyncSession, community_id: int) -> list[tuple[str, datetime]]:
    """Every member's latest join in a community (a few days' worth: older rows are purged daily)."""
    rows = await tx.execute(select(MemberJoin.user_id, MemberJoin.joined_at)
                            .where(MemberJoin.community_id == community_id))
    return [(user_id, ensure_utc(at)) for user_id, at in rows]


async def purge_joins(tx: AsyncSession, before: datetime) -> int:
    return await affected(tx, delete(MemberJoin).where(MemberJoin.joined_at < before))
