"""End-to-end: the real discord.py, driven by DiscordAdapter, against the fake Discord. What the contract suite
cannot say about Discord: slash commands and interaction answers, joins via the audit log, moderation limits
and role hierarchy, rate limits, gateway resumes, privileged intents, and the token staying out of logs."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import ActionRefused, BotNotInChat, ConfigurationError
from bot.events import BotAddedToChat, BotRemovedFromChat, ButtonPressed, CommandReceived, Event, MemberJoined, \
    MemberLeft, MessageReceived
from bot.refs import Button, ChatKind, ChatRef, MessageRef, Platform, UserRef
from bot.rights import MemberStatus
from tests.discord.fake_discord import BOT_PERMISSIONS, MANAGE_GUILD, VIEW_AUDIT_LOG, FakeDiscord
from tests.discord.harness import DiscordHarness
from tests.waiting import eventually

def user(user_id: str) -> UserRef:
    return UserRef(Platform.DISCORD, user_id)


# -- slash commands and buttons -------------------------------------------------------------------------------

async def test_slash_command_round_trip(harness: DiscordHarness) -> None:
    async def core(event: Event) -> None:
        if isinstance(event, CommandReceived):
            await harness.adapter.send_message(event.chat, "Thanks: your question is number 1 in the queue.",
                                               answers=event.interaction_id)
    harness.on_event = core

    event = await harness.user_sends(harness.member, harness.group, "/ask When will the bins be collected?")

    assert isinstance(event, CommandReceived)
    assert (event.name, event.args, event.chat_kind) == ("ask", "When will the bins be collected?", ChatKind.GROUP)
    assert event.interaction_id and event.chat == harness.group and event.sender.user == harness.member
    interaction = harness.fake.interactions_by_id[event.interaction_id]
    assert interaction.responses == [5]  # deferred at once: Discord's 3-second window is never at risk
    await eventually(lambda: "Thanks: your question is number 1 in the queue." in harness.texts_in(harness.group))
    answer = harness.fake.messages[interaction.original_id]
    assert answer.content.startswith("Thanks") and not answer.loading  # the reply replaced "thinking…"
    assert not harness.fake.calls_to("POST", r"^/channels/\d+/messages$")


async def test_a_post_that_answers_no_command_leaves_pending_commands_alone(harness: DiscordHarness) -> None:
    """With a command in flight, an unrelated announcement in the same channel must not complete it."""
    async def core(event: Event) -> None:
        if isinstance(event, CommandReceived):
            await harness.adapter.send_message(event.chat, "Surgery starts in 5 minutes.")
            await harness.adapter.send_message(event.chat, "You're number 1.", answers=event.interaction_id)
    harness.on_event = core

    event = await harness.user_sends(harness.member, harness.group, "/ask Bins?")
    interaction = harness.fake.interactions_by_id[event.interaction_id]
    await eventually(lambda: "You're number 1." in harness.texts_in(harness.group))
    assert harness.fake.messages[interaction.original_id].content == "You're number 1."
    assert "Surgery starts in 5 minutes." in harness.texts_in(harness.group)


async def test_a_command_answered_elsewhere_leaves_no_thinking_placeholder(harness: DiscordHarness) -> None:
    async def core(event: Event) -> None:
        if isinstance(event, CommandReceived):
            await harness.adapter.send_message(event.sender.user, "Here is your data.")
    harness.on_event = core

    event = await harness.user_sends(harness.member, harness.group, "/mydata")

    interaction = harness.fake.interactions_by_id[event.interaction_id]
    await eventually(lambda: harness.fake.messages[interaction.original_id].deleted)
    assert harness.texts_in(harness.member) == ["Here is your data."]


async def test_subcommands_and_user_options_become_words_and_mentions(harness: DiscordHarness) -> None:
    surgery = await harness.user_sends(harness.admin, harness.group, f"/surgery facilitator add <@{harness.member.id}>")
    mute = await harness.user_sends(harness.admin, harness.group, f"/mute <@{harness.member.id}> 10m shouting")
    accept = await harness.user_sends(harness.admin, harness.group, "/surgery accept RIVER-42")

    assert isinstance(surgery, CommandReceived) and isinstance(mute, CommandReceived)
    assert (surgery.name, surgery.args) == ("surgery", f"facilitator add <@{harness.member.id}>")
    assert surgery.mentions == (harness.member,)
    assert (mute.name, mute.args, mute.mentions) == ("mute", f"<@{harness.member.id}> 10m shouting", (harness.member,))
    assert (accept.name, accept.args) == ("surgery", "accept RIVER-42")


async def test_commands_are_registered_with_typed_options(harness: DiscordHarness) -> None:
    names = {command["name"] for command in harness.fake.commands}
    assert {"surgery", "ask", "mute", "ban", "forgetme", "Report message"} <= names
    mute = next(c for c in harness.fake.commands if c["name"] == "mute")
    assert [(o["name"], o["type"]) for o in mute["options"]] == [("user", 6), ("duration", 3), ("reason", 3)]


async def test_report_from_the_message_menu_names_the_message_and_its_author(harness: DiscordHarness) -> None:
    posted = await harness.fake.user_posts(harness.member_user, harness.channel, "something unkind")
    interaction = await harness.fake.invoke_message_menu(harness.admin_user, posted, "Report message")

    event = await harness.wait_for(lambda e: e.update_key == f"discord:interaction:{interaction.id}")

    assert isinstance(event, CommandReceived) and event.name == "report"
    assert event.reply_to == MessageRef(harness.group, posted.id) and event.reply_to_sender == harness.member


async def test_a_command_in_a_direct_message_is_private(harness: DiscordHarness) -> None:
    dm = harness.fake.dm_with(harness.member_user)
    interaction = await harness.fake.invoke(harness.member_user, dm, "/forgetme")

    event = await harness.wait_for(lambda e: e.update_key == f"discord:interaction:{interaction.id}")

    assert isinstance(event, CommandReceived) and event.chat_kind == ChatKind.PRIVATE and event.chat.space_id is None


async def test_a_reply_names_the_message_it_answers(harness: DiscordHarness) -> None:
    first = await harness.adapter.send_message(harness.group, "Surgery starts in 5 minutes.")

    sent = await harness.adapter.send_message(harness.group, "It starts at six.", reply_to=first)

    assert harness.fake.messages[sent.id].reply_to == first.id


async def test_button_press_after_a_restart(harness: DiscordHarness) -> None:
    sent = await harness.adapter.send_message(harness.group, "Q1 · 0 votes", buttons=(Button("👍 0", "vote:1"),))
    await harness.adapter.stop()
    restarted = harness.new_adapter()
    await restarted.start(harness.sink)
    try:
        interaction = await harness.fake.press(harness.member_user, harness.fake.messages[sent.id], "vote:1")
        event = await harness.wait_for(lambda e: e.update_key == f"discord:interaction:{interaction.id}")
        assert isinstance(event, ButtonPressed) and event.data == "vote:1" and event.message == sent
        await restarted.answer_button(event.chat, event.press_id, "Vote counted")
        await eventually(lambda: any(m.content == "Vote counted" and m.ephemeral
                                     for m in harness.fake.messages.values()))
        assert interaction.responses[0] in (4, 6)  # answered with the text, or acknowledged first then followed up
    finally:
        await restarted.stop()


async def test_an_unanswered_button_press_is_acknowledged(harness: DiscordHarness) -> None:
    sent = await harness.adapter.send_message(harness.group, "Q2", buttons=(Button("👍", "vote:2"),))
    interaction = await harness.fake.press(harness.member_user, harness.fake.messages[sent.id], "vote:2")
    await eventually(lambda: interaction.responses == [6], timeout=3.0)


# -- joining and leaving ----------------------------------------------------------------------------------------

async def _join(harness: DiscordHarness, *, adder_permissions: int, bot_permissions: int = BOT_PERMISSIONS
                ) -> tuple[BotAddedToChat, UserRef]:
    fake = harness.fake
    owner, adder = fake.add_user("Owen"), fake.add_user("Adele")
    guild = fake.add_guild("Northside Neighbours", owner, bot_permissions=bot_permissions)
    fake.add_member(guild, adder, fake.add_role(guild, "Helpers", 1, adder_permissions))
    await fake.bot_joins(guild, added_by=adder)
    event = await harness.wait_for(lambda e: isinstance(e, BotAddedToChat) and e.chat.space == guild.id)
    assert isinstance(event, BotAddedToChat)
    return event, user(adder.id)


async def test_bot_added_by_a_member_with_manage_server(harness: DiscordHarness) -> None:
    event, adder = await _join(harness, adder_permissions=MANAGE_GUILD)

    assert event.added_by == adder and event.added_by_verified
    assert event.title == "Northside Neighbours" and event.bot_rights.restrict_members
    assert event.chat.id != event.chat.space  # a channel the bot can post its notice in
    info = await harness.adapter.get_member(event.chat, adder)
    assert info.status == MemberStatus.ADMIN and info.rights.manage_community


async def test_bot_added_by_a_member_without_manage_server(harness: DiscordHarness) -> None:
    event, adder = await _join(harness, adder_permissions=0)

    assert event.added_by == adder and event.added_by_verified
    info = await harness.adapter.get_member(event.chat, adder)
    assert info.status == MemberStatus.MEMBER and not info.is_admin


async def test_without_audit_log_access_the_adder_is_unverified(harness: DiscordHarness) -> None:
    event, _ = await _join(harness, adder_permissions=MANAGE_GUILD, bot_permissions=BOT_PERMISSIONS & ~VIEW_AUDIT_LOG)

    assert event.added_by is None and not event.added_by_verified


async def test_leave_and_removal(harness: DiscordHarness) -> None:
    await harness.adapter.leave_chat(harness.group)

    assert harness.fake.calls_to("DELETE", rf"^/users/@me/guilds/{harness.guild.id}$")
    removed = await harness.wait_for(lambda e: isinstance(e, BotRemovedFromChat))
    assert removed.chat.space == harness.guild.id
    with pytest.raises(BotNotInChat):
        await harness.adapter.get_bot_rights(harness.group)


async def test_members_joining_and_leaving(harness: DiscordHarness) -> None:
    newcomer = harness.fake.add_user("Nia")
    await harness.fake.member_joins(harness.guild, newcomer)
    joined = await harness.wait_for(lambda e: isinstance(e, MemberJoined))
    await harness.fake.member_leaves(harness.guild, newcomer)
    left = await harness.wait_for(lambda e: isinstance(e, MemberLeft))

    assert joined.user == left.user == user(newcomer.id) and joined.chat.space == harness.guild.id


# -- messages ---------------------------------------------------------------------------------------------------

async def test_replies_and_edits_arrive_as_messages(harness: DiscordHarness) -> None:
    first = await harness.fake.user_posts(harness.admin_user, harness.channel, "Welcome all")
    reply = await harness.fake.user_posts(harness.member_user, harness.channel, "thanks", reply_to=first)
    event = await harness.wait_for(lambda e: e.update_key == f"discord:msg:{reply.id}")
    await harness.fake.user_edits(reply, "thanks!")
    edited = await harness.wait_for(lambda e: isinstance(e, MessageReceived) and e.edited)

    assert isinstance(event, MessageReceived) and event.reply_to == MessageRef(harness.group, first.id)
    assert event.reply_to_sender == harness.admin
    assert isinstance(edited, MessageReceived) and edited.text == "thanks!" and edited.update_key != event.update_key


async def test_sent_messages_ping_nobody(harness: DiscordHarness) -> None:
    await harness.adapter.send_message(harness.group, f"<@{harness.member.id}> @everyone hello")
    body = harness.fake.calls_to("POST", r"^/channels/\d+/messages$")[-1].body
    assert body["allowed_mentions"] == {"parse": []}


async def test_delete_a_members_message_with_a_reason(harness: DiscordHarness) -> None:
    posted = await harness.fake.user_posts(harness.member_user, harness.channel, "my phone is 07700 900123")
    await harness.adapter.delete_message(MessageRef(harness.group, posted.id), reason="personal data §4")

    assert harness.fake.messages[posted.id].deleted
    assert harness.fake.calls_to("DELETE", rf"/messages/{posted.id}$")[-1].reason == "personal data §4"


async def test_bulk_delete_only_under_fourteen_days(harness: DiscordHarness) -> None:
    fake = harness.fake
    young = [await fake.user_posts(harness.member_user, harness.channel, f"spam {i}") for i in range(3)]
    old = await fake.user_posts(harness.member_user, harness.channel, "old",
                                at=datetime.now(UTC) - timedelta(days=15))

    await harness.adapter.delete_messages([MessageRef(harness.group, m.id) for m in (*young, old)])

    assert all(fake.messages[m.id].deleted for m in (*young, old))
    bulk = fake.calls_to("POST", r"/messages/bulk-delete$")
    assert len(bulk) == 1 and sorted(map(str, bulk[0].body["messages"])) == sorted(m.id for m in young)
    assert fake.calls_to("DELETE", rf"/messages/{old.id}$")


# -- moderation -------------------------------------------------------------------------------------------------

async def test_timeout_and_its_limit(harness: DiscordHarness) -> None:
    until = harness.now() + timedelta(minutes=10)
    await harness.adapter.mute_member(harness.group, harness.member, until, reason="flood rule 2.1")

    call = harness.fake.calls_to("PATCH", rf"/members/{harness.member.id}$")[-1]
    assert call.reason == "flood rule 2.1" and call.body["communication_disabled_until"]
    assert harness.is_muted(harness.group, harness.member)
    assert (await harness.adapter.get_member(harness.group, harness.member)).status == MemberStatus.RESTRICTED

    with pytest.raises(ActionRefused, match="28 days"):
        await harness.adapter.mute_member(harness.group, harness.member, harness.now() + timedelta(days=29))
    assert len(harness.fake.calls_to("PATCH", rf"/members/{harness.member.id}$")) == 1


async def test_kick_ban_unban_carry_the_reason(harness: DiscordHarness) -> None:
    other = harness.fake.add_user("Sam")
    harness.fake.add_member(harness.guild, other)

    await harness.adapter.kick_member(harness.group, harness.member, reason="case 3")
    await harness.adapter.ban_member(harness.group, user(other.id), reason="case 4")
    assert (await harness.adapter.get_member(harness.group, user(other.id))).status == MemberStatus.BANNED
    await harness.adapter.unban_member(harness.group, user(other.id), reason="case 4 undone")

    fake = harness.fake
    assert fake.calls_to("DELETE", rf"/members/{harness.member.id}$")[-1].reason == "case 3"
    assert fake.calls_to("PUT", rf"/bans/{other.id}$")[-1].reason == "case 4"
    assert fake.calls_to("DELETE", rf"/bans/{other.id}$")[-1].reason == "case 4 undone"
    assert harness.member.id not in harness.guild.members and other.id not in harness.guild.bans


async def test_a_member_above_the_bot_is_refused_with_a_message(harness: DiscordHarness) -> None:
    with pytest.raises(ActionRefused) as refused:
        await harness.adapter.kick_member(harness.group, harness.admin)

    assert "'Admins', position 3" in str(refused.value) and "'SurgeryBot', position 2" in str(refused.value)
    assert not harness.fake.calls_to("DELETE", rf"/members/{harness.admin.id}$")  # never asked Discord
    with pytest.raises(ActionRefused, match="owner"):
        await harness.adapter.ban_member(harness.group, harness.owner)


async def test_member_status_rights_and_role_position(harness: DiscordHarness) -> None:
    owner = await harness.adapter.get_member(harness.group, harness.owner)
    admin = await harness.adapter.get_member(harness.group, harness.admin)
    member = await harness.adapter.get_member(harness.group, harness.member)
    bot = await harness.adapter.get_bot_rights(harness.group)

    assert (owner.status, admin.status, member.status) == (MemberStatus.OWNER, MemberStatus.ADMIN,
                                                           MemberStatus.MEMBER)
    assert (admin.top_role_position, member.top_role_position) == (3, 0)
    assert bot.delete_messages and bot.restrict_members and bot.ban_members and not bot.manage_community


# -- the connection ---------------------------------------------------------------------------------------------

async def test_a_429_is_waited_out_then_delivered(harness: DiscordHarness) -> None:
    harness.fake.rate_limit_next("POST", r"^/channels/\d+/messages$", retry_after=0.3)

    await harness.adapter.send_message(harness.group, "after the rate limit")

    calls = harness.fake.calls_to("POST", r"^/channels/\d+/messages$")
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 0.3
    assert harness.texts_in(harness.group) == ["after the rate limit"]


async def test_a_dropped_gateway_resumes_without_losing_events(harness: DiscordHarness) -> None:
    await harness.fake.drop_gateway()
    posted = await harness.fake.user_posts(harness.member_user, harness.channel, "sent while the bot was away")

    event = await harness.wait_for(lambda e: e.update_key == f"discord:msg:{posted.id}", timeout=10.0)

    ops = [op for op, _ in harness.fake.gateway_ops]
    assert isinstance(event, MessageReceived) and ops.count(2) == 1 and ops.count(6) == 1


async def test_disallowed_intents_fail_with_a_sentence_to_act_on(fake: FakeDiscord) -> None:
    fake.refuse_privileged_intents = True
    harness = DiscordHarness(fake)

    with pytest.raises(ConfigurationError) as refused:
        await harness.adapter.start(harness.sink)

    assert "Message Content Intent" in str(refused.value) and "Developer Portal" in str(refused.value)
    await harness.adapter.stop()


async def test_a_single_shard_uses_the_plain_client(fake: FakeDiscord) -> None:
    harness = DiscordHarness(fake, shard_count=1)
    await harness.adapter.start(harness.sink)
    try:
        event = await harness.user_sends(harness.member, harness.group, "hello")
        assert isinstance(event, MessageReceived)
        identify = next(d for op, d in fake.gateway_ops if op == 2)
        assert "shard" not in identify
    finally:
        await harness.adapter.stop()


async def test_the_token_never_reaches_the_logs(fake: FakeDiscord, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    harness = DiscordHarness(fake)
    await harness.adapter.start(harness.sink)
    try:
        await harness.user_sends(harness.member, harness.group, "/about")
        await harness.adapter.send_message(harness.group, "hello")
        await fake.drop_gateway()
        await harness.user_sends(harness.member, harness.group, "back again")
        logging.getLogger("discord.http").debug("a careless line with %s in it", fake.token)
    finally:
        await harness.adapter.stop()

    assert "IDENTIFY" in caplog.text  # the debug logs really were captured
    assert fake.token not in caplog.text
    assert fake.token not in repr(harness.settings)


async def test_a_guild_the_bot_left_is_reported_as_not_in_chat(harness: DiscordHarness) -> None:
    gone = ChatRef(Platform.DISCORD, "1", "999999999999")
    with pytest.raises(BotNotInChat):
        await harness.adapter.get_member(gone, harness.member)


async def test_automatic_sharding_follows_the_gateways_advice(fake: FakeDiscord) -> None:
    fake.shard_count = 2  # GET /gateway/bot recommends two shards; each guild lives on one of them
    harness = DiscordHarness(fake)
    await harness.adapter.start(harness.sink)
    try:
        identifies = [d["shard"] for op, d in fake.gateway_ops if op == 2]
        assert sorted(identifies) == [[0, 2], [1, 2]]
        event = await harness.user_sends(harness.member, harness.group, "hello from a shard")
        assert isinstance(event, MessageReceived)
    finally:
        await harness.adapter.stop()
