"""Invitation-only joining and two-sided consent on the local adapter (SPEC §3), every branch."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.refs import ChatKind
from bot.rights import MemberRights
from bot.storage.models import AuditRow, Community, Timer
from tests.scenario import Scenario


async def communities(s: Scenario) -> list[Community]:
    async with s.db.unit_of_work() as session:
        return list((await session.scalars(select(Community))).all())


async def audit_actions(s: Scenario) -> list[str]:
    async with s.db.unit_of_work() as session:
        return [row.action for row in (await session.scalars(select(AuditRow).order_by(AuditRow.id))).all()]


async def test_admin_with_valid_code_activates_and_posts_pinned_notice(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        texts = s.texts(s.riverside)
        assert any("is now a guest in this group" in t for t in texts)
        assert any("/surgery policy approve" in t for t in texts)
        notice = next(m for m in s.riverside.messages if "is now a guest" in m.text)
        assert notice.pinned
        [community] = await communities(s)
        assert (community.name, community.state, community.accepted_by) == ("Riverside Residents", "active", s.ada.id)
        assert s.world.bot_is_member(s.riverside.id)


async def test_deep_link_payload_completes_on_arrival(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        created = await s.operator.create_invitation("Riverside Residents", "local", None)
        await s.adapter.add_bot(s.riverside, by=s.ada, rights=MemberRights.all(), start_payload=created.code)
        assert (await communities(s))[0].state == "active"


async def test_deep_link_start_command_in_group(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        created = await s.operator.create_invitation("Riverside Residents", "local", None)
        await s.adapter.add_bot(s.riverside, by=s.ada, rights=MemberRights.all())
        await s.say(s.mo, s.riverside, f"/start {created.code}")
        assert "Only an admin" in s.last_text(s.riverside)
        await s.say(s.ada, s.riverside, f"/start {created.code}")
        assert (await communities(s))[0].state == "active"


async def test_non_admin_add_is_refused_and_the_bot_leaves(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.adapter.add_bot(s.riverside, by=s.mo)
        assert "only an admin of this group can invite me" in s.last_text(s.riverside)
        assert s.calls("leave_chat", s.riverside) and not s.world.bot_is_member(s.riverside.id)
        assert await communities(s) == []
        assert "bot_added" in await audit_actions(s)


async def test_unverified_adder_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.events import BotAddedToChat

    async with Scenario(tmp_path) as s:
        s.riverside.members.add("1000")
        await s.adapter.deliver(BotAddedToChat(update_key="local:x", occurred_at=s.clock.now(),
                                               chat=s.adapter.chat_ref(s.riverside), chat_kind=ChatKind.GROUP,
                                               title="Riverside", added_by=None, added_by_verified=False))
        assert "couldn't confirm" in s.last_text(s.riverside)
        assert not s.world.bot_is_member(s.riverside.id)


async def test_dormant_group_stores_nothing_but_an_audit_row(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.adapter.add_bot(s.riverside, by=s.ada)
        assert "/surgery accept CODE" in s.last_text(s.riverside)
        await s.say(s.mo, s.riverside, "hello everyone, my number is 07700 900123")
        await s.say(s.mo, s.riverside, "/queue")
        await s.say(s.mo, s.riverside, "/about")
        assert "surgery assistant" in s.last_text(s.riverside)
        await s.say(s.mo, s.riverside, "/privacy")
        assert "public task" in s.last_text(s.riverside)
        assert await communities(s) == []
        assert (await audit_actions(s)).count("bot_added") == 1
        async with s.db.unit_of_work() as session:
            texts = [str(v) for row in (await session.scalars(select(AuditRow))).all()
                     for v in (row.reason, row.target, row.outcome)]
        assert not any("07700" in t for t in texts)


async def test_window_passes_without_a_code(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.adapter.add_bot(s.riverside, by=s.ada)
        assert await s.advance(timedelta(minutes=9)) == 0
        assert s.world.bot_is_member(s.riverside.id)
        assert await s.advance(timedelta(minutes=2)) == 1
        assert "within 10 minutes" in s.last_text(s.riverside)
        assert not s.world.bot_is_member(s.riverside.id)
        assert await s.advance(timedelta(hours=1)) == 0


async def test_window_timer_survives_a_restart(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = Scenario(tmp_path)
    async with first:
        await first.adapter.add_bot(first.riverside, by=first.ada)
    second = Scenario(tmp_path, clock=first.clock, world=first.world)
    second.riverside = first.riverside
    async with second:
        assert await second.advance(timedelta(minutes=11)) == 1
        assert not second.world.bot_is_member(first.riverside.id)


async def test_bad_codes_each_get_a_clear_answer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        expired = await s.operator.create_invitation("Riverside Residents", "local", timedelta(minutes=1))
        revoked = await s.operator.create_invitation("Riverside Residents", "local", None)
        await s.operator.revoke_invitation(revoked.id)
        other_platform = await s.operator.create_invitation("Riverside Residents", "telegram", None)
        s.clock.advance(timedelta(minutes=2))
        await s.adapter.add_bot(s.riverside, by=s.ada)
        cases = {
            "/surgery accept": "Please add the invitation code",
            "/surgery accept ???": "doesn't look like an invitation code",
            "/surgery accept AAAAAAAAAAAAAAAAAAAA": "unknown code",
            f"/surgery accept {expired.code}": "has expired",
            f"/surgery accept {revoked.code}": "was withdrawn",
            f"/surgery accept {other_platform.code}": "was made for telegram",
        }
        for command, expected in cases.items():
            await s.say(s.ada, s.riverside, command)
            assert expected in s.last_text(s.riverside), command
        assert await communities(s) == []
        assert (await audit_actions(s)).count("accept_refused") == 5


async def test_a_code_cannot_be_used_twice(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        code = await s.invite_and_join()
        hilltop = s.world.add_group("Hilltop", owner=s.olu, members=(s.mo,))
        await s.adapter.add_bot(hilltop, by=s.olu)
        await s.say(s.olu, hilltop, f"/surgery accept {code}")
        assert "already been used" in s.last_text(hilltop)
        assert len(await communities(s)) == 1


async def test_two_admins_accepting_at_once_make_one_community(tmp_path, database_url) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path, database_url=database_url) as s:
        first = await s.operator.create_invitation("Riverside Residents", "local", None)
        second = await s.operator.create_invitation("Riverside Residents", "local", None)
        await s.adapter.add_bot(s.riverside, by=s.ada, rights=MemberRights.all())
        await asyncio.gather(s.say(s.ada, s.riverside, f"/surgery accept {first.code}"),
                             s.say(s.olu, s.riverside, f"/surgery accept {second.code}"))
        assert len(await communities(s)) == 1
        notices = [t for t in s.texts(s.riverside) if "is now a guest" in t]
        assert len(notices) == 1
        invitations = await s.operator.list_invitations()
        assert sorted(i["state"] for i in invitations) == ["open", "used"]


async def test_private_chat_and_channel_are_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        channel = s.world.add_group("Council News", owner=s.olu, kind=ChatKind.CHANNEL)
        await s.adapter.add_bot(channel, by=s.olu)
        assert "only work in community groups" in s.last_text(channel)
        assert not s.world.bot_is_member(channel.id)


async def test_added_and_removed_within_seconds(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.adapter.add_bot(s.riverside, by=s.ada)
        await s.adapter.remove_bot(s.riverside, by=s.ada)
        sent_before = len(s.calls("send_message"))
        assert await s.advance(timedelta(minutes=11)) == 0  # the window timer was cancelled
        assert len(s.calls("send_message")) == sent_before
        async with s.db.unit_of_work() as session:
            timer = (await session.scalars(select(Timer))).one()
        assert timer.cancelled_at is not None and "community_left" in await audit_actions(s)


async def test_adder_leaving_before_accepting_does_not_block_other_admins(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        created = await s.operator.create_invitation("Riverside Residents", "local", None)
        await s.adapter.add_bot(s.riverside, by=s.ada)
        s.riverside.members.discard(s.ada.id)
        s.riverside.admins.discard(s.ada.id)
        await s.say(s.olu, s.riverside, f"/surgery accept {created.code}")
        assert (await communities(s))[0].state == "active"


async def test_leave_command(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.say(s.mo, s.riverside, "/surgery leave")
        assert "for group admins only" in s.last_text(s.riverside) and s.world.bot_is_member(s.riverside.id)
        await s.say(s.ada, s.riverside, "/surgery leave")
        assert "Thank you for having" in s.last_text(s.riverside)
        assert not s.world.bot_is_member(s.riverside.id)
        [community] = await communities(s)
        assert community.state == "left" and community.do_not_rejoin


async def test_removed_group_needs_a_new_invitation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        spare = await s.operator.create_invitation("Riverside Residents", "local", None)  # issued before removal
        await s.invite_and_join()
        s.clock.advance(timedelta(seconds=1))
        await s.adapter.remove_bot(s.riverside, by=s.ada)
        assert (await communities(s))[0].do_not_rejoin
        s.clock.advance(timedelta(seconds=1))
        await s.adapter.add_bot(s.riverside, by=s.ada)
        await s.say(s.ada, s.riverside, f"/surgery accept {spare.code}")
        assert "before this group asked me to leave" in s.last_text(s.riverside)
        s.clock.advance(timedelta(seconds=1))
        fresh = await s.operator.create_invitation("Riverside Residents", "local", None)
        await s.say(s.ada, s.riverside, f"/surgery accept {fresh.code}")
        [community] = await communities(s)
        assert community.state == "active" and not community.do_not_rejoin


async def test_reduced_rights_are_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.invite_and_join(rights=MemberRights())
        notice = next(t for t in s.texts(s.riverside) if "missing these rights" in t)
        assert "delete messages" in notice and "restrict members" in notice and "pin messages" in notice
        assert "mutes" in notice and "slow mode" not in notice  # slow mode needs its own right (Discord)
        assert not any(m.pinned for m in s.riverside.messages)


async def test_rights_rechecked_at_start_up(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = Scenario(tmp_path)
    async with first:
        await first.invite_and_join()
    first.riverside.bot_rights = MemberRights(delete_messages=True)  # an admin took rights away while we were down
    second = Scenario(tmp_path, clock=first.clock, world=first.world)
    async with second:
        assert "restrict members" in second.last_text(first.riverside)
        community = (await communities(second))[0]
        assert "restrict_members" in community.missing_rights


async def test_platform_saying_the_bot_is_gone_marks_the_community_left(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from adapters.local import LocalAdapter
    from bot.actions import SendMessage
    from bot.errors import BotNotInChat

    async with Scenario(tmp_path) as s:
        await s.invite_and_join()

        async def gone(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise BotNotInChat("Forbidden: bot was kicked from the group chat")

        s.adapter.send_message = gone  # type: ignore[method-assign]
        result = await s.app.executor.perform(SendMessage(target=s.adapter.chat_ref(s.riverside), text="hi"))
        assert not result.ok
        assert (await communities(s))[0].state == "left"
        assert isinstance(s.adapter, LocalAdapter)


async def test_anonymous_admin_may_accept_but_not_make_the_bot_leave(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.events import CommandReceived
    from bot.refs import Sender, UserRef

    async with Scenario(tmp_path) as s:
        created = await s.operator.create_invitation("Riverside Residents", "local", None)
        await s.adapter.add_bot(s.riverside, by=s.ada, rights=MemberRights.all())
        chat = s.adapter.chat_ref(s.riverside)
        anonymous = Sender(UserRef(chat.platform, s.riverside.id), "Riverside Residents", is_anonymous_admin=True)

        async def anonymous_says(key: str, args: str) -> None:
            await s.adapter.deliver(CommandReceived(update_key=key, occurred_at=s.clock.now(), chat=chat,
                                                    chat_kind=ChatKind.GROUP, sender=anonymous, name="surgery",
                                                    args=args))

        await anonymous_says("local:a1", f"accept {created.code}")
        assert (await communities(s))[0].state == "active"
        await anonymous_says("local:a2", "leave")
        assert "Remain anonymous" in s.last_text(s.riverside)
        assert s.world.bot_is_member(s.riverside.id)


async def test_migration_is_followed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.events import ChatMigrated
    from bot.refs import ChatRef, Platform

    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.adapter.deliver(ChatMigrated(update_key="local:m", occurred_at=s.clock.now(),
                                             old_chat=ChatRef(Platform.LOCAL, s.riverside.id),
                                             new_chat=ChatRef(Platform.LOCAL, "-1009999")))
        [community] = await communities(s)
        assert community.space_id == "-1009999" and community.home_chat_id == "-1009999"
