"""Issue 16: the adapters' translation of what a platform sends, fed random but well-formed payloads, never
raises: Telegram updates (decoded by python-telegram-bot, as the poller and webhook do) through
`adapters/telegram/translate.py`; Discord interactions and messages (built by discord.py from gateway payloads)
through `read_invocation` and `adapters/discord/translate.py`. Text anywhere may be anything, ids are in the
platforms' ranges, and optional fields come and go."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import discord
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Update

from adapters.discord import translate as discord_translate
from adapters.discord.adapter import DiscordAdapter
from adapters.discord.slash_commands import (BOOLEAN, CHAT_INPUT, FLAG, INTEGER, MESSAGE, MESSAGE_CONTEXT, QUESTION,
                                             STRING, SUB_COMMAND, SUB_COMMAND_GROUP, USER, Command, CommandTable,
                                             read_invocation)
from adapters.telegram.translate import BotIdentity, translate_update
from bot.events import CommandReceived, Event
from tests.declared import declared_commands

NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
BOT = BotIdentity(5000001, "surgery_test_bot")
RELAXED = settings(max_examples=200, deadline=None)  # a loaded CI machine must not turn slowness into failure

TEXT = st.text(max_size=120)
NAME = st.text(min_size=1, max_size=40)


def _check(events: list[Event] | Event | None) -> None:
    """What comes out is the core's vocabulary: keyed, dated, with string ids."""
    for event in events if isinstance(events, list) else [events] if events is not None else []:
        assert isinstance(event, Event) and event.update_key
        if isinstance(event, CommandReceived):
            assert event.name == event.name.lower() or event.name.isascii()
            assert all(isinstance(m.id, str) for m in event.mentions)


# -- Telegram ------------------------------------------------------------------------------------------------

TG_USER_ID = st.one_of(st.integers(1, 2**52), st.just(BOT.id), st.just(777000))
TG_GROUP_ID = st.integers(-(2**52), -1)
TG_DATE = st.integers(0, 2**31 - 1)


@st.composite
def tg_user(draw: st.DrawFn, user_id: st.SearchStrategy[int] = TG_USER_ID) -> dict[str, Any]:
    user: dict[str, Any] = {"id": draw(user_id), "is_bot": draw(st.booleans()), "first_name": draw(NAME)}
    if draw(st.booleans()):
        user["username"] = draw(st.from_regex(r"[A-Za-z][A-Za-z0-9_]{3,30}", fullmatch=True))
    if draw(st.booleans()):
        user["last_name"] = draw(NAME)
    return user


