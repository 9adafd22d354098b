"""One person's burst, end to end on Telegram: the real App and python-telegram-bot against the fake Bot API, two
communities with a surgery open in each. Fifty `/ask`s from one resident are limited to the command allowance
with one plain word, while a resident of the other group is answered at once, even when the first group's
replies are stuck on the platform."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.storage.models import Question
from tests.clock import FakeClock
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.fake_world import FakeChat, FakeMember, FakeUser
from tests.telegram.test_app_e2e import TelegramApp
from tests.waiting import eventually

BURST = 50
PROMPTLY = 2.0  # seconds from queueing the other group's /ask to its question being posted
TOO_FAST = "faster than I can take them"
BURST_TEXT = "Burst question number"


class TwoGroups:
    """Two Telegram groups, each joined by invitation, each with its own councillor's surgery open; the clock is
    frozen, so the command allowance never refills during a test and the burst limit is exact."""

    def __init__(self, api: FakeBotApi, clock: FakeClock, database: str) -> None:
        self.api, self.clock = api, clock
        world = api.world
        self.x, self.y = world.add_user("Xavier", "xavier"), world.add_user("Yasmin", "yasmin")
        self.staff: dict[int, tuple[FakeUser, FakeUser]] = {}  # group id -> (admin, councillor)
        self.a = self._group("Hilltop Residents", self.x, "hilltop")
        self.b = self._group("Riverside Residents", self.y, "riverside")
        self.tg = TelegramApp(api, clock, database)

    def _group(self, title: str, resident: FakeUser, name: str) -> FakeChat:
        world = self.api.world
        owner, admin = world.add_user(f"Owner {name}"), world.add_user(f"Admin {name}", f"admin_{name}")
        councillor = world.add_user(f"Cllr {name}", f"cllr_{name}")
        chat = world.add_group(title, owner=owner, admins=(admin,), members=(resident, councillor))
        self.staff[chat.id] = admin, councillor
        return chat

    def texts(self, chat: FakeChat) -> list[str]:
        return [m.text for m in self.api.bot_messages(chat.id) if m.document is None]

    def posted(self, chat: FakeChat, words: str) -> int:
        return sum(words in text for text in self.texts(chat))

    def sends_to(self, chat: FakeChat, words: str) -> int:
        return sum(str(c.params.get("chat_id")) == str(chat.id) and words in c.params.get("text", "")
                   for c in self.api.calls_named("sendMessage"))

    async def says(self, user: FakeUser, chat: FakeChat, text: str, expect: str, where: FakeChat | None = None) -> None:
        where = where or chat
        before = len(self.texts(where))
        self.api.user_sends(user, chat, text)
        await self.tg.wait_until(lambda: any(expect in t for t in self.texts(where)[before:]), repr(expect))

    async def set_up(self) -> None:
        for chat in (self.a, self.b):
            admin, councillor_user = self.staff[chat.id]
            created = await self.tg.operator.create_invitation(chat.title, "telegram", None)
            self.api.add_bot(chat, by=admin)
            await self.tg.wait_until(lambda c=chat: any("/surgery accept" in t for t in self.texts(c)), "hello")
            await self.says(admin, chat, f"/surgery accept {created.code}", "is now a guest")
            councillor = await self.tg.operator.add_councillor(councillor_user.first_name, chat.title)
            dm = self.api.world.private_chat(councillor_user.id)
            await self.says(councillor_user, dm, f"/link {councillor['link_code']}", "now linked")
            starts = (self.clock.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M+00:00")
            await self.says(councillor_user, chat, f"/surgery schedule {starts} 1h Bins", "Council surgery #")
            await self.says(councillor_user, chat, "/surgery open", "The surgery is open")

    async def stored_from(self, user: FakeUser) -> int:
        async with self.tg.app.db.read() as session:
            return await session.scalar(select(func.count()).select_from(Question)
                                        .where(Question.asker_user_id == str(user.id))) or 0

    def handled(self, update_id: int) -> bool:
        return any(int(c.params.get("offset") or 0) > update_id for c in self.api.calls_named("getUpdates"))


@pytest.fixture
async def groups(api: FakeBotApi, clock: FakeClock, tmp_path) -> AsyncIterator[TwoGroups]:  # type: ignore[no-untyped-def]
    world = TwoGroups(api, clock, f"sqlite+aiosqlite:///{tmp_path / 'burst.db'}")
    await world.tg.app.start(run_timers=False)
    await world.set_up()
    yield world
    await world.tg.app.stop()


def errors_in(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_burst_is_limited_while_another_group_is_answered_promptly(
        groups: TwoGroups, api: FakeBotApi, caplog: pytest.LogCaptureFixture) -> None:
    g = groups
    # Group A's replies stay stuck on the platform until group B was served: B must not wait for A.
    stuck = api.hold("sendMessage", chat_id=g.a.id, once=False)
    last_of_burst = 0
    for n in range(1, BURST + 1):
        last_of_burst = api.user_sends(g.x, g.a, f"/ask {BURST_TEXT} {n}: when are the bins collected?")
    queued = time.monotonic()
    other = api.user_sends(g.y, g.b, "/ask Can the Mill Lane streetlight be fixed?")
    try:
        await eventually(lambda: g.posted(g.b, "from Yasmin: Can the Mill Lane streetlight be fixed?"),
                         "Yasmin's question posted in her group", timeout=PROMPTLY, interval=0.01)
        waited = time.monotonic() - queued
        assert stuck.calls and g.posted(g.a, BURST_TEXT) == 0  # group A was indeed still stuck meanwhile
    finally:
        stuck.release()

    # Until the whole burst was handled and its posts made, or as soon as too much of it got through.
    await g.tg.wait_until(lambda: (g.handled(max(last_of_burst, other)) and g.posted(g.a, BURST_TEXT) >= 10
                                   and g.sends_to(g.a, TOO_FAST) >= 1)
                          or g.posted(g.a, BURST_TEXT) > 10 or g.sends_to(g.a, TOO_FAST) > 1,
                          "the whole burst handled")
    await asyncio.sleep(0.3)  # anything more that was going to be posted would be by now
    assert g.posted(g.a, BURST_TEXT) == 10, f"Yasmin waited {waited:.2f} s"  # the allowance: 10 at once
    assert g.sends_to(g.a, TOO_FAST) == 1  # told once, then quiet
    assert g.handled(max(last_of_burst, other))
    assert g.posted(g.a, TOO_FAST) == 1
    assert await g.stored_from(g.x) == 10
    assert await g.stored_from(g.y) == 1
    assert errors_in(caplog) == []


async def test_another_group_arriving_after_a_busy_group_was_fetched_is_answered_promptly(
        groups: TwoGroups, api: FakeBotApi) -> None:
    """A group past Telegram's 20-messages-a-minute budget must not hold back the updates of another group:
    the poller acknowledges a batch once it is decided, and the busy group's posts follow in the background."""
    g = groups
    # Twenty-five residents of group A ask one question each (no one is throttled): more posts than Telegram's
    # group budget allows in a minute, so the adapter's rate limiter spaces them out, as it must.
    askers = [api.world.add_user(f"Resident {n}") for n in range(25)]
    for asker in askers:
        g.a.members[asker.id] = FakeMember("member")
    for n, asker in enumerate(askers, start=1):
        api.user_sends(asker, g.a, f"/ask {BURST_TEXT} {n}: when are the bins collected?")
    await eventually(lambda: g.sends_to(g.a, BURST_TEXT), "group A's questions being posted")
    queued = time.monotonic()
    api.user_sends(g.y, g.b, "/ask Can the Mill Lane streetlight be fixed?")
    await eventually(lambda: g.posted(g.b, "from Yasmin: Can the Mill Lane streetlight be fixed?"),
                     "Yasmin's question posted in her group", timeout=PROMPTLY, interval=0.01)
    assert time.monotonic() - queued <= PROMPTLY
