"""Telegram throughput, end to end: N updates fetched from the fake Bot API through `getUpdates`, once through
the product's full pipeline (App, SQLite, every handler it wires) and once through a bare python-telegram-bot
Application whose handler does nothing. Prints both rates and their ratio. Run: python bench/telegram_throughput.py"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Update  # noqa: E402
from telegram.ext import Application, ContextTypes, TypeHandler  # noqa: E402

from adapters.telegram import TelegramAdapter  # noqa: E402
from adapters.telegram.translate import ALLOWED_UPDATES  # noqa: E402
from bot.app import App  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.events import Event  # noqa: E402
from bot.operator import Operator  # noqa: E402
from config.settings import Settings, TelegramSettings  # noqa: E402
from tests.telegram.fake_bot_api import TOKEN, FakeBotApi  # noqa: E402
from tests.telegram.fake_world import BOT_USERNAME, FakeChat, FakeUser  # noqa: E402

RESIDENTS = 20
DEADLINE_SECONDS = 600


def populate(api: FakeBotApi) -> tuple[FakeChat, FakeUser, list[FakeUser]]:
    world = api.world
    owner, admin = world.add_user("Olu", "olu"), world.add_user("Ada", "ada")
    residents = [world.add_user(f"Resident {n}", f"resident{n}") for n in range(RESIDENTS)]
    return world.add_group("Riverside Residents", owner=owner, admins=(admin,), members=tuple(residents)), admin, \
        residents


def push_chatter(api: FakeBotApi, chat: FakeChat, residents: list[FakeUser], count: int) -> int:
    """Ordinary group chat, the bulk of what a group sends a bot; returns the last update id."""
    last = 0
    for n in range(count):
        last = api.user_sends(residents[n % len(residents)], chat, f"Message {n}: the bins on Mill Lane were "
                                                                     "missed again this week, anyone else?")
    return last


async def wait_for(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        await asyncio.sleep(0.001)


async def bare_ptb(count: int) -> float:
    api = FakeBotApi()
    await api.start()
    chat, _, residents = populate(api)
    seen = 0

    async def nothing(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        nonlocal seen
        seen += 1

    app = Application.builder().token(TOKEN).base_url(api.base_url).build()
    app.add_handler(TypeHandler(Update, nothing))
    async with app:
        await app.updater.start_polling(allowed_updates=list(ALLOWED_UPDATES), timeout=5)
        await app.start()
        started = time.perf_counter()
        push_chatter(api, chat, residents, count)
        await wait_for(lambda: seen >= count, "the bare application")
        elapsed = time.perf_counter() - started
        await app.updater.stop()
        await app.stop()
    await api.stop()
    return count / elapsed


async def adapter_only(count: int) -> float:
    """The adapter with a sink that does nothing: what translation costs over bare PTB, apart from the core."""
    api = FakeBotApi()
    await api.start()
    chat, _, residents = populate(api)
    seen = 0

    async def nothing(event: Event) -> None:
        nonlocal seen
        seen += 1

    adapter = TelegramAdapter(TelegramSettings(token=TOKEN, api_base_url=api.base_url, poll_timeout=5), SystemClock())
    await adapter.start(nothing)
    started = time.perf_counter()
    push_chatter(api, chat, residents, count)
    await wait_for(lambda: seen >= count, "the adapter")
    elapsed = time.perf_counter() - started
    await adapter.stop()
    await api.stop()
    return count / elapsed


async def full_pipeline(count: int, workdir: Path) -> float:
    api = FakeBotApi()
    await api.start()
    chat, admin, residents = populate(api)
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{workdir / 'bench.db'}",
                        telegram=TelegramSettings(token=TOKEN, api_base_url=api.base_url, poll_timeout=5))
    clock = SystemClock()
    adapter = TelegramAdapter(settings.telegram, clock)
    app = App(settings, adapters=[adapter], clock=clock)
    seen = 0
    dispatch = app.dispatcher.dispatch

    async def counting(event: Event) -> bool:
        nonlocal seen
        result = await dispatch(event)
        seen += 1
        return result

    app.dispatcher.dispatch = counting  # type: ignore[method-assign]
    await app.start(run_timers=False)
    # An active community, joined the way a Telegram admin would: add the bot, then the deep link's /start.
    invitation = await Operator(app.db, settings, clock).create_invitation(chat.title, "telegram", None)
    api.add_bot(chat, by=admin)
    api.user_sends(admin, chat, f"/start@{BOT_USERNAME} {invitation.code}")
    await wait_for(lambda: api.bot_messages(chat.id), "the transparency notice")
    await open_surgery_with_all_rules_on(api, app, settings, chat, admin)
    before = seen
    started = time.perf_counter()
    push_chatter(api, chat, residents, count)
    await wait_for(lambda: seen - before >= count, "the full pipeline")
    elapsed = time.perf_counter() - started
    await app.stop()
    await api.stop()
    return count / elapsed


async def open_surgery_with_all_rules_on(api: FakeBotApi, app: App, settings: Settings, chat: FakeChat,
                                         admin: FakeUser) -> None:
    """A councillor's surgery open in the group and an approved policy with every automatic rule `on`, so each
    message goes through the privacy gate, the at-most-once claim and every rule."""
    councillor = api.world.add_user("Cllr Jane", "jane")
    chat.members[councillor.id] = type(chat.members[admin.id])("member")
    code = (await Operator(app.db, settings, app.clock).add_councillor("Cllr Jane Smith", "Riverside"))["link_code"]
    api.user_sends(councillor, api.world.private_chat(councillor.id), f"/link {code}")
    for rule in ("flood", "blocklist", "links", "personal_data", "safeguarding", "heat"):
        api.user_sends(admin, chat, f"/surgery policy set {rule}.mode on")
    # Every rule runs on every message; the bench compresses minutes of chat into a second, so the flood limit
    # is set to its loosest (100 messages a second) to keep twenty ordinary residents from looking like a flood,
    # which would measure the bot's warnings (20 group messages a minute on Telegram) instead of the pipeline.
    api.user_sends(admin, chat, "/surgery policy set flood.max_messages 100")
    api.user_sends(admin, chat, "/surgery policy set flood.window_seconds 1")
    api.user_sends(admin, chat, "/surgery policy approve")
    api.user_sends(councillor, chat, "/surgery schedule tomorrow 18:00 1h Bins")
    api.user_sends(councillor, chat, "/surgery open")
    await wait_for(lambda: any("open" in m.text.lower() and "surgery" in m.text.lower()
                               for m in api.bot_messages(chat.id)[-3:]), "the surgery to open")


def machine() -> str:
    return (f"{platform.system()} {platform.release()}, {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5, help="interleaved runs; medians are reported")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    bare, adapter, full = [], [], []
    for run in range(args.repeat):  # interleaved, so a busy moment on the machine hits all three alike
        bare.append(await bare_ptb(args.updates))
        adapter.append(await adapter_only(args.updates))
        with tempfile.TemporaryDirectory() as workdir:
            full.append(await full_pipeline(args.updates, Path(workdir)))
    b, a, f = (statistics.median(rates) for rates in (bare, adapter, full))
    print(f"machine:       {machine()}")
    print(f"updates:       {args.updates} per run, median of {args.repeat} interleaved runs")
    print(f"bare PTB:      {b:8.0f} updates/s")
    print(f"adapter only:  {a:8.0f} updates/s  (ratio {a / b:.2f})")
    print(f"full pipeline: {f:8.0f} updates/s")
    print(f"ratio:         {f / b:8.2f}  (full pipeline / bare PTB; target ≥ 0.8)")


if __name__ == "__main__":
    asyncio.run(main())
