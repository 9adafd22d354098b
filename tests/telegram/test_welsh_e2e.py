"""Welsh on Telegram, end to end: the real App and python-telegram-bot against the fake Bot API."""

from __future__ import annotations

from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.test_app_e2e import TelegramApp, group, tg  # noqa: F401  (tg is a fixture)


async def test_surgery_language_cy_then_about_in_welsh(tg: TelegramApp, api: FakeBotApi) -> None:  # noqa: F811
    chat, _, admin, member = group(api)
    created = await tg.operator.create_invitation("Hilltop Residents", "telegram", None)
    api.add_bot(chat, by=admin)
    api.user_sends(admin, chat, f"/surgery accept {created.code}")
    await tg.wait_until(lambda: any("is now a guest" in t for t in tg.texts(chat.id)), "transparency notice")
    api.user_sends(admin, chat, "/surgery language cy")
    await tg.wait_until(lambda: any("yn y grŵp hwn yn Cymraeg" in t for t in tg.texts(chat.id)), "language set")
    api.user_sends(member, chat, "/about")
    await tg.wait_until(lambda: tg.texts(chat.id)[-1].startswith("Fi yw cynorthwyydd cymorthfeydd"), "Welsh /about")
    assert "I'm the surgery assistant" not in tg.texts(chat.id)[-1]
    # A resident whose Telegram is in Welsh gets Welsh in private, whatever the group's language.
    gwen = api.world.add_user("Gwen", language_code="cy")
    api.world.started.add(gwen.id)
    api.user_sends(gwen, api.world.private_chat(gwen.id), "/help")
    await tg.wait_until(lambda: any(t.startswith("Dyma beth allwch chi ei wneud yma:")
                                    for t in tg.texts(gwen.id)), "Welsh /help in private")
    assert "/language — yr iaith rwy'n ysgrifennu atoch ynddi: en neu cy" in tg.texts(gwen.id)[-1]


async def test_menus_are_set_in_english_and_for_welsh_apps(tg: TelegramApp, api: FakeBotApi) -> None:  # noqa: F811
    await tg.wait_until(lambda: "all_group_chats:cy" in api.commands, "Welsh menus")
    english = {c["command"]: c["description"] for c in api.commands["all_group_chats"]}
    welsh = {c["command"]: c["description"] for c in api.commands["all_group_chats:cy"]}
    assert english.keys() == welsh.keys()
    assert english["surgery"] == "Surgery sessions and community settings"
    assert welsh["surgery"] == "Sesiynau cymhorthfa a gosodiadau'r gymuned"
    private = {c["command"]: c["description"] for c in api.commands["all_private_chats:cy"]}
    assert private["mydata"] == "Cael copi o bopeth rwy'n ei storio amdanoch"
