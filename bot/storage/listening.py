"""Opt-in listening: the community's switch and the per-day theme counts (no text, no authors)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Community, ListeningCount
from bot.storage.rows import affected


async def is_enabled(tx: AsyncSession, community_id: int) -> bool:
    return bool(await tx.scalar(select(Community.listening_enabled).where(Community.id == community_id)))


async def set_enabled(tx: AsyncSession, community_id: int, enabled: bool) -> bool:
    """Switch listening; True when it changed."""
    changed = await affected(tx, update(Community).where(Community.id == community_id,
                                                              Community.listening_enabled.is_not(enabled))
                                      .values(listening_enabled=enabled))
    return changed > 0


async def add_counts(tx: AsyncSession, community_id: int, day: str, themes: Iterable[str]) -> None:
    """Add one to each theme's count for the day, atomically even with several bot processes on PostgreSQL."""
    rows = [{"community_id": community_id, "day": day, "theme": theme, "count": 1} for theme in sorted(themes)]
    if not rows:
        return
    insert = pg_insert if tx.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(ListeningCount).values(rows)
    statement = statement.on_conflict_do_update(index_elements=["community_id", "day", "theme"],
                                                set_={"count": ListeningCount.count + 1})
    await tx.execute(statement)


async def counts(tx: AsyncSession, community_id: int | None = None) -> list[tuple[int, str, str, int]]:
    """(community id, day, theme, count), oldest day first."""
    query = select(ListeningCount.community_id, ListeningCount.day, ListeningCount.theme, ListeningCount.count) \
        .order_by(ListeningCount.community_id, ListeningCount.day, ListeningCount.theme)
    if community_id is not None:
        query = query.where(ListeningCount.community_id == community_id)
    return [(cid, day, theme, count) for cid, day, theme, count in await tx.execute(query)]
