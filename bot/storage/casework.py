"""Casework referrals followed through (SPEC §4): their status, the operator's listing and changes, and the
references a resident can see. Repository functions take the caller's unit of work and return frozen views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import ensure_utc, utc_or_none
from bot.storage.models import CaseworkReferral, Identity
from facilitation.casework import ReferralStatus


@dataclass(frozen=True, slots=True)
class CaseworkView:
    id: int
    reference: str
    question_id: int | None
    session_id: int | None
    person_id: int | None
    note: str
    reply_due: datetime
    created_at: datetime
    status: ReferralStatus
    status_note: str
    replied_at: datetime | None
    closed_at: datetime | None
    resident_asked_at: datetime | None


def _view(row: CaseworkReferral) -> CaseworkView:
    return CaseworkView(row.id, row.reference, row.question_id, row.session_id, row.person_id, row.note,
                        ensure_utc(row.reply_due), ensure_utc(row.created_at), ReferralStatus(row.status),
                        row.status_note, utc_or_none(row.replied_at), utc_or_none(row.closed_at),
                        utc_or_none(row.resident_asked_at))


async def by_id(tx: AsyncSession, referral_id: int) -> CaseworkView | None:
    row = await tx.get(CaseworkReferral, referral_id)
    return _view(row) if row is not None else None


async def by_reference(tx: AsyncSession, reference: str) -> CaseworkView | None:
    row = await tx.scalar(select(CaseworkReferral).where(CaseworkReferral.reference == reference.strip().upper()))
    return _view(row) if row is not None else None


async def listing(tx: AsyncSession, status: ReferralStatus | None = None) -> list[CaseworkView]:
    query = select(CaseworkReferral).order_by(CaseworkReferral.id)
    if status is not None:
        query = query.where(CaseworkReferral.status == status.value)
    return [_view(row) for row in await tx.scalars(query)]


async def for_person(tx: AsyncSession, platform: str, user_id: str) -> list[CaseworkView]:
    """A resident's references that are not closed, through every identity of the person behind this one."""
    person = select(Identity.person_id).where(Identity.platform == platform, Identity.user_id == user_id)
    rows = await tx.scalars(select(CaseworkReferral).where(CaseworkReferral.person_id.in_(person),
                                                           CaseworkReferral.status != ReferralStatus.CLOSED.value)
                            .order_by(CaseworkReferral.id))
    return [_view(row) for row in rows]


async def set_status(tx: AsyncSession, referral_id: int, status: ReferralStatus, now: datetime, *,
                     note: str | None = None) -> None:
    values: dict[str, object] = {"status": status.value}
    if status == ReferralStatus.REPLIED:
        values["replied_at"] = now
    if status == ReferralStatus.CLOSED:
        values["closed_at"] = now
    if note is not None:
        values["status_note"] = note[:1000]
    await tx.execute(update(CaseworkReferral).where(CaseworkReferral.id == referral_id).values(**values))


async def mark_resident_asked(tx: AsyncSession, referral_id: int, now: datetime) -> None:
    await tx.execute(update(CaseworkReferral).where(CaseworkReferral.id == referral_id)
                     .values(resident_asked_at=now))


async def person_reach(tx: AsyncSession, person_id: int, prefer: str | None = None) -> tuple[str, str] | None:
    """(platform, user id) to reach a person privately, on `prefer` if they have an identity there."""
    rows = [(str(p), str(u)) for p, u in await tx.execute(select(Identity.platform, Identity.user_id)
                                                           .where(Identity.person_id == person_id)
                                                           .order_by(Identity.id))]
    return next((r for r in rows if r[0] == prefer), rows[0] if rows else None)
