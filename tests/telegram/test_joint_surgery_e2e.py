"""A joint surgery across platforms, end to end: one App with the real python-telegram-bot and discord.py, against
the fake Bot API and the fake Discord at once. A Telegram group schedules surgery #1; a Discord server's admin asks
to join it; the councillor, linked on Telegram only, accepts privately there; a question from each platform goes
into one queue, votes from both count on every copy, and /next and the close summary reach both."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.telegram import TelegramAdapter
from bot.app import App
from bot.operator import Operator
from config.settings import DiscordSettings, Settings
from tests.clock import FakeClock
from tests.discord.fake_discord import MANAGE_GUILD, Channel, FakeDiscord, Message, User
from tests.discord.harness import fast_adapter
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.fake_world import FakeChat, FakeMessage, FakeUser
from tests.telegram.harness import WAIT_SECONDS, telegram_settings
from tests.waiting import eventually


@dataclass
class World:
    api: FakeBotApi
    discord: FakeDiscord
    app: App
    operator: Operator

    async def until(self, condition, what: str) -> None:  # type: ignore[no-untyped-def]
        await eventually(condition, what, timeout=WAIT_SECONDS * 2, interval=0.01)

    # Telegram side
    def tg_texts(self, chat: FakeChat | FakeUser) -> list[str]:
        return [m.text for m in self.api.bot_messages(chat.id) if m.document is None]

    def tg_message(self, chat: FakeChat | FakeUser, start: str) -> FakeMessage:
        return next(m for m in self.api.bot_messages(chat.id) if m.text.startswith(start))

    async def tg_says(self, user: FakeUser, chat: FakeChat | FakeUser, text: str, expect: str) -> None:
        target = self.api.world.private_chat(chat.id) if isinstance(chat, FakeUser) else chat
        before = len(self.tg_texts(chat))
        self.api.user_sends(user, target, text)
        await self.until(lambda: any(expect in t for t in self.tg_texts(chat)[before:]), repr(expect))

    async def tg_press(self, user: FakeUser, chat: FakeChat, message: FakeMessage, label: str) -> str:
        data = next(b["callback_data"] for row in message.buttons or [] for b in row if b["text"] == label)
        _, query = self.api.press_button(user, chat, message.id, data)
        await self.until(lambda: query in self.api.answered, f"answer to {query}")
        return self.api.answered[query] or ""

    # Discord side
    def dc_texts(self, channel: Channel) -> list[str]:
        return self.discord.bot_texts(channel.id)

    def dc_message(self, channel: Channel, start: str) -> Message:
        return next(m for m in self.discord.messages.values() if m.channel_id == channel.id
                    and m.author_id == self.discord.bot.id and m.content.startswith(start))

    async def dc_says(self, user: User, channel: Channel, text: str, expect: str) -> None:
        before = len(self.dc_texts(channel))
        await self.discord.invoke(user, channel, text)
        await self.until(lambda: any(expect in t for t in self.dc_texts(channel)[before:]), repr(expect))

    async def dc_press(self, user: User, message: Message, label: str) -> str:
        buttons = {c["label"]: c["custom_id"] for row in message.components for c in row.get("components", ())}
        pressed = await self.discord.press(user, message, buttons[label])
        await self.until(lambda: pressed.responses, "the press answered")
        return self.discord.messages[pressed.original_id].content if pressed.original_id else ""


@pytest.fixture
async def world(api: FakeBotApi, clock: FakeClock, tmp_path: Path) -> AsyncIterator[World]:
    discord = FakeDiscord()
    await discord.start()
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'joint.db'}", _env_file=None,
                        telegram=telegram_settings(api),
                        discord=DiscordSettings(token=discord.token, api_base_url=discord.api_base_url))
    app = App(settings, adapters=[TelegramAdapter(settings.telegram, clock), fast_adapter(settings.discord, clock)],
              clock=clock)
    await app.start(run_timers=False)
    try:
        yield World(api, discord, app, Operator(app.db, settings, clock))
    finally:
        await app.stop()
        await discord.stop()


async def test_a_telegram_group_and_a_discord_server_share_one_surgery(world: World, clock: FakeClock) -> None:
    w, api, dc = world, world.api, world.discord
    # Telegram: Hilltop Residents, with Jane the councillor linked there (and only there).
    olu, ada, mo, jane = (api.world.add_user(n, n.lower()) for n in ("Olu", "Ada", "Mo", "Jane"))
    hilltop = api.world.add_group("Hilltop Residents", owner=olu, admins=(ada,), members=(mo, jane))
    created = await w.operator.create_invitation("Hilltop Residents", "telegram", None)
    api.add_bot(hilltop, by=ada)
    await w.until(lambda: any("/surgery accept" in t for t in w.tg_texts(hilltop)), "hello on Telegram")
    await w.tg_says(ada, hilltop, f"/surgery accept {created.code}", "is now a guest")
    councillor = await w.operator.add_councillor("Cllr Jane Smith", "Hilltop")
    await w.tg_says(jane, jane, f"/link {councillor['link_code']}", "now linked")
    starts = (clock.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M+00:00")
    await w.tg_says(jane, hilltop, f"/surgery schedule {starts} 1h Potholes", "Council surgery #1")

    # Discord: the Parents server; its admin asks to join surgery #1.
    pat, dee, eve = (dc.add_user(n) for n in ("Pat", "Dee", "Eve"))
    guild = dc.add_guild("Hilltop Parents", pat)
    dc.add_member(guild, dee, dc.add_role(guild, "Admins", 1, MANAGE_GUILD))
    dc.add_member(guild, eve)
    general = dc.channels[guild.channels[0]]
    created = await w.operator.create_invitation("Hilltop Parents", "discord", None)
    await dc.bot_joins(guild, added_by=dee)
    await w.until(lambda: any("/surgery accept" in t for t in w.dc_texts(general)), "hello on Discord")
    await w.dc_says(dee, general, f"/surgery accept {created.code}", "is now a guest")
    await w.dc_says(dee, general, "/surgery join 1", "I've asked Cllr Jane Smith privately")

    # The request reaches Jane privately on Telegram, the platform she linked; she accepts there.
    await w.until(lambda: any("Hilltop Parents on Discord asks to join" in t for t in w.tg_texts(jane)),
                  "the request to the host")
    request = w.tg_message(jane, "Hilltop Parents on Discord asks to join")
    assert await w.tg_press(jane, api.world.private_chat(jane.id), request, "Accept") == "Done."
    await w.until(lambda: any("has joined council surgery #1" in t for t in w.dc_texts(general)), "joined")
    await w.until(lambda: any("📅 Council surgery #1 with Cllr Jane Smith" in t for t in w.dc_texts(general)),
                  "the announcement on Discord")
    await w.until(lambda: any("surgery-1.ics" in m.filenames for m in dc.messages.values()), "the .ics on Discord")
    await w.until(lambda: any("Hilltop Parents on Discord has joined" in t for t in w.tg_texts(hilltop)),
                  "Telegram told")

    await w.tg_says(jane, hilltop, "/surgery open", "The surgery is open")
    await w.until(lambda: any("The surgery is open" in t for t in w.dc_texts(general)), "open on Discord")

    # A question from each platform, one queue: each posted in both chats, labelled with its group.
    await w.tg_says(mo, hilltop, "/ask When will Elm Road be resurfaced?", "❓ #1 from Mo")
    await w.dc_says(eve, general, "/ask Can the school crossing have a warden?", "❓ #2 from Eve")
    await w.until(lambda: any(t.startswith("❓ #1 from Mo") for t in w.dc_texts(general)), "#1 on Discord")
    await w.until(lambda: any(t.startswith("❓ #2 from Eve") for t in w.tg_texts(hilltop)), "#2 on Telegram")
    assert "asked in Hilltop Parents" in w.tg_message(hilltop, "❓ #2").text
    assert "asked in Hilltop Residents" in w.dc_message(general, "❓ #1").content

    # Votes from both: Eve (Discord) and Ada (Telegram) both back #1; Mo backs #2 on Telegram.
    assert await w.dc_press(eve, w.dc_message(general, "❓ #1"), "👍 0") == "Thanks for your vote 👍"
    await w.until(lambda: w.tg_message(hilltop, "❓ #1").buttons[0][0]["text"] == "👍 1", "Telegram copy at 1")
    assert await w.tg_press(ada, hilltop, w.tg_message(hilltop, "❓ #1"), "👍 1") == "Thanks for your vote 👍"
    first_dc = w.dc_message(general, "❓ #1")
    await w.until(lambda: any(c["label"] == "👍 2" for row in first_dc.components for c in row["components"]),
                  "Discord copy at 2")
    assert await w.tg_press(mo, hilltop, w.tg_message(hilltop, "❓ #2"), "👍 0") == "Thanks for your vote 👍"
    await w.dc_says(eve, general, "/queue", "Questions waiting: 2")
    queue = next(t for t in reversed(w.dc_texts(general)) if "Questions waiting" in t)
    assert queue.index("#1") < queue.index("#2") and "Hilltop Residents" in queue and "Hilltop Parents" in queue

    # /next from the Telegram group is announced in both; the host answers; the close summary reaches both.
    await w.tg_says(jane, hilltop, "/next", "🎤 Next, #1 from Mo")
    await w.until(lambda: any("🎤 Next, #1 from Mo" in t for t in w.dc_texts(general)), "/next on Discord")
    await w.tg_says(jane, hilltop, "/answered", "answered")
    await w.tg_says(jane, hilltop, "/next", "🎤 Next, #2 from Eve")
    await w.until(lambda: any("🎤 Next, #2 from Eve" in t for t in w.dc_texts(general)), "#2 on Discord")
    await w.tg_says(jane, hilltop, "/answered", "answered")
    await w.tg_says(jane, hilltop, "/surgery close", "The surgery is closed")
    await w.until(lambda: any("The surgery is closed" in t for t in w.dc_texts(general)), "summary on Discord")
    summary = next(t for t in w.dc_texts(general) if "The surgery is closed" in t)
    assert "Questions asked: 2 · answered: 2" in summary and "people taking part: 3" in summary  # Mo, Eve, Ada
