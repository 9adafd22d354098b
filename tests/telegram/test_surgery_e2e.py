"""A whole surgery on Telegram: the real App and python-telegram-bot against the fake Bot API. Invitation,
councillor link, schedule with the calendar file, votes by callback query, a private /ask with its buttons,
the host's moves, a referral by private message, the fallback for a resident who never started the bot, the
close summary, and a restart in the middle that announces nothing twice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from icalendar import Calendar

from tests.clock import FakeClock
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.fake_world import FakeChat, FakeMessage, FakeUser
from tests.telegram.test_app_e2e import TelegramApp


class Surgery:
    """The people of one Telegram group, and the steps of a surgery as they would type them."""

    def __init__(self, api: FakeBotApi, clock: FakeClock, database: str) -> None:
        self.api, self.clock, self.database = api, clock, database
        world = api.world
        self.olu, self.ada = world.add_user("Olu", "olu"), world.add_user("Ada", "ada")
        self.mo, self.priya = world.add_user("Mo", "mo"), world.add_user("Priya")
        self.jane = world.add_user("Jane", "janesmith")
        self.chat = world.add_group("Hilltop Residents", owner=self.olu, admins=(self.ada,),
                                    members=(self.mo, self.priya, self.jane))
        self.tg = TelegramApp(api, clock, database)

    async def restart(self) -> None:
        """A new process starts on the same database (the old one has been stopped)."""
        self.tg = TelegramApp(self.api, self.clock, self.database)
        await self.tg.app.start(run_timers=False)

    def texts(self, chat: FakeChat | FakeUser) -> list[str]:
        return [m.text for m in self.api.bot_messages(chat.id) if m.document is None]

    async def says(self, user: FakeUser, text: str, expect: str, *, chat: FakeChat | FakeUser | None = None,
                   where: FakeChat | FakeUser | None = None) -> str:
        """`user` sends `text` (in the group, or privately when `chat` is a user); waits for a bot message in
        `where` (default: the same chat) containing `expect`, and returns it."""
        target = self.api.world.private_chat(chat.id) if isinstance(chat, FakeUser) else (chat or self.chat)
        where = where or (chat if chat is not None else self.chat)
        before = len(self.texts(where))
        self.api.user_sends(user, target, text)
        await self.tg.wait_until(lambda: any(expect in t for t in self.texts(where)[before:]), f"{expect!r}")
        return next(t for t in self.texts(where)[before:] if expect in t)

    def message_with(self, chat: FakeChat | FakeUser, start: str) -> FakeMessage:
        return next(m for m in self.api.bot_messages(chat.id) if m.text.startswith(start))

    def button(self, message: FakeMessage, label: str) -> str | None:
        return next((b["callback_data"] for row in message.buttons or [] for b in row if b["text"] == label), None)

    async def press(self, user: FakeUser, chat: FakeChat | FakeUser, message: FakeMessage, label: str) -> str:
        """Press a button; returns the toast the bot answered the callback query with."""
        data = self.button(message, label)
        assert data is not None, f"no button {label!r}"
        where = chat if isinstance(chat, FakeChat) else self.api.world.chats[chat.id]
        _, query = self.api.press_button(user, where, message.id, data)
        await self.tg.wait_until(lambda: query in self.api.answered, f"answer to {query}")
        return self.api.answered[query] or ""

    async def set_up(self) -> None:
        """Invited and accepted, Jane linked as councillor, a surgery scheduled an hour from now."""
        created = await self.tg.operator.create_invitation("Hilltop Residents", "telegram", None)
        self.api.add_bot(self.chat, by=self.ada)
        await self.tg.wait_until(lambda: any("/surgery accept" in t for t in self.texts(self.chat)), "hello")
        await self.says(self.ada, f"/surgery accept {created.code}", "is now a guest")
        councillor = await self.tg.operator.add_councillor("Cllr Jane Smith", "Hilltop")
        await self.says(self.jane, f"/link {councillor['link_code']}", "now linked", chat=self.jane)
        starts = (self.clock.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M+00:00")
        await self.says(self.jane, f"/surgery schedule {starts} 1h Potholes", "Council surgery #1")


@pytest.fixture
async def surgery(api: FakeBotApi, clock: FakeClock, tmp_path) -> AsyncIterator[Surgery]:  # type: ignore[no-untyped-def]
    s = Surgery(api, clock, f"sqlite+aiosqlite:///{tmp_path / 'surgery.db'}")
    await s.tg.app.start(run_timers=False)
    yield s
    await s.tg.app.stop()


async def test_a_whole_surgery_on_telegram(surgery: Surgery) -> None:
    s, api = surgery, surgery.api
    await s.set_up()
    announcement = next(t for t in s.texts(s.chat) if "Council surgery #1" in t)
    assert "Cllr Jane Smith" in announcement and "Potholes" in announcement
    await s.tg.wait_until(lambda: api.calls_named("sendDocument"), "the calendar file")
    [ics] = [m for m in api.bot_messages(s.chat.id) if m.document is not None]
    assert ics.document[0] == "surgery-1.ics" and ics.caption == "Add it to your calendar."
    assert Calendar.from_ical(ics.document[1]).walk("VEVENT")[0]["summary"].startswith("Council surgery")

    await s.says(s.jane, "/surgery open", "The surgery is open")
    await s.says(s.mo, "/ask When will Elm Road be resurfaced?", "❓ #1 from Mo")
    await s.says(s.priya, "/ask Can we have a zebra crossing?", "❓ #2 from Priya")
    first = s.message_with(s.chat, "❓ #1")
    assert await s.press(s.priya, s.chat, first, "👍 0") == "Thanks for your vote 👍"
    await s.tg.wait_until(lambda: s.button(first, "👍 1"), "the vote count edited to 1")
    assert await s.press(s.mo, s.chat, first, "👍 1") == "That's your own question — you can't vote for it."

    # A private question, asked in a private chat and sent only to the host.
    await s.says(s.mo, "/ask My neighbour's tree is damaging my fence at 4 Elm Road", "How should it be asked?",
                 chat=s.mo)
    choice = s.message_with(s.mo, "Your question is for Hilltop Residents")
    assert await s.press(s.mo, s.mo, choice, "Private") == "Done."
    await s.tg.wait_until(lambda: choice.text == "Got it — thank you." and not choice.buttons, "the choice closed")
    await s.tg.wait_until(lambda: any("4 Elm Road" in t for t in s.texts(s.jane)), "the host told privately")
    assert not any("4 Elm Road" in t for t in s.texts(s.chat))
    await s.tg.wait_until(lambda: any("host and facilitators only" in t for t in s.texts(s.mo)), "Mo's receipt")

    # Votes first: #1 (1 vote), then #2 and the private #3 in order of asking.
    await s.says(s.jane, "/next", "🎤 Next, #1 from Mo")
    await s.says(s.jane, "/refer needs a highways inspection", "passed to council casework")
    await s.tg.wait_until(lambda: any("SRG-" in t for t in s.texts(s.mo)), "Mo's casework reference")
    reference = next(t for t in s.texts(s.mo) if "SRG-" in t)
    assert "Please quote the reference" in reference
    assert not any("SRG-" in t for t in s.texts(s.chat))

    # Priya never opened a chat with the bot: the dismissal reason can't reach her, so the group hears one
    # line asking her to, and nothing of the reason.
    await s.says(s.jane, "/next", "🎤 Next, #2 from Priya")
    await s.says(s.jane, "/dismiss not a council matter", "@Priya — I have a private note for you")
    assert not any("not a council matter" in t for t in s.texts(s.chat))
    assert s.texts(s.priya) == []

    await s.says(s.jane, "/next", "🔒 Private question #3:", where=s.jane)
    assert any("Next, #3: a private question" in t for t in s.texts(s.chat))
    await s.says(s.jane, "/answered", "answered")
    summary = await s.says(s.jane, "/surgery close", "The surgery is closed")
    assert "Questions asked: 3 · answered: 1 · parked: 0 · referred to casework: 1" in summary
    assert "Mo" not in summary and "Elm Road" not in summary


async def test_a_restart_in_the_middle_announces_nothing_twice(surgery: Surgery) -> None:
    s, api = surgery, surgery.api
    await s.set_up()
    await s.says(s.jane, "/surgery open", "The surgery is open")
    await s.says(s.mo, "/ask When will Elm Road be resurfaced?", "❓ #1 from Mo")
    first = s.message_with(s.chat, "❓ #1")
    await s.press(s.priya, s.chat, first, "👍 0")
    before = len(api.updates)
    api.user_sends(s.jane, s.chat, "/next")
    taken = dict(api.updates[before])  # kept to play Telegram re-sending it after the crash
    await s.tg.wait_until(lambda: any("🎤 Next, #1 from Mo" in t for t in s.texts(s.chat)), "/next")
    sent_before = len(api.calls_named("sendMessage"))

    await s.tg.app.stop()
    api.updates.append(taken)  # the old process died before confirming it
    await s.restart()
    await s.tg.wait_until(lambda: any(int(c.params.get("offset") or 0) > taken["update_id"]
                                      for c in api.calls_named("getUpdates")), "the redelivery consumed")
    assert len(api.calls_named("sendMessage")) == sent_before  # the database had already seen it

    await s.says(s.jane, "/answered", "answered")  # the live question survived the restart
    await s.tg.wait_until(lambda: "✅" in first.text, "the question's message marked answered")
    assert not first.buttons and "👍 1" in first.text  # voting is over, and the vote survived the restart
    await s.says(s.jane, "/surgery close", "The surgery is closed")
    texts = s.texts(s.chat)
    for once in ("Council surgery #1", "The surgery is open", "❓ #1 from Mo", "🎤 Next, #1", "The surgery is closed"):
        assert sum(once in t for t in texts) == 1, once


async def test_a_private_question_answered_with_reply_reaches_the_asker(surgery: Surgery) -> None:
    s = surgery
    await s.set_up()
    await s.says(s.mo, "/ask Is the damp in my flat at 9 Mill Court the landlord's job?", "How should it be asked?",
                 chat=s.mo)
    assert await s.press(s.mo, s.mo, s.message_with(s.mo, "Your question is for Hilltop Residents"),
                         "Private") == "Done."
    await s.tg.wait_until(lambda: any("9 Mill Court" in t for t in s.texts(s.jane)), "the host told privately")
    notice = s.message_with(s.jane, "🔒 Private question #1")
    assert await s.press(s.jane, s.jane, notice, "Reply privately") == "Done."
    await s.tg.wait_until(lambda: any("send /reply 1" in t for t in s.texts(s.jane)), "the prompt")
    await s.says(s.jane, "/reply 1 Yes: report it to the landlord in writing first.", "Sent privately", chat=s.jane)
    answer = next(t for t in s.texts(s.mo) if t.startswith("💬"))
    assert "Cllr Jane Smith has answered your question #1" in answer and "in writing first" in answer
    await s.tg.wait_until(lambda: "✅ #1 was answered privately." in s.texts(s.chat), "the group's one line")
    assert not any("Mill Court" in t or "in writing" in t for t in s.texts(s.chat))
