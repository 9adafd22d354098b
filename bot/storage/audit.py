"""Audit rows: what the bot did and why. Never message content: only ids, the action's name and a reason."""

from __future__ import annotations

from datetime import datetime

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import AuditRow


async def record(tx: AsyncSession, *, at: datetime, platform: str, action: str, chat_id: str | None = None,
                 actor: str = "bot", target: str | None = None, reason: str = "", outcome: str = "pending") -> int:
    row = AuditRow(at=at, platform=platform, chat_id=chat_id, actor=actor, action=action, target=target,
                   reason=reason[:200], outcome=outcome[:200])
    tx.add(row)
    await tx.flush()
    return row.id


async def set_outcome(tx: AsyncSession, row_id: int, outcome: str) -> None:
    await tx.execute(update(AuditRow).where(AuditRow.id == row_id).values(outcome=outcome[:200]))


async def record_many(tx: AsyncSession, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Pending rows for a batch of actions, in one statement; their ids in order."""
    if not rows:
        return []
    values = [{**row, "reason": (row.get("reason") or "")[:200], "actor": row.get("actor", "bot"),
               "outcome": "pending"} for row in rows]
    result = await tx.execute(insert(AuditRow).returning(AuditRow.id, sort_by_parameter_order=True), values)
    return list(result.scalars())


async def set_outcomes(tx: AsyncSession, outcomes: Sequence[tuple[int, str]]) -> None:
    if not outcomes:
        return
    table = AuditRow.__table__
    assert isinstance(table, Table)  # a mapped class's table, typed by SQLAlchemy as any FromClause
    # Core executemany: one statement for the whole batch, no ORM identity bookkeeping.
    await (await tx.connection()).execute(
        update(table).where(table.c.id == bindparam("row_id")).values(outcome=bindparam("new_outcome")),
        [{"row_id": row_id, "new_outcome": outcome[:200]} for row_id, outcome in outcomes])
