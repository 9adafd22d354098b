"""`surgerybot check` against the fake Discord: a real process logging in over REST, no gateway connection."""

from __future__ import annotations

import os

from adapters.discord import DiscordAdapter
from bot.clock import SystemClock
from config.settings import DiscordSettings
from tests.discord.fake_discord import BOT_PERMISSIONS, MANAGE_CHANNELS, FakeDiscord
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
    assert "discord: logged in as" in output and "the bot is in no server yet" in output
    assert fake.token not in output


async def test_check_names_the_permissions_the_bot_lacks_in_each_server(fake: FakeDiscord) -> None:
    from adapters.discord.rights import install_permissions

    owner = fake.add_user("Olu")
    # The fake's usual bot role, less Manage Channels; it has no Attach Files either.
    short = fake.add_guild("Riverside Residents", owner, bot_permissions=BOT_PERMISSIONS & ~MANAGE_CHANNELS)
    fake.place_bot(short)
    full = fake.add_guild("Hilltop Chat", owner, bot_permissions=install_permissions())
    fake.place_bot(full)
    fake.add_guild("Not joined", owner)
    adapter = DiscordAdapter(DiscordSettings(token=fake.token, api_base_url=fake.api_base_url), SystemClock())
    lines = (await adapter.check()).splitlines()
    [riverside] = [line for line in lines if "Riverside Residents" in line]
    assert "Manage Channels (slow mode)" in riverside and "Attach Files" in riverside
    assert "Pin Messages" not in riverside  # Manage Messages still lets the bot pin
    assert "Timeout Members" not in riverside and "Ban Members" not in riverside
    [hilltop] = [line for line in lines if "Hilltop Chat" in line]
    assert "every permission the bot uses is granted" in hilltop
    assert not any("Not joined" in line for line in lines)
