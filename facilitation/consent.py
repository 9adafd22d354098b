"""Two-sided consent (SPEC §3): who may bring the bot into a group, and what happens next. Pure decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from vocabulary.refs import ChatKind


class CommunityState(StrEnum):
    ACTIVE = "active"
    LEFT = "left"


@dataclass(frozen=True, slots=True)
class CommunityView:
    id: int
    name: str
    platform: str
    space_id: str
    home_chat_id: str
    state: CommunityState
    do_not_rejoin: bool = False
    left_at: datetime | None = None
    activated_at: datetime | None = None
    missing_rights: str = ""
    language: str | None = None  # en, cy or both; None follows the council's default

    @property
    def is_active(self) -> bool:
        return self.state == CommunityState.ACTIVE


class JoinDecision(StrEnum):
    WAIT_FOR_CODE = "wait_for_code"  # dormant until an admin completes the invitation
    ALREADY_ACTIVE = "already_active"  # e.g. re-added during a platform hiccup: nothing to do
    REFUSE_NOT_GROUP = "refuse_not_group"
    REFUSE_NOT_ADMIN = "refuse_not_admin"
    REFUSE_UNVERIFIED = "refuse_unverified"


def decide_bot_added(*, chat_kind: ChatKind, added_by_verified: bool, adder_is_admin: bool,
                     community: CommunityView | None) -> JoinDecision:
    if chat_kind != ChatKind.GROUP:
        return JoinDecision.REFUSE_NOT_GROUP
    if community is not None and community.is_active:
        return JoinDecision.ALREADY_ACTIVE
    if not added_by_verified:
        return JoinDecision.REFUSE_UNVERIFIED
    if not adder_is_admin:
        return JoinDecision.REFUSE_NOT_ADMIN
    return JoinDecision.WAIT_FOR_CODE


REFUSAL_MESSAGE = {
    JoinDecision.REFUSE_NOT_GROUP: "refuse_not_group",
    JoinDecision.REFUSE_NOT_ADMIN: "refuse_not_admin",
    JoinDecision.REFUSE_UNVERIFIED: "refuse_unverified",
}

# Which product features each missing bot right switches off (for the reduced-rights notice).
FEATURE_FOR_RIGHT = {
    "delete_messages": "feature_for_delete_messages",
    "restrict_members": "feature_for_restrict_members",
    "ban_members": "feature_for_ban_members",
    "pin_messages": "feature_for_pin_messages",
    "manage_channels": "feature_for_manage_channels",
}


def acceptance_timer_key(platform: str, space_id: str) -> str:
    return f"accept:{platform}:{space_id}"
