"""Who and where, in platform-neutral words: the platform, the kind of chat and a person's reference.
Ids are strings: Telegram chat ids are negative 64-bit numbers and Discord ids are snowflakes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Platform(StrEnum):
    TELEGRAM = "telegram"
    DISCORD = "discord"
    LOCAL = "local"


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    CHANNEL = "channel"


@dataclass(frozen=True, slots=True)
class UserRef:
    platform: Platform
    id: str

    def __str__(self) -> str:
        return f"{self.platform}:user:{self.id}"
