"""Private answers on the local adapter with a real SQLite file: `/reply <n> <text>` and the "Reply privately"
button reach the asker privately with the councillor's name; the group sees only "#n answered privately"; an
asker who can't be reached gets the answer when they next /start, and the host is told it is being held; the
note of /answered reaches the asker privately too."""

from __future__ import annotations

from datetime import timedelta

from tests.scenario import Scenario
from tests.surgery.helpers import bot_texts_since, press, surgery_ready


async def _private_question(s: Scenario, text: str) -> None:
    await s.dm(s.mo, f"/ask {text}")
    await press(s, s.mo, s.world.private_chat(s.mo.id), "Private")


async def test_reply_reaches_the_asker_and_the_group_sees_only_that_it_was_answered(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await surgery_ready(s)
        await _private_question(s, "My neighbour's tree damaged my fence at 12 Mill Lane")
        mark = len(s.riverside.messages)
        await s.dm(s.jane, "/reply 1 An officer will visit on Monday.")
        answer = s.last_text(s.mo)
        assert answer.startswith("💬 Cllr Jane Smith has answered your question #1")
        assert "12 Mill Lane" in answer and "An officer will visit on Monday." in answer
        assert s.last_text(s.jane) == "Sent privately to the asker of #1."
        group = bot_texts_since(s, s.riverside, mark)
        assert group == ["✅ #1 was answered privately."]

        # The button under the notice prompts for the answer, as a /reply command (plain private chat is
        # never read: the bot is deaf outside sessions).
        await _private_question(s, "Is my council tax band right for 3 Elm Road?")
        await press(s, s.jane, s.world.private_chat(s.jane.id), "Reply privately")
        assert "send /reply 2 followed by your answer" in s.last_text(s.jane)
        await s.dm(s.jane, "/reply 2 Yes, band C is right; you can appeal to the VOA.")
        assert "band C is right" in s.last_text(s.mo) and "#2" in s.last_text(s.mo)
        assert "✅ #2 was answered privately." in s.texts(s.riverside)


async def test_an_unreachable_asker_gets_the_answer_at_start_and_the_host_is_told(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await surgery_ready(s)
        await _private_question(s, "Who do I ask about my housing repair at 7 Oak Court?")
        s.world.unreachable.add(s.mo.id)  # Mo blocks the bot afterwards
        await s.dm(s.jane, "/reply 1 The housing team will phone you this week.")
        assert "can't be reached privately right now" in s.last_text(s.jane)
        assert not any("housing team" in t for t in s.texts(s.mo))
        await s.dm(s.mo, "/start")
        texts = s.texts(s.mo)
        assert "I kept 1 message for you" in texts[-2] and "The housing team will phone you" in texts[-1]
        # Delivered once: another /start brings nothing more.
        await s.advance(timedelta(minutes=1))
        count = len(s.texts(s.mo))
        await s.dm(s.mo, "/start")
        assert len(s.texts(s.mo)) == count + 1


async def test_reply_refusals_are_plain(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await surgery_ready(s)
        await s.say(s.mo, s.riverside, "/ask A public question about bins")
        await _private_question(s, "Private matter at 1 High St")
        for typed, expected in (("/reply", "Say which question and your answer"),
                                ("/reply 2", "Say which question and your answer"),
                                ("/reply ² hello", "Say which question and your answer"),
                                ("/reply 9 hello", "can't find a question #9"),
                                ("/reply 1 hello", "asked in public")):
            await s.dm(s.jane, typed)
            assert expected in s.last_text(s.jane), typed
            await s.advance(timedelta(seconds=30))
        await s.dm(s.mo, "/reply 2 it's me")
        assert "Only the surgery's councillor, or a facilitator" in s.last_text(s.mo)
        # A facilitator of the asker's group may answer too.
        await s.dm(s.priya, "/reply 2 We'll look into it.")
        assert "We'll look into it." in s.last_text(s.mo)


async def test_the_note_of_answered_reaches_the_asker_privately(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await surgery_ready(s)
        await s.say(s.mo, s.riverside, "/ask When are the bins collected?")
        await s.advance(timedelta(minutes=30))
        await s.say(s.jane, s.riverside, "/next")
        await s.say(s.jane, s.riverside, "/answered Tuesdays, from 7am")
        assert "Cllr Jane Smith answered your question #1. Their note: Tuesdays, from 7am" in s.last_text(s.mo)


async def test_any_undelivered_private_note_is_held_and_forgetme_removes_held_ones(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        s.world.unreachable.update({s.mo.id, s.priya.id})
        await surgery_ready(s)
        await s.say(s.mo, s.riverside, "/ask Can the bins go out on Saturdays?")
        await s.say(s.priya, s.riverside, "/ask And on Sundays?")
        await s.advance(timedelta(minutes=30))
        await s.say(s.jane, s.riverside, "/dismiss #1 outside the council's remit")
        await s.say(s.jane, s.riverside, "/dismiss #2 a duplicate")
        assert not any("remit" in t for t in s.texts(s.riverside))  # the reason is never posted in the group
        # Mo starts the bot later: the note that couldn't reach them is handed over then, once.
        await s.dm(s.mo, "/start")
        assert "outside the council's remit" in s.last_text(s.mo)
        # Priya asks to be forgotten first: what was held for her goes with the rest.
        await s.dm(s.priya, "/forgetme")
        await press(s, s.priya, s.world.private_chat(s.priya.id), "Erase my data")
        assert "1 undelivered private note removed" in s.last_text(s.priya)
        await s.dm(s.priya, "/start")
        assert not any("a duplicate" in t for t in s.texts(s.priya))