@st.composite
def tg_chat(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        return {"id": draw(st.integers(1, 2**52)), "type": "private", "first_name": draw(NAME)}
    return {"id": draw(TG_GROUP_ID), "type": draw(st.sampled_from(["group", "supergroup", "channel"])),
            "title": draw(NAME)}


COMMANDISH = st.builds(lambda name, bot, args: f"/{name}{bot} {args}",
                       st.sampled_from(["ask", "reopen", "merge", "surgery", "mute", "link", "start", "undo", "x"]),
                       st.sampled_from(["", "@surgery_test_bot", "@other_bot"]), TEXT)


@st.composite
def tg_message(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    chat = draw(tg_chat())
    message: dict[str, Any] = {"message_id": draw(st.integers(1, 2**31 - 1)), "date": draw(TG_DATE), "chat": chat}
    if draw(st.integers(0, 9)):
        message["from"] = draw(tg_user())
    else:
        message["sender_chat"] = chat if chat["type"] != "private" else {"id": draw(TG_GROUP_ID), "type": "channel",
                                                                         "title": draw(NAME)}
    # Commands and chat are what people send most, and where their text is parsed: weighted up.
    kind = draw(st.sampled_from(["command", "text", "command", "text", "command", "caption", "joined", "left",
                                 "migrated", "service"]))
    if kind in ("text", "command"):
        text = draw(COMMANDISH if kind == "command" else TEXT.filter(bool))
        message["text"] = text
        if text and draw(st.booleans()):
            offset = draw(st.integers(0, max(0, len(text) - 1)))
            length = draw(st.integers(1, max(1, len(text) - offset)))
            entity = draw(st.sampled_from(["mention", "text_mention", "bot_command", "url", "bold"]))
            message["entities"] = [{"type": entity, "offset": offset, "length": length}
                                   | ({"user": draw(tg_user())} if entity == "text_mention" else {})]
    elif kind == "caption":
        message["photo"] = [{"file_id": "p", "file_unique_id": "u", "width": 1, "height": 1}]
        message["caption"] = draw(TEXT)
    elif kind == "joined":
        message["new_chat_members"] = draw(st.lists(tg_user(), min_size=1, max_size=3))
    elif kind == "left":
        message["left_chat_member"] = draw(tg_user())
    elif kind == "migrated":
        message["migrate_to_chat_id"] = draw(TG_GROUP_ID)
    else:
        message["new_chat_title"] = draw(NAME)
    if depth == 0 and draw(st.booleans()):
        message["reply_to_message"] = draw(tg_message(depth=1))
    if draw(st.booleans()):
        message["edit_date"] = draw(TG_DATE)
    return message


RIGHTS = ("can_be_edited", "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
          "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
          "can_delete_stories", "is_anonymous", "can_pin_messages", "can_manage_topics", "is_member",
          "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos", "can_send_videos",
          "can_send_video_notes", "can_send_voice_notes", "can_send_polls", "can_send_other_messages",
          "can_add_web_page_previews", "can_edit_tag", "can_react_to_messages")


@st.composite
def tg_member(draw: st.DrawFn, user: dict[str, Any]) -> dict[str, Any]:
    status = draw(st.sampled_from(["creator", "administrator", "member", "restricted", "left", "kicked"]))
    member: dict[str, Any] = {"status": status, "user": user}
    member.update({right: draw(st.booleans()) for right in RIGHTS})
    if status in ("restricted", "kicked"):
        member["until_date"] = draw(st.integers(0, 2**31 - 1))
    return member


@st.composite
def tg_member_update(draw: st.DrawFn) -> dict[str, Any]:
    user = draw(tg_user())
    return {"chat": draw(tg_chat()), "from": draw(tg_user()), "date": draw(TG_DATE),
            "old_chat_member": draw(tg_member(user)), "new_chat_member": draw(tg_member(user))}


@st.composite
def tg_update(draw: st.DrawFn) -> dict[str, Any]:
    update: dict[str, Any] = {"update_id": draw(st.integers(0, 2**31 - 1))}
    kind = draw(st.sampled_from(["message", "message", "message", "edited_message", "callback_query",
                                 "my_chat_member", "chat_member"]))
    if kind in ("message", "edited_message"):
        update[kind] = draw(tg_message())
    elif kind == "callback_query":
        query: dict[str, Any] = {"id": str(draw(st.integers(0, 2**63))), "from": draw(tg_user()),
                                 "chat_instance": str(draw(st.integers()))}
        if draw(st.integers(0, 5)):
            query["message"] = draw(tg_message(depth=1))
        if draw(st.integers(0, 5)):
            query["data"] = draw(st.one_of(TEXT, st.builds(lambda p, n: f"{p}:{n}",
                                                           st.sampled_from(["vote", "ask", "ban", "x"]), TEXT)))
        update[kind] = query
    else:
        update[kind] = draw(tg_member_update())
    return update


@RELAXED
@given(tg_update())
def test_telegram_updates_translate_without_raising(payload: dict[str, Any]) -> None:
    update = Update.de_json(payload, None)
    _check(translate_update(update, BOT, NOW))


# -- Discord -------------------------------------------------------------------------------------------------

SNOWFLAKE = st.integers(1, 2**63 - 1).map(str)
ISO = st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2099, 1, 1),
                   timezones=st.just(UTC)).map(lambda d: d.isoformat())


def _state() -> Any:
    client = discord.Client(intents=discord.Intents.default())
    state = client._connection
    state.user = discord.ClientUser(state=state, data={"id": "99", "username": "surgerybot", "discriminator": "0",
                                                       "avatar": None, "bot": True})
    return state


STATE = _state()
TABLE = CommandTable.from_specs(declared_commands(), DiscordAdapter.capabilities)
WIRE = {STRING: STRING, USER: USER, INTEGER: INTEGER, BOOLEAN: BOOLEAN, MESSAGE: STRING, QUESTION: INTEGER,
        FLAG: BOOLEAN}


@st.composite
def dc_user(draw: st.DrawFn) -> dict[str, Any]:
    return {"id": draw(SNOWFLAKE), "username": draw(st.from_regex(r"[a-z0-9_.]{2,32}", fullmatch=True)),
            "global_name": draw(st.one_of(st.none(), NAME)), "discriminator": "0", "avatar": None,
            "bot": draw(st.booleans())}


@st.composite
def dc_option_value(draw: st.DrawFn, kind: int) -> Any:
    wire = WIRE.get(kind, STRING)
    if wire == INTEGER:
        return draw(st.integers(-(2**53), 2**53))
    if wire == BOOLEAN:
        return draw(st.booleans())
    if wire == USER:
        return draw(SNOWFLAKE)
    if kind == MESSAGE:
        return draw(st.one_of(SNOWFLAKE, TEXT, st.builds(lambda g, c, m: f"https://discord.com/channels/{g}/{c}/{m}",
                                                         SNOWFLAKE, SNOWFLAKE, SNOWFLAKE)))
    return draw(TEXT)


