"""discord.py objects → the core's events. The only place that reads gateway payload shapes on the way in."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache

import discord

from adapters.discord.slash_commands import Invocation
from adapters.mentions import mention_names, mention_words
from bot.events import BotAddedToChat, BotRemovedFromChat, BotRightsChanged, ButtonPressed, CommandReceived, \
    MemberJoined, MemberLeft, MessageReceived
from bot.refs import ChatKind, ChatRef, MessageRef, Platform, Sender, UserRef
from bot.rights import MemberRights

# Ordinary posts and replies; joins, pins, boosts and other system messages are not chat.
_CHAT_TYPES = (discord.MessageType.default, discord.MessageType.reply)


# Refs are immutable: the same channel or person, met again (every message of a busy chat), is the same ref.
@lru_cache(maxsize=4096)
def chat_ref(channel_id: int | str, guild_id: int | str | None) -> ChatRef:
    return ChatRef(Platform.DISCORD, str(channel_id), str(guild_id) if guild_id else None)


def space_ref(guild_id: int | str) -> ChatRef:
    """A server as a whole (joins, leaves, removal): the channel id is the server id; sending to it goes to the
    server's system channel."""
    return chat_ref(guild_id, guild_id)


@lru_cache(maxsize=4096)
def user_ref(user_id: int | str) -> UserRef:
    return UserRef(Platform.DISCORD, str(user_id))


def chat_kind(guild_id: int | None) -> ChatKind:
    return ChatKind.GROUP if guild_id else ChatKind.PRIVATE


def sender(user: discord.abc.User, locale: str | None = None) -> Sender:
    """`locale` is the person's client language, which Discord sends only with interactions."""
    return _sender(user.id, user.display_name, user.bot, locale)


@lru_cache(maxsize=4096)
def _sender(user_id: int, display_name: str, is_bot: bool, locale: str | None) -> Sender:
    return Sender(user_ref(user_id), display_name, is_bot=is_bot, locale=locale)


def message_received(message: discord.Message, *, edited: bool = False) -> MessageReceived | None:
    if message.type not in _CHAT_TYPES:
        return None
    guild_id = message.guild.id if message.guild else None
    chat = chat_ref(message.channel.id, guild_id)
    reply_to = reply_sender = None
    reference = message.reference
    if reference is not None and reference.message_id is not None:
        reply_to = MessageRef(chat_ref(reference.channel_id, guild_id), str(reference.message_id))
        if isinstance(reference.resolved, discord.Message):
            reply_sender = user_ref(reference.resolved.author.id)
    if edited:
        stamp = message.edited_at or message.created_at
        key = f"discord:msg_edit:{message.id}:{stamp.timestamp():.3f}"
    else:
        stamp, key = message.created_at, f"discord:msg:{message.id}"
    return MessageReceived(update_key=key, occurred_at=stamp, chat=chat, chat_kind=chat_kind(guild_id),
                           sender=sender(message.author), message=MessageRef(chat, str(message.id)),
                           text=message.content, reply_to=reply_to, reply_to_sender=reply_sender, edited=edited)


def _interaction_chat(interaction: discord.Interaction) -> ChatRef:
    return chat_ref(interaction.channel_id or 0, interaction.guild_id)


def command_received(interaction: discord.Interaction, invocation: Invocation,
                     reply_to_sender: str | None = None) -> CommandReceived:
    chat = _interaction_chat(interaction)
    words = mention_words(invocation.args)
    target = MessageRef(chat, invocation.target_message) if invocation.target_message else None
    return CommandReceived(
        update_key=f"discord:interaction:{interaction.id}", occurred_at=interaction.created_at, chat=chat,
        chat_kind=chat_kind(interaction.guild_id), sender=sender(interaction.user, str(interaction.locale)),
        name=invocation.name,
        args=invocation.args, reply_to=target, reply_to_sender=user_ref(reply_to_sender) if reply_to_sender else None,
        mentions=tuple(user_ref(m) for m in invocation.mentions), mention_words=words,
        mention_names=mention_names(words), interaction_id=str(interaction.id))


def button_pressed(interaction: discord.Interaction) -> ButtonPressed | None:
    data: Mapping[str, object] = interaction.data or {}
    if interaction.message is None or "custom_id" not in data:
        return None
    chat = _interaction_chat(interaction)
    return ButtonPressed(update_key=f"discord:interaction:{interaction.id}", occurred_at=interaction.created_at,
                         chat=chat, chat_kind=chat_kind(interaction.guild_id),
                         sender=sender(interaction.user, str(interaction.locale)),
                         message=MessageRef(chat, str(interaction.message.id)), data=str(data["custom_id"]),
                         press_id=str(interaction.id))


def bot_added(guild: discord.Guild, channel_id: int | None, joined_at: datetime, *, added_by: str | None,
              verified: bool, bot_rights: MemberRights) -> BotAddedToChat:
    chat = chat_ref(channel_id or guild.id, guild.id)
    return BotAddedToChat(update_key=f"discord:guild_create:{guild.id}:{joined_at.timestamp():.3f}",
                          occurred_at=joined_at, chat=chat, chat_kind=ChatKind.GROUP, title=guild.name,
                          added_by=user_ref(added_by) if added_by else None, added_by_verified=verified,
                          bot_rights=bot_rights)


def bot_rights_changed(guild_id: int, rights: MemberRights, now: datetime) -> BotRightsChanged:
    return BotRightsChanged(update_key=f"discord:rights:{guild_id}:{now.timestamp():.6f}", occurred_at=now,
                            chat=space_ref(guild_id), bot_rights=rights)


def bot_removed(guild_id: int, now: datetime) -> BotRemovedFromChat:
    return BotRemovedFromChat(update_key=f"discord:guild_delete:{guild_id}:{now.timestamp():.3f}",
                              occurred_at=now, chat=space_ref(guild_id))


def member_joined(guild_id: int, user_id: int, joined_at: datetime) -> MemberJoined:
    return MemberJoined(update_key=f"discord:member_add:{guild_id}:{user_id}:{joined_at.timestamp():.3f}",
                        occurred_at=joined_at, chat=space_ref(guild_id), user=user_ref(user_id))


def member_left(guild_id: int, user_id: int, now: datetime) -> MemberLeft:
    return MemberLeft(update_key=f"discord:member_remove:{guild_id}:{user_id}:{now.timestamp():.3f}",
                      occurred_at=now, chat=space_ref(guild_id), user=user_ref(user_id))
