"""Member status and rights, and what an adapter can do, in platform-neutral words."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MemberStatus(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"
    RESTRICTED = "restricted"
    LEFT = "left"
    BANNED = "banned"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class MemberRights:
    """What a member (or the bot) may do in a chat. Telegram admin flags and Discord permissions both map
    onto these few rights, which are the only ones the product needs."""

    delete_messages: bool = False
    restrict_members: bool = False
    ban_members: bool = False
    pin_messages: bool = False
    manage_community: bool = False  # Telegram can_change_info / Discord Manage Server
    # Discord's Manage Channels, which slow mode needs. None where the platform has no such right for bots
    # (Telegram bots can't set slow mode at all), so it is never reported missing there.
    manage_channels: bool | None = None

    @classmethod
    def all(cls) -> "MemberRights":
        """Every right; Manage Channels stays unset, as on the platforms where it isn't a separate right."""
        return cls(True, True, True, True, True)

    def missing(self) -> tuple[str, ...]:
        """Names of the moderation rights this set lacks, for the reduced-rights notice."""
        wanted = ("delete_messages", "restrict_members", "ban_members", "pin_messages")
        lacking = tuple(name for name in wanted if not getattr(self, name))
        return lacking + (("manage_channels",) if self.manage_channels is False else ())


@dataclass(frozen=True, slots=True)
class MemberInfo:
    status: MemberStatus
    rights: MemberRights = MemberRights()
    # Discord only: position of the member's top role, for the role-hierarchy check.
    top_role_position: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.status in (MemberStatus.OWNER, MemberStatus.ADMIN)

    @property
    def is_present(self) -> bool:
        return self.status not in (MemberStatus.LEFT, MemberStatus.BANNED, MemberStatus.UNKNOWN)


@dataclass(frozen=True, slots=True)
class AdapterCapabilities:
    """Platform limits the core validates against *before* calling the platform."""

    max_message_length: int
    min_mute_seconds: int | None = None  # Telegram: < 31 s means "forever"
    max_mute_seconds: int | None = None  # Telegram: > 366 days means "forever"; Discord timeout ≤ 28 days
    max_delete_age_seconds: int | None = None  # Telegram: 48 h
    bulk_delete_max_age_seconds: int | None = None  # Discord: 14 days
    supports_pin: bool = True
    supports_slow_mode: bool = True
    supports_files: bool = True
    supports_start_links: bool = False  # Telegram's t.me/bot?start=… links, answered by a private /start

    def supports(self, capability: Capability) -> bool:
        match capability:
            case Capability.PIN:
                return self.supports_pin
            case Capability.SLOW_MODE:
                return self.supports_slow_mode
            case Capability.FILES:
                return self.supports_files
            case Capability.START_LINKS:
                return self.supports_start_links


class Capability(StrEnum):
    """What a command may need from a platform (see `AdapterCapabilities.supports`)."""

    PIN = "pin"
    SLOW_MODE = "slow_mode"
    FILES = "files"
    START_LINKS = "start_links"
