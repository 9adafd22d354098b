"""The one storage question the privacy gate asks on every message: is a session running in this community?
A plain EXISTS, so it stays cheap on the hot path and portable to PostgreSQL."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import SurgerySession, session_communities
from facilitation.sessions import LIVE_STATES


async def session_running(tx: AsyncSession, community_id: int) -> bool:
    query = select(exists().where(session_communities.c.community_id == community_id,
                                  session_communities.c.session_id == SurgerySession.id,
                                  SurgerySession.state.in_([s.value for s in LIVE_STATES])))
    return bool(await tx.scalar(query))
