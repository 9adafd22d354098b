"""Private notes to askers the bot can't reach privately (on Telegram: never pressed Start, or blocked the bot):
a public asker gets one line in the group asking them to open a chat, without the note; an anonymous or private
asker is never named. On the local adapter with the real App."""

from __future__ import annotations

from datetime import timedelta

from bot.actions import SendMessage
from tests.clock import FakeClock
from bot.errors import BotNotInChat, Forbidden, NotFound
from bot.executor import Executor
from bot.refs import ChatRef, MessageRef, Platform, UserRef
from bot.rights import AdapterCapabilities
from bot.storage.database import Database
from tests.scenario import Scenario
from tests.surgery.helpers import bot_texts_since, press, surgery_ready

ASK_TO_OPEN = "@Mo — I have a private note for you: please open a chat with me and send /start."


async def test_a_dismissed_public_asker_who_never_started_the_bot_is_asked_in_the_group(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        s.world.unreachable.add(s.mo.id)
        await surgery_ready(s)
        await s.say(s.mo, s.riverside, "/ask Can the bins be emptied on Saturdays?")
        await s.advance(timedelta(minutes=30))
        mark = len(s.riverside.messages)
        await s.say(s.jane, s.riverside, "/dismiss #1 outside the council's remit")
        texts = bot_texts_since(s, s.riverside, mark)
        assert ASK_TO_OPEN in texts
        assert not any("remit" in t for t in texts)  # the reason stays private
        assert s.texts(s.mo) == []

        # Once Mo has written to the bot, notes reach Mo privately and the group hears nothing more.
        await s.dm(s.mo, "/start")
        await s.say(s.mo, s.riverside, "/ask And the recycling?")
        await s.say(s.jane, s.riverside, "/next")
        mark = len(s.riverside.messages)
        await s.say(s.jane, s.riverside, "/refer needs a site visit")
        assert "SRG-2026-000001" in s.last_text(s.mo)
        assert ASK_TO_OPEN not in bot_texts_since(s, s.riverside, mark)


async def test_a_referral_for_an_unreachable_public_asker_keeps_the_reference_out_of_the_group(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        s.world.unreachable.add(s.mo.id)
        await surgery_ready(s)
        await s.say(s.mo, s.riverside, "/ask My road floods every winter")
        await s.advance(timedelta(minutes=30))
        await s.say(s.jane, s.riverside, "/next")
        mark = len(s.riverside.messages)
        await s.say(s.jane, s.riverside, "/refer")
        texts = bot_texts_since(s, s.riverside, mark)
        assert texts.count(ASK_TO_OPEN) == 1
        assert not any("SRG-" in t for t in texts)
        assert "SRG-2026-000001" in s.last_text(s.jane)  # the host still gets the reference


async def test_an_anonymous_asker_who_blocked_the_bot_is_never_named(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await surgery_ready(s)
        await s.dm(s.mo, "/ask Is my street on the gritting route?")
        await press(s, s.mo, s.world.private_chat(s.mo.id), "Anonymous")
        s.world.unreachable.add(s.mo.id)  # Mo blocks the bot after asking
        await s.advance(timedelta(minutes=30))
        await s.say(s.jane, s.riverside, "/next")
        mark = len(s.riverside.messages)
        await s.say(s.jane, s.riverside, "/dismiss off topic")
        await s.say(s.jane, s.riverside, "/surgery close")
        texts = bot_texts_since(s, s.riverside, mark)
        assert texts and not any("Mo" in t or "private note" in t for t in texts)


async def test_one_line_at_close_however_many_follow_up_offers_failed(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        s.world.unreachable.add(s.mo.id)
        await surgery_ready(s)
        await s.say(s.mo, s.riverside, "/ask First?")
        await s.say(s.mo, s.riverside, "/ask Second?")
        await s.advance(timedelta(minutes=30))
        mark = len(s.riverside.messages)
        await s.say(s.jane, s.riverside, "/surgery close")
        texts = bot_texts_since(s, s.riverside, mark)
        assert "offer a follow-up" in texts[0]
        assert texts.count(ASK_TO_OPEN) == 1
        assert s.texts(s.mo) == []


class _Refusing:
    """An adapter whose private sends fail with a given error; group sends succeed."""

    platform = Platform.LOCAL
    capabilities = AdapterCapabilities(max_message_length=4096)

    def __init__(self, error: Exception) -> None:
        self.error, self.sent = error, []  # type: ignore[var-annotated]

    async def send_message(self, target, text, **_: object) -> MessageRef:  # type: ignore[no-untyped-def]
        if isinstance(target, UserRef):
            raise self.error
        self.sent.append(text)
        return MessageRef(target, str(len(self.sent)))


async def test_only_a_refusal_to_reach_the_person_sends_the_stand_in(tmp_path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'e.db'}")
    await db.upgrade()
    group = ChatRef(Platform.LOCAL, "-100")
    note = SendMessage(target=UserRef(Platform.LOCAL, "7"), text="secret", reason="test",
                       if_unreachable=SendMessage(target=group, text="open a chat", reason="test"))
    try:
        for error, expected in ((Forbidden("blocked"), ["open a chat"]), (NotFound("no such user"), []),
                                (BotNotInChat("gone"), [])):
            adapter = _Refusing(error)
            results = await Executor(db, {Platform.LOCAL: adapter}, FakeClock()).execute([note, note])
            assert [r.ok for r in results] == [False, False]
            assert adapter.sent == expected, error  # once for the batch, never the note itself
    finally:
        await db.dispose()
