"""Communities and invitations: repository functions taking the caller's unit of work, returning dataclasses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import ensure_utc, utc_or_none
from bot.storage.models import BanRequest, Community, Invitation, ModerationCase, Question
from bot.storage.rows import affected
from facilitation.consent import CommunityState, CommunityView
from facilitation.invitations import InvitationView, hash_code


def community_view(row: Community) -> CommunityView:
    return CommunityView(id=row.id, name=row.name, platform=row.platform, space_id=row.space_id,
                         home_chat_id=row.home_chat_id, state=CommunityState(row.state),
                         do_not_rejoin=row.do_not_rejoin, left_at=utc_or_none(row.left_at),
                         activated_at=utc_or_none(row.activated_at), missing_rights=row.missing_rights,
                         language=row.language)


def invitation_view(row: Invitation) -> InvitationView:
    return InvitationView(id=row.id, community_name=row.community_name, platform=row.platform,
                          created_at=ensure_utc(row.created_at), expires_at=ensure_utc(row.expires_at),
                          revoked_at=utc_or_none(row.revoked_at), used_at=utc_or_none(row.used_at),
                          community_id=row.community_id)


async def community_by_space(tx: AsyncSession, platform: str, space_id: str) -> CommunityView | None:
    row = await tx.scalar(select(Community).where(Community.platform == platform,
                                                       Community.space_id == space_id))
    return community_view(row) if row else None


async def community_by_id(tx: AsyncSession, community_id: int) -> CommunityView | None:
    row = await tx.get(Community, community_id)
    return community_view(row) if row else None


async def community_by_name(tx: AsyncSession, name: str) -> CommunityView | None:
    row = await tx.scalar(select(Community).where(Community.name == name).order_by(Community.id.desc()))
    return community_view(row) if row else None


async def list_communities(tx: AsyncSession) -> list[CommunityView]:
    rows = await tx.scalars(select(Community).order_by(Community.id))
    return [community_view(row) for row in rows]


async def activate_community(tx: AsyncSession, *, name: str, platform: str, space_id: str, home_chat_id: str,
                             accepted_by: str, now: datetime, missing: str) -> CommunityView:
    """Create the community, or bring a previously left one back (same group, new invitation)."""
    row = await tx.scalar(select(Community).where(Community.platform == platform,
                                                       Community.space_id == space_id))
    if row is None:
        row = Community(name=name, platform=platform, space_id=space_id, created_at=now, home_chat_id=home_chat_id)
        tx.add(row)
    row.name, row.home_chat_id, row.state = name, home_chat_id, CommunityState.ACTIVE.value
    row.accepted_by, row.activated_at, row.left_at, row.do_not_rejoin = accepted_by, now, None, False
    row.missing_rights = missing
    await tx.flush()
    return community_view(row)


async def mark_left(tx: AsyncSession, community_id: int, now: datetime) -> None:
    await tx.execute(update(Community).where(Community.id == community_id).values(
        state=CommunityState.LEFT.value, left_at=now, do_not_rejoin=True))


async def set_missing_rights(tx: AsyncSession, community_id: int, missing: str) -> None:
    await tx.execute(update(Community).where(Community.id == community_id).values(missing_rights=missing))


async def move_community(tx: AsyncSession, platform: str, old_space: str, new_space: str) -> bool:
    """Follow a Telegram group → supergroup migration: the community and the chat ids stored with its questions,
    cases and ban requests (on Telegram a group's chat is its space)."""
    row = await tx.scalar(select(Community).where(Community.platform == platform, Community.space_id == old_space))
    if row is None:
        return False
    row.space_id = new_space
    if row.home_chat_id == old_space:
        row.home_chat_id = new_space
    await tx.execute(update(Question).where(Question.community_id == row.id, Question.message_chat_id == old_space)
                     .values(message_chat_id=new_space))
    await tx.execute(update(ModerationCase).where(ModerationCase.community_id == row.id,
                                                  ModerationCase.chat_id == old_space).values(chat_id=new_space))
    await tx.execute(update(BanRequest).where(BanRequest.community_id == row.id, BanRequest.chat_id == old_space)
                     .values(chat_id=new_space))
    await tx.flush()
    return True


# -- invitations -------------------------------------------------------------------------------------------

async def create_invitation(tx: AsyncSession, *, code: str, community_name: str, platform: str,
                            now: datetime, expires_at: datetime) -> InvitationView:
    row = Invitation(code_hash=hash_code(code), community_name=community_name, platform=platform,
                     created_at=now, expires_at=expires_at)
    tx.add(row)
    await tx.flush()
    return invitation_view(row)


async def invitation_by_code(tx: AsyncSession, code: str) -> InvitationView | None:
    row = await tx.scalar(select(Invitation).where(Invitation.code_hash == hash_code(code)))
    return invitation_view(row) if row else None


async def list_invitations(tx: AsyncSession) -> list[InvitationView]:
    rows = await tx.scalars(select(Invitation).order_by(Invitation.id))
    return [invitation_view(row) for row in rows]


async def revoke_invitation(tx: AsyncSession, invitation_id: int, now: datetime) -> bool:
    changed = await affected(tx, update(Invitation).where(
        Invitation.id == invitation_id, Invitation.used_at.is_(None), Invitation.revoked_at.is_(None))
        .values(revoked_at=now))
    return changed > 0


async def consume_invitation(tx: AsyncSession, invitation_id: int, now: datetime) -> bool:
    """Single use, atomically: of two admins accepting at once, exactly one gets True."""
    changed = await affected(tx, update(Invitation).where(
        Invitation.id == invitation_id, Invitation.used_at.is_(None), Invitation.revoked_at.is_(None))
        .values(used_at=now))
    return changed == 1


async def link_invitation(tx: AsyncSession, invitation_id: int, community_id: int) -> None:
    await tx.execute(update(Invitation).where(Invitation.id == invitation_id)
                          .values(community_id=community_id))
