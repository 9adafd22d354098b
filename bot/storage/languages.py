"""Languages chosen by people (/language) and by communities (/surgery language)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Community, LanguageChoice


async def person_language(tx: AsyncSession, platform: str, user_id: str) -> str | None:
    return await tx.scalar(select(LanguageChoice.language).where(LanguageChoice.platform == platform,
                                                                 LanguageChoice.user_id == user_id))


async def people_languages(tx: AsyncSession, people: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The languages chosen by any of `people` ((platform, user id) pairs): one read for many recipients."""
    by_platform: dict[str, set[str]] = {}
    for platform, user_id in people:
        by_platform.setdefault(platform, set()).add(user_id)
    if not by_platform:
        return {}
    rows = await tx.execute(select(LanguageChoice.platform, LanguageChoice.user_id, LanguageChoice.language).where(
        or_(*(and_(LanguageChoice.platform == platform, LanguageChoice.user_id.in_(sorted(ids)))
              for platform, ids in by_platform.items()))))
    return {(platform, user_id): language for platform, user_id, language in rows}


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
