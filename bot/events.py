"""Events: what happened on a platform (or on the clock), in the past tense. Adapters build them; the
dispatcher routes them. `update_key` is unique per platform update so a redelivery is processed once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.refs import ChatKind, ChatRef, MessageRef, Sender, UserRef
from bot.rights import MemberRights


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    update_key: str
    occurred_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageReceived(Event):
    """Ordinary chat (not a command to the bot). Handlers must treat `text` as untrusted and must not store
    it outside an open session: the bot is deaf by default."""

    chat: ChatRef
    chat_kind: ChatKind
    sender: Sender
    message: MessageRef
    text: str
    reply_to: MessageRef | None = None
    reply_to_sender: UserRef | None = None
    edited: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandReceived(Event):
    """A command addressed to the bot: `/name args` (Telegram, local) or a slash command (Discord).
    `mentions` are users named in the arguments (Discord user options, Telegram text mentions, local @names), as
    the adapter resolved them. `mention_words` are the words of `args` that are mentions, as written, resolved or
    not (Telegram cannot resolve @usernames); `mention_names` those written as a readable name (`@alice`). The
    adapter finds them, so the core never parses a platform's mention syntax."""

    chat: ChatRef
    chat_kind: ChatKind
    sender: Sender
    name: str
    args: str = ""
    message: MessageRef | None = None
    reply_to: MessageRef | None = None
    reply_to_sender: UserRef | None = None
    mentions: tuple[UserRef, ...] = ()
    mention_words: tuple[str, ...] = ()
    mention_names: tuple[str, ...] = ()
    # Discord interactions must be answered through the interaction; adapters keep what they need here.
    interaction_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ButtonPressed(Event):
    chat: ChatRef
    chat_kind: ChatKind
    sender: Sender
    message: MessageRef
    data: str
    press_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BotAddedToChat(Event):
    """The bot became a member of a chat. `added_by` is who did it, when the platform says (Telegram
    `my_chat_member.from`, Discord audit log `BOT_ADD`); `added_by_verified` is False when it could not be read."""

    chat: ChatRef
    chat_kind: ChatKind
    title: str
    added_by: UserRef | None
    added_by_verified: bool = True
    bot_rights: MemberRights = MemberRights()
    # A deep-link payload delivered together with the add (Telegram `?startgroup=`), if any.
    start_payload: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BotRemovedFromChat(Event):
    chat: ChatRef
    removed_by: UserRef | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BotRightsChanged(Event):
    chat: ChatRef
    bot_rights: MemberRights
    changed_by: UserRef | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberJoined(Event):
    chat: ChatRef
    user: UserRef


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberLeft(Event):
    chat: ChatRef
    user: UserRef


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatMigrated(Event):
    """Telegram upgraded a group to a supergroup; the community must follow the new id."""

    old_chat: ChatRef
    new_chat: ChatRef


@dataclass(frozen=True, slots=True, kw_only=True)
class TimerFired(Event):
    """A durable timer came due. Produced by `bot.timers`, never by an adapter."""

    timer_id: int
    kind: str
    payload: dict[str, Any] = field(default_factory=dict)
    due_at: datetime
