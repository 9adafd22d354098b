"""Pure translation of PTB `Update`s into the core's events: no I/O, no state, so every rule is unit-testable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from telegram import Chat, ChatMember, ChatMemberAdministrator, ChatMemberRestricted, ChatMemberUpdated, Message, \
    MessageEntity, Update, User

from adapters.mentions import mention_names, mention_words
from bot.command_text import is_for_bot, parse_command_text
from bot.events import (
    BotAddedToChat,
    BotRemovedFromChat,
    BotRightsChanged,
    ButtonPressed,
    ChatMigrated,
    CommandReceived,
    Event,
    MemberJoined,
    MemberLeft,
    MessageReceived,
)
from bot.refs import ChatKind, ChatRef, MessageRef, Platform, Sender, UserRef
from bot.rights import MemberInfo, MemberRights, MemberStatus

SERVICE_ACCOUNT_ID = 777000  # Telegram's own account: forwards from a linked channel, login codes

# Exactly the update types `translate_update` reads; "chat_member" is never sent unless asked for by name.
ALLOWED_UPDATES: tuple[str, ...] = ("message", "edited_message", "callback_query", "my_chat_member", "chat_member")


@dataclass(frozen=True, slots=True)
class BotIdentity:
    id: int
    username: str | None


def chat_ref(chat_id: int | str) -> ChatRef:
    return ChatRef(Platform.TELEGRAM, str(chat_id))


def user_ref(user_id: int | str) -> UserRef:
    return UserRef(Platform.TELEGRAM, str(user_id))


def chat_kind(chat: Chat) -> ChatKind:
    if chat.type == Chat.PRIVATE:
        return ChatKind.PRIVATE
    if chat.type == Chat.CHANNEL:
        return ChatKind.CHANNEL
    return ChatKind.GROUP  # basic groups and supergroups are the same thing to the product


def member_info(member: ChatMember) -> MemberInfo:
    """Telegram's member status and admin flags in the product's words. Banning needs can_restrict_members."""
    status = {
        ChatMember.OWNER: MemberStatus.OWNER,
        ChatMember.ADMINISTRATOR: MemberStatus.ADMIN,
        ChatMember.MEMBER: MemberStatus.MEMBER,
        ChatMember.RESTRICTED: MemberStatus.RESTRICTED,
        ChatMember.LEFT: MemberStatus.LEFT,
        ChatMember.BANNED: MemberStatus.BANNED,
    }.get(member.status, MemberStatus.UNKNOWN)
    if status == MemberStatus.OWNER:
        return MemberInfo(status, MemberRights.all())
    if isinstance(member, ChatMemberAdministrator):
        return MemberInfo(status, MemberRights(
            delete_messages=member.can_delete_messages,
            restrict_members=member.can_restrict_members,
            ban_members=member.can_restrict_members,
            pin_messages=bool(member.can_pin_messages),
            manage_community=member.can_change_info,
        ))
    if isinstance(member, ChatMemberRestricted) and not member.is_member:
        return MemberInfo(MemberStatus.LEFT)  # restricted but gone: Telegram keeps the restriction for a return
    return MemberInfo(status)


def is_member(member: ChatMember) -> bool:
    if isinstance(member, ChatMemberRestricted):
        return member.is_member
    return member.status in (ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER)


def status_change(change: ChatMemberUpdated) -> tuple[bool, bool] | None:
    """(was a member, is a member), or None when membership did not change (as in PTB's chatmemberbot)."""
    was, now = is_member(change.old_chat_member), is_member(change.new_chat_member)
    return None if was == now else (was, now)


def sender_of(message: Message) -> Sender:
    """Who posted: a person, an anonymous admin posting as the group, a channel identity, or Telegram itself."""
    user, via = message.from_user, message.sender_chat
    if via is not None:
        anonymous_admin = via.id == message.chat.id
        return Sender(user_ref(via.id), via.title or "", is_anonymous_admin=anonymous_admin,
                      is_channel=not anonymous_admin,
                      is_service_account=user is not None and user.id == SERVICE_ACCOUNT_ID)
    if user is None:  # not sent by anyone the Bot API names; treat as the platform speaking
        return Sender(user_ref(SERVICE_ACCOUNT_ID), "Telegram", is_service_account=True)
    return _person(user)


def _person(user: User) -> Sender:
    return Sender(user_ref(user.id), user.full_name, is_bot=user.is_bot,
                  is_service_account=user.id == SERVICE_ACCOUNT_ID, locale=user.language_code)


def _reply(message: Message) -> tuple[MessageRef | None, UserRef | None]:
    original = message.reply_to_message
    # In forum topics every message "replies" to the topic's first message; that is not a reply to anyone.
    if original is None or (message.is_topic_message and original.forum_topic_created is not None):
        return None, None
    author = original.sender_chat or original.from_user
    return MessageRef(chat_ref(message.chat.id), str(original.message_id)), (user_ref(author.id) if author else None)


def _text_mentions(message: Message) -> tuple[UserRef, ...]:
    """Users named by a text mention (people without a @username); @usernames cannot be resolved by the Bot API."""
    return tuple(user_ref(entity.user.id) for entity in message.entities
                 if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None)


class _Keys:
    """One update can carry several events; each needs its own key so the core's at-most-once check keeps them all."""

    def __init__(self, update_id: int) -> None:
        self.base, self.count = f"telegram:{update_id}", 0

    def next(self) -> str:
        self.count += 1
        return self.base if self.count == 1 else f"{self.base}:{self.count}"


def translate_update(update: Update, bot: BotIdentity, now: datetime) -> list[Event]:
    keys = _Keys(update.update_id)
    if update.message is not None:
        return _from_message(update.message, bot, keys, edited=False)
    if update.edited_message is not None:
        return _from_message(update.edited_message, bot, keys, edited=True)
    if update.callback_query is not None:
        return _from_button(update, bot, keys, now)
    if update.my_chat_member is not None:
        return _from_bot_membership(update.my_chat_member, keys)
    if update.chat_member is not None:
        return _from_membership(update.chat_member, bot, keys)
    return []


def _from_message(message: Message, bot: BotIdentity, keys: _Keys, *, edited: bool) -> list[Event]:
    chat, at = chat_ref(message.chat.id), message.date
    if message.migrate_to_chat_id is not None:
        return [ChatMigrated(update_key=keys.next(), occurred_at=at, old_chat=chat,
                             new_chat=chat_ref(message.migrate_to_chat_id))]
    if message.new_chat_members:
        # The bot's own arrival is reported (with who added it) by my_chat_member, so it is skipped here.
        return [MemberJoined(update_key=keys.next(), occurred_at=at, chat=chat, user=user_ref(user.id))
                for user in message.new_chat_members if user.id != bot.id]
    if message.left_chat_member is not None:
        gone = message.left_chat_member
        return [] if gone.id == bot.id else [MemberLeft(update_key=keys.next(), occurred_at=at, chat=chat,
                                                        user=user_ref(gone.id))]
    text = message.text or message.caption or ""
    if not text and message.effective_attachment is None:
        return []  # other service messages (title changes, pins, …) mean nothing to the product
    sender, kind = sender_of(message), chat_kind(message.chat)
    reply_to, reply_to_sender = _reply(message)
    command = parse_command_text(message.text) if message.text and not edited else None
    if command is not None:
        if not is_for_bot(command, bot.username):
            return []  # another bot's command
        words = mention_words(command.args)
        return [CommandReceived(update_key=keys.next(), occurred_at=at, chat=chat, chat_kind=kind, sender=sender,
                                name=command.name, args=command.args,
                                message=MessageRef(chat, str(message.message_id)), reply_to=reply_to,
                                reply_to_sender=reply_to_sender, mentions=_text_mentions(message),
                                mention_words=words, mention_names=mention_names(words))]
    # An edited command is not run again (that would repeat /ask or /mute), but rules still see the new text.
    return [MessageReceived(update_key=keys.next(), occurred_at=message.edit_date if edited and message.edit_date
                            else at, chat=chat, chat_kind=kind, sender=sender,
                            message=MessageRef(chat, str(message.message_id)), text=text, reply_to=reply_to,
                            reply_to_sender=reply_to_sender, edited=edited)]


def _from_button(update: Update, bot: BotIdentity, keys: _Keys, now: datetime) -> list[Event]:
    query = update.callback_query
    # Presses under inline-mode messages carry no chat, and game buttons no data: neither is ours.
    if query is None or query.message is None or query.data is None:
        return []
    chat = chat_ref(query.message.chat.id)
    return [ButtonPressed(update_key=keys.next(), occurred_at=now, chat=chat, chat_kind=chat_kind(query.message.chat),
                          sender=_person(query.from_user),
                          message=MessageRef(chat, str(query.message.message_id)), data=query.data,
                          press_id=query.id)]


def _from_bot_membership(change: ChatMemberUpdated, keys: _Keys) -> list[Event]:
    chat, at = chat_ref(change.chat.id), change.date
    by = user_ref(change.from_user.id) if change.from_user else None
    rights = member_info(change.new_chat_member).rights
    moved = status_change(change)
    if moved is None:
        if member_info(change.old_chat_member).rights == rights:
            return []
        return [BotRightsChanged(update_key=keys.next(), occurred_at=at, chat=chat, bot_rights=rights, changed_by=by)]
    was, now = moved
    if now:
        title = change.chat.title or change.chat.full_name or ""
        return [BotAddedToChat(update_key=keys.next(), occurred_at=at, chat=chat, chat_kind=chat_kind(change.chat),
                               title=title, added_by=by, added_by_verified=by is not None, bot_rights=rights)]
    return [BotRemovedFromChat(update_key=keys.next(), occurred_at=at, chat=chat, removed_by=by)]


def _from_membership(change: ChatMemberUpdated, bot: BotIdentity, keys: _Keys) -> list[Event]:
    user = change.new_chat_member.user
    moved = status_change(change)
    if moved is None or user.id == bot.id:
        return []
    chat, at = chat_ref(change.chat.id), change.date
    if moved[1]:
        return [MemberJoined(update_key=keys.next(), occurred_at=at, chat=chat, user=user_ref(user.id))]
    return [MemberLeft(update_key=keys.next(), occurred_at=at, chat=chat, user=user_ref(user.id))]
