"""The local adapter: implements `bot.adapter.Adapter` over a `LocalWorld`, and lets tests and the demo act as
people on the platform (`user_sends`, `add_bot`, `press_button` …), which turns into events for the core."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Sequence
from datetime import datetime

from adapters.local.world import BOT_USER_ID, Call, LocalChat, LocalMessage, LocalUser, LocalWorld, PostRefused
from adapters.mentions import mention_names, mention_words
from bot.actions import Target
from bot.adapter import ChatFilter, EventSink, Unsharded, hears_everything
from bot.clock import Clock
from bot.command_text import is_for_bot, parse_command_text
from bot.errors import ActionRefused, Forbidden, NotFound
from bot.events import (
    BotAddedToChat,
    BotRemovedFromChat,
    ButtonPressed,
    CommandReceived,
    Event,
    MemberJoined,
    MessageReceived,
)
from bot.features import CommandSpec
from bot.health import ReceiverHealth
from bot.refs import Button, ChatKind, ChatRef, MessageRef, Platform, Sender, UserRef
from bot.rights import AdapterCapabilities, MemberInfo, MemberRights, MemberStatus

BOT_USERNAME = "surgerybot"


class LocalAdapter(Unsharded):
    platform = Platform.LOCAL
    capabilities = AdapterCapabilities(max_message_length=4096, min_mute_seconds=30,
                                       max_mute_seconds=366 * 86400, max_delete_age_seconds=48 * 3600,
                                       supports_start_links=True)

    def __init__(self, world: LocalWorld, clock: Clock) -> None:
        self.world = world
        self.clock = clock
        self._sink: EventSink | None = None
        # A fresh prefix per adapter: a restarted process on the same database must not replay keys the old
        # one already marked processed (the dispatcher would silently skip them as redeliveries).
        self._key_prefix = f"local:{secrets.token_hex(4)}"
        self._updates = itertools.count(1)
        self.receive_updates = True
        self.acknowledges_updates = False
        # The declared commands, as a platform's menu would list them (the demo and tests may read them).
        self.commands: tuple[CommandSpec, ...] = ()

    # -- lifecycle -----------------------------------------------------------------------------------------

    @property
    def single_receiver(self) -> bool:
        return False  # one process, one in-memory world

    def set_commands(self, commands: Sequence[CommandSpec]) -> None:
        self.commands = tuple(commands)

    async def start(self, sink: EventSink, hears: ChatFilter = hears_everything) -> None:
        # Every event goes through the core here, `hears` or not: the scenario tests watch the whole path.
        self._sink = sink

    async def start_receiving(self) -> None:
        """Events are delivered by the test or demo calling `deliver`; nothing to begin."""

    async def check(self) -> str:
        return f"the local world with {len(self.world.chats)} chats"

    def receiver_health(self) -> ReceiverHealth:
        return ReceiverHealth(self._sink is not None, "started" if self._sink is not None else "not started")

    async def stop_receiving(self) -> None:
        """Nothing arrives by itself here."""

    async def stop(self) -> None:
        self._sink = None

    # -- refs ------------------------------------------------------------------------------------------------

    def chat_ref(self, chat: LocalChat | str) -> ChatRef:
        return ChatRef(Platform.LOCAL, chat if isinstance(chat, str) else chat.id)

    def user_ref(self, user: LocalUser | str) -> UserRef:
        return UserRef(Platform.LOCAL, user if isinstance(user, str) else user.id)

    def _chat(self, chat_id: str) -> LocalChat:
        chat = self.world.chats.get(chat_id)
        if chat is None:
            raise NotFound(f"chat {chat_id} not found")
        if BOT_USER_ID not in chat.members:
            raise Forbidden(f"the bot is not a member of chat {chat_id}")
        return chat

    def _record(self, method: str, chat_id: str | None, **args: object) -> None:
        self.world.calls.append(Call(method, chat_id, dict(args)))

    def _need(self, chat: LocalChat, right: str) -> None:
        if chat.kind != ChatKind.PRIVATE and not getattr(chat.bot_rights, right):
            raise Forbidden(f"the bot lacks the right {right} in chat {chat.id}")

    def _resolve(self, target: Target) -> LocalChat:
        if isinstance(target, UserRef):
            if target.id not in self.world.users:
                raise NotFound(f"user {target.id} not found")
            if target.id in self.world.unreachable:
                raise Forbidden(f"user {target.id} has not started a private chat with the bot")
            return self.world.private_chat(target.id)
        return self._chat(target.id)

    def _post(self, chat: LocalChat, text: str, buttons: tuple[Button, ...] = (), *, filename: str | None = None,
              content: bytes | None = None) -> LocalMessage:
        message = LocalMessage(self.world.next_id(), chat.id, BOT_USER_ID, text, self.clock.now(), buttons,
                               filename=filename, content=content)
        chat.messages.append(message)
        return message

    def _message(self, ref: MessageRef) -> LocalMessage:
        chat = self._chat(ref.chat.id)
        for message in chat.messages:
            if message.id == ref.id and not message.deleted:
                return message
        raise NotFound(f"message {ref.id} not found in chat {ref.chat.id}")

    # -- actions (the Adapter protocol) ------------------------------------------------------------------

    async def send_message(self, target: Target, text: str, *, buttons: tuple[Button, ...] = (),
                           reply_to: MessageRef | None = None, answers: str | None = None) -> MessageRef:
        chat = self._resolve(target)
        limit = self.capabilities.max_message_length
        parts = [text[i:i + limit] for i in range(0, len(text), limit)] or [""]
        sent: list[LocalMessage] = []
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            message = self._post(chat, part, buttons if last else ())
            self._record("send_message", chat.id, text=part, buttons=[b.data for b in message.buttons],
                         labels=[b.label for b in message.buttons], message_id=message.id)
            sent.append(message)
        return MessageRef(self.chat_ref(chat), sent[0].id)

    async def edit_message(self, message: MessageRef, text: str, *, buttons: tuple[Button, ...] = ()) -> None:
        stored = self._message(message)
        stored.text, stored.buttons = text, buttons
        self._record("edit_message", message.chat.id, message_id=message.id, text=text,
                     labels=[b.label for b in buttons])

    async def delete_message(self, message: MessageRef, *, reason: str = "") -> None:
        chat = self._chat(message.chat.id)
        stored = self._message(message)
        if stored.sender_id != BOT_USER_ID:
            self._need(chat, "delete_messages")
        stored.deleted = True
        self._record("delete_message", chat.id, message_id=message.id)

    async def pin_message(self, message: MessageRef) -> None:
        chat = self._chat(message.chat.id)
        self._need(chat, "pin_messages")
        self._message(message).pinned = True
        self._record("pin_message", chat.id, message_id=message.id)

    async def send_file(self, target: Target, filename: str, content: bytes, *, caption: str = "") -> MessageRef:
        chat = self._resolve(target)
        message = self._post(chat, caption, filename=filename, content=content)
        self._record("send_file", chat.id, filename=filename, size=len(content), caption=caption)
        return MessageRef(self.chat_ref(chat), message.id)

    def _member_chat(self, chat_ref: ChatRef, user: UserRef, right: str) -> LocalChat:
        chat = self._chat(chat_ref.id)
        self._need(chat, right)
        if user.id in chat.admins:
            raise Forbidden(f"user {user.id} is an admin of chat {chat.id} and cannot be restricted")
        return chat

    async def mute_member(self, chat: ChatRef, user: UserRef, until: datetime, *, reason: str = "") -> None:
        seconds = (until - self.clock.now()).total_seconds()
        if seconds < (self.capabilities.min_mute_seconds or 0):
            raise ActionRefused("a mute must last at least 30 seconds")
        local = self._member_chat(chat, user, "restrict_members")
        if user.id not in local.members:
            raise NotFound(f"user {user.id} is not in chat {chat.id}")
        local.muted_until[user.id] = until
        self._record("mute_member", chat.id, user_id=user.id, until=until.isoformat())

    async def unmute_member(self, chat: ChatRef, user: UserRef, *, reason: str = "") -> None:
        local = self._member_chat(chat, user, "restrict_members")
        local.muted_until.pop(user.id, None)
        self._record("unmute_member", chat.id, user_id=user.id)

    async def ban_member(self, chat: ChatRef, user: UserRef, until: datetime | None = None, *,
                         reason: str = "") -> None:
        local = self._member_chat(chat, user, "ban_members")
        local.members.discard(user.id)
        local.banned[user.id] = until
        self._record("ban_member", chat.id, user_id=user.id, until=until.isoformat() if until else None)

    async def unban_member(self, chat: ChatRef, user: UserRef, *, reason: str = "") -> None:
        local = self._member_chat(chat, user, "ban_members")
        local.banned.pop(user.id, None)
        self._record("unban_member", chat.id, user_id=user.id)

    async def kick_member(self, chat: ChatRef, user: UserRef, *, reason: str = "") -> None:
        local = self._member_chat(chat, user, "ban_members")
        if user.id not in local.members:
            raise NotFound(f"user {user.id} is not in chat {chat.id}")
        local.members.discard(user.id)
        self._record("kick_member", chat.id, user_id=user.id)

    async def set_slow_mode(self, chat: ChatRef, seconds: int, *, reason: str = "") -> None:
        local = self._chat(chat.id)
        self._need(local, "restrict_members")
        local.slow_mode_seconds = seconds
        self._record("set_slow_mode", chat.id, seconds=seconds)

    @property
    def bot_user_id(self) -> str:
        return BOT_USER_ID

    async def leave_chat(self, chat: ChatRef) -> None:
        local = self._chat(chat.id)
        local.members.discard(BOT_USER_ID)
        self._record("leave_chat", chat.id)

    async def answer_button(self, chat: ChatRef, press_id: str, text: str = "") -> None:
        self._record("answer_button", chat.id, press_id=press_id, text=text)

    async def get_member(self, chat: ChatRef, user: UserRef) -> MemberInfo:
        local = self.world.chats.get(chat.id)
        if local is None:
            raise NotFound(f"chat {chat.id} not found")
        status = self.world.status_of(local, user.id, self.clock.now())
        rights = MemberRights.all() if status in (MemberStatus.OWNER, MemberStatus.ADMIN) else MemberRights()
        self._record("get_member", chat.id, user_id=user.id)
        return MemberInfo(status, rights)

    async def get_bot_rights(self, chat: ChatRef) -> MemberRights:
        return self._chat(chat.id).bot_rights

    # -- people acting on the platform (inbound) ----------------------------------------------------------

    def _key(self) -> str:
        return f"{self._key_prefix}:{next(self._updates)}"

    def _sender(self, user: LocalUser) -> Sender:
        return Sender(self.user_ref(user), user.name, is_bot=user.is_bot, locale=user.locale)

    async def deliver(self, event: Event) -> None:
        """Hand an event to the core, as a platform's update loop would. Also used to redeliver in tests."""
        if self._sink is None:
            raise RuntimeError("the local adapter has not been started")
        await self._sink(event)

    async def user_sends(self, user: LocalUser, chat: LocalChat, text: str, *,
                         reply_to: LocalMessage | None = None) -> Event:
        """`user` posts `text` in `chat`. Returns the event the core received."""
        if user.id not in chat.members and chat.kind != ChatKind.PRIVATE:
            raise ValueError(f"{user.name} is not in {chat.title}")
        if chat.kind == ChatKind.PRIVATE:
            self.world.unreachable.discard(user.id)  # writing to the bot opens the private chat
        now = self.clock.now()
        if self.world.mutes_enforced and self.world.status_of(chat, user.id, now) == MemberStatus.RESTRICTED:
            # As on Telegram and Discord, a muted member's message never reaches the chat, nor the bot.
            raise PostRefused(f"{user.name} is muted in {chat.title} until {chat.muted_until[user.id]:%H:%M}")
        message = LocalMessage(self.world.next_id(), chat.id, user.id, text, now)
        chat.messages.append(message)
        ref = MessageRef(self.chat_ref(chat), message.id)
        reply_ref = MessageRef(self.chat_ref(chat), reply_to.id) if reply_to else None
        reply_sender = self.user_ref(reply_to.sender_id) if reply_to else None
        command = parse_command_text(text)
        event: Event
        if command is not None and is_for_bot(command, BOT_USERNAME):
            event = CommandReceived(update_key=self._key(), occurred_at=now, chat=self.chat_ref(chat),
                                    chat_kind=chat.kind, sender=self._sender(user), name=command.name,
                                    args=command.args, message=ref, reply_to=reply_ref,
                                    reply_to_sender=reply_sender, mentions=self._mentions(command.args),
                                    mention_words=mention_words(command.args),
                                    mention_names=mention_names(mention_words(command.args)))
        else:
            event = MessageReceived(update_key=self._key(), occurred_at=now, chat=self.chat_ref(chat),
                                    chat_kind=chat.kind, sender=self._sender(user), message=ref, text=text,
                                    reply_to=reply_ref, reply_to_sender=reply_sender)
        await self.deliver(event)
        return event

    def _mentions(self, args: str) -> tuple[UserRef, ...]:
        names = {word[1:].lower() for word in args.split() if word.startswith("@")}
        return tuple(self.user_ref(u) for u in self.world.users.values() if u.name.lower() in names)

    async def press_button(self, user: LocalUser, chat: LocalChat, message_id: str, data: str) -> Event:
        event = ButtonPressed(update_key=self._key(), occurred_at=self.clock.now(), chat=self.chat_ref(chat),
                              chat_kind=chat.kind, sender=self._sender(user),
                              message=MessageRef(self.chat_ref(chat), message_id), data=data,
                              press_id=self.world.next_id())
        await self.deliver(event)
        return event

    async def add_bot(self, chat: LocalChat, by: LocalUser, *, rights: MemberRights | None = None,
                      start_payload: str | None = None) -> Event:
        chat.members.add(BOT_USER_ID)
        if rights is not None:
            chat.bot_rights = rights
        event = BotAddedToChat(update_key=self._key(), occurred_at=self.clock.now(), chat=self.chat_ref(chat),
                               chat_kind=chat.kind, title=chat.title, added_by=self.user_ref(by),
                               bot_rights=chat.bot_rights, start_payload=start_payload)
        await self.deliver(event)
        return event

    async def remove_bot(self, chat: LocalChat, by: LocalUser) -> Event:
        chat.members.discard(BOT_USER_ID)
        event = BotRemovedFromChat(update_key=self._key(), occurred_at=self.clock.now(),
                                   chat=self.chat_ref(chat), removed_by=self.user_ref(by))
        await self.deliver(event)
        return event

    async def member_joins(self, chat: LocalChat, user: LocalUser) -> Event:
        chat.members.add(user.id)
        event = MemberJoined(update_key=self._key(), occurred_at=self.clock.now(), chat=self.chat_ref(chat),
                             user=self.user_ref(user))
        await self.deliver(event)
        return event
