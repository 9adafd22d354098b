"""Community policies: every version kept, the latest one and the latest approved one read back as
`facilitation.rules.policy.Policy` documents. Repository functions take the caller's unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import PolicyVersion
from facilitation.rules.policy import DEFAULT_POLICY, Policy


@dataclass(frozen=True, slots=True)
class PolicyRecord:
    """A community's current policy (the latest version, defaults when none was ever stored) and the
    approved one that automatic rules follow (None until an admin approves a version)."""

    current: Policy
    approved: Policy | None

    @property
    def approved_version(self) -> int | None:
        return self.approved.version if self.approved is not None else None


def _policy(row: PolicyVersion) -> Policy:
    return Policy.model_validate({**row.document, "version": row.version})


async def load(tx: AsyncSession, community_id: int) -> PolicyRecord:
    latest = await tx.scalar(select(PolicyVersion).where(PolicyVersion.community_id == community_id)
                                  .order_by(PolicyVersion.version.desc()).limit(1))
    approved = await tx.scalar(select(PolicyVersion).where(PolicyVersion.community_id == community_id,
                                                                PolicyVersion.approved_at.is_not(None))
                                    .order_by(PolicyVersion.version.desc()).limit(1))
    return PolicyRecord(current=_policy(latest) if latest else DEFAULT_POLICY,
                        approved=_policy(approved) if approved else None)


async def save(tx: AsyncSession, community_id: int, policy: Policy, *, by: str, now: datetime,
               approved: bool = False) -> None:
    """Store `policy` as its version (the defaults' version 1 is stored on first approval)."""
    tx.add(PolicyVersion(community_id=community_id, version=policy.version,
                              document=policy.model_dump(mode="json", exclude={"version"}), created_at=now,
                              created_by=by, approved_at=now if approved else None,
                              approved_by=by if approved else None))
    await tx.flush()


async def approve(tx: AsyncSession, community_id: int, policy: Policy, *, by: str, now: datetime) -> bool:
    """Approve `policy` (the current version). False when it was already approved."""
    row = await tx.scalar(select(PolicyVersion).where(PolicyVersion.community_id == community_id,
                                                           PolicyVersion.version == policy.version))
    if row is None:
        await save(tx, community_id, policy, by=by, now=now, approved=True)
        return True
    if row.approved_at is not None:
        return False
    await tx.execute(update(PolicyVersion).where(PolicyVersion.id == row.id)
                          .values(approved_at=now, approved_by=by))
    return True
