"""`surgerybot check` against the fake Discord: a real process logging in over REST, no gateway connection."""

from __future__ import annotations

import os

from adapters.discord import DiscordAdapter
from bot.clock import SystemClock
from config.settings import DiscordSettings
from tests.discord.fake_discord import FakeDiscord
from tests.telegram.test_check import run_cli


async def test_adapter_check_logs_in_without_connecting(fake: FakeDiscord) -> None:
    adapter = DiscordAdapter(DiscordSettings(token=fake.token, api_base_url=fake.api_base_url), SystemClock())
    result = await adapter.check()
    assert "logged in as" in result and "gateway" in result
    assert fake.calls_to("GET", r"^/users/@me$")


async def test_check_command_end_to_end(fake: FakeDiscord, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SURGERYBOT_")}
    env.update(SURGERYBOT_DISCORD__TOKEN=fake.token, SURGERYBOT_DISCORD__API_BASE_URL=fake.api_base_url,
               SURGERYBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'check.db'}")
    code, output = await run_cli("check", env=env)
    assert code == 0, output
    assert "discord: logged in as" in output
    assert fake.token not in output
