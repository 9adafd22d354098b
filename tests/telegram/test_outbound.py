"""Actions out: Bot API calls as the fake server sees them, limits refused before the call, errors translated."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
from pydantic import SecretStr

from adapters.telegram.adapter import file_base_url
from bot.errors import (
    ActionRefused,
    BotNotInChat,
    ChatMigrated,
    ConfigurationError,
    Forbidden,
    NotFound,
    PlatformUnavailable,
    RateLimited,
)
from bot.refs import Button
from bot.rights import MemberStatus
from config.settings import TelegramSettings
from tests.telegram.fake_world import BOT_ID, FakeMember, all_rights
from tests.telegram.harness import TelegramHarness, telegram_settings


async def test_a_5000_character_reply_is_split(harness: TelegramHarness) -> None:
    question = await harness.user_sends(harness.member, harness.group, "/ask tell me everything")
    text = "\n".join(f"Line {n}: " + "details " * 8 for n in range(80))[:5000]
    ref = await harness.adapter.send_message(harness.group, text, buttons=(Button("👍", "vote:3"),),
                                             reply_to=question.message)
    sends = harness.api.calls_named("sendMessage")[-2:]
    assert len(harness.api.calls_named("sendMessage")) == 2
    assert all(len(call.params["text"]) <= 4096 for call in sends)
    assert "".join(call.params["text"] for call in sends) == text
    assert sends[0].params["text"].endswith("\n"), "cut at a line boundary"
    assert "reply_parameters" in sends[0].params and "reply_parameters" not in sends[1].params
    assert "reply_markup" not in sends[0].params and "reply_markup" in sends[1].params
    assert int(ref.id) == harness.api.bot_messages(harness.chat.id)[0].id


async def test_text_is_sent_plain_never_as_markup(harness: TelegramHarness) -> None:
    await harness.adapter.send_message(harness.group, '<a href="http://evil.example">click</a> & <b>')
    call = harness.api.calls_named("sendMessage")[-1]
    assert "parse_mode" not in call.params
    assert harness.texts_in(harness.group) == ['<a href="http://evil.example">click</a> & <b>']


async def test_an_empty_message_is_refused_before_the_call(harness: TelegramHarness) -> None:
    with pytest.raises(ActionRefused):
        await harness.adapter.send_message(harness.group, "  \n ")
    assert not harness.api.calls_named("sendMessage")


async def test_429_with_retry_after_waits_then_delivers(harness: TelegramHarness) -> None:
    harness.api.fail("sendMessage", 429, "Too Many Requests: retry after 1", parameters={"retry_after": 1})
    started = time.monotonic()
    await harness.adapter.send_message(harness.group, "Session opens in 5 minutes")
    assert time.monotonic() - started >= 1.0
    assert len(harness.api.calls_named("sendMessage")) == 2
    assert harness.texts_in(harness.group) == ["Session opens in 5 minutes"]


async def test_429_beyond_the_retries_is_rate_limited(idle: TelegramHarness) -> None:
    harness = await idle.start(max_retries=1)
    harness.api.fail("sendMessage", 429, "Too Many Requests: retry after 1", parameters={"retry_after": 1}, times=2)
    with pytest.raises(RateLimited) as raised:
        await harness.adapter.send_message(harness.group, "hello")
    assert raised.value.retry_after == 1


async def test_moderation_is_not_starved_by_chat_replies(idle: TelegramHarness) -> None:
    harness = await idle.start(group_messages_per_minute=1)
    await harness.adapter.send_message(harness.group, "the group's budget for this minute")
    queued = asyncio.create_task(harness.adapter.send_message(harness.group, "waits for the next minute"))
    await asyncio.sleep(0.1)
    await asyncio.wait_for(harness.adapter.mute_member(harness.group, harness.member,
                                                       harness.now() + timedelta(minutes=10)), timeout=2)
    assert harness.is_muted(harness.group, harness.member) and not queued.done()
    queued.cancel()


async def test_403_after_removal_means_the_bot_is_not_in_the_chat(harness: TelegramHarness) -> None:
    await harness.event_for(harness.api.remove_bot(harness.chat, harness.admin_user))
    with pytest.raises(BotNotInChat):
        await harness.adapter.send_message(harness.group, "anyone there?")


async def test_after_leaving_calls_say_not_in_chat(harness: TelegramHarness) -> None:
    await harness.adapter.leave_chat(harness.group)
    with pytest.raises(BotNotInChat):
        await harness.adapter.get_bot_rights(harness.group)


async def test_a_user_who_blocked_the_bot_is_forbidden_not_gone(harness: TelegramHarness) -> None:
    harness.api.world.blocked.add(harness.member_user.id)
    with pytest.raises(Forbidden) as raised:
        await harness.adapter.send_message(harness.member, "Your case reference is 42")
    assert not isinstance(raised.value, BotNotInChat)


async def test_a_5xx_is_platform_unavailable(harness: TelegramHarness) -> None:
    harness.api.fail("sendMessage", 502, "Bad Gateway")
    with pytest.raises(PlatformUnavailable):
        await harness.adapter.send_message(harness.group, "hello")


async def test_sending_to_an_upgraded_group_raises_chat_migrated(harness: TelegramHarness) -> None:
    basic = harness.api.world.add_group("Old Group", owner=harness.owner_user, supergroup=False,
                                        bot=FakeMember("administrator", rights=all_rights()))
    supergroup, update_id = harness.api.migrate(basic)
    await harness.event_for(update_id)
    with pytest.raises(ChatMigrated) as raised:
        await harness.adapter.send_message(harness.chat_ref(basic), "hello")
    assert raised.value.new_chat_id == str(supergroup.id)


@pytest.mark.parametrize("duration", [timedelta(seconds=20), timedelta(days=367)])
async def test_mutes_telegram_would_read_as_forever_are_refused(harness: TelegramHarness,
                                                                duration: timedelta) -> None:
    with pytest.raises(ActionRefused):
        await harness.adapter.mute_member(harness.group, harness.member, harness.now() + duration)
    with pytest.raises(ActionRefused):
        await harness.adapter.ban_member(harness.group, harness.member, harness.now() + duration)
    assert not harness.api.calls_named("restrictChatMember") and not harness.api.calls_named("banChatMember")


async def test_shortest_mute_is_not_forever(harness: TelegramHarness) -> None:
    await harness.adapter.mute_member(harness.group, harness.member, harness.now() + timedelta(seconds=31))
    member = harness.chat.member(harness.member_user.id)
    assert member.status == "restricted" and member.until_date == int(harness.now().timestamp()) + 31


async def test_deleting_a_message_older_than_48_hours_is_refused(harness: TelegramHarness) -> None:
    old = await harness.user_sends(harness.member, harness.group, "posted two days ago")
    mine = await harness.adapter.send_message(harness.group, "also old")
    harness.clock.advance(timedelta(hours=49))
    for ref in (old.message, mine):
        with pytest.raises(ActionRefused):
            await harness.adapter.delete_message(ref)
    assert not harness.api.calls_named("deleteMessage")


async def test_delete_uses_a_send_time_from_the_core(harness: TelegramHarness) -> None:
    ref = await harness.adapter.send_message(harness.group, "fresh")
    with pytest.raises(ActionRefused):
        await harness.adapter.delete_message(ref, sent_at=harness.now() - timedelta(days=3))
    await harness.adapter.delete_message(ref)
    assert harness.texts_in(harness.group) == []


async def test_deleting_a_missing_message_is_not_found(harness: TelegramHarness) -> None:
    ref = await harness.adapter.send_message(harness.group, "once")
    await harness.adapter.delete_message(ref)
    with pytest.raises(NotFound):
        await harness.adapter.delete_message(ref)


async def test_unban_never_removes_a_present_member(harness: TelegramHarness) -> None:
    await harness.adapter.unban_member(harness.group, harness.member)
    assert harness.is_member(harness.group, harness.member)
    assert all(call.params.get("only_if_banned") is True for call in harness.api.calls_named("unbanChatMember"))


async def test_kick_lets_the_member_come_back(harness: TelegramHarness) -> None:
    await harness.adapter.kick_member(harness.group, harness.member)
    assert harness.chat.member(harness.member_user.id).status == "left"  # not "kicked": they may rejoin
    assert [c.method for c in harness.api.calls if c.method.endswith("ChatMember")] == \
        ["banChatMember", "unbanChatMember"]


async def test_member_lookups_are_cached_for_at_most_a_minute(harness: TelegramHarness) -> None:
    lookups = lambda: len(harness.api.calls_named("getChatMember"))  # noqa: E731
    assert (await harness.adapter.get_member(harness.group, harness.member)).status == MemberStatus.MEMBER
    await harness.adapter.get_member(harness.group, harness.member)
    assert lookups() == 1
    harness.clock.advance(timedelta(seconds=61))
    await harness.adapter.get_member(harness.group, harness.member)
    assert lookups() == 2
    await harness.adapter.mute_member(harness.group, harness.member, harness.now() + timedelta(minutes=5))
    assert (await harness.adapter.get_member(harness.group, harness.member)).status == MemberStatus.RESTRICTED


async def test_bot_rights_follow_its_admin_flags(harness: TelegramHarness) -> None:
    harness.chat.members[BOT_ID] = FakeMember("administrator",
                                               rights=all_rights() | {"can_restrict_members": False})
    rights = await harness.adapter.get_bot_rights(harness.group)
    assert rights.delete_messages and rights.pin_messages and not rights.restrict_members
    assert rights.missing() == ("restrict_members", "ban_members")


async def test_send_file_carries_name_bytes_and_caption(harness: TelegramHarness) -> None:
    content = b"BEGIN:VCALENDAR\r\nSUMMARY:Surgery\r\nEND:VCALENDAR\r\n"
    ref = await harness.adapter.send_file(harness.member, "surgery.ics", content, caption="Your surgery")
    sent = harness.api.world.chats[harness.member_user.id].messages[int(ref.id)]
    assert sent.document == ("surgery.ics", content) and sent.caption == "Your surgery"


async def test_an_edit_that_changes_nothing_is_fine(harness: TelegramHarness) -> None:
    ref = await harness.adapter.send_message(harness.group, "Q1 · 1 vote", buttons=(Button("👍 1", "vote:1"),))
    await harness.adapter.edit_message(ref, "Q1 · 1 vote", buttons=(Button("👍 1", "vote:1"),))
    assert len(harness.api.calls_named("editMessageText")) == 1


async def test_a_rejected_token_is_a_configuration_error(idle: TelegramHarness) -> None:
    settings = telegram_settings(idle.api).model_copy(update={"token": SecretStr("5000001:wrong")})
    with pytest.raises(ConfigurationError):
        await idle.start(settings=settings)


def test_the_file_url_is_derived_from_the_api_url() -> None:
    assert file_base_url(TelegramSettings()) == "https://api.telegram.org/file/bot"
    local = TelegramSettings(api_base_url="http://127.0.0.1:8081/bot")
    assert file_base_url(local) == "http://127.0.0.1:8081/file/bot"
    explicit = TelegramSettings(api_file_base_url="http://files.example/bot")
    assert file_base_url(explicit) == "http://files.example/bot"
