"""Audit rows: what the bot did and why. Never message content: only ids, the action's name and a reason."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import AuditRow


async def record(session: AsyncSession, *, at: datetime, platform: str, action: str, chat_id: str | None = None,
                 actor: str = "bot", target: str | None = None, reason: str = "", outcome: str = "pending") -> int:
    row = AuditRow(at=at, platform=platform, chat_id=chat_id, actor=actor, action=action, target=target,
                   reason=reason[:200], outcome=outcome[:200])
    session.add(row)
    await session.flush()
    return row.id


async def set_outcome(session: AsyncSession, row_id: int, outcome: str) -> None:
    await session.execute(update(AuditRow).where(AuditRow.id == row_id).values(outcome=outcome[:200]))
