"""Rights and windows (issue 16, item 10) on the local adapter: newcomers' join times survive a restart, and a
safeguarding alert in a community without facilitators still reaches someone (the host and the council's
safeguarding contact)."""

from __future__ import annotations

from tests.moderation.helpers import community_with_facilitators, last_message_of, open_session, set_policy
from tests.scenario import Scenario


async def test_a_newcomer_is_still_a_newcomer_after_a_restart(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = Scenario(tmp_path)
    async with first:
        await community_with_facilitators(first)
        await set_policy(first, "links.mode on")
        newcomer = first.world.add_user("Newbie")
        await first.adapter.member_joins(first.riverside, newcomer)
    second = Scenario(tmp_path, clock=first.clock, world=first.world)
    for name in ("olu", "ada", "mo", "priya", "jane", "riverside"):
        setattr(second, name, getattr(first, name))
    async with second:
        await open_session(second)
        await second.say(newcomer, second.riverside, "cheap deals at https://spam.example")
        await second.say(second.mo, second.riverside, "the council page is https://example.gov.uk")
        assert last_message_of(second.riverside, newcomer).deleted
        assert not last_message_of(second.riverside, second.mo).deleted
