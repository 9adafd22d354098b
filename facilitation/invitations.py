"""Invitation and link codes: random, single-use, stored only as a hash, expiring. Pure checks."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

# Telegram deep-link payloads allow [A-Za-z0-9_-] up to 64 characters; token_urlsafe stays inside that.
_CODE_SHAPE = re.compile(r"^[A-Za-z0-9_-]{12,64}$")


def new_code() -> str:
    """A fresh code with 120 bits of randomness (20 URL-safe characters)."""
    return secrets.token_urlsafe(15)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def looks_like_code(text: str) -> bool:
    return bool(_CODE_SHAPE.match(text.strip()))


class CodeProblem(StrEnum):
    UNKNOWN = "unknown"
    MALFORMED = "malformed"
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED = "used"
    WRONG_PLATFORM = "wrong_platform"
    STALE = "stale"  # issued before the group removed the bot


@dataclass(frozen=True, slots=True)
class InvitationView:
    id: int
    community_name: str
    platform: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    used_at: datetime | None = None
    community_id: int | None = None

    def state(self, now: datetime) -> str:
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expires_at <= now else "open"


def check_invitation(invitation: InvitationView | None, *, platform: str, now: datetime,
                     issued_after: datetime | None = None) -> CodeProblem | None:
    """Why this invitation cannot be used here, or None when it can."""
    if invitation is None:
        return CodeProblem.UNKNOWN
    if invitation.used_at is not None:
        return CodeProblem.USED
    if invitation.revoked_at is not None:
        return CodeProblem.REVOKED
    if invitation.expires_at <= now:
        return CodeProblem.EXPIRED
    if invitation.platform != platform:
        return CodeProblem.WRONG_PLATFORM
    if issued_after is not None and invitation.created_at <= issued_after:
        return CodeProblem.STALE
    return None
