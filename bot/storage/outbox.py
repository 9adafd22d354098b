"""Outbox rows: actions committed but not yet attempted. Taking a row deletes it (DELETE … RETURNING), so of two
processes racing for one action exactly one gets it, and a row can never be carried out twice."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import OutboxRow


async def add(tx: AsyncSession, rows: Sequence[tuple[int, str]], *, at: datetime, owner: str) -> None:
    """(audit row id, encoded action) pairs, in the caller's transaction."""
    if rows:
        await tx.execute(insert(OutboxRow), [{"id": row_id, "at": at, "owner": owner, "action": action}
                                             for row_id, action in rows])


async def take(tx: AsyncSession, ids: Iterable[int]) -> set[int]:
    """Delete the rows of `ids`; return those that were still there (the caller now owns their calls)."""
    wanted = list(ids)
    if not wanted:
        return set()
    result = await tx.execute(delete(OutboxRow).where(OutboxRow.id.in_(wanted)).returning(OutboxRow.id))
    return set(result.scalars())


async def owners(tx: AsyncSession) -> list[str]:
    return list((await tx.scalars(select(OutboxRow.owner).distinct())).all())


async def take_owned_by(tx: AsyncSession, owner: str) -> list[tuple[int, datetime, str]]:
    """Delete and return every row `owner` left, oldest first."""
    result = await tx.execute(delete(OutboxRow).where(OutboxRow.owner == owner)
                              .returning(OutboxRow.id, OutboxRow.at, OutboxRow.action))
    return sorted(((row_id, at, action) for row_id, at, action in result.all()), key=lambda row: row[0])
