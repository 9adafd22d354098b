"""Officer-hosted surgeries on the local adapter with a real SQLite file: a facilitator who mentions no councillor
hosts the surgery themselves as a council officer. They are named as one in the announcement, its calendar file,
the status line and reports; they take questions with /next and get what a host councillor would privately
(private questions, the time-box nudge, join requests from other groups, /reply); /mydata and /forgetme cover the
name and account stored for them."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.session_reports import SessionReports
from bot.storage import exports
from bot.storage import sessions as store
from tests.scenario import Scenario
from tests.surgery.helpers import bot_texts_since, press


async def _officer_surgery(s: Scenario, when: str = "today 18:30 1h Bins") -> None:
    """An active community with no councillor at all; Priya, a facilitator, schedules without mentioning one."""
    await s.invite_and_join()
    await s.say(s.ada, s.riverside, "/surgery facilitator add @Priya")
    await s.say(s.priya, s.riverside, f"/surgery schedule {when}")


async def test_a_facilitator_hosts_a_surgery_as_a_council_officer(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await _officer_surgery(s)
        announcement = s.texts(s.riverside)[-2]
        assert announcement.startswith("📅 Council surgery #1 with Priya (council officer): Wed 25 Nov 2026, 18:30 "
                                       "for 1h.")
        ics = next(m for m in s.riverside.messages if m.filename == "surgery-1.ics")
        assert ics.content is not None and b"SUMMARY:Council surgery with Priya (council officer)" in \
            ics.content.replace(b"\r\n ", b"")
        async with s.db.read() as tx:
            view = await store.get_session(tx, 1)
        assert view is not None and view.councillor_id is None and view.hosted_by_officer("local", s.priya.id)

        # A private question reaches the officer host, once (she is a facilitator here too).
        priya_chat = s.world.private_chat(s.priya.id)
        mark = len(priya_chat.messages)
        await s.dm(s.mo, "/ask Is my council tax band right for 3 Elm Road?")
        await press(s, s.mo, s.world.private_chat(s.mo.id), "Private")
        notices = bot_texts_since(s, priya_chat, mark)
        assert len(notices) == 1 and "3 Elm Road" in notices[0]

        await s.say(s.priya, s.riverside, "/surgery open")
        assert "👋 The surgery is open! Priya (council officer) is here until 19:30." in s.last_text(s.riverside)
        await s.say(s.mo, s.riverside, "/ask When are the bins collected?")
        # Another facilitator takes the question: the time box nudges them and the officer host privately.
        await s.say(s.ada, s.riverside, "/surgery facilitator add @Olu")
        await s.say(s.olu, s.riverside, "/next")
        assert s.last_text(s.riverside).startswith("🎤 Next, #1")
        mark = len(priya_chat.messages)
        await s.advance(timedelta(minutes=5, seconds=1))
        nudge = "⏱ Question #1 has been live for 5 minutes. Time to wrap up, park or refer it?"
        assert bot_texts_since(s, priya_chat, mark) == [nudge] and s.last_text(s.olu) == nudge

        await s.dm(s.priya, "/reply 1 Yes, band C is right.")
        assert s.last_text(s.mo).startswith("💬 Priya (council officer) has answered your question #1")
        await s.say(s.mo, s.riverside, "/surgery status")
        assert "Host: Priya (council officer)." in s.last_text(s.riverside)
        await s.say(s.ada, s.riverside, "/surgery language cy")
        await s.say(s.mo, s.riverside, "/surgery status")
        assert "Priya (swyddog y cyngor)" in s.last_text(s.riverside)

        await s.say(s.priya, s.riverside, "/surgery close")
        reports = SessionReports(s.db, s.clock)
        assert (await reports.show_session(1))["host"] == "Priya (council officer)"
        async with s.db.read() as tx:
            assert [row["host"] for row in await exports.session_rows(tx)] == ["Priya (council officer)"]
            assert (await store.stored_report(tx, 1) or {})["host"] == "Priya (council officer)"


async def test_who_hosts_what_a_facilitator_schedules(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.link_councillor(s.jane)
        await s.say(s.ada, s.riverside, "/surgery facilitator add @Priya")
        await s.say(s.priya, s.riverside, "/surgery schedule today 18:30 1h @Mo")  # Mo is no councillor
        assert s.last_text(s.riverside) == (
            "The person you mentioned isn't a linked councillor. Mention a linked councillor to schedule it for "
            "them, or mention nobody to host it yourself as a council officer.")
        await s.say(s.priya, s.riverside, "/surgery schedule today 18:30 1h @Jane")  # today's behaviour
        assert s.texts(s.riverside)[-2].startswith("📅 Council surgery #1 with Cllr Jane Smith:")
        await s.say(s.priya, s.riverside, "/surgery schedule today 20:00 1h")
        assert s.texts(s.riverside)[-2].startswith("📅 Council surgery #2 with Priya (council officer):")
        await s.say(s.mo, s.riverside, "/surgery upcoming")
        assert "with Priya (council officer)" in s.last_text(s.riverside)


async def test_another_group_joins_an_officer_hosted_surgery(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        hana, ken = s.world.add_user("Hana"), s.world.add_user("Ken")
        hilltop = s.world.add_group("Hilltop Tenants", owner=hana, admins=(), members=(ken,))
        await _officer_surgery(s)
        await s.invite_and_join(hilltop, by=hana)
        await s.say(hana, hilltop, "/surgery join 1")
        assert "I've asked Priya (council officer) privately" in s.last_text(hilltop)
        priya_chat = s.world.private_chat(s.priya.id)
        assert "Hilltop Tenants on the local chat asks to join your council surgery #1" in s.last_text(priya_chat)
        request = next(m for m in reversed(priya_chat.messages) if m.buttons)
        accept = next(b.data for b in request.buttons if b.label == "Accept")
        await s.adapter.press_button(s.mo, priya_chat, request.id, accept)  # only the host may answer
        assert s.calls("answer_button")[-1].args["text"] != "Done."
        await press(s, s.priya, priya_chat, "Accept")
        assert s.calls("answer_button")[-1].args["text"] == "Done."
        # A private question from the joined group reaches the officer host, who facilitates only Riverside.
        mark = len(priya_chat.messages)
        await s.dm(ken, "/ask Can the lifts at 4 Hill Court be fixed?")
        await press(s, ken, s.world.private_chat(ken.id), "Private")
        assert any("4 Hill Court" in t for t in bot_texts_since(s, priya_chat, mark))
        await s.dm(s.priya, "/reply 1 The repairs team will call.")
        assert s.last_text(ken).startswith("💬 Priya (council officer) has answered your question #1")


async def test_the_officer_host_sees_and_erases_what_is_stored_about_hosting(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await _officer_surgery(s)
        await s.dm(s.priya, "/mydata")
        exported = next(m for m in reversed(s.world.private_chat(s.priya.id).messages) if m.filename)
        document = json.loads(exported.content or b"{}")
        assert [(h["session"], h["name_shown"]) for h in document["surgeries_hosted_as_officer"]] == [(1, "Priya")]
        await s.dm(s.priya, "/forgetme")
        assert "1 surgery you hosted as a council officer" in s.last_text(s.priya)
        await press(s, s.priya, s.world.private_chat(s.priya.id), "Erase my data")
        assert "1 surgery you hosted now names “a council officer”" in s.last_text(s.priya)
        async with s.db.read() as tx:
            view = await store.get_session(tx, 1)
        assert view is not None and view.councillor_id is None and view.host_name == ""
        assert view.officer_user_id is None and view.officer_platform is None
        await s.say(s.mo, s.riverside, "/surgery status")
        assert "Host: a council officer." in s.last_text(s.riverside)


async def test_overdue_casework_is_told_to_the_officer_host(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await _officer_surgery(s, "today 18:10 1h Drains")
        await s.say(s.mo, s.riverside, "/ask The drain outside 4 Elm Road is blocked")
        await s.advance(timedelta(minutes=15))  # it opens by itself
        await s.say(s.priya, s.riverside, "/next")
        await s.say(s.priya, s.riverside, "/refer needs a highways inspection")
        assert "SRG-2026-000001" in s.last_text(s.mo)
        await s.advance(timedelta(days=15))  # past the reply date (10 working days)
        assert "Casework SRG-2026-000001 passed its reply date" in s.last_text(s.priya)


async def test_the_officer_host_runs_a_joint_surgery_from_the_joined_group(tmp_path) -> None:
    """Like a host councillor, the officer host steers their surgery from a group that joined it, where they are
    not a facilitator; anyone else there who is not staff is still refused."""
    async with Scenario(tmp_path) as s:
        hana, ken = s.world.add_user("Hana"), s.world.add_user("Ken")
        hilltop = s.world.add_group("Hilltop Tenants", owner=hana, admins=(), members=(ken, s.priya))
        await _officer_surgery(s, "today 18:30 1h Lifts")
        await s.invite_and_join(hilltop, by=hana)
        await s.say(hana, hilltop, "/surgery join 1")
        await press(s, s.priya, s.world.private_chat(s.priya.id), "Accept")
        await s.say(ken, hilltop, "/ask When will the lifts at Hill Court be fixed?")
        s.clock.set(s.clock.now().replace(hour=18, minute=30))
        await s.say(s.priya, hilltop, "/surgery open")
        assert "is open" in s.last_text(hilltop)
        await s.say(s.priya, hilltop, "/next")
        assert "Hill Court" in s.last_text(hilltop)
        await s.say(ken, hilltop, "/next")
        assert "only" in s.last_text(hilltop).lower() or "can't" in s.last_text(hilltop).lower()
