"""Issue 15's rough edges, as a new user meets them: each reply names what is true, shows what one can act on and
keeps what is not for everyone out of the group. Scenarios on the local adapter."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import MetaData, create_engine, func, select

from adapters.local.world import PostRefused
from facilitation.rules.policy import policy_keys, value_shape
from tests.moderation.helpers import community_with_facilitators
from tests.scenario import Scenario
from tests.surgery.helpers import surgery_ready


async def test_schedule_by_a_resident_is_refused_as_for_councillors_and_facilitators(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.say(s.mo, s.riverside, "/surgery schedule today 18:30 1h Bins")
        refusal = s.last_text(s.riverside)
        assert refusal == "Sorry, that command is for councillors and facilitators only."
        assert "host" not in refusal


async def test_cases_go_to_the_facilitator_privately_and_the_group_hears_only_that(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.priya, s.riverside, "/mute @Mo 10m shouting")
        mark = len(s.texts(s.riverside))
        await s.say(s.priya, s.riverside, "/cases")
        in_group = s.texts(s.riverside)[mark:]
        assert in_group == ["I've sent you the cases privately."]
        listing = s.last_text(s.priya)
        assert listing.startswith("Latest moderation cases in Riverside Residents:")
        assert f"member {s.mo.id}" in listing


async def test_cases_for_an_unreachable_facilitator_stay_out_of_the_group(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.priya, s.riverside, "/mute @Mo 10m shouting")
        s.world.unreachable.add(s.priya.id)
        mark = len(s.texts(s.riverside))
        await s.say(s.priya, s.riverside, "/cases")
        [said] = s.texts(s.riverside)[mark:]
        assert "couldn't message you privately" in said and s.mo.id not in said and "Mo" not in said


async def test_cases_never_fall_back_to_the_group_even_when_it_is_the_mod_log_chat(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.ada, s.riverside, "/surgery modlog here")
        await s.say(s.priya, s.riverside, "/mute @Mo 10m shouting")
        s.world.unreachable.add(s.priya.id)
        mark = len(s.texts(s.riverside))
        await s.say(s.priya, s.riverside, "/cases")
        [said] = s.texts(s.riverside)[mark:]
        assert "Start a private chat with me" in said and "Latest moderation cases" not in said


def _row_counts(database) -> dict[str, int]:  # type: ignore[no-untyped-def]
    engine = create_engine(f"sqlite:///{database}")
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                    for table in metadata.sorted_tables}
    finally:
        engine.dispose()


async def test_the_dormant_hello_says_exactly_what_is_kept_and_nothing_more_is(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        before = _row_counts(s.database_file)
        await s.adapter.add_bot(s.riverside, by=s.ada)
        await s.say(s.mo, s.riverside, "my number is 07700 900123")
        hello = s.texts(s.riverside)[0]
        assert "store nothing" not in hello
        assert "a record of who added me, when, and what I did here (account ids, never messages) for 730 days" \
            in hello
        assert "a reminder to leave, cleared within 3 days" in hello
        after = _row_counts(s.database_file)
        grew = {table for table, count in after.items() if count > before.get(table, 0)}
        # the hello's words, as rows: audit records, the acceptance timer, the updates' delivery keys
        assert grew <= {"audit_log", "timers", "processed_updates", "cache_generation"}
        assert after["timers"] - before["timers"] == 1


async def test_listening_on_leads_with_the_proposal_not_that_it_is_off(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.say(s.ada, s.riverside, "/surgery listening on")
        first_line = s.last_text(s.riverside).splitlines()[0]
        assert first_line.startswith("👂 Proposed: turn listening on in this group.")
        assert "Listening is off" not in s.last_text(s.riverside)
        await s.say(s.ada, s.riverside, "/surgery listening status")
        assert s.last_text(s.riverside).startswith("Listening is off in this group.")


async def _six_questions(s: Scenario) -> None:
    await surgery_ready(s)
    for n in range(6):
        asker = s.world.add_user(f"Resident {n}")
        s.riverside.members.add(asker.id)
        await s.say(asker, s.riverside, f"/ask Question number {n} about the bins?")


async def test_queue_shows_every_waiting_question_it_counts(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await _six_questions(s)
        await s.say(s.mo, s.riverside, "/queue")
        lines = s.last_text(s.riverside).splitlines()
        assert lines[0] == "Questions waiting: 6"
        assert len(lines[1:]) == 6 and all(line.startswith("👍 0 · #") for line in lines[1:])


async def test_queue_beyond_a_page_says_how_many_more(tmp_path) -> None:
    async with Scenario(tmp_path, sessions={"queue_shown": 4}) as s:
        await _six_questions(s)
        await s.say(s.mo, s.riverside, "/queue")
        lines = s.last_text(s.riverside).splitlines()
        assert lines[0] == "Questions waiting: 6"
        assert len([line for line in lines if line.startswith("👍")]) == 4
        assert lines[-1] == "…and 2 more waiting."


async def test_a_merge_note_names_the_questions_in_the_hosts_order(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await surgery_ready(s)
        await s.say(s.mo, s.riverside, "/ask When are the bins collected?")
        await s.say(s.priya, s.riverside, "/ask Why were the bins missed?")
        await s.advance(timedelta(minutes=30))
        await s.say(s.jane, s.riverside, "/merge 2 1")
        for asker in (s.mo, s.priya):
            assert s.last_text(asker).startswith("Questions #2 and #1 were merged")


async def test_an_unmuted_member_is_told_privately_as_a_muted_one_is(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.priya, s.riverside, "/mute @Mo 10m shouting")
        assert s.last_text(s.mo).startswith("You can't post in Riverside Residents until")
        await s.say(s.priya, s.riverside, "/unmute @Mo")
        assert s.last_text(s.mo) == "You can post in Riverside Residents again (case #2)."
        assert s.last_text(s.riverside).startswith("🔈 Case #2:")


def _help_commands(text: str) -> set[str]:
    return {line.split()[0] for line in text.splitlines()[1:] if line.startswith("/")}


async def test_help_offers_residents_only_what_they_can_use(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.link_councillor(s.jane)
        await s.say(s.mo, s.riverside, "/help")
        in_group = _help_commands(s.last_text(s.riverside))
        await s.dm(s.mo, "/help")
        in_private = _help_commands(s.last_text(s.mo))
        assert "/ask" in in_group and "/mydata" in in_private
        assert not {"/start", "/link"} & (in_group | in_private)
        await s.say(s.ada, s.riverside, "/help")
        assert "/start" in _help_commands(s.last_text(s.riverside))  # an admin completes invitations with it
        await s.dm(s.jane, "/help")
        assert "/link" in _help_commands(s.last_text(s.jane))  # a councillor's own command


async def test_help_never_offers_a_command_the_platform_always_refuses(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        s.adapter.capabilities = replace(s.adapter.capabilities, supports_slow_mode=False)  # as on Telegram
        await community_with_facilitators(s)
        await s.say(s.priya, s.riverside, "/help")
        offered = _help_commands(s.last_text(s.riverside))
        assert "/mute" in offered and "/slowmode" not in offered


async def test_policy_shows_each_rules_setting_key_next_to_its_line(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.ada, s.riverside, "/surgery policy")
        shown = s.last_text(s.riverside)
        assert "personal_data.mode: dry run" in shown and "flood.max_messages" in shown
        for key in ("scope", "flood.mode", "flood.window_seconds", "blocklist.mode", "links.new_member_hours",
                    "safeguarding.mode", "heat.mode", "heat.slow_mode_seconds", "escalation.ladder",
                    "escalation.warning_expiry_days", "kick_allowed", "ban_allowed"):
            assert key in shown, key


async def test_policy_set_alone_lists_every_key_with_its_allowed_values(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.ada, s.riverside, "/surgery policy set")
        listed = s.last_text(s.riverside).splitlines()
        assert listed[0].startswith("Settings, with their value now and what they take")
        assert [line.split(":")[0].removeprefix("• ") for line in listed[1:]] == list(policy_keys())
        assert "• personal_data.mode: dry-run — off, dry-run or on" in listed
        assert "• flood.max_messages: 5 — a whole number from 1 to 100" in listed
        assert "• kick_allowed: off — on or off" in listed
        assert "• scope: session — session or always" in listed
        await s.say(s.ada, s.riverside, "/surgery policy set heat.burst_seconds")
        assert s.last_text(s.riverside) == ("heat.burst_seconds is 120 now; it takes a whole number from 10 to 3600. "
                                            "Change it with /surgery policy set heat.burst_seconds <value>.")
        for key in policy_keys():
            assert value_shape(key).code in s.app.ctx.messages.catalogue


async def test_the_local_platform_refuses_a_muted_members_message(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.priya, s.riverside, "/mute @Mo 10m shouting")
        before = len(s.riverside.messages)
        with pytest.raises(PostRefused, match="Mo is muted in Riverside Residents until 18:10"):
            await s.say(s.mo, s.riverside, "let me speak!")
        assert len(s.riverside.messages) == before  # nobody sees it, the bot included
        await s.advance(timedelta(minutes=10))
        await s.say(s.mo, s.riverside, "thanks for waiting")  # the mute has run out: the platform takes it
        assert s.riverside.messages[-1].text == "thanks for waiting"
