"""The fake Bot API's world: users, chats with their members and rights, messages, and how each looks in
Bot API JSON. It knows nothing of python-telegram-bot; it speaks the wire format the real server speaks."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

BOT_ID = 5000001
BOT_USERNAME = "surgery_test_bot"

ADMIN_RIGHTS = ("can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
                "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
                "can_edit_stories", "can_delete_stories", "can_pin_messages", "can_manage_topics")
PERMISSIONS = ("can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos", "can_send_videos",
               "can_send_video_notes", "can_send_voice_notes", "can_send_polls", "can_send_other_messages",
               "can_add_web_page_previews", "can_change_info", "can_invite_users", "can_pin_messages",
               "can_manage_topics", "can_edit_tag", "can_react_to_messages")


def all_rights(value: bool = True) -> dict[str, bool]:
    return dict.fromkeys(ADMIN_RIGHTS, value)


@dataclass
class FakeUser:
    id: int
    first_name: str
    username: str | None = None
    is_bot: bool = False
    language_code: str | None = None  # the person's app language (IETF tag), as Telegram sends it

    def json(self) -> dict:
        data = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass
class FakeMember:
    """`status` is the Bot API's: creator, administrator, member, restricted, left, kicked."""

    status: str
    rights: dict[str, bool] = field(default_factory=dict)  # administrator flags
    permissions: dict[str, bool] = field(default_factory=dict)  # when restricted
    until_date: int = 0  # 0: forever
    is_member: bool = True  # restricted members may have left

    @property
    def present(self) -> bool:
        return self.status in ("creator", "administrator", "member") or (self.status == "restricted"
                                                                        and self.is_member)

    def json(self, user: FakeUser) -> dict:
        data: dict = {"status": self.status, "user": user.json()}
        if self.status == "creator":
            data["is_anonymous"] = False
        elif self.status == "administrator":
            data.update({"can_be_edited": False, "is_anonymous": False, **all_rights(False), **self.rights})
        elif self.status == "restricted":
            data.update({"is_member": self.is_member, "until_date": self.until_date,
                         **dict.fromkeys(PERMISSIONS, False), **self.permissions})
        elif self.status == "kicked":
            data["until_date"] = self.until_date
        return data


@dataclass
class FakeMessage:
    id: int
    chat_id: int
    date: int
    from_id: int | None
    text: str = ""
    buttons: list | None = None  # inline_keyboard rows as the bot sent them
    document: tuple[str, bytes] | None = None
    caption: str = ""
    deleted: bool = False
    sender_chat_id: int | None = None
    reply_to: int | None = None


@dataclass
class FakeChat:
    id: int
    type: str  # private, group, supergroup, channel
    title: str
    members: dict[int, FakeMember] = field(default_factory=dict)
    messages: dict[int, FakeMessage] = field(default_factory=dict)
    pinned: list[int] = field(default_factory=list)
    migrated_to: int | None = None
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def next_message_id(self) -> int:
        return next(self._ids)

    def json(self) -> dict:
        if self.type == "private":
            return {"id": self.id, "type": "private", "first_name": self.title}
        return {"id": self.id, "type": self.type, "title": self.title}

    def member(self, user_id: int) -> FakeMember:
        return self.members.get(user_id) or FakeMember("left", is_member=False)


class FakeWorld:
    def __init__(self) -> None:
        self.bot = FakeUser(BOT_ID, "Surgery Bot", BOT_USERNAME, is_bot=True)
        self.users: dict[int, FakeUser] = {BOT_ID: self.bot}
        self.chats: dict[int, FakeChat] = {}
        self.started: set[int] = set()  # users who opened a private chat with the bot
        self.blocked: set[int] = set()  # users who blocked the bot
        self._user_ids = itertools.count(7001)
        self._group_ids = itertools.count(1)

    def add_user(self, name: str, username: str | None = None, *, user_id: int | None = None,
                 is_bot: bool = False, language_code: str | None = None) -> FakeUser:
        user = FakeUser(user_id or next(self._user_ids), name, username, is_bot, language_code)
        self.users[user.id] = user
        return user

    def add_group(self, title: str, *, owner: FakeUser, admins: tuple[FakeUser, ...] = (),
                  members: tuple[FakeUser, ...] = (), supergroup: bool = True,
                  bot: FakeMember | None = None) -> FakeChat:
        number = next(self._group_ids)
        chat_id = -(1001000000000 + number) if supergroup else -(4000 + number)
        chat = FakeChat(chat_id, "supergroup" if supergroup else "group", title)
        chat.members[owner.id] = FakeMember("creator")
        for admin in admins:
            chat.members[admin.id] = FakeMember("administrator", rights=all_rights())
        for member in members:
            chat.members[member.id] = FakeMember("member")
        if bot is not None:
            chat.members[BOT_ID] = bot
        self.chats[chat.id] = chat
        return chat

    def private_chat(self, user_id: int) -> FakeChat:
        if user_id not in self.chats:
            user = self.users[user_id]
            self.chats[user_id] = FakeChat(user_id, "private", user.first_name,
                                           members={user_id: FakeMember("member"), BOT_ID: FakeMember("member")})
        return self.chats[user_id]

    def message_json(self, message: FakeMessage) -> dict:
        chat = self.chats[message.chat_id]
        data: dict = {"message_id": message.id, "date": message.date, "chat": chat.json()}
        if message.from_id is not None:
            data["from"] = self.users[message.from_id].json()
        if message.sender_chat_id is not None:
            data["sender_chat"] = self.chats[message.sender_chat_id].json()
        if message.document is not None:
            data["document"] = {"file_id": f"doc{message.id}", "file_unique_id": f"u{message.id}",
                                "file_name": message.document[0], "file_size": len(message.document[1])}
            if message.caption:
                data["caption"] = message.caption
        elif message.text:
            data["text"] = message.text
            if message.text.startswith("/"):
                data["entities"] = [{"type": "bot_command", "offset": 0,
                                     "length": len(message.text.split()[0].encode("utf-16-le")) // 2}]
        if message.buttons:
            data["reply_markup"] = {"inline_keyboard": message.buttons}
        if message.reply_to is not None and message.reply_to in chat.messages:
            data["reply_to_message"] = self.message_json(chat.messages[message.reply_to])
        return data
