"""Audit rows: what the bot did and why. Never message content: only ids, the action's name and a reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, bindparam, false, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import ensure_utc
from bot.storage.models import AuditRow, Community, ModerationCase, session_communities


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


# -- reading the trail (`surgerybot audit list`) ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    platform: str
    chat_id: str | None
    actor: str
    action: str
    target: str | None
    reason: str
    outcome: str


@dataclass(frozen=True, slots=True)
class AuditFilter:
    since: datetime | None = None
    action: str | None = None
    chats: tuple[tuple[str, str], ...] | None = None  # (platform, chat id): rows in these chats
    targets: tuple[str, ...] = ()  # or about these targets (e.g. "session:4"), when chats are given


def _conditions(found: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if found.since is not None:
        conditions.append(AuditRow.at >= found.since)
    if found.action is not None:
        conditions.append(AuditRow.action == found.action)
    if found.chats is not None:
        places = [and_(AuditRow.platform == platform, AuditRow.chat_id == chat) for platform, chat in found.chats]
        if found.targets:
            places.append(AuditRow.target.in_(list(found.targets)))
        conditions.append(or_(*places) if places else false())
    return conditions


async def trail(tx: AsyncSession, found: AuditFilter, *, limit: int, offset: int) -> tuple[list[AuditEntry], int]:
    """One page of the trail, newest first, and how many rows match in all."""
    conditions = _conditions(found)
    total = await tx.scalar(select(func.count()).select_from(AuditRow).where(*conditions)) or 0
    rows = await tx.execute(select(AuditRow.id, AuditRow.at, AuditRow.platform, AuditRow.chat_id, AuditRow.actor,
                                   AuditRow.action, AuditRow.target, AuditRow.reason, AuditRow.outcome)
                            .where(*conditions).order_by(AuditRow.at.desc(), AuditRow.id.desc())
                            .limit(limit).offset(offset))
    return [AuditEntry(row_id, ensure_utc(at), platform, chat_id, actor, action, target, reason, outcome)
            for row_id, at, platform, chat_id, actor, action, target, reason, outcome in rows], total


async def actions(tx: AsyncSession) -> list[str]:
    """Every action name the trail holds, to suggest when a filter matches nothing."""
    return list(await tx.scalars(select(AuditRow.action).distinct().order_by(AuditRow.action)))


async def community_filter(tx: AsyncSession, community_id: int) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Where a community's rows are: its group (space and home chat), the chats its cases happened in, and its
    surgeries (rows whose target is `session:<id>`)."""
    community = await tx.get(Community, community_id)
    if community is None:
        return (), ()
    chats = {community.space_id, community.home_chat_id}
    chats |= {chat for chat in await tx.scalars(select(ModerationCase.chat_id).distinct().where(
        ModerationCase.community_id == community_id, ModerationCase.chat_id.is_not(None))) if chat}
    sessions = await tx.scalars(select(session_communities.c.session_id)
                                .where(session_communities.c.community_id == community_id))
    return (tuple((community.platform, chat) for chat in sorted(c for c in chats if c)),
            tuple(f"session:{session_id}" for session_id in sessions))
