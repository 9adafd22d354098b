"""Private notes the platform would not deliver (Telegram: the person never started the bot; Discord: closed
DMs), kept until the person next /starts the bot privately. The executor holds them; /start hands them over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import ensure_utc
from bot.refs import Button
from bot.storage.models import PendingPrivateNote
from bot.storage.rows import affected


@dataclass(frozen=True, slots=True)
class HeldNote:
    id: int
    platform: str
    user_id: str
    text: str
    buttons: tuple[Button, ...]
    reason: str
    created_at: datetime


async def hold(tx: AsyncSession, *, platform: str, user_id: str, text: str, buttons: tuple[Button, ...],
               reason: str, now: datetime) -> None:
    tx.add(PendingPrivateNote(platform=platform, user_id=user_id, text=text, reason=reason[:64],
                              buttons=[[b.label, b.data] for b in buttons] or None, created_at=now))
    await tx.flush()


async def held_for(tx: AsyncSession, platform: str, user_id: str) -> list[HeldNote]:
    rows = await tx.scalars(select(PendingPrivateNote).where(PendingPrivateNote.platform == platform,
                                                             PendingPrivateNote.user_id == user_id)
                            .order_by(PendingPrivateNote.id))
    return [HeldNote(r.id, r.platform, r.user_id, r.text,
                     tuple(Button(str(label), str(data)) for label, data in (r.buttons or [])), r.reason,
                     ensure_utc(r.created_at)) for r in rows]


async def release(tx: AsyncSession, note_ids: list[int]) -> int:
    """Forget notes once delivered."""
    if not note_ids:
        return 0
    return await affected(tx, delete(PendingPrivateNote).where(PendingPrivateNote.id.in_(note_ids)))


async def forget_person(tx: AsyncSession, platform: str, user_id: str) -> int:
    return await affected(tx, delete(PendingPrivateNote).where(PendingPrivateNote.platform == platform,
                                                               PendingPrivateNote.user_id == user_id))
