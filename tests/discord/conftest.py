"""Fixtures: a fake Discord per test, and a started adapter on it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import DiscordHarness


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def harness(fake: FakeDiscord) -> AsyncIterator[DiscordHarness]:
    harness = DiscordHarness(fake)
    await harness.adapter.start(harness.sink)
    yield harness
    await harness.adapter.stop()
