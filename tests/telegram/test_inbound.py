"""Updates in: what the adapter makes of each kind of Telegram update, fetched by the real PTB stack."""

from __future__ import annotations

import logging

import pytest

from bot.events import (
    BotAddedToChat,
    BotRemovedFromChat,
    BotRightsChanged,
    ButtonPressed,
    ChatMigrated,
    CommandReceived,
    MemberJoined,
    MemberLeft,
    MessageReceived,
)
from adapters.telegram import receiving
from bot.refs import Button, ChatKind
from bot.rights import MemberRights, MemberStatus
from tests.telegram.fake_world import BOT_ID, BOT_USERNAME, FakeChat, FakeMember, all_rights
from tests.telegram.harness import TelegramHarness

GROUP_ANONYMOUS_BOT = 1087968824  # the "from" Telegram puts on messages of anonymous admins


async def test_command_round_trip(harness: TelegramHarness) -> None:
    api = harness.api
    update_id = api.user_sends(harness.member_user, harness.chat, f"/ask@{BOT_USERNAME} When are the bins collected?")
    event = await harness.event_for(update_id)
    assert isinstance(event, CommandReceived)
    assert (event.name, event.args, event.chat_kind) == ("ask", "When are the bins collected?", ChatKind.GROUP)
    assert event.sender.user == harness.member and event.sender.display_name == "Mo" and event.sender.can_be_staff
    assert event.update_key == f"telegram:{update_id}"

    reply = await harness.adapter.send_message(harness.group, "Question 1 is in the queue.", reply_to=event.message)
    sent = api.world.chats[harness.chat.id].messages[int(reply.id)]
    assert sent.text == "Question 1 is in the queue." and sent.reply_to == int(event.message.id)


async def test_another_bots_command_is_ignored(harness: TelegramHarness) -> None:
    ignored = harness.api.user_sends(harness.member_user, harness.chat, "/ask@some_other_bot hello")
    mine = harness.api.user_sends(harness.member_user, harness.chat, "/queue")
    assert isinstance(await harness.event_for(mine), CommandReceived)
    assert not any(e.update_key == f"telegram:{ignored}" for e in harness.received)


async def test_start_with_a_deep_link_payload_in_a_group(harness: TelegramHarness) -> None:
    event = await harness.event_for(harness.api.user_sends(harness.admin_user, harness.chat,
                                                           f"/start@{BOT_USERNAME} inv-7GQ2KX"))
    assert isinstance(event, CommandReceived) and (event.name, event.args) == ("start", "inv-7GQ2KX")
    assert event.sender.user == harness.admin


async def test_button_press_is_answered_by_the_core(harness: TelegramHarness) -> None:
    ref = await harness.adapter.send_message(harness.group, "Q1 · 0 votes", buttons=(Button("👍 0", "vote:1"),))
    update_id, query_id = harness.api.press_button(harness.member_user, harness.chat, int(ref.id), "vote:1")
    event = await harness.event_for(update_id)
    assert isinstance(event, ButtonPressed)
    assert (event.data, event.press_id, event.message) == ("vote:1", query_id, ref)
    await harness.adapter.answer_button(event.chat, event.press_id, "Vote counted")
    assert harness.api.answered[query_id] == "Vote counted"


async def test_a_press_the_core_forgets_is_answered_quietly(harness: TelegramHarness) -> None:
    harness.adapter.unanswered_press_grace = 0.05
    ref = await harness.adapter.send_message(harness.group, "Anonymous or private?",
                                             buttons=(Button("Anonymous", "ask:anon"), Button("Private", "ask:priv")))
    _, query_id = harness.api.press_button(harness.member_user, harness.chat, int(ref.id), "ask:priv")
    await harness.wait_until(lambda: query_id in harness.api.answered, "the fallback answer")
    assert harness.api.answered[query_id] is None


def _new_group(harness: TelegramHarness, **options: object) -> FakeChat:
    return harness.api.world.add_group("Millbrook Allotments", owner=harness.owner_user,
                                       admins=(harness.admin_user,), members=(harness.member_user,), **options)


async def test_bot_added_by_an_admin(harness: TelegramHarness) -> None:
    chat = _new_group(harness)
    event = await harness.event_for(harness.api.add_bot(chat, by=harness.admin_user))
    assert isinstance(event, BotAddedToChat)
    assert event.added_by == harness.admin and event.added_by_verified and event.chat_kind == ChatKind.GROUP
    assert event.title == "Millbrook Allotments" and event.bot_rights == MemberRights.all()
    adder = await harness.adapter.get_member(event.chat, event.added_by)
    assert adder.is_admin
    # The service message listing the bot among new members must not look like a resident joining.
    assert not any(isinstance(e, MemberJoined) for e in harness.received)


async def test_bot_added_by_a_non_admin_without_rights(harness: TelegramHarness) -> None:
    chat = _new_group(harness)
    event = await harness.event_for(harness.api.add_bot(chat, by=harness.member_user, admin=False))
    assert isinstance(event, BotAddedToChat) and event.added_by == harness.member
    assert event.bot_rights == MemberRights()
    adder = await harness.adapter.get_member(event.chat, event.added_by)
    assert adder.status == MemberStatus.MEMBER and not adder.is_admin


