"""Consent's remaining key branches on Discord with the whole App: the acceptance window running out (a durable
timer on a fake clock), and `/surgery leave` making the bot leave with the community marked left."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from tests.clock import FakeClock
from bot.operator import Operator
from bot.storage.models import Community
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import app_on_fake_discord
from tests.discord.test_app_on_discord import World
from tests.waiting import eventually


@pytest.fixture
async def running(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[tuple[App, World, FakeClock]]:
    world = World(fake)
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    app = app_on_fake_discord(fake, tmp_path / "bot.db", clock)
    await app.start(run_timers=False)
    yield app, world, clock
    await app.stop()


def left_guild(world: World) -> bool:
    return world.fake.bot.id not in world.guild.members


async def test_no_code_within_the_window_makes_the_bot_leave(running) -> None:  # type: ignore[no-untyped-def]
    app, world, clock = running
    await world.fake.bot_joins(world.guild, added_by=world.admin)
    await eventually(lambda: len(world.texts()) == 1)
    assert "/surgery accept" in world.texts()[0]
    clock.advance(timedelta(minutes=11))
    assert await app.timers.run_due() == 1
    await eventually(lambda: left_guild(world))
    assert "within 10 minutes" in world.texts()[-1]


async def test_surgery_leave_leaves_and_marks_the_community_left(running) -> None:  # type: ignore[no-untyped-def]
    app, world, _ = running
    created = await Operator(app.db, app.settings, app.clock).create_invitation("Northside Neighbours", "discord",
                                                                                None)
    await world.fake.bot_joins(world.guild, added_by=world.admin)
    await eventually(lambda: len(world.texts()) == 1)
    accepted = await world.fake.invoke(world.admin, world.general, f"/surgery accept {created.code}")
    await eventually(lambda: accepted.original_id is not None
                     and not world.fake.messages[accepted.original_id].loading)

    refused = await world.fake.invoke(world.resident, world.general, "/surgery leave")
    await eventually(lambda: refused.original_id is not None and not world.fake.messages[refused.original_id].loading)
    assert "group admins only" in world.fake.messages[refused.original_id].content
    assert not left_guild(world)

    await world.fake.invoke(world.admin, world.general, "/surgery leave")
    await eventually(lambda: left_guild(world))
    async with app.db.unit_of_work() as session:
        [community] = (await session.scalars(select(Community))).all()
    assert community.state == "left" and community.do_not_rejoin
