"""Issue 15's rough edges, as a new user meets them: each reply names what is true, shows what one can act on and
keeps what is not for everyone out of the group. Scenarios on the local adapter."""

from __future__ import annotations

from tests.moderation.helpers import community_with_facilitators
from tests.scenario import Scenario


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
