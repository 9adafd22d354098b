"""Languages chosen by people (/language) and by communities (/surgery language)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Community, LanguageChoice


async def person_language(tx: AsyncSession, platform: str, user_id: str) -> str | None:
    return await tx.scalar(select(LanguageChoice.language).where(LanguageChoice.platform == platform,
                                                                 LanguageChoice.user_id == user_id))


async def choose_person_language(tx: AsyncSession, platform: str, user_id: str, language: str,
                                 now: datetime) -> None:
    await tx.execute(delete(LanguageChoice).where(LanguageChoice.platform == platform,
                                                  LanguageChoice.user_id == user_id))
    tx.add(LanguageChoice(platform=platform, user_id=user_id, language=language, chosen_at=now))


async def forget_person_language(tx: AsyncSession, platform: str, user_id: str) -> None:
    await tx.execute(delete(LanguageChoice).where(LanguageChoice.platform == platform,
                                                  LanguageChoice.user_id == user_id))


async def set_community_language(tx: AsyncSession, community_id: int, language: str) -> None:
    await tx.execute(update(Community).where(Community.id == community_id).values(language=language))
