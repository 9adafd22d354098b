"""Privacy on Discord with the whole App against the fake Discord: the token never reaches the logs across a
full run (consent, commands, chat, /mydata in a DM, /forgetme in the server, leaving), and ordinary chat is not stored."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.clock import SystemClock
from bot.logs import install_redaction
from bot.operator import Operator
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import app_on_fake_discord
from tests.discord.test_app_on_discord import World
from tests.privacy.dbscan import containing
from tests.waiting import eventually


@pytest.fixture
def captured_logs(caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    """Every record at DEBUG, through the same redaction filter `surgerybot run` installs."""
    root = logging.getLogger()
    stream = io.StringIO()
    capture = logging.StreamHandler(stream)
    capture.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root.addHandler(capture)
    previous = root.level
    root.setLevel(logging.DEBUG)
    yield stream
    root.setLevel(previous)
    root.removeHandler(capture)


def answered(world: World, interaction) -> bool:  # type: ignore[no-untyped-def]
    return interaction.original_id is not None and not world.fake.messages[interaction.original_id].loading


async def test_a_full_run_never_logs_the_token(fake: FakeDiscord, tmp_path: Path, captured_logs: io.StringIO,
                                               caplog: pytest.LogCaptureFixture) -> None:
    redact = install_redaction([fake.token])
    caplog.handler.addFilter(redact)
    world = World(fake)
    database = tmp_path / "bot.db"
    app = app_on_fake_discord(fake, database, SystemClock())
    settings = app.settings
    try:
        await app.start(run_timers=False)
        created = await Operator(app.db, settings, app.clock).create_invitation("Northside Neighbours", "discord",
                                                                                None)
        await fake.bot_joins(world.guild, added_by=world.admin)
        await eventually(lambda: len(world.texts()) == 1)
        accepted = await fake.invoke(world.admin, world.general, f"/surgery accept {created.code}")
        await eventually(lambda: answered(world, accepted))

        await fake.user_posts(world.resident, world.general, "ring me on 07700 900123, I'm Wilhelmina Oddsock")
        about = await fake.invoke(world.resident, world.general, "/privacy")
        await eventually(lambda: answered(world, about))
        assert "public task" in fake.messages[about.original_id].content

        dm = fake.dm_with(world.resident)
        mydata = await fake.invoke(world.resident, dm, "/mydata")
        await eventually(lambda: answered(world, mydata))
        assert "don't hold anything about you" in fake.messages[mydata.original_id].content
        in_group = await fake.invoke(world.resident, world.general, "/forgetme")
        await eventually(lambda: answered(world, in_group))
        assert "private chat" in fake.messages[in_group.original_id].content

        await fake.invoke(world.admin, world.general, "/surgery leave")
        await eventually(lambda: world.fake.bot.id not in world.guild.members)
        await app.stop()
    finally:
        for handler in logging.getLogger().handlers:
            handler.removeFilter(redact)
        caplog.handler.removeFilter(redact)
    logged = captured_logs.getvalue() + caplog.text
    assert "discord" in logged  # the run did log, at DEBUG
    assert fake.token not in logged
    assert fake.token not in repr(settings) and fake.token not in str(settings.model_dump())
    assert containing(database, "07700", "Wilhelmina", "Oddsock") == []  # chat outside sessions: not stored
