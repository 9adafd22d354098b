"""Webhook mode under load, stopped half-way: Telegram forgets an update once it is answered 200, so every update
answered 200 must already be claimed in the database — nothing acknowledged may live only in memory — and the
stop must refuse (not drop) what arrives after it began."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
from pathlib import Path

import aiohttp
from pydantic import SecretStr

from adapters.telegram import TelegramAdapter
from bot.app import App
from config.settings import Settings, TelegramMode
from tests.clock import FakeClock
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.harness import telegram_settings
from tests.waiting import eventually

SECRET = "s3cret-webhook-token"
UPDATES = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_every_update_answered_200_is_claimed_even_when_stopped_under_load(
        api: FakeBotApi, clock: FakeClock, tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram-hook"
    database = tmp_path / "webhook.db"
    settings = Settings(database_url=f"sqlite+aiosqlite:///{database}", _env_file=None,
                        telegram=telegram_settings(api, mode=TelegramMode.WEBHOOK, webhook_listen="127.0.0.1",
                                                   webhook_port=port, webhook_url=url,
                                                   webhook_secret=SecretStr(SECRET)))
    app = App(settings, adapters=[TelegramAdapter(settings.telegram, clock)], clock=clock)
    await app.start(run_timers=False)

    updates = []
    for n in range(UPDATES):
        user = api.world.add_user(f"Resident {n}")
        message = api.post(user, api.world.private_chat(user.id), "/about")
        updates.append({"update_id": 770000 + n, "message": api.world.message_json(message)})
    answers: dict[int, int | None] = {}
    answered = asyncio.Event()

    async def deliver(session: aiohttp.ClientSession, update: dict) -> None:
        try:
            async with session.post(url, json=update,
                                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
                answers[update["update_id"]] = response.status
                if response.status == 200:
                    answered.set()
        except aiohttp.ClientError:
            answers[update["update_id"]] = None  # torn down: not acknowledged, Telegram would post it again

    stopped = False
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=UPDATES)) as session:
            posting = [asyncio.create_task(deliver(session, update)) for update in updates]
            await asyncio.wait_for(answered.wait(), 30)
            await app.stop()  # graceful, while most requests are still in flight
            stopped = True
            await asyncio.gather(*posting)
    finally:
        if not stopped:
            await app.stop()

    acknowledged = {update_id for update_id, status in answers.items() if status == 200}
    with sqlite3.connect(database) as connection:
        claimed = {int(key.split(":")[1]) for (key,) in connection.execute("SELECT key FROM processed_updates")}
    assert acknowledged, answers
    assert acknowledged <= claimed, f"answered 200 but never stored: {sorted(acknowledged - claimed)}"
    # What the stop refused was refused out loud (503) or cut off, never answered 200 and dropped.
    assert all(status in (200, 503, None) for status in answers.values()), answers


async def test_the_webhook_answers_only_after_the_update_is_accepted(api: FakeBotApi, clock: FakeClock,
                                                                     tmp_path: Path) -> None:
    """The HTTP answer waits for the core: while the sink is held, the request stays open."""
    from tests.telegram.harness import TelegramHarness

    harness = TelegramHarness(api, clock)
    release = asyncio.Event()
    seen: list[str] = []

    async def slow_sink(event: object) -> None:
        seen.append(getattr(event, "update_key", ""))
        await release.wait()

    harness._sink = slow_sink  # type: ignore[method-assign]
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram-hook"
    await harness.start(settings=telegram_settings(api, mode=TelegramMode.WEBHOOK, webhook_listen="127.0.0.1",
                                                   webhook_port=port, webhook_url=url,
                                                   webhook_secret=SecretStr(SECRET)))
    try:
        message = api.post(harness.member_user, harness.chat, "/queue")
        update = {"update_id": 771234, "message": api.world.message_json(message)}
        async with aiohttp.ClientSession() as session:
            request = asyncio.create_task(session.post(url, json=update,
                                                       headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}))
            await eventually(lambda: seen, "the update reaching the core", timeout=10)
            await asyncio.sleep(0.2)
            assert not request.done()  # not acknowledged while the core has not accepted it
            release.set()
            response = await asyncio.wait_for(request, 10)
            assert response.status == 200
            response.release()
    finally:
        release.set()
        await harness.stop()