async def test_bot_promoted_then_removed(harness: TelegramHarness) -> None:
    chat = _new_group(harness, bot=FakeMember("member"))
    rights = all_rights() | {"can_restrict_members": False}
    promoted = await harness.event_for(harness.api.set_bot_member(chat, harness.owner_user,
                                                                  FakeMember("administrator", rights=rights)))
    assert isinstance(promoted, BotRightsChanged) and promoted.changed_by == harness.owner
    assert promoted.bot_rights.delete_messages and not promoted.bot_rights.restrict_members
    removed = await harness.event_for(harness.api.remove_bot(chat, harness.admin_user))
    assert isinstance(removed, BotRemovedFromChat) and removed.removed_by == harness.admin


async def test_private_chat_and_channel_kinds(harness: TelegramHarness) -> None:
    api, user = harness.api, harness.member_user
    private = api.world.private_chat(user.id)
    private.members.pop(BOT_ID)
    started = await harness.event_for(api.set_bot_member(private, user, FakeMember("member"), service_message=False))
    assert isinstance(started, BotAddedToChat) and started.chat_kind == ChatKind.PRIVATE
    assert started.chat.id == str(user.id) and started.added_by == harness.member

    channel = FakeChat(-1002999000111, "channel", "Riverside News",
                       members={harness.owner_user.id: FakeMember("creator")})
    api.world.chats[channel.id] = channel
    added = await harness.event_for(api.set_bot_member(channel, harness.owner_user,
                                                       FakeMember("administrator", rights=all_rights()),
                                                       service_message=False))
    assert isinstance(added, BotAddedToChat) and added.chat_kind == ChatKind.CHANNEL


async def test_a_join_reported_twice_is_one_event_and_leaving_is_seen(harness: TelegramHarness) -> None:
    newcomer = harness.api.world.add_user("Nia", "nia")
    service, member_update = harness.api.member_joins(harness.chat, newcomer)
    joined = await harness.event_for(service)
    assert isinstance(joined, MemberJoined) and joined.user.id == str(newcomer.id)
    await harness.processed(member_update)
    assert sum(isinstance(e, MemberJoined) for e in harness.received) == 1

    left = await harness.event_for(harness.api.member_leaves(harness.chat, newcomer))
    assert isinstance(left, MemberLeft) and left.user.id == str(newcomer.id)


async def test_group_upgraded_to_supergroup(harness: TelegramHarness) -> None:
    basic = _new_group(harness, supergroup=False, bot=FakeMember("administrator", rights=all_rights()))
    supergroup, update_id = harness.api.migrate(basic)
    event = await harness.event_for(update_id)
    assert isinstance(event, ChatMigrated)
    assert (event.old_chat.id, event.new_chat.id) == (str(basic.id), str(supergroup.id))
    assert sum(isinstance(e, ChatMigrated) for e in harness.received) == 1


async def test_edited_message(harness: TelegramHarness) -> None:
    first = await harness.user_sends(harness.member, harness.group, "the meeting is at 6")
    assert isinstance(first, MessageReceived) and first.message is not None
    edited = await harness.event_for(harness.api.user_edits(harness.chat, int(first.message.id),
                                                            "the meeting is at 7"))
    assert isinstance(edited, MessageReceived) and edited.edited and edited.text == "the meeting is at 7"
    assert edited.message == first.message and edited.update_key != first.update_key


async def test_an_edited_command_is_not_run_again(harness: TelegramHarness) -> None:
    first = await harness.user_sends(harness.member, harness.group, "/ask why?")
    assert isinstance(first, CommandReceived) and first.message is not None
    edited = await harness.event_for(harness.api.user_edits(harness.chat, int(first.message.id), "/ask why not?"))
    assert isinstance(edited, MessageReceived) and edited.edited


async def test_anonymous_admin_channel_identity_and_service_account(harness: TelegramHarness) -> None:
    api = harness.api
    anonymous = api.world.add_user("Group", "GroupAnonymousBot", user_id=GROUP_ANONYMOUS_BOT, is_bot=True)
    event = await harness.event_for(api.user_sends(anonymous, harness.chat, "/surgery policy",
                                                   sender_chat=harness.chat))
    assert isinstance(event, CommandReceived) and event.name == "surgery"
    assert event.sender.is_anonymous_admin and not event.sender.is_bot and not event.sender.can_be_staff

    channel = FakeChat(-1002999000222, "channel", "Riverside News")
    api.world.chats[channel.id] = channel
    channel_bot = api.world.add_user("Channel", "Channel_Bot", user_id=136817688, is_bot=True)
    as_channel = await harness.event_for(api.user_sends(channel_bot, harness.chat, "/about", sender_chat=channel))
    assert as_channel.sender.is_channel and not as_channel.sender.is_anonymous_admin
    assert as_channel.sender.user.id == str(channel.id) and not as_channel.sender.can_be_staff

    telegram = api.world.add_user("Telegram", user_id=777000)
    forwarded = await harness.event_for(api.user_sends(telegram, harness.chat, "News from the channel",
                                                       sender_chat=channel))
    assert forwarded.sender.is_service_account and not forwarded.sender.can_be_staff


