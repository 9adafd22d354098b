"""The local platform's world: users, chats with admins and members, messages, buttons, restrictions, and a
record of every call the bot made. It behaves like a small, strict chat platform: calls about chats the bot
is not in, or that need rights the bot lacks, fail the way a real platform would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime

from bot.refs import Button, ChatKind
from bot.rights import MemberRights, MemberStatus

BOT_USER_ID = "1000"


class PostRefused(ValueError):
    """The platform would not take this message from this person (they are muted here)."""


@dataclass
class LocalUser:
    id: str
    name: str
    is_bot: bool = False
    locale: str | None = None  # the app language a platform would report


@dataclass
class LocalMessage:
    id: str
    chat_id: str
    sender_id: str
    text: str
    sent_at: datetime
    buttons: tuple[Button, ...] = ()
    pinned: bool = False
    deleted: bool = False
    filename: str | None = None
    content: bytes | None = None


@dataclass
class LocalChat:
    id: str
    kind: ChatKind
    title: str
    owner_id: str | None = None
    admins: set[str] = field(default_factory=set)
    members: set[str] = field(default_factory=set)
    banned: dict[str, datetime | None] = field(default_factory=dict)
    muted_until: dict[str, datetime] = field(default_factory=dict)
    bot_rights: MemberRights = MemberRights()
    messages: list[LocalMessage] = field(default_factory=list)
    slow_mode_seconds: int = 0


@dataclass(frozen=True)
class Call:
    """One call the bot made on the platform, as a test or the demo transcript sees it."""

    method: str
    chat_id: str | None
    args: dict


class LocalWorld:
    def __init__(self) -> None:
        self.users: dict[str, LocalUser] = {BOT_USER_ID: LocalUser(BOT_USER_ID, "surgerybot", is_bot=True)}
        self.chats: dict[str, LocalChat] = {}
        self.calls: list[Call] = []
        # Users the bot can't write to privately until they message it (Telegram: never pressed Start).
        self.unreachable: set[str] = set()
        # As on Telegram and Discord, a muted member can't post. Tests that drive a rule's ladder past a mute (a
        # member a real platform would have silenced) switch this off, saying so.
        self.mutes_enforced = True
        self._ids = itertools.count(1)

    def next_id(self) -> str:
        return str(next(self._ids))

    # -- building the world ------------------------------------------------------------------------------

    def add_user(self, name: str, user_id: str | None = None, *, locale: str | None = None) -> LocalUser:
        user = LocalUser(user_id or str(2000 + len(self.users)), name, locale=locale)
        self.users[user.id] = user
        return user

    def add_group(self, title: str, *, owner: LocalUser, admins: tuple[LocalUser, ...] = (),
                  members: tuple[LocalUser, ...] = (), chat_id: str | None = None,
                  kind: ChatKind = ChatKind.GROUP) -> LocalChat:
        chat = LocalChat(chat_id or f"-{100 + len(self.chats)}", kind, title, owner_id=owner.id)
        chat.admins = {owner.id, *(a.id for a in admins)}
        chat.members = {owner.id, *(a.id for a in admins), *(m.id for m in members)}
        self.chats[chat.id] = chat
        return chat

    def private_chat(self, user_id: str) -> LocalChat:
        """A private chat has the user's id, as on Telegram."""
        if user_id not in self.chats:
            name = self.users[user_id].name if user_id in self.users else user_id
            self.chats[user_id] = LocalChat(user_id, ChatKind.PRIVATE, name, members={user_id, BOT_USER_ID})
        return self.chats[user_id]

    # -- questions tests ask -----------------------------------------------------------------------------

    def status_of(self, chat: LocalChat, user_id: str, now: datetime) -> MemberStatus:
        if user_id in chat.banned:
            return MemberStatus.BANNED
        if user_id not in chat.members:
            return MemberStatus.LEFT
        if user_id == chat.owner_id:
            return MemberStatus.OWNER
        if user_id in chat.admins:
            return MemberStatus.ADMIN
        until = chat.muted_until.get(user_id)
        if until is not None and until > now:
            return MemberStatus.RESTRICTED
        return MemberStatus.MEMBER

    def bot_is_member(self, chat_id: str) -> bool:
        chat = self.chats.get(chat_id)
        return chat is not None and BOT_USER_ID in chat.members

    def texts_in(self, chat_id: str) -> list[str]:
        chat = self.chats.get(chat_id)
        return [m.text for m in chat.messages if not m.deleted] if chat else []

    def calls_named(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]
