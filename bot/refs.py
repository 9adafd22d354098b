"""Identifiers for things that live on a platform. Ids are strings: Telegram chat ids are negative
64-bit numbers and Discord ids are snowflakes, so neither fits a plain int everywhere."""

from __future__ import annotations

from dataclasses import dataclass

# Shared with facilitation/ and config/ through the neutral vocabulary; re-exported here for the runtime.
from vocabulary.refs import ChatKind as ChatKind
from vocabulary.refs import Platform as Platform
from vocabulary.refs import UserRef as UserRef


@dataclass(frozen=True, slots=True)
class ChatRef:
    """A place messages are posted. On Discord `id` is the channel and `space_id` the guild; elsewhere the
    chat itself is the space. A community is keyed by `(platform, space)`."""

    platform: Platform
    id: str
    space_id: str | None = None

    @property
    def space(self) -> str:
        return self.space_id or self.id

    def __str__(self) -> str:
        return f"{self.platform}:{self.space}/{self.id}" if self.space_id else f"{self.platform}:{self.id}"


@dataclass(frozen=True, slots=True)
class MessageRef:
    chat: ChatRef
    id: str


@dataclass(frozen=True, slots=True)
class Sender:
    """Who sent something, as the core needs to know it. Flags come from the adapter, which is the only
    place that can tell an anonymous admin or a channel identity from a person."""

    user: UserRef
    display_name: str = ""
    is_bot: bool = False
    # Telegram: a message sent "as the group" by an anonymous admin (sender_chat.id == chat.id).
    is_anonymous_admin: bool = False
    # Telegram: a message sent as a linked or other channel; such identities are never staff.
    is_channel: bool = False
    # Telegram's service account 777000 (forwards from a linked channel); never staff.
    is_service_account: bool = False
    # The person's app language as the platform reports it (Telegram language_code, Discord locale), if any.
    locale: str | None = None

    @property
    def can_be_staff(self) -> bool:
        return not (self.is_bot or self.is_channel or self.is_service_account or self.is_anonymous_admin)


@dataclass(frozen=True, slots=True)
class Button:
    """A button under a message. `data` is stable text the core parses back (e.g. ``vote:42``); adapters
    must carry it unchanged (Telegram callback_data ≤ 64 bytes, Discord custom_id ≤ 100 characters)."""

    label: str
    data: str

    def __post_init__(self) -> None:
        if len(self.data.encode()) > 64:
            raise ValueError(f"button data too long for every platform: {self.data!r}")
