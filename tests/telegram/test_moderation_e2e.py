"""Moderation on Telegram: the real App and python-telegram-bot against the fake Bot API. A facilitator's
mute restricts until the right time, /remove deletes, personal data is deleted with a private note, and a
resident's /mute makes no moderation call at all."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from tests.clock import FakeClock
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.fake_world import FakeChat, FakeUser
from tests.telegram.test_app_e2e import TelegramApp

MODERATION = ("restrictChatMember", "banChatMember", "unbanChatMember", "deleteMessage")


class Group:
    def __init__(self, api: FakeBotApi, tg: TelegramApp) -> None:
        self.api, self.tg = api, tg
        world = api.world
        self.olu, self.ada = world.add_user("Olu", "olu"), world.add_user("Ada", "ada")
        self.mo, self.priya, self.jane = world.add_user("Mo", "mo"), world.add_user("Priya", "priya"), \
            world.add_user("Jane", "jane")
        self.chat: FakeChat = world.add_group("Hilltop Residents", owner=self.olu, admins=(self.ada,),
                                              members=(self.mo, self.priya, self.jane))
        world.started.update({self.mo.id, self.priya.id})  # both opened a private chat with the bot

    def texts(self, chat: FakeChat | FakeUser) -> list[str]:
        return [m.text for m in self.api.bot_messages(chat.id)]

    async def says(self, user: FakeUser, text: str, expect: str, *, reply_to: int | None = None,
                   where: FakeChat | FakeUser | None = None) -> str:
        where = where or self.chat
        before = len(self.texts(where))
        self.api.user_sends(user, self.chat, text, reply_to=reply_to)
        await self.tg.wait_until(lambda: any(expect in t for t in self.texts(where)[before:]), repr(expect))
        return next(t for t in self.texts(where)[before:] if expect in t)

    def moderation_calls(self) -> list[str]:
        return [c.method for c in self.api.calls if c.method in MODERATION]

    async def set_up(self) -> None:
        created = await self.tg.operator.create_invitation("Hilltop Residents", "telegram", None)
        self.api.add_bot(self.chat, by=self.ada)
        await self.tg.wait_until(lambda: any("/surgery accept" in t for t in self.texts(self.chat)), "hello")
        await self.says(self.ada, f"/surgery accept {created.code}", "is now a guest")
        await self.says(self.ada, "/surgery facilitator add", "now a facilitator",
                        reply_to=self.api.post(self.priya, self.chat, "hi").id)


@pytest.fixture
async def group(api: FakeBotApi, clock: FakeClock, tmp_path) -> AsyncIterator[Group]:  # type: ignore[no-untyped-def]
    tg = TelegramApp(api, clock, f"sqlite+aiosqlite:///{tmp_path / 'mod.db'}")
    await tg.app.start(run_timers=False)
    g = Group(api, tg)
    await g.set_up()
    yield g
    await tg.app.stop()


async def test_a_mute_restricts_until_the_right_time(group: Group, api: FakeBotApi, clock: FakeClock) -> None:
    shout = api.post(group.mo, group.chat, "SHOUTING")
    await group.says(group.priya, "/mute 10m shouting", "muted for 10m", reply_to=shout.id)
    [restrict] = api.calls_named("restrictChatMember")
    assert int(restrict.params["user_id"]) == group.mo.id
    assert int(restrict.params["until_date"]) == int((clock.now() + timedelta(minutes=10)).timestamp())
    assert group.chat.member(group.mo.id).status == "restricted"
    await group.tg.wait_until(lambda: any("/appeal 1" in t for t in group.texts(group.mo)), "the private notice")


async def test_remove_deletes_the_replied_message(group: Group, api: FakeBotApi) -> None:
    rude = api.post(group.mo, group.chat, "something rude")
    await group.says(group.priya, "/remove rude", "the message was removed", reply_to=rude.id)
    [delete] = api.calls_named("deleteMessage")
    assert int(delete.params["message_id"]) == rude.id


async def test_personal_data_is_deleted_with_a_private_note(group: Group, api: FakeBotApi) -> None:
    await group.says(group.ada, "/surgery policy set personal_data.mode on", "version 2")
    await group.says(group.ada, "/surgery policy approve", "is approved")
    councillor = await group.tg.operator.add_councillor("Cllr Jane Smith", "Hilltop")
    api.user_sends(group.jane, api.world.private_chat(group.jane.id), f"/link {councillor['link_code']}")
    await group.tg.wait_until(lambda: any("linked" in t for t in group.texts(group.jane)), "linked")
    starts = (group.tg.clock.now() + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M+00:00")
    await group.says(group.jane, f"/surgery schedule {starts} 1h Roads", "Council surgery #1")
    await group.says(group.jane, "/surgery open", "The surgery is open")
    api.user_sends(group.mo, group.chat, "my number is 07911 123456")
    await group.tg.wait_until(lambda: api.calls_named("deleteMessage"), "deleteMessage")
    [posted] = [m for m in group.chat.messages.values() if "07911" in m.text]
    assert int(api.calls_named("deleteMessage")[0].params["message_id"]) == posted.id and posted.deleted
    await group.tg.wait_until(lambda: any("I removed your message" in t for t in group.texts(group.mo)), "note")
    assert not any("07911" in t for t in group.texts(group.chat) + group.texts(group.mo))


async def test_a_residents_mute_makes_no_platform_call(group: Group, api: FakeBotApi) -> None:
    await group.says(group.mo, "/mute @priya 10m", "for facilitators only")
    assert group.moderation_calls() == []
