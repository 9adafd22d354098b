"""Facilitator commands on the local adapter: each one's case and platform call, and every refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from facilitation.cases import CaseAction
from tests.moderation.helpers import cases, community_with_facilitators, last_message_of, open_session, set_policy
from tests.scenario import Scenario
from tests.surgery.helpers import press

MODERATION_CALLS = ("mute_member", "unmute_member", "delete_message", "kick_member", "ban_member", "unban_member",
                    "set_slow_mode")


def platform_calls(s: Scenario) -> list[str]:
    return [c.method for c in s.world.calls if c.method in MODERATION_CALLS]


async def test_mute_by_reply_restricts_until_the_right_time_and_writes_the_case_first(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.mo, s.riverside, "something rude")
        await s.say(s.priya, s.riverside, "/mute 10m rude", reply_to=last_message_of(s.riverside, s.mo))
        [call] = s.calls("mute_member")
        assert call.args["user_id"] == s.mo.id
        assert call.args["until"] == (s.clock.now() + timedelta(minutes=10)).isoformat()
        [case] = await cases(s)
        assert (case.actions, case.clause, case.actor, case.target_user_id, case.reason) == (
            (CaseAction.MUTE,), "manual", s.priya.id, s.mo.id, "rude")
        assert case.expires_at == s.clock.now() + timedelta(minutes=10)
        assert "Case #1" in s.last_text(s.riverside) and "muted for 10m" in s.last_text(s.riverside)
        assert "/appeal 1" in s.last_text(s.mo)
        # Audit: the case number travels to the platform call's reason.
        await s.say(s.priya, s.riverside, "/unmute @Mo")
        assert [c.args["user_id"] for c in s.calls("unmute_member")] == [s.mo.id]
        assert "can post again" in s.last_text(s.riverside)


@pytest.mark.parametrize(("typed", "answer"), [
    ("0", "isn't a duration"), ("-5m", "isn't a duration"), ("400d", "the maximum is 366d"),
    ("10x", "isn't a duration"), ("20s", "at least 30 seconds"), ("", "Say for how long"),
])
async def test_bad_durations_get_a_clear_answer_and_no_call(tmp_path, typed: str, answer: str) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.priya, s.riverside, f"/mute @Mo {typed}")
        assert answer in s.last_text(s.riverside)
        assert platform_calls(s) == [] and await cases(s) == []


@pytest.mark.parametrize(("who", "answer"), [("olu", "group admin"), ("bot", "can't moderate myself"),
                                             ("self", "can't moderate yourself"), ("absent", "isn't in this chat"),
                                             ("nobody", "Say who")])
async def test_refused_targets(tmp_path, who: str, answer: str) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        stranger = s.world.add_user("Stranger")
        target = {"olu": "@Olu", "bot": "1000", "self": "@Priya", "absent": stranger.id, "nobody": ""}[who]
        await s.say(s.priya, s.riverside, f"/mute {target} 10m")
        assert answer in s.last_text(s.riverside)
        assert platform_calls(s) == [] and await cases(s) == []


@pytest.mark.parametrize("command", ["/mute @Priya 10m", "/warn @Priya", "/remove", "/kick @Priya", "/ban @Priya",
                                     "/slowmode 30", "/lock", "/cases", "/undo 1"])
async def test_a_resident_gets_one_line_and_no_platform_call(tmp_path, command: str) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        before = len(s.texts(s.riverside))
        await s.say(s.mo, s.riverside, command, reply_to=last_message_of(s.riverside, s.ada))
        assert s.texts(s.riverside)[before:] == ["Sorry, that command is for facilitators only."]
        assert platform_calls(s) == [] and await cases(s) == []


async def test_the_councillor_has_no_moderation_powers(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.jane, s.riverside, "/mute @Mo 10m")
        assert "for facilitators only" in s.last_text(s.riverside)
        assert platform_calls(s) == []


async def test_warn_and_remove(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.mo, s.riverside, "my neighbour at number 4 is awful")
        offending = last_message_of(s.riverside, s.mo)
        await s.say(s.priya, s.riverside, "/warn be kind", reply_to=offending)
        assert "has a warning" in s.last_text(s.riverside) and "be kind" in s.last_text(s.riverside)
        assert "/appeal 1" in s.last_text(s.mo)
        await s.say(s.priya, s.riverside, "/remove not kind", reply_to=offending)
        assert offending.deleted
        assert [c.actions for c in await cases(s)] == [(CaseAction.WARN,), (CaseAction.DELETE,)]
        await s.say(s.priya, s.riverside, "/remove")
        assert "Reply to the message" in s.last_text(s.riverside)


async def test_kick_needs_the_policy(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.priya, s.riverside, "/kick @Mo")
        assert "Kicks are off" in s.last_text(s.riverside) and platform_calls(s) == []
        await set_policy(s, "kick_allowed on")
        await s.say(s.priya, s.riverside, "/kick @Mo shouting")
        assert platform_calls(s) == ["kick_member"] and s.mo.id not in s.riverside.members
        assert "removed from the group" in s.last_text(s.riverside)


async def test_a_ban_needs_a_second_facilitator(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.ada, s.riverside, "/surgery facilitator add @Olu")
        await s.say(s.priya, s.riverside, "/ban @Mo 7d")
        assert "Bans are off" in s.last_text(s.riverside)
        await set_policy(s, "ban_allowed on")
        await s.say(s.priya, s.riverside, "/ban @Mo 7d repeated abuse")
        assert "second facilitator must confirm" in s.last_text(s.riverside)
        await press(s, s.priya, s.riverside, "Confirm ban")  # the requester can't confirm their own ban
        assert "different facilitator" in s.calls("answer_button")[-1].args["text"]
        await press(s, s.mo, s.riverside, "Confirm ban")  # nor can a resident
        assert platform_calls(s) == [] and await cases(s) == []
        await press(s, s.olu, s.riverside, "Confirm ban")
        [ban] = s.calls("ban_member")
        assert ban.args["until"] == (s.clock.now() + timedelta(days=7)).isoformat()
        [case] = await cases(s)
        assert case.actions == (CaseAction.BAN,) and case.actor == s.priya.id
        request = [m for m in s.riverside.messages if "asks to ban" in m.text or "is banned" in m.text][-1]
        assert "Case #1" in request.text and "is banned until" in request.text
        # A second press on the old button does nothing; the durable timer lifts the ban when it ends.
        await s.adapter.press_button(s.olu, s.riverside, request.id, "ban:ok:1")
        assert len(s.calls("ban_member")) == 1
        await s.advance(timedelta(days=7, seconds=1))
        assert [c.args["user_id"] for c in s.calls("unban_member")] == [s.mo.id]


async def test_a_ban_request_can_be_cancelled(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await set_policy(s, "ban_allowed on")
        await s.say(s.priya, s.riverside, "/ban @Mo")
        await press(s, s.priya, s.riverside, "Cancel")
        assert "cancelled" in s.riverside.messages[-1].text
        assert platform_calls(s) == [] and await cases(s) == []


async def test_unban_by_id(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.priya, s.riverside, f"/unban {s.mo.id}")
        assert [c.args["user_id"] for c in s.calls("unban_member")] == [s.mo.id]
        assert "no longer banned" in s.last_text(s.riverside)


async def test_slowmode(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.priya, s.riverside, "/slowmode 30")
        assert s.riverside.slow_mode_seconds == 30 and "30 seconds" in s.last_text(s.riverside)
        await s.say(s.priya, s.riverside, "/slowmode off")
        assert s.riverside.slow_mode_seconds == 0 and "slow mode is off" in s.last_text(s.riverside)
        for bad in ("fast", "0", "-3", "99999"):
            await s.say(s.priya, s.riverside, f"/slowmode {bad}")
            assert "Use /slowmode" in s.last_text(s.riverside)
        assert len(s.calls("set_slow_mode")) == 2


async def test_lock_lets_only_staff_and_the_floor_post(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.priya, s.riverside, "/lock")
        assert "isn't one open" in s.last_text(s.riverside)
        await open_session(s)
        await s.say(s.priya, s.riverside, "/lock")
        assert "the chat is locked" in s.last_text(s.riverside)
        await s.say(s.priya, s.riverside, "/lock")
        assert "already locked" in s.last_text(s.riverside)
        await s.say(s.mo, s.riverside, "can I speak?")
        assert last_message_of(s.riverside, s.mo).deleted
        await s.say(s.jane, s.riverside, "the host may speak")
        await s.say(s.priya, s.riverside, "so may facilitators")
        assert not last_message_of(s.riverside, s.jane).deleted and not last_message_of(s.riverside, s.priya).deleted
        # The resident with the floor may post too.
        await s.say(s.mo, s.riverside, "/ask When are the bins collected?")
        await s.say(s.jane, s.riverside, "/next")
        await s.say(s.mo, s.riverside, "a follow-up")
        assert not last_message_of(s.riverside, s.mo).deleted
        await s.say(s.priya, s.riverside, "/unlock")
        assert "open again" in s.last_text(s.riverside)
        await s.say(s.priya, s.riverside, "/unlock")
        assert "isn't locked" in s.last_text(s.riverside)


async def test_cases_and_undo(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.priya, s.riverside, "/cases")
        assert "No moderation cases" in s.last_text(s.riverside)
        await s.say(s.priya, s.riverside, "/mute @Mo 1h noisy")
        await s.say(s.priya, s.riverside, "/warn @Priya")  # refused: yourself
        await s.say(s.priya, s.riverside, f"/warn {s.jane.id} off topic")
        await s.say(s.priya, s.riverside, "/cases @Mo")
        assert s.last_text(s.riverside) == "I've sent you the cases privately."
        listing = s.last_text(s.priya)
        assert "#1 · mute · manual" in listing and "#2" not in listing
        await s.say(s.priya, s.riverside, "/undo 1")
        assert "Case #1 is undone" in s.last_text(s.riverside)
        assert [c.args["user_id"] for c in s.calls("unmute_member")] == [s.mo.id]
        [first, _] = await cases(s)
        assert first.reversed_by == s.priya.id and first.reversed_at == s.clock.now()
        await s.say(s.priya, s.riverside, "/undo 1")
        assert "already undone" in s.last_text(s.riverside)
        assert len(s.calls("unmute_member")) == 1
        await s.say(s.priya, s.riverside, "/undo 9")
        assert "no case #9" in s.last_text(s.riverside)
        await s.say(s.priya, s.riverside, "/undo one")
        assert "Say which case" in s.last_text(s.riverside)
        await s.say(s.priya, s.riverside, "/cases")
        assert "(undone)" in s.last_text(s.priya)


async def test_a_missing_right_is_reported_in_plain_words(tmp_path) -> None:
    from bot.rights import MemberRights

    async with Scenario(tmp_path) as s:
        await s.invite_and_join(rights=MemberRights(delete_messages=True))
        await s.say(s.ada, s.riverside, "/surgery facilitator add @Priya")
        await s.say(s.priya, s.riverside, "/mute @Mo 10m")
        reply = s.last_text(s.riverside)
        assert "Case #1 is recorded, but the action didn't happen" in reply and "restrict_members" in reply
        [case] = await cases(s)
        assert case.actions == (CaseAction.MUTE,)  # written before the call that failed
