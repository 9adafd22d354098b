"""Webhook mode: PTB's webhook server, registered with the fake Bot API, which posts updates to it."""

from __future__ import annotations

import socket

import aiohttp
from pydantic import SecretStr

from bot.events import CommandReceived
from config.settings import TelegramMode
from tests.telegram.harness import TelegramHarness, telegram_settings

SECRET = "s3cret-webhook-token"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _start_webhook(idle: TelegramHarness) -> str:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram-hook"
    settings = telegram_settings(idle.api, mode=TelegramMode.WEBHOOK, webhook_listen="127.0.0.1",
                                 webhook_port=port, webhook_url=url, webhook_secret=SecretStr(SECRET))
    await idle.start(settings=settings)
    return url


async def test_webhook_registers_and_receives_with_the_right_secret(idle: TelegramHarness) -> None:
    url = await _start_webhook(idle)
    registered = idle.api.calls_named("setWebhook")[-1].params
    assert registered["url"] == url and registered["secret_token"] == SECRET
    assert registered["allowed_updates"] == ["message", "edited_message", "callback_query", "my_chat_member",
                                             "chat_member"]

    event = await idle.event_for(idle.api.user_sends(idle.member_user, idle.chat, "/queue"))
    assert isinstance(event, CommandReceived) and event.name == "queue"
    # Answered once the sink returned (the core's claim committed), so the status comes just after the event.
    await idle.wait_until(lambda: idle.api.webhook.get("statuses"), "the webhook's answer")
    assert idle.api.webhook["statuses"] == [200]
    assert not idle.api.calls_named("getUpdates")


async def test_webhook_refuses_a_wrong_or_missing_secret(idle: TelegramHarness) -> None:
    url = await _start_webhook(idle)
    update = {"update_id": 990001, "message": {"message_id": 1, "date": 1, "chat": idle.chat.json(),
                                               "from": idle.member_user.json(), "text": "/about"}}
    async with aiohttp.ClientSession() as session:
        for headers in ({"X-Telegram-Bot-Api-Secret-Token": "guess"}, {}):
            async with session.post(url, json=update, headers=headers) as response:
                assert response.status == 403
        async with session.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
            assert response.status == 200
    event = await idle.event_for(990001)
    assert [e.update_key for e in idle.received] == [event.update_key] == ["telegram:990001"]
