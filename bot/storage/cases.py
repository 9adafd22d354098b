"""Moderation cases, numbered per community, and ban requests awaiting a second facilitator. A case is
written in its own unit of work *before* the platform call it records (SPEC §5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Required, TypedDict

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import ensure_utc, utc_or_none
from bot.storage.models import BanRequest, Community, Identity, ModerationCase, Person
from bot.storage.rows import affected
from facilitation.cases import CaseAction, CaseView, join_actions, split_actions

MAX_LISTED = 20


def _view(row: ModerationCase) -> CaseView:
    return CaseView(id=row.id, community_id=row.community_id, number=row.number, actions=split_actions(row.action),
                    clause=row.clause, actor=row.actor, target_user_id=row.target_user_id, reason=row.reason,
                    evidence=row.evidence, dry_run=row.dry_run, created_at=ensure_utc(row.created_at),
                    expires_at=utc_or_none(row.expires_at), reversed_at=utc_or_none(row.reversed_at),
                    reversed_by=row.reversed_by, chat_id=row.chat_id, lifts_at_close=row.lifts_at_close)


class CaseFields(TypedDict, total=False):
    """What a caller says about a new case (`open_case` adds the community, number and time)."""
    actions: Required[tuple[CaseAction, ...]]
    clause: Required[str]
    actor: Required[str]
    target_user_id: Required[str | None]
    reason: Required[str]
    evidence: str
    dry_run: bool
    expires_at: datetime | None
    chat_id: str | None
    lifts_at_close: bool
    target_person_id: int | None


async def open_case(tx: AsyncSession, *, community_id: int, actions: tuple[CaseAction, ...], clause: str,
                    actor: str, target_user_id: str | None, reason: str, now: datetime, evidence: str = "",
                    dry_run: bool = False, expires_at: datetime | None = None, chat_id: str | None = None,
                    lifts_at_close: bool = False, target_person_id: int | None = None) -> CaseView:
    """The next numbered case. Writes are serialised (SQLite) or the unique number makes a racing writer
    retry its unit of work (PostgreSQL), so two cases never share a number."""
    number = (await tx.scalar(select(func.max(ModerationCase.number))
                                   .where(ModerationCase.community_id == community_id)) or 0) + 1
    row = ModerationCase(community_id=community_id, number=number, action=join_actions(actions),
                         clause=clause[:100], actor=actor, target_user_id=target_user_id,
                         target_person_id=target_person_id, reason=reason, evidence=evidence[:500],
                         dry_run=dry_run, created_at=now, expires_at=expires_at, chat_id=chat_id,
                         lifts_at_close=lifts_at_close)
    tx.add(row)
    await tx.flush()
    return _view(row)


async def case_by_number(tx: AsyncSession, community_id: int, number: int) -> CaseView | None:
    row = await tx.scalar(select(ModerationCase).where(ModerationCase.community_id == community_id,
                                                            ModerationCase.number == number))
    return _view(row) if row else None


async def cases_for(tx: AsyncSession, community_id: int, target_user_id: str | None = None, *,
                    limit: int = MAX_LISTED) -> list[CaseView]:
    """The latest cases, newest first (of one person when `target_user_id` is given)."""
    query = select(ModerationCase).where(ModerationCase.community_id == community_id)
    if target_user_id is not None:
        query = query.where(ModerationCase.target_user_id == target_user_id)
    rows = await tx.scalars(query.order_by(ModerationCase.number.desc()).limit(limit))
    return [_view(row) for row in rows]


async def record_of(tx: AsyncSession, community_id: int, target_user_id: str) -> list[CaseView]:
    """Every case against one person here, for the escalation ladder."""
    rows = await tx.scalars(select(ModerationCase).where(ModerationCase.community_id == community_id,
                                                              ModerationCase.target_user_id == target_user_id,
                                                              ModerationCase.dry_run.is_(False)))
    return [_view(row) for row in rows]


async def clear_reason(tx: AsyncSession, case_id: int) -> None:
    await tx.execute(update(ModerationCase).where(ModerationCase.id == case_id).values(reason=""))


async def mark_reversed(tx: AsyncSession, case_id: int, *, by: str, now: datetime) -> bool:
    """Once only: of two facilitators undoing at once, exactly one gets True."""
    changed = await affected(tx, update(ModerationCase).where(ModerationCase.id == case_id,
                                                                   ModerationCase.reversed_at.is_(None))
                                      .values(reversed_at=now, reversed_by=by))
    return changed == 1


async def lifting_at_close(tx: AsyncSession, community_ids: list[int] | tuple[int, ...],
                           now: datetime) -> list[CaseView]:
    """Mutes from session-scoped rules still in force in these communities."""
    rows = await tx.scalars(select(ModerationCase).where(
        ModerationCase.community_id.in_(list(community_ids)), ModerationCase.lifts_at_close.is_(True),
        ModerationCase.reversed_at.is_(None), ModerationCase.dry_run.is_(False),
        (ModerationCase.expires_at.is_(None)) | (ModerationCase.expires_at > now)))
    return [_view(row) for row in rows]


async def active_lock(tx: AsyncSession, community_id: int, chat_id: str) -> CaseView | None:
    """The lock in force in a chat: its latest /lock case not yet reversed by /unlock or /undo."""
    row = await tx.scalar(select(ModerationCase).where(
        ModerationCase.community_id == community_id, ModerationCase.chat_id == chat_id,
        ModerationCase.action == CaseAction.LOCK.value, ModerationCase.reversed_at.is_(None))
        .order_by(ModerationCase.number.desc()).limit(1))
    return _view(row) if row else None


async def active_locks(tx: AsyncSession, community_ids: list[int] | tuple[int, ...]) -> list[CaseView]:
    rows = await tx.scalars(select(ModerationCase).where(
        ModerationCase.community_id.in_(list(community_ids)), ModerationCase.action == CaseAction.LOCK.value,
        ModerationCase.reversed_at.is_(None)))
    return [_view(row) for row in rows]


# -- ban requests (two-person rule) ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BanRequestView:
    id: int
    community_id: int
    chat_id: str
    target_user_id: str
    requested_by: str
    duration_seconds: int | None
    reason: str
    expires_at: datetime
    decided_at: datetime | None


def _request(row: BanRequest) -> BanRequestView:
    return BanRequestView(row.id, row.community_id, row.chat_id, row.target_user_id, row.requested_by,
                          row.duration_seconds, row.reason, ensure_utc(row.expires_at), utc_or_none(row.decided_at))


async def request_ban(tx: AsyncSession, *, community_id: int, chat_id: str, target_user_id: str,
                      requested_by: str, duration_seconds: int | None, reason: str, now: datetime,
                      expires_at: datetime) -> BanRequestView:
    row = BanRequest(community_id=community_id, chat_id=chat_id, target_user_id=target_user_id,
                     requested_by=requested_by, duration_seconds=duration_seconds, reason=reason, created_at=now,
                     expires_at=expires_at)
    tx.add(row)
    await tx.flush()
    return _request(row)


async def get_ban_request(tx: AsyncSession, request_id: int) -> BanRequestView | None:
    row = await tx.get(BanRequest, request_id)
    return _request(row) if row else None


async def decide_ban_request(tx: AsyncSession, request_id: int, *, by: str, now: datetime) -> bool:
    """Once only, so two confirmations at once make one ban."""
    changed = await affected(tx, update(BanRequest).where(BanRequest.id == request_id,
                                                               BanRequest.decided_at.is_(None))
                                      .values(decided_at=now, decided_by=by))
    return changed == 1


async def display_name_for(tx: AsyncSession, platform: str, user_id: str) -> str:
    """The name the bot already holds for a platform identity (people who asked, voted or were appointed)."""
    name = await tx.scalar(select(Person.display_name).join(Identity, Identity.person_id == Person.id)
                                .where(Identity.platform == platform, Identity.user_id == user_id))
    return name or ""


async def case_about(tx: AsyncSession, platform: str, target_user_id: str, number: int) -> CaseView | None:
    """A person's own case with this number (numbers are per community), the newest if several match."""
    row = await tx.scalar(select(ModerationCase).join(Community, Community.id == ModerationCase.community_id)
                               .where(ModerationCase.number == number, Community.platform == platform,
                                      ModerationCase.target_user_id == target_user_id)
                               .order_by(ModerationCase.created_at.desc()).limit(1))
    return _view(row) if row else None


async def end_now(tx: AsyncSession, case_id: int, now: datetime) -> None:
    """A mute lifted at session close: it ends now, yet stays on the record (unlike an undo)."""
    await tx.execute(update(ModerationCase).where(ModerationCase.id == case_id).values(expires_at=now))
