"""`surgerybot check` against the fake Bot API: a real process reaching the configured server."""

from __future__ import annotations

import asyncio
import os
import sys

from adapters.telegram import TelegramAdapter
from tests.clock import FakeClock
from bot.errors import ConfigurationError
from tests.telegram.fake_bot_api import TOKEN, FakeBotApi
from tests.telegram.harness import telegram_settings


async def run_cli(*args: str, env: dict[str, str]) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *args, env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode or 0, output.decode()


async def test_adapter_check_reaches_the_server(api: FakeBotApi, clock: FakeClock) -> None:
    result = await TelegramAdapter(telegram_settings(api), clock).check()
    assert "@" + api.world.bot.username in result
    assert [c.method for c in api.calls] == ["getMe"]


async def test_check_command_end_to_end(api: FakeBotApi, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SURGERYBOT_")}
    env.update(SURGERYBOT_TELEGRAM__TOKEN=TOKEN, SURGERYBOT_TELEGRAM__API_BASE_URL=api.base_url,
               SURGERYBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'check.db'}")
    code, output = await run_cli("check", env=env)
    assert code == 0, output
    assert "settings are valid" in output and "telegram: reached the Bot API" in output
    assert TOKEN not in output


async def test_check_with_a_refused_token(api: FakeBotApi, clock: FakeClock) -> None:
    api.fail("getMe", 401, "Unauthorized")
    try:
        await TelegramAdapter(telegram_settings(api), clock).check()
    except ConfigurationError as error:
        assert "SURGERYBOT_TELEGRAM__TOKEN" in str(error)
    else:
        raise AssertionError("a refused token must be a ConfigurationError")
