"""Timed bans end on Discord even when Discord fails at that moment (issue 16, item 2). Discord bans never end by
themselves, so a durable timer lifts them; a lift that fails with a server error is tried again later, and one
that can't work is given up and said to the facilitators privately."""

from __future__ import annotations

from datetime import timedelta

from bot.moderation.lifting import FIRST_RETRY
from tests.discord.test_moderation_on_discord import Moderated, command, running  # noqa: F401 (fixture)
from tests.waiting import eventually


async def banned_for_an_hour(world: Moderated) -> None:
    fake = world.fake
    await command(world, world.admin, "/surgery policy set ban_allowed on", "version 2")
    await command(world, world.admin, "/surgery policy approve", "is approved")
    await command(world, world.admin, f"/surgery facilitator add <@{world.jane.id}>", "now a facilitator")
    await command(world, world.priya, f"/ban <@{world.resident.id}> 1h spam", "second facilitator")
    request = next(m for m in fake.messages.values() if "asks to ban" in m.content)
    await fake.press(world.jane, request, "ban:ok:1")
    await eventually(lambda: world.resident.id in world.guild.bans, "the ban")


def unbans(world: Moderated) -> list:
    return world.fake.calls_to("DELETE", rf"^/guilds/{world.guild.id}/bans/{world.resident.id}$")


def dms_to(world: Moderated, user) -> list[str]:  # type: ignore[no-untyped-def]
    channel = world.fake.dm_channel(user.id)
    return world.fake.bot_texts(channel.id) if channel is not None else []


async def test_an_unban_that_fails_at_expiry_is_tried_again(running) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    app, world, clock = running
    await banned_for_an_hour(world)
    world.fake.fail_next("DELETE", rf"/bans/{world.resident.id}$", 503, message="upstream connect error")
    clock.advance(timedelta(hours=1, seconds=1))
    await app.timers.run_due()
    assert [c.status for c in unbans(world)] == [503] and world.resident.id in world.guild.bans
    clock.advance(FIRST_RETRY + timedelta(seconds=1))
    await app.timers.run_due()
    assert [c.status for c in unbans(world)] == [503, 204]
    assert world.resident.id not in world.guild.bans
    assert not any("couldn't" in t for t in dms_to(world, world.priya) + dms_to(world, world.jane))


async def test_an_unban_that_cannot_work_is_given_up_and_facilitators_told(running) -> None:  # type: ignore[no-untyped-def]  # noqa: F811,E501
    app, world, clock = running
    await banned_for_an_hour(world)
    world.fake.fail_next("DELETE", rf"/bans/{world.resident.id}$", 403, 50013, "Missing Permissions")
    clock.advance(timedelta(hours=1, seconds=1))
    await app.timers.run_due()
    await eventually(lambda: any("couldn't lift the ban" in t for t in dms_to(world, world.priya)), "a DM")
    clock.advance(timedelta(hours=2))
    assert await app.timers.run_due() == 0  # nothing left to try
    assert len(unbans(world)) == 1 and world.resident.id in world.guild.bans
