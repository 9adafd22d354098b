"""Pre-election periods: repository functions taking the caller's unit of work, returning domain dataclasses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import ensure_utc
from bot.storage.models import ElectionPeriod as PeriodRow
from bot.storage.models import election_period_communities
from bot.storage.rows import affected
from facilitation.elections import ElectionPeriod


async def add_period(tx: AsyncSession, *, name: str, starts_at: datetime, ends_at: datetime,
                     community_ids: Sequence[int], now: datetime) -> ElectionPeriod:
    row = PeriodRow(name=name, starts_at=starts_at, ends_at=ends_at, created_at=now)
    tx.add(row)
    await tx.flush()
    for community_id in community_ids:
        await tx.execute(insert(election_period_communities).values(period_id=row.id, community_id=community_id))
    return ElectionPeriod(row.id, name, ensure_utc(starts_at), ensure_utc(ends_at), frozenset(community_ids))


async def periods(tx: AsyncSession, *, ending_after: datetime | None = None) -> list[ElectionPeriod]:
    query = select(PeriodRow).order_by(PeriodRow.starts_at, PeriodRow.id)
    if ending_after is not None:
        query = query.where(PeriodRow.ends_at > ending_after)
    rows = (await tx.scalars(query)).all()
    links = (await tx.execute(select(election_period_communities.c.period_id,
                                     election_period_communities.c.community_id))).all()
    covered: dict[int, set[int]] = {}
    for period_id, community_id in links:
        covered.setdefault(period_id, set()).add(community_id)
    return [ElectionPeriod(row.id, row.name, ensure_utc(row.starts_at), ensure_utc(row.ends_at),
                           frozenset(covered.get(row.id, set()))) for row in rows]


async def period(tx: AsyncSession, period_id: int) -> ElectionPeriod | None:
    return next((p for p in await periods(tx) if p.id == period_id), None)


async def remove_period(tx: AsyncSession, period_id: int) -> bool:
    await tx.execute(delete(election_period_communities).where(
        election_period_communities.c.period_id == period_id))
    return await affected(tx, delete(PeriodRow).where(PeriodRow.id == period_id)) > 0
