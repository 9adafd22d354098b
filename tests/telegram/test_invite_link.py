"""`surgerybot invite create --platform telegram` prints a working deep link: the configured username, else the
one Telegram gives for the token (getMe, here against the fake Bot API); with neither, the exact setting to add."""

from __future__ import annotations

from tests.clock import FakeClock
from tests.scenario import Scenario
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.harness import telegram_settings


async def test_with_a_token_the_link_names_the_bot_telegram_reports(api: FakeBotApi, clock: FakeClock,
                                                                     tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path, clock=clock, telegram=telegram_settings(api)) as s:
        created = await s.operator.create_invitation("Riverside Residents", "telegram", None)
    assert [c.method for c in api.calls] == ["getMe"]
    assert created.link == f"https://t.me/{api.world.bot.username}?startgroup={created.code}"
    assert "<bot_username>" not in created.link and "adds the bot" in created.instructions


async def test_a_configured_username_needs_no_call(api: FakeBotApi, clock: FakeClock,
                                                    tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = telegram_settings(api, bot_username="@RiversideSurgeryBot")
    async with Scenario(tmp_path, clock=clock, telegram=settings) as s:
        created = await s.operator.create_invitation("Riverside Residents", "telegram", None)
    assert api.calls_named("getMe") == []
    assert created.link == f"https://t.me/RiversideSurgeryBot?startgroup={created.code}"


async def test_a_refused_token_is_said_with_the_settings_to_check(api: FakeBotApi, clock: FakeClock,
                                                                  tmp_path) -> None:  # type: ignore[no-untyped-def]
    api.fail("getMe", 401, "Unauthorized")
    async with Scenario(tmp_path, clock=clock, telegram=telegram_settings(api)) as s:
        created = await s.operator.create_invitation("Riverside Residents", "telegram", None)
    assert created.link is None
    assert "SURGERYBOT_TELEGRAM__TOKEN" in created.instructions
    assert "SURGERYBOT_TELEGRAM__BOT_USERNAME" in created.instructions
    assert f"/surgery accept {created.code}" in created.instructions


async def test_without_token_or_username_no_placeholder_link_but_the_setting_to_add(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        created = await s.operator.create_invitation("Riverside Residents", "telegram", None)
    assert created.link is None
    assert "Add SURGERYBOT_TELEGRAM__BOT_USERNAME" in created.instructions
    assert "SURGERYBOT_TELEGRAM__TOKEN" in created.instructions
