"""Whole surgeries on the local adapter with a real SQLite file and a fake clock."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import func, select

from bot.storage import sessions as store
from bot.storage.models import CaseworkReferral, Timer
from tests.scenario import Scenario
from tests.surgery.helpers import bot_texts_since, press, question_message, surgery_ready, vote

# The scenario clock starts on Wed 25 Nov 2026 at 18:00 UTC (18:00 in London).


async def test_schedule_announces_with_a_calendar_file_and_reminds(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await surgery_ready(s, "2026-11-27 18:00 45m Bins and parking")
        announcement = s.texts(s.riverside)[-2]
        assert "Cllr Jane Smith" in announcement and "Fri 27 Nov 2026, 18:00" in announcement
        assert "Bins and parking" in announcement
        ics = [m for m in s.riverside.messages if m.filename == "surgery-1.ics"]
        assert len(ics) == 1
        event = Calendar.from_ical(ics[0].content).walk("VEVENT")[0]
        assert event.decoded("dtstart").isoformat() == "2026-11-27T18:00:00+00:00"
        mark = len(s.riverside.messages)
        await s.advance(timedelta(hours=24))  # T-24h is 26 Nov 18:00
        assert any("Reminder" in t for t in bot_texts_since(s, s.riverside, mark))
        mark = len(s.riverside.messages)
        await s.advance(timedelta(hours=23))  # T-1h
        assert [t for t in bot_texts_since(s, s.riverside, mark) if "Reminder" in t]
        mark = len(s.riverside.messages)
        await s.advance(timedelta(hours=1))
        texts = bot_texts_since(s, s.riverside, mark)
        assert len(texts) == 1 and "The surgery is open" in texts[0]


async def test_schedule_refusals(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await surgery_ready(s, "today 19:00 1h")
        await s.say(s.jane, s.riverside, "/surgery schedule today 19:30 1h")
        assert "overlaps" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/surgery schedule today 17:00 1h")
        assert "already passed" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/surgery schedule tomorrow 18:00 5m")
        assert "at least 10m" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/surgery schedule tomorrow 18:00 5h")
        assert "at most 4h" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/surgery schedule whenever 1h")
        assert "couldn't read" in s.last_text(s.riverside)
        await s.say(s.mo, s.riverside, "/surgery schedule tomorrow 18:00 1h")
        assert "only" in s.last_text(s.riverside)
        # A facilitator schedules for a councillor by mentioning them; without one they host it as a council
        # officer (tests/surgery/test_officer_hosted.py).
        await s.say(s.priya, s.riverside, "/surgery schedule tomorrow 18:00 1h @Jane Roads")
        assert "Cllr Jane Smith" in s.texts(s.riverside)[-2] and "Topic: Roads" in s.texts(s.riverside)[-2]
        await s.say(s.priya, s.riverside, "/surgery schedule tomorrow 20:00 1h Roads")
        assert "with Priya (council officer)" in s.texts(s.riverside)[-2]


async def test_a_whole_surgery(tmp_path, database_url) -> None:  # SQLite, and PostgreSQL when configured
    async with Scenario(tmp_path, database_url=database_url) as s:
        bo = s.world.add_user("Bo")
        s.riverside.members.add(bo.id)
        await surgery_ready(s, "today 18:30 1h Bins")
        # Questions are welcome before the session opens.
        await s.say(s.mo, s.riverside, "/ask When are the bins collected?")
        await s.say(bo, s.riverside, "/ask Why are bins missed on Fridays?")
        await s.say(s.priya, s.riverside, "/ask Can we have a crossing on Mill Lane?")
        await s.say(s.mo, s.riverside, "/ask And the recycling?")
        first = question_message(s, s.riverside, 1)
        assert first.text == "❓ #1 from Mo: When are the bins collected?"
        first_vote = first.buttons[0].data
        assert await vote(s, s.priya, s.riverside, 3) == "That's your own question — you can't vote for it."
        assert await vote(s, s.mo, s.riverside, 3) == "Thanks for your vote 👍"
        assert await vote(s, bo, s.riverside, 3) == "Thanks for your vote 👍"
        assert await vote(s, bo, s.riverside, 1) == "Thanks for your vote 👍"
        assert await vote(s, bo, s.riverside, 1) == "Vote withdrawn."
        assert question_message(s, s.riverside, 3).buttons[0].label == "👍 2"
        await s.advance(timedelta(minutes=30))
        assert "The surgery is open" in s.last_text(s.riverside)

        await s.say(s.mo, s.riverside, "/queue")
        queue = s.last_text(s.riverside).splitlines()
        # Votes first (#3), then first-time askers (#1 Mo, #2 Bo) before Mo's second (#4).
        assert [line.split("#")[1][0] for line in queue[1:]] == ["3", "1", "2", "4"]

        await s.say(s.mo, s.riverside, "/next")
        assert "only" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/next")
        assert "#3 from Priya" in s.last_text(s.riverside) and "has the floor" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/next")
        assert "still live" in s.last_text(s.riverside)
        await s.advance(timedelta(minutes=3))
        assert "follow-up time for #3 is over" in s.last_text(s.riverside)
        await s.advance(timedelta(minutes=2))
        assert "has been live for 5 minutes" in s.last_text(s.jane)
        await s.say(s.jane, s.riverside, "/answered a crossing survey is booked")
        assert s.last_text(s.riverside) == "✅ #3 “Can we have a crossing on Mill Lane?” answered."
        assert question_message(s, s.riverside, 3).buttons == ()

        await s.say(s.jane, s.riverside, "/merge 1 2")
        assert "#2 is merged into #1" in s.last_text(s.riverside)
        assert "were merged" in s.last_text(s.mo) and "were merged" in s.last_text(bo)
        await s.say(s.jane, s.riverside, "/next")
        assert "#1 from Mo" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/refer needs a site visit")
        assert "SRG-2026-000001" in s.last_text(s.mo) and "Wednesday 09 December 2026" in s.last_text(s.mo)
        assert "SRG-2026-000001" in s.last_text(s.jane)
        assert "SRG" not in s.last_text(s.riverside) and "Mo" not in s.last_text(s.riverside)

        await s.say(s.jane, s.riverside, "/dismiss #4 duplicate of #1")
        assert "set aside by the host (duplicate of #1)" in s.last_text(s.mo)
        await s.say(s.jane, s.riverside, "/reopen 4")
        assert "#4" in s.last_text(s.riverside) and "back in the queue" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/park")
        assert "No question is being answered" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/park #4 next time")
        assert "parked" in s.last_text(s.riverside)

        await s.say(s.jane, s.riverside, "/surgery close")
        summary = s.last_text(s.riverside)
        assert "Questions asked: 4 · answered: 1 · parked: 1 · referred to casework: 1" in summary
        assert "people taking part: 3" in summary
        assert "offer a follow-up" in summary
        assert "Would you like the council to follow it up?" in s.last_text(s.mo)
        await press(s, s.mo, s.world.private_chat(s.mo.id), "Yes, please follow up")
        assert "SRG-2026-000002" in s.last_text(s.mo)
        await s.adapter.press_button(bo, s.riverside, first.id, first_vote)  # a stale button after close
        assert s.calls("answer_button")[-1].args["text"] == "This surgery has ended, so voting is closed."
        async with s.db.unit_of_work() as session:
            report = await store.stored_report(session, 1)
            referrals = await session.scalar(select(func.count()).select_from(CaseworkReferral))
        assert report["counts"]["asked"] == 4 and report["counts"]["merged"] == 1 and referrals == 2


async def test_anonymous_and_private_questions_from_a_private_chat(tmp_path, database_url) -> None:  # SQLite, and PostgreSQL when configured
    async with Scenario(tmp_path, database_url=database_url) as s:
        await surgery_ready(s)
        await s.dm(s.mo, "/ask")
        assert "Send /ask followed by your question" in s.last_text(s.mo)
        await s.dm(s.mo, "/ask Is my street on the gritting route?")
        assert "How should it be asked?" in s.last_text(s.mo)
        await press(s, s.mo, s.world.private_chat(s.mo.id), "Anonymous")
        posted = question_message(s, s.riverside, 1)
        assert posted.text == "❓ #1 (asked anonymously): Is my street on the gritting route?"
        assert "Mo" not in posted.text
        assert "without your name" in s.last_text(s.mo)

        mark = len(s.riverside.messages)
        await s.dm(s.mo, "/ask My neighbour's tree damaged my fence at 12 Mill Lane")
        await press(s, s.mo, s.world.private_chat(s.mo.id), "Private")
        assert bot_texts_since(s, s.riverside, mark) == []
        assert "12 Mill Lane" in s.last_text(s.jane)  # the host
        assert "12 Mill Lane" in s.last_text(s.priya)  # a facilitator
        assert "host and facilitators only" in s.last_text(s.mo)

        await s.advance(timedelta(minutes=30))
        await s.say(s.jane, s.riverside, "/next")  # both at 0 votes; #1 came first
        await s.say(s.jane, s.riverside, "/answered")
        await s.say(s.jane, s.riverside, "/next")
        public = s.last_text(s.riverside)
        assert "a private question" in public and "Mill Lane" not in public and "Mo" not in public
        assert "12 Mill Lane" in s.last_text(s.jane)
        assert "being taken now" in s.last_text(s.mo)
        await s.say(s.jane, s.riverside, "/queue")
        assert "Mo" not in s.last_text(s.riverside) and "Mill Lane" not in s.last_text(s.riverside)


async def test_a_private_ask_chooses_between_communities(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        hilltop = s.world.add_group("Hilltop Chat", owner=s.olu, members=(s.mo, s.jane))
        await surgery_ready(s)
        await s.invite_and_join(hilltop, by=s.olu)
        await s.say(s.jane, hilltop, "/surgery schedule today 20:00 1h")
        await s.dm(s.mo, "/ask Hello?")
        assert "Which group" in s.last_text(s.mo)
        await press(s, s.mo, s.world.private_chat(s.mo.id), "Hilltop Chat")
        await press(s, s.mo, s.world.private_chat(s.mo.id), "Anonymous")
        assert question_message(s, hilltop, 1).text.endswith("Hello?")
        # Priya is not in Hilltop: she is offered Riverside only, straight to the anonymous/private choice.
        await s.dm(s.priya, "/ask Hi")
        assert "for Riverside Residents" in s.last_text(s.priya)


async def test_strict_mode_needs_a_facilitator_to_approve(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await surgery_ready(s, "today 18:30 1h --strict")
        await s.say(s.mo, s.riverside, "/ask Can we have more benches?")
        assert "once a facilitator approves it" in s.last_text(s.riverside)
        assert "waiting for approval" in s.last_text(s.priya)
        await s.say(s.mo, s.riverside, "/approve 1")
        assert "only" in s.last_text(s.riverside)
        await s.say(s.priya, s.riverside, "/approve 1")
        assert question_message(s, s.riverside, 1).text.endswith("more benches?")
        assert "now in the queue" in s.last_text(s.mo)
        await s.say(s.priya, s.riverside, "/approve 1")
        assert "isn't waiting for approval" in s.last_text(s.riverside)
        # The approve button in a facilitator's private chat works too.
        await s.say(s.olu, s.riverside, "/ask And bins?")
        await press(s, s.priya, s.world.private_chat(s.priya.id), "Approve")
        assert question_message(s, s.riverside, 2).text.endswith("And bins?")
        await s.say(s.jane, s.riverside, "/surgery mode permissive")
        await s.say(s.mo, s.riverside, "/ask Straight in?")
        assert question_message(s, s.riverside, 3)


async def test_bad_input(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.say(s.mo, s.riverside, "/ask Anyone?")
        assert "no surgery scheduled" in s.last_text(s.riverside)
        await s.link_councillor(s.jane)
        await s.say(s.jane, s.riverside, "/surgery schedule today 18:30 1h")
        await s.say(s.mo, s.riverside, "/ask")
        assert "Please add your question" in s.last_text(s.riverside)
        await s.say(s.mo, s.riverside, "/ask " + "x" * 1001)
        assert "under 1000 characters" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/surgery close")
        assert "use /surgery cancel" in s.last_text(s.riverside)
        await s.advance(timedelta(minutes=30))
        await s.say(s.jane, s.riverside, "/next")
        assert "queue is empty" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/reopen 7")
        assert "no question #7" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/merge 1 2")
        assert "no question #1" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/merge one")
        assert "e.g. /merge 3 5" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/answered #9")
        assert "no question #9" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/surgery extend soon")
        assert "/surgery extend 15m" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/surgery pause")
        await s.say(s.mo, s.riverside, "/ask During the pause?")
        await s.say(s.jane, s.riverside, "/next")
        assert "isn't open right now" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/surgery resume")
        await s.say(s.jane, s.riverside, "/surgery open")
        assert "already open" in s.last_text(s.riverside)


async def test_a_councillor_runs_only_their_own_session(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        sam = s.world.add_user("Sam")
        s.riverside.members.add(sam.id)
        await surgery_ready(s)
        await s.link_councillor(sam, "Cllr Sam Patel")
        await s.say(sam, s.riverside, "/surgery open")
        assert "only" in s.last_text(s.riverside)
        await s.say(s.priya, s.riverside, "/surgery open")  # a facilitator may
        assert "The surgery is open! Cllr Jane Smith" in s.last_text(s.riverside)
        await s.say(sam, s.riverside, "/surgery close")
        assert "only" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/surgery status")
        assert "Surgery #1 is open" in s.last_text(s.riverside)


async def test_auto_close_with_a_warning_and_carry_to_the_next_session(tmp_path, database_url) -> None:  # SQLite, and PostgreSQL when configured
    async with Scenario(tmp_path, database_url=database_url) as s:
        await surgery_ready(s, "today 18:30 30m")
        await s.say(s.jane, s.riverside, "/surgery schedule tomorrow 18:00 1h")
        await s.say(s.mo, s.riverside, "/ask Unanswered one")
        await s.advance(timedelta(minutes=30))
        await s.say(s.jane, s.riverside, "/surgery extend 10m")
        assert "now ends at 19:10" in s.last_text(s.riverside)
        mark = len(s.riverside.messages)
        await s.advance(timedelta(minutes=35))
        assert bot_texts_since(s, s.riverside, mark) == ["⏳ The surgery closes in 5 minutes."]
        await s.advance(timedelta(minutes=5))
        assert "Questions we didn't reach move to the next surgery on Thu 26 Nov 2026, 18:00" in \
            s.last_text(s.riverside)
        assert "moves to the next surgery" in s.last_text(s.mo)
        async with s.db.unit_of_work() as session:
            carried = await store.questions(session, 2)
        assert [(q.number, q.text, q.carried_from_id) for q in carried] == [(1, "Unanswered one", 1)]
        mark = len(s.riverside.messages)
        await s.advance(timedelta(hours=23))
        texts = bot_texts_since(s, s.riverside, mark)
        opened = next(i for i, t in enumerate(texts) if "The surgery is open" in t)
        assert texts[opened + 1] == "❓ #1 from Mo: Unanswered one"  # carried questions get a vote button


async def test_cancel_stops_every_timer(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await surgery_ready(s, "2026-11-27 18:00 1h")
        await s.say(s.jane, s.riverside, "/surgery cancel")
        assert "is cancelled" in s.last_text(s.riverside)
        mark = len(s.riverside.messages)
        await s.advance(timedelta(days=3))
        assert bot_texts_since(s, s.riverside, mark) == []


async def test_a_session_whose_community_left_ends_quietly(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await surgery_ready(s)
        await s.say(s.mo, s.riverside, "/ask Still there?")
        await s.say(s.ada, s.riverside, "/surgery leave")
        calls = len(s.world.calls)
        await s.advance(timedelta(hours=2))
        assert [c for c in s.world.calls[calls:] if c.method != "get_member"] == []
        async with s.db.unit_of_work() as session:
            assert (await store.get_session(session, 1)).state == "cancelled"
            pending = await session.scalar(select(func.count()).select_from(Timer).where(
                Timer.fired_at.is_(None), Timer.cancelled_at.is_(None)))
        assert pending == 0
        await s.dm(s.mo, "/ask Hello?")
        assert "couldn't find a surgery" in s.last_text(s.mo)


async def test_restart_mid_session_keeps_queue_votes_floor_and_timers(tmp_path) -> None:
    first = Scenario(tmp_path)
    async with first as s:
        await surgery_ready(s)
        await s.say(s.mo, s.riverside, "/ask First?")
        await s.say(s.priya, s.riverside, "/ask Second?")
        await vote(s, s.olu, s.riverside, 2)
        await s.advance(timedelta(minutes=30))
        await s.say(s.jane, s.riverside, "/next")
        assert "#2 from Priya" in s.last_text(s.riverside)
    # The process dies here; a new one starts on the same database, world and clock.
    s = Scenario(tmp_path, database_url=first.database_url, clock=first.clock, world=first.world)
    for name in ("olu", "ada", "mo", "priya", "jane", "riverside"):
        setattr(s, name, getattr(first, name))
    async with s:
        mark = len(s.riverside.messages)
        await s.advance(timedelta(minutes=3))
        assert bot_texts_since(s, s.riverside, mark) == ["Thanks — the follow-up time for #2 is over."]
        await s.advance(timedelta(minutes=2))
        assert "has been live for 5 minutes" in s.last_text(s.jane)
        mark = len(s.riverside.messages)
        await s.advance(timedelta(minutes=1))
        assert bot_texts_since(s, s.riverside, mark) == []  # nothing announced twice
        assert await vote(s, s.olu, s.riverside, 2) == "Vote withdrawn."  # the vote survived
        await s.say(s.jane, s.riverside, "/answered")
        await s.say(s.jane, s.riverside, "/queue")
        assert "#1 “First?”" in s.last_text(s.riverside)
        await s.advance(timedelta(minutes=60))  # past 19:30: auto-close fires once, after the warning
        texts = bot_texts_since(s, s.riverside, mark)
        assert sum("closes in 5 minutes" in t for t in texts) == 1
        assert sum("The surgery is closed" in t for t in texts) == 1
