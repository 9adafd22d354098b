"""Fixtures: a fake Bot API on a free port and a harness whose adapter polls it through the real PTB stack."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.clock import FakeClock
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.harness import TelegramHarness, fresh_clock


@pytest.fixture
def clock() -> FakeClock:
    return fresh_clock()


@pytest.fixture
async def api(clock: FakeClock) -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi(now=clock.now)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def idle(api: FakeBotApi, clock: FakeClock) -> AsyncIterator[TelegramHarness]:
    """The world, with the adapter not yet started (for tests that start it their own way)."""
    harness = TelegramHarness(api, clock)
    yield harness
    await harness.stop()


@pytest.fixture
async def harness(idle: TelegramHarness) -> TelegramHarness:
    return await idle.start()
