"""People, their platform identities, councillors and facilitators."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, overload

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import ensure_utc
from bot.storage.models import Councillor, Facilitator, Identity, Person
from bot.storage.rows import affected
from facilitation.invitations import hash_code
from facilitation.sessions import SessionView


@dataclass(frozen=True, slots=True)
class CouncillorView:
    id: int
    name: str
    ward: str
    linked: bool
    person_id: int | None
    removed: bool


@dataclass(frozen=True, slots=True)
class FacilitatorView:
    id: int
    community_id: int
    platform: str
    user_id: str
    display_name: str
    appointed_by: str


def _councillor(row: Councillor) -> CouncillorView:
    return CouncillorView(row.id, row.name, row.ward, row.person_id is not None, row.person_id,
                          row.removed_at is not None)


def _facilitator(row: Facilitator) -> FacilitatorView:
    return FacilitatorView(row.id, row.community_id, row.platform, row.user_id, row.display_name, row.appointed_by)


@overload
async def person_for(tx: AsyncSession, platform: str, user_id: str, *, display_name: str = "",
                     now: datetime, create: Literal[True] = True) -> int: ...
@overload
async def person_for(tx: AsyncSession, platform: str, user_id: str, *, display_name: str = "",
                     now: datetime, create: bool) -> int | None: ...
async def person_for(tx: AsyncSession, platform: str, user_id: str, *, display_name: str = "",
                     now: datetime, create: bool = True) -> int | None:
    """The person id behind a platform identity, creating both when `create`."""
    identity = await tx.scalar(select(Identity).where(Identity.platform == platform,
                                                           Identity.user_id == user_id))
    if identity is not None:
        return identity.person_id
    if not create:
        return None
    person = Person(display_name=display_name[:200], created_at=now)
    person.identities.append(Identity(platform=platform, user_id=user_id))
    tx.add(person)
    await tx.flush()
    return person.id


# -- councillors ------------------------------------------------------------------------------------------

async def add_councillor(tx: AsyncSession, *, name: str, ward: str, code: str, now: datetime,
                         code_expires_at: datetime) -> CouncillorView:
    row = Councillor(name=name, ward=ward, link_code_hash=hash_code(code), link_code_expires_at=code_expires_at,
                     created_at=now)
    tx.add(row)
    await tx.flush()
    return _councillor(row)


async def list_councillors(tx: AsyncSession, *, include_removed: bool = False) -> list[CouncillorView]:
    query = select(Councillor).order_by(Councillor.id)
    if not include_removed:
        query = query.where(Councillor.removed_at.is_(None))
    return [_councillor(row) for row in await tx.scalars(query)]


async def remove_councillor(tx: AsyncSession, councillor_id: int, now: datetime) -> bool:
    changed = await affected(tx, update(Councillor).where(Councillor.id == councillor_id,
                                                               Councillor.removed_at.is_(None))
                                      .values(removed_at=now, link_code_hash=None))
    return changed > 0


async def link_councillor(tx: AsyncSession, *, code: str, person_id: int, now: datetime) -> CouncillorView | str:
    """Bind a councillor to a person by one-time code. Returns the councillor, or why not ("unknown"/"expired")."""
    row = await tx.scalar(select(Councillor).where(Councillor.link_code_hash == hash_code(code),
                                                        Councillor.removed_at.is_(None)))
    if row is None:
        return "unknown"
    if row.link_code_expires_at is not None and ensure_utc(row.link_code_expires_at) <= now:
        return "expired"
    row.person_id, row.link_code_hash, row.link_code_expires_at = person_id, None, None
    await tx.flush()
    return _councillor(row)


async def is_councillor(tx: AsyncSession, platform: str, user_id: str) -> bool:
    found = await tx.scalar(select(Councillor.id).join(Identity, Identity.person_id == Councillor.person_id)
                                 .where(Identity.platform == platform, Identity.user_id == user_id,
                                        Councillor.removed_at.is_(None)))
    return found is not None


async def councillor_id_for(tx: AsyncSession, platform: str, user_id: str) -> int | None:
    return await tx.scalar(select(Councillor.id).join(Identity, Identity.person_id == Councillor.person_id)
                                .where(Identity.platform == platform, Identity.user_id == user_id,
                                       Councillor.removed_at.is_(None)))


async def councillor_identity(tx: AsyncSession, councillor_id: int, platform: str) -> str | None:
    """The councillor's user id on `platform`, if they linked an account there (for private nudges)."""
    return await tx.scalar(select(Identity.user_id).join(Councillor, Councillor.person_id == Identity.person_id)
                                .where(Councillor.id == councillor_id, Identity.platform == platform))


