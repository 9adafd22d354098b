"""The bot's rights on Discord (issue 16, item 10): slow mode needs Manage Channels (PATCH /channels/{id}), and a
server admin changing the bot's role or its permissions is noticed at once, not at the next restart."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.errors import Forbidden
from bot.events import BotRightsChanged
from bot.storage.models import Community
from tests.discord.fake_discord import BOT_PERMISSIONS, MANAGE_CHANNELS, MODERATE_MEMBERS, FakeDiscord
from tests.discord.harness import DiscordHarness
from tests.discord.test_moderation_on_discord import command, running  # noqa: F401 (fixture)
from tests.waiting import eventually


async def test_slow_mode_is_set_with_manage_channels_and_refused_without(harness: DiscordHarness) -> None:
    assert (await harness.adapter.get_bot_rights(harness.group)).manage_channels
    await harness.adapter.set_slow_mode(harness.group, 30, reason="case 2: heat")
    [edit] = harness.fake.calls_to("PATCH", rf"^/channels/{harness.channel.id}$")
    assert edit.body == {"rate_limit_per_user": 30} and edit.reason == "case 2: heat"
    assert harness.channel.rate_limit_per_user == 30

    bot_role = harness.fake.bot_role(harness.guild)
    await harness.fake.role_changes(harness.guild, bot_role, BOT_PERMISSIONS & ~MANAGE_CHANNELS)
    with pytest.raises(Forbidden):
        await harness.adapter.set_slow_mode(harness.group, 0)
    assert harness.channel.rate_limit_per_user == 30


async def test_a_role_change_is_told_to_the_core_at_once(harness: DiscordHarness) -> None:
    bot_role = harness.fake.bot_role(harness.guild)
    await harness.fake.role_changes(harness.guild, bot_role, BOT_PERMISSIONS & ~(MANAGE_CHANNELS | MODERATE_MEMBERS))
    await eventually(lambda: any(isinstance(e, BotRightsChanged) for e in harness.received), "BotRightsChanged")
    [changed] = [e for e in harness.received if isinstance(e, BotRightsChanged)]
    assert changed.chat.space == harness.guild.id
    assert set(changed.bot_rights.missing()) == {"restrict_members", "manage_channels"}
    # And what the adapter answers from now on agrees, without waiting for its member cache to expire.
    assert set((await harness.adapter.get_bot_rights(harness.group)).missing()) == {"restrict_members",
                                                                                 "manage_channels"}


async def test_the_bot_losing_a_role_is_noticed_by_the_whole_bot(running) -> None:  # type: ignore[no-untyped-def]  # noqa: F811,E501
    app, world, _ = running
    fake: FakeDiscord = world.fake
    before = len(world.texts())
    await fake.member_roles_change(world.guild, fake.bot)  # a server admin takes the bot's role away
    await eventually(lambda: any("I'm missing these rights" in t for t in world.texts()[before:]),
                     "the reduced-rights notice")
    async with app.db.read() as tx:
        [community] = (await tx.scalars(select(Community))).all()
    assert "restrict_members" in community.missing_rights and "manage_channels" in community.missing_rights
    answer = await command(world, world.priya, "/slowmode 30", "Manage Channels")
    assert "Manage Channels" in answer and world.general.rate_limit_per_user == 0

