"""Moderation on Discord with the whole App against the fake Discord: a slash-command mute times the member
out until the right moment, /remove deletes, personal data is deleted with a direct message, the role
hierarchy is respected, and a resident's /mute makes no moderation call."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import App
from tests.clock import FakeClock
from bot.operator import Operator
from tests.discord.fake_discord import FakeDiscord, Interaction
from tests.discord.harness import app_on_fake_discord
from tests.discord.test_app_on_discord import World
from tests.waiting import eventually


class Moderated(World):
    def __init__(self, fake: FakeDiscord) -> None:
        super().__init__(fake)
        self.priya, self.jane = fake.add_user("Priya"), fake.add_user("Jane")
        fake.add_member(self.guild, self.priya)
        fake.add_member(self.guild, self.jane)
        # Roles must exist before the bot joins: it reads them from the server it is sent on joining.
        self.senior = fake.add_user("Senior")
        fake.add_member(self.guild, self.senior, fake.add_role(self.guild, "Elders", 1))

    def answer(self, interaction: Interaction) -> str:
        message = self.fake.messages.get(interaction.original_id or "")
        return "" if message is None or message.loading else message.content

    def member_edits(self, user_id: str) -> list:
        return self.fake.calls_to("PATCH", rf"^/guilds/{self.guild.id}/members/{user_id}$")


async def command(world: Moderated, user, text: str, expect: str, channel=None) -> str:  # type: ignore[no-untyped-def]
    """Run a slash command; wait for `expect` in its answer (or, for announcements, in the channel)."""
    before = len(world.texts())
    interaction = await world.fake.invoke(user, channel or world.general, text)

    def said() -> str | None:
        return next((t for t in [world.answer(interaction), *world.texts()[before:]] if expect in t), None)

    await eventually(lambda: said() is not None)
    return said() or ""


@pytest.fixture
async def running(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[tuple[App, Moderated, FakeClock]]:
    world = Moderated(fake)
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    app = app_on_fake_discord(fake, tmp_path / "bot.db", clock)
    await app.start(run_timers=False)
    created = await Operator(app.db, app.settings, clock).create_invitation("Northside Neighbours", "discord", None)
    await fake.bot_joins(world.guild, added_by=world.admin)
    await eventually(lambda: len(world.texts()) == 1)
    await command(world, world.admin, f"/surgery accept {created.code}", "guest")
    await command(world, world.admin, f"/surgery facilitator add <@{world.priya.id}>", "now a facilitator")
    yield app, world, clock
    await app.stop()


async def test_a_mute_times_out_until_the_right_moment(running) -> None:  # type: ignore[no-untyped-def]
    _, world, clock = running
    await command(world, world.priya, f"/mute <@{world.resident.id}> 10m shouting", "muted for 10m")
    [edit] = world.member_edits(world.resident.id)
    until = datetime.fromisoformat(edit.body["communication_disabled_until"])
    assert until == clock.now() + timedelta(minutes=10)
    assert edit.reason == "case 1: shouting"


async def test_remove_deletes_the_named_message(running) -> None:  # type: ignore[no-untyped-def]
    _, world, _ = running
    rude = await world.fake.user_posts(world.resident, world.general, "something rude")
    await command(world, world.priya, f"/remove {rude.id} rude", "the message was removed")
    assert world.fake.messages[rude.id].deleted


async def test_personal_data_is_deleted_with_a_direct_message(running) -> None:  # type: ignore[no-untyped-def]
    app, world, clock = running
    await command(world, world.admin, "/surgery policy set personal_data.mode on", "version 2")
    await command(world, world.admin, "/surgery policy approve", "is approved")
    councillor = await Operator(app.db, app.settings, clock).add_councillor("Cllr Jane Smith", "North")
    await command(world, world.jane, f"/link {councillor['link_code']}", "linked", channel=world.fake.dm_with(world.jane))
    starts = (clock.now() + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M+00:00")
    await command(world, world.jane, f"/surgery schedule {starts} 1h Roads", "Council surgery #1")
    await command(world, world.jane, "/surgery open", "The surgery is open")
    posted = await world.fake.user_posts(world.resident, world.general, "ring me on 07911 123456")
    await eventually(lambda: world.fake.messages[posted.id].deleted)
    await eventually(lambda: (dm := world.fake.dm_channel(world.resident.id)) is not None
                     and any("I removed your message" in t for t in world.fake.bot_texts(dm.id)))
    assert not any("07911" in t for t in world.texts())


async def test_the_role_hierarchy_is_respected(running) -> None:  # type: ignore[no-untyped-def]
    _, world, _ = running
    answer = await command(world, world.priya, f"/mute <@{world.senior.id}> 10m", "highest role")
    assert "isn't below yours" in answer and world.member_edits(world.senior.id) == []


async def test_a_residents_mute_makes_no_platform_call(running) -> None:  # type: ignore[no-untyped-def]
    _, world, _ = running
    await command(world, world.resident, f"/mute <@{world.priya.id}> 10m", "for facilitators only")
    assert world.fake.calls_to("PATCH", rf"^/guilds/{world.guild.id}/members/") == []
