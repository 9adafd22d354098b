"""`/surgery upcoming`, `/withdraw <n>` and the private word to people who asked before a surgery opened, on the
local adapter with a real SQLite file and the injected clock (which starts on Wed 25 Nov 2026 at 18:00 UTC)."""

from __future__ import annotations

from datetime import timedelta

from tests.scenario import Scenario
from tests.surgery.helpers import bot_texts_since, press, question_message, surgery_ready, vote


async def test_upcoming_lists_the_groups_scheduled_surgeries(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.say(s.mo, s.riverside, "/surgery upcoming")
        assert s.last_text(s.riverside) == "No surgeries are scheduled for this group yet."
        await surgery_ready(s, "tomorrow 18:00 1h Bins")
        await s.say(s.jane, s.riverside, "/surgery schedule 2026-11-30 19:00 45m")
        await s.say(s.mo, s.riverside, "/surgery upcoming")
        lines = s.last_text(s.riverside).splitlines()
        assert lines == ["📅 Surgeries coming up here:",
                         "• #1: Thu 26 Nov 2026, 18:00 for 1h with Cllr Jane Smith — Bins",
                         "• #2: Mon 30 Nov 2026, 19:00 for 45m with Cllr Jane Smith"]


async def test_an_asker_withdraws_a_waiting_question_and_no_one_else_can(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await surgery_ready(s)
        await s.say(s.mo, s.riverside, "/ask Can the bins go out on Sunday?")
        await s.say(s.priya, s.riverside, "/ask What about street lights?")
        await s.say(s.priya, s.riverside, "/withdraw 1")
        assert "isn't yours" in s.last_text(s.riverside)
        await s.say(s.mo, s.riverside, "/withdraw ²")
        assert "Say which of your questions" in s.last_text(s.riverside)
        await s.say(s.mo, s.riverside, "/withdraw 1")
        assert s.last_text(s.riverside) == "Question #1 is withdrawn. Thanks for letting us know."
        posted = question_message(s, s.riverside, 1)
        assert "withdrawn by the asker" in posted.text and posted.buttons == ()
        assert await vote(s, s.olu, s.riverside, 1) == "That button has expired."  # no vote button left
        await s.advance(timedelta(seconds=30))
        await s.say(s.mo, s.riverside, "/withdraw 1")
        assert "no longer waiting" in s.last_text(s.riverside)
        # Privately too; and a question on the floor can't be taken back.
        await s.advance(timedelta(minutes=30))
        await s.say(s.jane, s.riverside, "/next")
        assert "#2" in s.last_text(s.riverside)
        await s.dm(s.priya, "/withdraw 2")
        assert "no longer waiting" in s.last_text(s.priya)
        await s.dm(s.mo, "/withdraw 7")
        assert "can't find a question #7 of yours" in s.last_text(s.mo)
        await s.say(s.jane, s.riverside, "/queue")
        assert "#1" not in s.last_text(s.riverside)


async def test_people_who_asked_early_are_told_privately_when_it_opens(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await surgery_ready(s, "today 18:30 1h Bins")
        await s.say(s.mo, s.riverside, "/ask First?")
        await s.say(s.mo, s.riverside, "/ask Second?")
        await s.dm(s.priya, "/ask My private matter")
        await press(s, s.priya, s.world.private_chat(s.priya.id), "Private")
        await s.say(s.olu, s.riverside, "/ask Third?")
        await s.say(s.olu, s.riverside, "/withdraw 4")
        mark = len(s.riverside.messages)
        await s.advance(timedelta(minutes=30))  # the opening timer
        assert any("The surgery is open" in t for t in bot_texts_since(s, s.riverside, mark))
        told = [t for t in s.texts(s.mo) if "is open now" in t]
        assert told == ["👋 The surgery you asked #1, #2 for is open now: Cllr Jane Smith is here until 19:30. "
                        "Your question is in the queue."]
        assert any("you asked #3 for is open now" in t for t in s.texts(s.priya))
        assert not any("is open now" in t for t in s.texts(s.olu))  # withdrew: nothing waiting
        # Resuming after a pause is not an opening.
        await s.say(s.jane, s.riverside, "/surgery pause")
        await s.say(s.jane, s.riverside, "/surgery resume")
        assert len([t for t in s.texts(s.mo) if "is open now" in t]) == 1
