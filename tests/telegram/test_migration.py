"""A Telegram group that becomes a supergroup (issue 16, item 9): while the bot waits for the invitation code the
valid code still works in the new chat and the acceptance window follows it there; a call that meets "group chat
was upgraded" (ChatMigrated) is followed to the new id, not just logged."""

from __future__ import annotations

from datetime import timedelta

from tests.clock import FakeClock
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.fake_world import BOT_ID, FakeChat, FakeUser
from tests.telegram.test_app_e2e import TelegramApp, tg  # noqa: F401 (fixture)


def basic_group(api: FakeBotApi) -> tuple[FakeChat, FakeUser, FakeUser]:
    world = api.world
    owner, admin, member = world.add_user("Olu"), world.add_user("Ada"), world.add_user("Mo")
    chat = world.add_group("Hilltop Residents", owner=owner, admins=(admin,), members=(member,), supergroup=False)
    return chat, owner, admin


async def dormant_then_migrated(tg: TelegramApp, api: FakeBotApi) -> tuple[FakeChat, FakeChat, FakeUser]:  # noqa: F811
    chat, _, admin = basic_group(api)
    api.add_bot(chat, by=admin)
    await tg.wait_until(lambda: any("/surgery accept CODE" in t for t in tg.texts(chat.id)), "dormant hello")
    supergroup, first = api.migrate(chat)
    await past(tg, api, first + 1)  # the old chat's "migrate_to" and the new chat's "migrate_from"
    return chat, supergroup, admin


async def past(tg: TelegramApp, api: FakeBotApi, update_id: int) -> None:  # noqa: F811
    """Wait until the bot has taken `update_id` (it moves its offset only once the update's decision is stored)."""
    await tg.wait_until(lambda: any(int(c.params.get("offset") or 0) > update_id
                                    for c in api.calls_named("getUpdates")), f"offset > {update_id}")


async def test_the_code_still_works_after_the_group_became_a_supergroup(tg: TelegramApp, api: FakeBotApi) -> None:  # noqa: F811,E501
    created = await tg.operator.create_invitation("Hilltop Residents", "telegram", None)
    old, new, admin = await dormant_then_migrated(tg, api)
    api.user_sends(admin, new, f"/surgery accept {created.code}")
    await tg.wait_until(lambda: any("is now a guest" in t for t in tg.texts(new.id)), "the transparency notice")
    [community] = await tg.communities()
    assert (community.state, community.space_id) == ("active", str(new.id))
    assert not any("already" in t for t in tg.texts(new.id))


async def test_the_window_leaves_the_new_chat(tg: TelegramApp, api: FakeBotApi, clock: FakeClock) -> None:  # noqa: F811
    old, new, _ = await dormant_then_migrated(tg, api)
    clock.advance(timedelta(minutes=11))
    assert await tg.app.timers.run_due() == 1
    await tg.wait_until(lambda: api.calls_named("leaveChat"), "leaveChat")
    [leave] = api.calls_named("leaveChat")
    assert int(leave.params["chat_id"]) == new.id
    assert not new.member(BOT_ID).present


async def test_a_call_that_meets_the_upgrade_follows_it(tg: TelegramApp, api: FakeBotApi, clock: FakeClock) -> None:  # noqa: F811,E501
    chat, _, admin = basic_group(api)
    api.add_bot(chat, by=admin)
    await tg.wait_until(lambda: any("/surgery accept CODE" in t for t in tg.texts(chat.id)), "dormant hello")
    new, _ = api.migrate(chat, tell_the_bot=False)  # the bot never heard of the upgrade
    clock.advance(timedelta(minutes=11))
    assert await tg.app.timers.run_due() == 1
    await tg.wait_until(lambda: any(int(c.params["chat_id"]) == new.id for c in api.calls_named("leaveChat")),
                        "leaveChat on the new id")
    assert any("so I'm leaving" in t for t in tg.texts(new.id))
    assert not new.member(BOT_ID).present