@st.composite
def dc_options(draw: st.DrawFn, command: Command) -> list[dict[str, Any]]:
    if command.children:
        child = draw(st.sampled_from(command.children))
        return [{"type": SUB_COMMAND_GROUP if child.children else SUB_COMMAND, "name": child.name,
                 "options": draw(dc_options(child))}]
    chosen = [o for o in command.options if o.required or draw(st.booleans())]
    return [{"type": WIRE.get(o.kind, o.kind), "name": o.name, "value": draw(dc_option_value(o.kind))}
            for o in draw(st.permutations(chosen))]


@st.composite
def dc_interaction(draw: st.DrawFn, kind: int) -> dict[str, Any]:
    payload: dict[str, Any] = {"id": draw(SNOWFLAKE), "application_id": "1", "type": kind, "token": "t",
                               "version": 1, "channel_id": draw(SNOWFLAKE), "locale": "en-GB", "entitlements": [],
                               "attachment_size_limit": 10 * 1024 * 1024}
    user = draw(dc_user())
    if draw(st.booleans()):
        payload["guild_id"] = draw(SNOWFLAKE)
        payload["member"] = {"user": user, "roles": [], "joined_at": draw(ISO), "deaf": False, "mute": False,
                             "flags": 0, "permissions": str(draw(st.integers(0, 2**40))),
                             "nick": draw(st.one_of(st.none(), NAME))}
    else:
        payload["user"] = user
    return payload


@st.composite
def dc_command(draw: st.DrawFn) -> dict[str, Any]:
    payload = draw(dc_interaction(2))
    if TABLE.message_menu and draw(st.integers(0, 4)) == 0:
        label = draw(st.sampled_from(sorted(TABLE.message_menu)))
        payload["data"] = {"id": "5", "name": label, "type": MESSAGE_CONTEXT, "target_id": draw(SNOWFLAKE)}
        return payload
    name = draw(st.one_of(st.sampled_from(sorted(TABLE.commands)), st.text(max_size=10)))
    command = TABLE.commands.get(name)
    payload["data"] = {"id": "5", "name": name, "type": CHAT_INPUT,
                       "options": draw(dc_options(command)) if command else []}
    return payload


def _message_payload(draw: st.DrawFn, channel_id: str) -> dict[str, Any]:
    return {"id": draw(SNOWFLAKE), "channel_id": channel_id, "author": draw(dc_user()), "content": draw(TEXT),
            "timestamp": draw(ISO), "edited_timestamp": draw(st.one_of(st.none(), ISO)), "tts": False,
            "mention_everyone": draw(st.booleans()), "mentions": [], "mention_roles": [], "attachments": [],
            "embeds": [], "pinned": False, "type": draw(st.sampled_from([0, 0, 19, 7, 6]))}


@RELAXED
@given(dc_command())
def test_discord_slash_commands_translate_without_raising(payload: dict[str, Any]) -> None:
    invocation = read_invocation(TABLE, payload["data"])
    if invocation is None:
        return
    interaction = discord.Interaction(data=payload, state=STATE)
    event = discord_translate.command_received(interaction, invocation, None)
    _check(event)
    assert event.chat.id.isascii() and event.sender.user.id == str(interaction.user.id)


@RELAXED
@given(st.data())
def test_discord_button_presses_translate_without_raising(data: st.DataObject) -> None:
    payload = data.draw(dc_interaction(3))
    payload["data"] = {"component_type": 2, "custom_id": data.draw(st.one_of(TEXT, st.builds(
        lambda p, n: f"{p}:{n}", st.sampled_from(["vote", "ask", "ban"]), TEXT)))}
    if data.draw(st.integers(0, 5)):
        payload["message"] = _message_payload(data.draw, payload["channel_id"])
    interaction = discord.Interaction(data=payload, state=STATE)
    _check(discord_translate.button_pressed(interaction))


@RELAXED
@given(st.data())
def test_discord_messages_translate_without_raising(data: st.DataObject) -> None:
    channel_id = data.draw(SNOWFLAKE)
    guild_id = data.draw(st.one_of(st.none(), SNOWFLAKE))
    payload = _message_payload(data.draw, channel_id)
    if guild_id is not None:
        payload["guild_id"] = guild_id
    if data.draw(st.booleans()):
        payload["message_reference"] = {"message_id": data.draw(SNOWFLAKE), "channel_id": channel_id}
        if data.draw(st.booleans()):
            payload["referenced_message"] = _message_payload(data.draw, channel_id)
    channel = discord.PartialMessageable(state=STATE, id=int(channel_id),
                                         guild_id=int(guild_id) if guild_id else None)
    message = discord.Message(state=STATE, channel=channel, data=payload)
    _check(discord_translate.message_received(message, edited=data.draw(st.booleans())))