async def test_replies_and_mentions(harness: TelegramHarness) -> None:
    api = harness.api
    original = await harness.user_sends(harness.member, harness.group, "something rude")
    assert original.message is not None
    nameless = api.world.add_user("Pat")  # no @username: only a text mention can name them
    text = "/warn @mo and Pat"
    update_id = api.user_sends(harness.admin_user, harness.chat, text, reply_to=int(original.message.id),
                               entities=[{"type": "mention", "offset": 6, "length": 3},
                                         {"type": "text_mention", "offset": 14, "length": 3,
                                          "user": nameless.json()}])
    event = await harness.event_for(update_id)
    assert isinstance(event, CommandReceived) and event.args == "@mo and Pat"
    assert event.reply_to == original.message and event.reply_to_sender == harness.member
    assert set(event.mentions) == {harness.member, harness.user_ref(nameless)}


async def test_allowed_updates_are_exactly_the_types_used(harness: TelegramHarness) -> None:
    await harness.user_sends(harness.member, harness.group, "hello")
    polls = harness.api.calls_named("getUpdates")
    assert polls and all(call.params["allowed_updates"] == ["message", "edited_message", "callback_query",
                                                            "my_chat_member", "chat_member"] for call in polls)
    assert harness.api.calls_named("deleteWebhook"), "polling must clear a webhook left from webhook mode"


async def test_command_menus_for_groups_and_private_chats(harness: TelegramHarness) -> None:
    groups = [c["command"] for c in harness.api.commands["all_group_chats"]]
    private = [c["command"] for c in harness.api.commands["all_private_chats"]]
    assert {"ask", "next", "mute", "undo", "report"} <= set(groups) and "forgetme" not in groups
    assert "slowmode" not in groups  # Telegram has no Bot API method for it: never offered
    assert {"start", "link", "appeal", "mydata", "forgetme"} <= set(private) and "mute" not in private


async def test_an_update_the_core_could_not_accept_is_fetched_again_not_acknowledged(
        idle: TelegramHarness, caplog: pytest.LogCaptureFixture) -> None:
    calls = []

    async def fragile(event: object) -> None:
        calls.append(getattr(event, "text", None))
        if len(calls) == 1:
            raise RuntimeError("database away")

    idle._sink = fragile  # type: ignore[method-assign]
    harness = await idle.start()
    first = harness.api.user_sends(harness.member_user, harness.chat, "one")
    harness.api.user_sends(harness.member_user, harness.chat, "two")
    await harness.wait_until(lambda: len(calls) == 3, "the failed update again, then the next")
    assert calls == ["one", "one", "two"]  # never acknowledged while it was not accepted
    failure = next(r for r in caplog.records if r.levelno == logging.WARNING and "failed" in r.getMessage())
    assert str(harness.chat.id) in failure.getMessage() and "one" not in failure.getMessage()
    await harness.processed(first)


async def test_an_update_that_always_fails_is_skipped_after_a_few_attempts(
        idle: TelegramHarness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(receiving, "MAX_ATTEMPTS_PER_UPDATE", 3)
    calls = []

    async def broken_for_one(event: object) -> None:
        calls.append(getattr(event, "text", None))
        if calls[-1] == "poison":
            raise RuntimeError("a bug")

    idle._sink = broken_for_one  # type: ignore[method-assign]
    harness = await idle.start()
    harness.api.user_sends(harness.member_user, harness.chat, "poison")
    harness.api.user_sends(harness.member_user, harness.chat, "fine")
    await harness.wait_until(lambda: "fine" in calls, "the update after the poisoned one")
    assert calls == ["poison"] * 3 + ["fine"]
    assert any(r.levelno == logging.ERROR and "skipped" in r.getMessage() for r in caplog.records)


async def test_a_handled_update_is_acknowledged_and_not_redelivered(harness: TelegramHarness) -> None:
    first = await harness.user_sends(harness.member, harness.group, "one")
    await harness.processed(int(first.update_key.split(":")[1]))
    second = await harness.user_sends(harness.member, harness.group, "two")
    keys = [e.update_key for e in harness.received]
    assert keys.count(first.update_key) == 1 and keys.count(second.update_key) == 1



async def test_polling_survives_a_batch_it_cannot_read(idle: TelegramHarness) -> None:
    idle.api.respond_raw("getUpdates", {"ok": True, "result": [{"update_id": 1, "message": {"message_id": 1}}]})
    harness = await idle.start()
    event = await harness.user_sends(harness.member, harness.group, "still listening?")
    assert len(harness.api.calls_named("getUpdates")) >= 2
    assert isinstance(event, MessageReceived) and event.text == "still listening?"
