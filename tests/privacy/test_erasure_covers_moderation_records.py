"""Erasure reaches the moderation records that name people by platform id: ban requests (target, requester,
confirmer) and policy versions (who changed and approved them). Their shape stays; the identity goes."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.models import BanRequest, PolicyVersion
from bot.subjects import SubjectService
from tests.moderation.helpers import community_with_facilitators, set_policy
from tests.scenario import Scenario
from tests.surgery.helpers import press


async def test_erasure_pseudonymises_ban_requests_and_policy_authors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.ada, s.riverside, "/surgery facilitator add @Olu")
        await set_policy(s, "ban_allowed on")
        await s.say(s.priya, s.riverside, "/ban @Mo 7d shouting at the councillor")
        await press(s, s.olu, s.riverside, "Confirm ban")
        service = SubjectService(s.db, s.settings, s.clock)
        export = await service.export("local", s.mo.id)
        assert [b["reason"] for b in export["ban_requests"]] == ["shouting at the councillor"]

        for person in (s.mo, s.priya, s.olu, s.ada):
            await service.erase("local", person.id, requested_by="operator")
        async with s.db.unit_of_work() as session:
            bans = (await session.scalars(select(BanRequest))).all()
            policies = (await session.scalars(select(PolicyVersion))).all()
        people = {s.mo.id, s.priya.id, s.olu.id, s.ada.id}
        assert bans and policies
        for ban in bans:
            assert not {ban.target_user_id, ban.requested_by, ban.decided_by} & people
            assert ban.reason == ""
        for policy in policies:
            assert not {policy.created_by, policy.approved_by} & people
