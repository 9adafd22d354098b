"""Roles and authorisation (SPEC §2). Every command is authorised here, in the core, by platform id."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ANYONE = "anyone"
    COMMUNITY_ADMIN = "community_admin"
    HOST = "host"  # the session's councillor, or a facilitator of the community
    FACILITATOR = "facilitator"


@dataclass(frozen=True, slots=True)
class Standing:
    """What one sender is, in one community, right now."""

    is_community_admin: bool = False
    is_anonymous_admin: bool = False  # counts as an unnamed admin: non-destructive commands only
    is_facilitator: bool = False
    is_councillor: bool = False
    councillor_id: int | None = None  # which councillor, so hosts can be matched to their own sessions
    # The community's current surgery when this sender hosts it as a council officer (no councillor): like a host
    # councillor, they run it from any group that joined it, where they need not be a facilitator.
    officer_host_of: int | None = None
    can_be_staff: bool = True  # False for bots, channel identities and Telegram's service account


class Refusal(StrEnum):
    NOT_ALLOWED = "not_allowed"
    ANONYMOUS_ADMIN = "anonymous_admin_refused"


ROLE_NAME_KEY = {
    Role.COMMUNITY_ADMIN: "role_community_admin",
    Role.HOST: "role_councillor_or_facilitator",  # any councillor may host; a given session's is "role_host"
    Role.FACILITATOR: "role_facilitator",
}


def authorise(required: Role, standing: Standing, *, destructive: bool) -> Refusal | None:
    """None when allowed; otherwise why not (to be said in one line that reveals nothing else)."""
    if required == Role.ANYONE:
        return None
    if standing.is_anonymous_admin:
        if required == Role.COMMUNITY_ADMIN:
            return Refusal.ANONYMOUS_ADMIN if destructive else None
        return Refusal.ANONYMOUS_ADMIN
    if not standing.can_be_staff:
        return Refusal.NOT_ALLOWED
    if required == Role.COMMUNITY_ADMIN:
        return None if standing.is_community_admin else Refusal.NOT_ALLOWED
    if required == Role.FACILITATOR:
        return None if standing.is_facilitator else Refusal.NOT_ALLOWED
    if required == Role.HOST:
        hosts = standing.is_facilitator or standing.is_councillor or standing.officer_host_of is not None
        return None if hosts else Refusal.NOT_ALLOWED
    return Refusal.NOT_ALLOWED
