"""The policy commands and the automatic rules on the local adapter: approval governs every automatic action,
one case per message, the escalation ladder, dry runs, the personal-data guard, safeguarding, heat, edits,
newcomers' links and what session close lifts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.events import MessageReceived
from facilitation.cases import CaseAction
from tests.moderation.helpers import cases, community_with_facilitators, last_message_of, open_session, set_policy
from tests.scenario import Scenario

PHONE = "ring me on 07911 123456"


async def test_policy_is_shown_to_staff_changed_and_approved_by_admins(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.mo, s.riverside, "/surgery policy")
        assert "admins and facilitators" in s.last_text(s.riverside)
        await s.say(s.priya, s.riverside, "/surgery policy")
        assert "version 1 (not yet approved" in s.last_text(s.riverside)
        await s.say(s.priya, s.riverside, "/surgery policy set flood.mode on")
        assert "Only a group admin" in s.last_text(s.riverside)
        await s.say(s.ada, s.riverside, "/surgery policy set flood.max_messages 1000")
        assert s.last_text(s.riverside) == "flood.max_messages must be a whole number from 1 to 100."
        await s.say(s.ada, s.riverside, "/surgery policy set colour blue")
        assert "There's no policy setting “colour”" in s.last_text(s.riverside)
        await s.say(s.ada, s.riverside, "/surgery policy set flood.mode")
        assert s.last_text(s.riverside).startswith("flood.mode is dry-run now; it takes off, dry-run or on.")
        await s.say(s.ada, s.riverside, "/surgery policy set flood.mode on")
        assert "version 2" in s.last_text(s.riverside)
        await s.say(s.ada, s.riverside, "/surgery policy set flood.mode on")
        assert "already on" in s.last_text(s.riverside)
        await s.say(s.ada, s.riverside, "/surgery policy approve")
        assert "version 2 is approved" in s.last_text(s.riverside)
        await s.say(s.ada, s.riverside, "/surgery policy approve")
        assert "already approved" in s.last_text(s.riverside)
        await s.say(s.ada, s.riverside, "/surgery policy show")
        assert "version 2 (approved)" in s.last_text(s.riverside)


async def test_rules_act_only_under_an_approved_policy_and_only_in_sessions(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await set_policy(s, "personal_data.mode on", approve=False)
        await s.say(s.mo, s.riverside, PHONE)  # no session: the bot is deaf
        await open_session(s)
        await s.say(s.mo, s.riverside, PHONE)  # session, but the policy isn't approved
        assert not any(m.deleted for m in s.riverside.messages) and await cases(s) == []
        await s.say(s.ada, s.riverside, "/surgery policy approve")
        await s.say(s.mo, s.riverside, PHONE)
        assert last_message_of(s.riverside, s.mo).deleted
        await s.say(s.ada, s.riverside, "/surgery policy set personal_data.mode off")  # unapproved: still on
        await s.say(s.mo, s.riverside, PHONE)
        assert last_message_of(s.riverside, s.mo).deleted


async def test_personal_data_is_deleted_and_the_author_told_privately(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await set_policy(s, "personal_data.mode on")
        await open_session(s)
        mark = len(s.texts(s.riverside))
        await s.say(s.mo, s.riverside, "I live at 12 High Street, SW1A 1AA, mail mo@example.com")
        assert last_message_of(s.riverside, s.mo).deleted
        [note] = s.texts(s.mo)
        assert "I removed your message in Riverside Residents" in note and "/ask" in note
        assert "e-mail addresses" in note and "mo@example.com" not in note
        assert s.texts(s.riverside)[mark:] == []  # nothing said in public
        [case] = await cases(s)
        assert case.actions == (CaseAction.DELETE,) and case.clause.startswith("personal_data:")
        assert "mo@example.com" not in case.evidence + case.reason


async def test_the_flood_ladder_warns_then_mutes_and_lifts_at_close(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        s.world.mutes_enforced = False  # the member keeps posting past a mute, as no real platform allows
        await community_with_facilitators(s)
        await set_policy(s, "flood.mode on", "flood.max_messages 2", "flood.window_seconds 60")
        await open_session(s)
        for i in range(9):
            await s.say(s.mo, s.riverside, f"message {i}")
            s.clock.advance(timedelta(seconds=1))
        flood = [c for c in await cases(s) if c.clause == "flood"]
        assert [c.actions for c in flood][:3] == [(CaseAction.WARN,), (CaseAction.MUTE,), (CaseAction.MUTE,)]
        assert "flood: applied the next escalation step" in flood[0].reason
        mutes = s.calls("mute_member")
        assert len(mutes) >= 2 and all(c.args["user_id"] == s.mo.id for c in mutes)
        assert any("please take care" in t and "(flood)" in t for t in s.texts(s.riverside))
        assert flood[1].lifts_at_close
        await s.say(s.jane, s.riverside, "/surgery close")
        await s.app.timers.run_due()
        assert [c.args["user_id"] for c in s.calls("unmute_member")] == [s.mo.id] * len(
            [c for c in flood if CaseAction.MUTE in c.actions or CaseAction.SESSION_REMOVAL in c.actions])


async def test_the_fourth_offence_removes_from_the_session(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        s.world.mutes_enforced = False  # the member keeps posting past a mute, as no real platform allows
        await community_with_facilitators(s)
        await set_policy(s, "blocklist.mode on", "blocklist.terms +rubbishword")
        await open_session(s)
        for _ in range(4):
            await s.say(s.mo, s.riverside, "you RUBB1SHW0RD")
            s.clock.advance(timedelta(seconds=30))
        steps = [c.actions for c in await cases(s) if c.clause.startswith("blocklist")]
        assert steps == [(CaseAction.DELETE, CaseAction.WARN), (CaseAction.DELETE, CaseAction.MUTE),
                         (CaseAction.DELETE, CaseAction.MUTE), (CaseAction.DELETE, CaseAction.SESSION_REMOVAL)]
        assert "for the rest of this session" in s.last_text(s.riverside)
        assert not s.calls("ban_member") and not s.calls("kick_member")  # never an automatic ban


async def test_dry_run_logs_what_it_would_have_done_and_does_nothing(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.ada, s.riverside, "/surgery modlog here")
        await set_policy(s, "blocklist.terms +rubbishword")  # blocklist stays in dry run
        await open_session(s)
        await s.say(s.mo, s.riverside, "rubbishword")
        [case] = await cases(s)
        assert case.dry_run and "would have deleted the message" in case.reason
        assert not last_message_of(s.riverside, s.mo).deleted and not s.calls("mute_member")
        assert "📋 Case #1" in s.last_text(s.riverside)  # the log chat is this group here


async def test_safeguarding_alerts_facilitators_privately_only(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.ada, s.riverside, "/surgery modlog here")
        await set_policy(s, "safeguarding.mode on")
        await open_session(s)
        mark = len(s.texts(s.riverside))
        await s.say(s.mo, s.riverside, "honestly I want to end my life")
        [alert] = s.texts(s.priya)
        assert "Safeguarding" in alert and "safeguarding team" in alert and "Mo" in alert
        assert s.texts(s.riverside)[mark:] == [] and not last_message_of(s.riverside, s.mo).deleted
        [case] = await cases(s)
        assert case.actions == (CaseAction.ALERT,) and case.evidence == "end my life"


async def test_heat_turns_on_slow_mode_and_a_durable_timer_lifts_it(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await set_policy(s, "heat.mode on", "heat.exchange_messages 4")
        sam = s.world.add_user("Sam")
        s.riverside.members.add(sam.id)
        await open_session(s)
        for i in range(4):
            await s.say(s.mo if i % 2 == 0 else sam, s.riverside, f"no, you {i}")
        assert s.riverside.slow_mode_seconds == 30
        assert "slow mode is on for 5 minutes" in s.last_text(s.riverside)
        assert any("heating up" in t for t in s.texts(s.priya))
        await s.advance(timedelta(minutes=5, seconds=1))
        assert s.riverside.slow_mode_seconds == 0


async def test_edited_messages_are_judged_too(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await set_policy(s, "personal_data.mode on")
        await open_session(s)
        event = await s.say(s.mo, s.riverside, "hello")
        assert isinstance(event, MessageReceived)
        await s.adapter.deliver(replace(event, update_key="edit-1", text=PHONE, edited=True))
        assert last_message_of(s.riverside, s.mo).deleted


async def test_links_from_newcomers(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await set_policy(s, "links.mode on")
        newcomer = s.world.add_user("Newbie")
        await s.adapter.member_joins(s.riverside, newcomer)
        await open_session(s)
        await s.say(newcomer, s.riverside, "cheap deals at https://spam.example")
        await s.say(s.mo, s.riverside, "the council page is https://example.gov.uk")
        assert last_message_of(s.riverside, newcomer).deleted
        assert not last_message_of(s.riverside, s.mo).deleted


async def test_staff_are_exempt(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await set_policy(s, "personal_data.mode on")
        await open_session(s)
        for person in (s.priya, s.jane, s.ada):
            await s.say(person, s.riverside, "call the office on 07911 123456")
        assert not any(m.deleted for m in s.riverside.messages) and await cases(s) == []


async def test_reports_and_appeals(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        s.world.mutes_enforced = False  # the member keeps posting past a mute, as no real platform allows
        await community_with_facilitators(s)
        await s.say(s.ada, s.riverside, "/surgery facilitator add @Olu")
        await s.say(s.mo, s.riverside, "/report")
        assert "Reply to the message" in s.last_text(s.riverside)
        await s.say(s.ada, s.riverside, "a message")
        await s.say(s.mo, s.riverside, "/report rude", reply_to=last_message_of(s.riverside, s.ada))
        assert "facilitators have been told" in s.last_text(s.riverside)
        assert "flagged a message" in s.last_text(s.priya) and "rude" in s.last_text(s.priya)
        await s.say(s.priya, s.riverside, "/mute @Mo 10m")
        await s.dm(s.mo, "/appeal 1 I did nothing wrong")
        assert "gone to a facilitator" in s.last_text(s.mo)
        appeal = s.last_text(s.olu)
        assert "Appeal about case #1" in appeal and "I did nothing wrong" in appeal
        assert not any("Appeal" in t for t in s.texts(s.priya))  # not to the one who acted
        await s.dm(s.mo, "/appeal 7 why")
        assert "can't find case #7" in s.last_text(s.mo)
        await s.dm(s.priya, "/appeal 1 not mine")
        assert "can't find case #1" in s.last_text(s.priya)
        await s.say(s.mo, s.riverside, "/appeal 1 in public")
        assert "private chat" in s.last_text(s.riverside)


async def test_ordinary_posts_never_wait_for_a_platform_admin_check(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Whether a poster is a platform admin (exempt, like staff) takes a call to the platform. Ordinary posts
    don't wait for it (it would hold every other post in the chat behind a call per person): it is asked in the
    background, and waited for only when a rule would act."""
    import asyncio

    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await set_policy(s, "flood.mode on", "personal_data.mode on")
        await open_session(s)
        answer, asked = asyncio.Event(), []
        ask_platform = s.adapter.get_member

        async def slow_platform(chat, user):  # type: ignore[no-untyped-def]
            asked.append(user.id)
            await answer.wait()
            return await ask_platform(chat, user)

        s.adapter.get_member = slow_platform  # type: ignore[method-assign]
        for person in (s.mo, s.ada):
            await asyncio.wait_for(s.say(person, s.riverside, "Good evening from Mill Lane"), 2)
        assert {s.mo.id, s.ada.id} <= set(asked)  # asked, in the background
        answer.set()
        await s.say(s.ada, s.riverside, "call the office on 07911 123456")  # an admin: still exempt
        await s.say(s.mo, s.riverside, "call me on 07911 123456")
        assert not last_message_of(s.riverside, s.ada).deleted
        assert last_message_of(s.riverside, s.mo).deleted
