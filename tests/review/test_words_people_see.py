"""What residents and facilitators read: plain words for residents, names staff recognise, correct English."""

from __future__ import annotations

from datetime import timedelta

from tests.moderation.helpers import community_with_facilitators, open_session, set_policy
from tests.scenario import Scenario


async def test_an_automatic_warning_tells_the_resident_the_rule_in_plain_words(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await set_policy(s, "flood.mode on", "flood.max_messages 2", "flood.window_seconds 60")
        await open_session(s)
        for i in range(6):
            await s.say(s.mo, s.riverside, f"message {i}")
            s.clock.advance(timedelta(seconds=1))
        private = s.texts(s.world.private_chat(s.mo.id))
        warned = [t for t in private if t.startswith("You've had a warning")]
        muted = [t for t in private if t.startswith("You can't post")]
        assert warned and muted
        for text in warned + muted:
            assert "too many messages in a short time" in text
            assert "escalation step" not in text


async def test_the_personal_data_note_is_good_english(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await set_policy(s, "personal_data.mode on")
        await open_session(s)
        await s.say(s.mo, s.riverside, "ring me on 07911 123456 or mail mo@example.com")
        note = s.last_text(s.world.private_chat(s.mo.id))
        assert "phone numbers, e-mail addresses; details like that are best not shared in public" in note


async def test_cases_and_appeals_name_people_staff_know(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.ada, s.riverside, "/surgery facilitator add @Olu")
        await open_session(s)
        await s.say(s.mo, s.riverside, "/ask Why are the bins late?")  # the bot now holds Mo's name
        await s.say(s.priya, s.riverside, "/mute @Mo 10m shouting")
        await s.say(s.priya, s.riverside, "/cases")
        listing = s.last_text(s.priya)
        assert f"member Mo ({s.mo.id}) · by Priya ({s.priya.id})" in listing
        await s.dm(s.mo, "/appeal 1 sorry, I was upset")
        forwarded = s.last_text(s.world.private_chat(s.olu.id))
        assert f"by Priya ({s.priya.id})" in forwarded


async def test_a_report_names_the_author_staff_know(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await open_session(s)
        await s.say(s.mo, s.riverside, "/ask Why are the bins late?")  # the bot now holds Mo's name
        await s.say(s.mo, s.riverside, "you lot are all idiots")
        flagged = [m for m in s.riverside.messages if m.sender_id == s.mo.id][-1]
        await s.say(s.olu, s.riverside, "/report rude", reply_to=flagged)
        alert = s.last_text(s.world.private_chat(s.priya.id))  # Priya is the facilitator
        assert f"flagged a message from member Mo ({s.mo.id})" in alert


async def test_cases_in_the_group_never_show_a_safeguarding_alert(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await set_policy(s, "safeguarding.mode on")
        await open_session(s)
        await s.say(s.mo, s.riverside, "I want to kill myself, I can't go on")
        assert "Safeguarding" in s.last_text(s.world.private_chat(s.priya.id))  # the alert went privately
        mark = len(s.texts(s.priya))
        await s.say(s.priya, s.riverside, "/cases")
        await s.say(s.priya, s.riverside, "/cases @Mo")
        for listing in s.texts(s.priya)[mark:] + s.texts(s.riverside)[-2:]:
            assert "safeguarding" not in listing and "private alert" not in listing and "Mo" not in listing
