"""The whole bot (App, dispatcher, executor, SQLite) on the Discord adapter against the fake Discord: the
two-sided consent of SPEC §3 as a Discord server would see it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App
from bot.clock import SystemClock
from bot.operator import Operator
from tests.discord.fake_discord import MANAGE_GUILD, FakeDiscord, Guild
from tests.discord.harness import app_on_fake_discord
from tests.waiting import eventually

class World:
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.owner, self.admin, self.resident = fake.add_user("Olu"), fake.add_user("Ada"), fake.add_user("Mo")
        self.guild: Guild = fake.add_guild("Northside Neighbours", self.owner)
        fake.add_member(self.guild, self.admin, fake.add_role(self.guild, "Admins", 1, MANAGE_GUILD))
        fake.add_member(self.guild, self.resident)
        self.general = fake.channels[self.guild.channels[0]]

    def texts(self) -> list[str]:
        return self.fake.bot_texts(self.general.id)


@pytest.fixture
async def running(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[tuple[App, World]]:
    world = World(fake)
    app = app_on_fake_discord(fake, tmp_path / "bot.db", SystemClock())
    await app.start(run_timers=False)
    yield app, world
    await app.stop()


async def test_an_admin_adds_the_bot_and_accepts_the_invitation(running: tuple[App, World]) -> None:
    app, world = running
    created = await Operator(app.db, app.settings, app.clock).create_invitation("Northside Neighbours", "discord", None)

    await world.fake.bot_joins(world.guild, added_by=world.admin)
    await eventually(lambda: len(world.texts()) == 1)  # dormant: one hello, nothing stored
    interaction = await world.fake.invoke(world.admin, world.general, f"/surgery accept {created.code}")

    await eventually(lambda: interaction.original_id is not None
                     and not world.fake.messages[interaction.original_id].loading)
    notice = world.fake.messages[interaction.original_id]
    assert not notice.deleted and notice.content  # the welcome answered the slash command itself
    assert world.fake.bot.id in world.guild.members


async def test_added_by_someone_without_manage_server_the_bot_says_why_and_leaves(
        running: tuple[App, World]) -> None:
    _, world = running
    await world.fake.bot_joins(world.guild, added_by=world.resident)

    await eventually(lambda: world.fake.bot.id not in world.guild.members)
    assert len(world.texts()) == 1  # one short, polite line before leaving
    assert world.fake.calls_to("DELETE", rf"^/users/@me/guilds/{world.guild.id}$")


