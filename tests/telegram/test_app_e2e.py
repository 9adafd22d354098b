"""The whole product on Telegram: the real App and python-telegram-bot against the fake Bot API.
Consent's key branches end to end (issue 5), and the token kept out of every log line of a full run."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from adapters.telegram import TelegramAdapter
from bot.app import App
from tests.clock import FakeClock
from bot.logs import install_redaction
from bot.operator import Operator
from bot.storage.models import Community
from config.settings import Settings
from tests.telegram.fake_bot_api import TOKEN, FakeBotApi
from tests.telegram.harness import WAIT_SECONDS, telegram_settings
from tests.waiting import eventually


class TelegramApp:
    def __init__(self, api: FakeBotApi, clock: FakeClock, database: str) -> None:
        self.api, self.clock = api, clock
        self.settings = Settings(database_url=database, _env_file=None, telegram=telegram_settings(api))
        self.app = App(self.settings, adapters=[TelegramAdapter(self.settings.telegram, clock)], clock=clock)
        self.operator = Operator(self.app.db, self.settings, clock)

    async def wait_until(self, condition, what: str) -> None:  # type: ignore[no-untyped-def]
        await eventually(condition, what, timeout=WAIT_SECONDS, interval=0.01)

    async def communities(self) -> list[Community]:
        async with self.app.db.unit_of_work() as session:
            return list((await session.scalars(select(Community))).all())

    def texts(self, chat_id: int) -> list[str]:
        return [m.text for m in self.api.bot_messages(chat_id)]


@pytest.fixture
async def tg(api: FakeBotApi, clock: FakeClock, tmp_path) -> AsyncIterator[TelegramApp]:  # type: ignore[no-untyped-def]
    product = TelegramApp(api, clock, f"sqlite+aiosqlite:///{tmp_path / 'tg.db'}")
    await product.app.start(run_timers=False)
    yield product
    await product.app.stop()


def group(api: FakeBotApi, title: str = "Hilltop Residents"):  # type: ignore[no-untyped-def]
    world = api.world
    owner, admin, member = world.add_user("Olu"), world.add_user("Ada"), world.add_user("Mo")
    return world.add_group(title, owner=owner, admins=(admin,), members=(member,)), owner, admin, member


async def test_admin_adds_bot_and_completes_with_the_deep_link(tg: TelegramApp, api: FakeBotApi) -> None:
    chat, _, admin, _ = group(api)
    created = await tg.operator.create_invitation("Hilltop Residents", "telegram", None)
    api.add_bot(chat, by=admin)
    await tg.wait_until(lambda: any("/surgery accept CODE" in t for t in tg.texts(chat.id)), "dormant hello")
    api.user_sends(admin, chat, f"/start@{api.world.bot.username} {created.code}")
    await tg.wait_until(lambda: any("is now a guest" in t for t in tg.texts(chat.id)), "transparency notice")
    await tg.wait_until(lambda: api.calls_named("pinChatMessage"), "the notice pinned")
    [community] = await tg.communities()
    assert (community.state, community.space_id) == ("active", str(chat.id))
    assert not api.calls_named("leaveChat")


async def test_non_admin_add_makes_the_bot_leave(tg: TelegramApp, api: FakeBotApi) -> None:
    chat, _, _, member = group(api)
    api.add_bot(chat, by=member, admin=False)
    await tg.wait_until(lambda: api.calls_named("leaveChat"), "leaveChat")
    assert any("only an admin" in t for t in tg.texts(chat.id))
    assert await tg.communities() == []


async def test_no_code_within_the_window_makes_the_bot_leave(tg: TelegramApp, api: FakeBotApi,
                                                             clock: FakeClock) -> None:
    chat, _, admin, _ = group(api)
    api.add_bot(chat, by=admin)
    await tg.wait_until(lambda: any("/surgery accept CODE" in t for t in tg.texts(chat.id)), "dormant hello")
    clock.advance(timedelta(minutes=11))
    assert await tg.app.timers.run_due() == 1
    await tg.wait_until(lambda: api.calls_named("leaveChat"), "leaveChat")


async def test_surgery_leave_makes_the_bot_leave_and_the_community_left(tg: TelegramApp, api: FakeBotApi) -> None:
    chat, _, admin, member = group(api)
    created = await tg.operator.create_invitation("Hilltop Residents", "telegram", None)
    api.add_bot(chat, by=admin)
    api.user_sends(admin, chat, f"/surgery accept {created.code}")
    await tg.wait_until(lambda: any("is now a guest" in t for t in tg.texts(chat.id)), "notice")
    api.user_sends(member, chat, "/surgery leave")
    await tg.wait_until(lambda: any("for group admins only" in t for t in tg.texts(chat.id)), "refusal")
    assert not api.calls_named("leaveChat")
    api.user_sends(admin, chat, "/surgery leave")
    await tg.wait_until(lambda: api.calls_named("leaveChat"), "leaveChat")
    [community] = await tg.communities()
    assert community.state == "left" and community.do_not_rejoin


async def test_the_token_never_reaches_the_logs(api: FakeBotApi, clock: FakeClock, tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    root = logging.getLogger()
    capture = logging.StreamHandler(stream := __import__("io").StringIO())
    capture.setFormatter(logging.Formatter("%(name)s %(message)s"))
    root.addHandler(capture)
    redact = install_redaction([TOKEN])
    caplog.handler.addFilter(redact)
    previous = root.level
    root.setLevel(logging.DEBUG)
    try:
        product = TelegramApp(api, clock, f"sqlite+aiosqlite:///{tmp_path / 'logs.db'}")
        await product.app.start(run_timers=False)
        chat, _, admin, member = group(api)
        api.add_bot(chat, by=member, admin=False)  # a refusal, a leave, errors on the way out
        await product.wait_until(lambda: api.calls_named("leaveChat"), "leaveChat")
        api.fail("sendMessage", 403, "Forbidden: bot was kicked from the supergroup chat")
        api.user_sends(admin, chat, "/about")
        await product.wait_until(lambda: len(api.calls_named("sendMessage")) >= 2, "the failed /about reply")
        await product.app.stop()
    finally:
        root.setLevel(previous)
        root.removeHandler(capture)
        for handler in root.handlers:
            handler.removeFilter(redact)
    logged = stream.getvalue() + caplog.text
    assert "getUpdates" in logged or "telegram" in logged  # the run did log, at DEBUG
    assert TOKEN not in logged