async def councillor_reach(tx: AsyncSession, councillor_id: int, prefer: str,
                           running: Collection[str] | None = None) -> tuple[str, str] | None:
    """(platform, user id) to reach a councillor privately: on `prefer` if they linked an account there, else on
    any platform they did link (a joint surgery can span platforms; the host is on at least one). `running`: the
    platforms this process can send on, when only those will do."""
    rows = (await tx.execute(select(Identity.platform, Identity.user_id)
                             .join(Councillor, Councillor.person_id == Identity.person_id)
                             .where(Councillor.id == councillor_id).order_by(Identity.id))).all()
    found = [(str(platform), str(user_id)) for platform, user_id in rows
             if running is None or str(platform) in running]
    return next((r for r in found if r[0] == prefer), found[0] if found else None)


async def host_identity(tx: AsyncSession, view: SessionView, platform: str) -> str | None:
    """The session host's user id on `platform`: its councillor's linked account there, or the council officer
    who hosts it if that is where their account is."""
    if view.councillor_id is not None:
        return await councillor_identity(tx, view.councillor_id, platform)
    return view.officer_user_id if view.officer_platform == platform else None


async def host_reach(tx: AsyncSession, view: SessionView, prefer: str,
                     running: Collection[str] | None = None) -> tuple[str, str] | None:
    """(platform, user id) to reach the session's host privately: as `councillor_reach` for a councillor, the
    officer's own account for a surgery a council officer hosts (None once they asked to be forgotten)."""
    if view.councillor_id is not None:
        return await councillor_reach(tx, view.councillor_id, prefer, running)
    if view.officer_platform is None or view.officer_user_id is None:
        return None
    if running is not None and view.officer_platform not in running:
        return None
    return view.officer_platform, view.officer_user_id


# -- facilitators -----------------------------------------------------------------------------------------

async def add_facilitator(tx: AsyncSession, *, community_id: int, platform: str, user_id: str,
                          display_name: str, appointed_by: str, now: datetime) -> bool:
    """True when newly appointed, False when they already were."""
    existing = await tx.scalar(select(Facilitator.id).where(
        Facilitator.community_id == community_id, Facilitator.platform == platform, Facilitator.user_id == user_id))
    if existing is not None:
        return False
    tx.add(Facilitator(community_id=community_id, platform=platform, user_id=user_id,
                            display_name=display_name[:200], appointed_by=appointed_by, created_at=now))
    await tx.flush()
    return True


async def remove_facilitator(tx: AsyncSession, *, community_id: int, platform: str, user_id: str) -> bool:
    changed = await affected(tx, delete(Facilitator).where(
        Facilitator.community_id == community_id, Facilitator.platform == platform, Facilitator.user_id == user_id))
    return changed > 0


async def facilitated_communities(tx: AsyncSession, platform: str, user_id: str) -> set[int]:
    return set(await tx.scalars(select(Facilitator.community_id).where(Facilitator.platform == platform,
                                                                       Facilitator.user_id == user_id)))


async def list_facilitators(tx: AsyncSession, community_id: int | None = None) -> list[FacilitatorView]:
    query = select(Facilitator).order_by(Facilitator.community_id, Facilitator.id)
    if community_id is not None:
        query = query.where(Facilitator.community_id == community_id)
    return [_facilitator(row) for row in await tx.scalars(query)]


async def is_facilitator(tx: AsyncSession, community_id: int, platform: str, user_id: str) -> bool:
    found = await tx.scalar(select(Facilitator.id).where(
        Facilitator.community_id == community_id, Facilitator.platform == platform, Facilitator.user_id == user_id))
    return found is not None
