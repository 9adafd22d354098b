"""Rights and windows (issue 16, item 10) on the local adapter: newcomers' join times survive a restart, and a
safeguarding alert in a community without facilitators still reaches someone (the host and the council's
safeguarding contact)."""

from __future__ import annotations

from tests.moderation.helpers import community_with_facilitators, last_message_of, open_session, set_policy
from tests.scenario import Scenario


async def _restarted_after_a_newcomer_joined(tmp_path):  # type: ignore[no-untyped-def]
    """A community with the links rule on sees a newcomer join; then the bot restarts (the second scenario, on
    the same database, world and clock, not yet entered)."""
    first = Scenario(tmp_path)
    async with first:
        await community_with_facilitators(first)
        await set_policy(first, "links.mode on")
        newcomer = first.world.add_user("Newbie")
        await first.adapter.member_joins(first.riverside, newcomer)
    second = Scenario(tmp_path, clock=first.clock, world=first.world)
    for name in ("olu", "ada", "mo", "priya", "jane", "riverside"):
        setattr(second, name, getattr(first, name))
    return second, newcomer


async def test_a_newcomer_is_still_a_newcomer_after_a_restart(tmp_path) -> None:  # type: ignore[no-untyped-def]
    second, newcomer = await _restarted_after_a_newcomer_joined(tmp_path)
    async with second:
        await open_session(second)
        await second.say(newcomer, second.riverside, "cheap deals at https://spam.example")
        await second.say(second.mo, second.riverside, "the council page is https://example.gov.uk")
        assert last_message_of(second.riverside, newcomer).deleted
        assert not last_message_of(second.riverside, second.mo).deleted


async def test_a_safeguarding_alert_without_facilitators_reaches_the_host_and_the_council(tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: E501
    async with Scenario(tmp_path, council={"safeguarding_accounts": ["local:9001"]}) as s:
        team = s.world.add_user("Safeguarding Team", "9001")
        await s.invite_and_join()
        await s.link_councillor(s.jane)  # Jane hosts; nobody is appointed facilitator
        await set_policy(s, "safeguarding.mode on")
        await open_session(s)
        mark = len(s.texts(s.riverside))
        await s.say(s.mo, s.riverside, "honestly I want to end my life")
        for who in (s.jane, team):
            [alert] = [t for t in s.texts(who) if "Safeguarding" in t]
            assert "Riverside Residents" in alert and "Mo" in alert
        assert s.texts(s.riverside)[mark:] == []  # still nothing in public


async def test_after_a_restart_a_newcomer_s_plain_posts_need_no_join_time_and_their_link_is_still_caught(tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: E501
    """Join times are read only for a post with a link (the one rule that asks): the newcomer's plain posts first,
    then the link, which is still deleted."""
    second, newcomer = await _restarted_after_a_newcomer_joined(tmp_path)
    async with second:
        await open_session(second)
        rules = second.app.moderation.rules
        await second.say(newcomer, second.riverside, "hello all, first time here")
        assert rules._joined == {}  # nothing read for a post without a link
        await second.say(newcomer, second.riverside, "cheap deals at https://spam.example")
        assert last_message_of(second.riverside, newcomer).deleted
