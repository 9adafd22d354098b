"""The outbox (bot/outbox.py): actions committed but never attempted are carried out by the next instance to
start — only an instance that is gone leaves them, each is taken once, and an action whose call may have begun is
never repeated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot import actions as a
from bot.action_codec import decode_action, encode_action
from bot.executor import CarriedOutElsewhere, Executor
from bot.outbox import Outbox
from bot.refs import Button, ChatRef, MessageRef, Platform, UserRef
from bot.storage.database import Database
from bot.storage.models import AuditRow, OutboxRow
from tests.clock import FakeClock

GROUP = ChatRef(Platform.DISCORD, "200", "100")
MO = UserRef(Platform.DISCORD, "42")
NOW = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)

EVERY_ACTION = [
    a.SendMessage(target=GROUP, text="❓ #1 from Mo\n‮odd", buttons=(Button("👍 0", "vote:1"),),
                  reply_to=MessageRef(GROUP, "9"), answers="777", tag="question:1", reason="question posted",
                  if_unreachable=a.SendMessage(target=GROUP, text="stand-in")),
    a.SendMessage(target=MO, text="private"),
    a.EditMessage(message=MessageRef(GROUP, "9"), text="edited", buttons=(Button("x", "y"),)),
    a.DeleteMessage(message=MessageRef(GROUP, "9"), sent_at=NOW, reason="personal data"),
    a.PinMessage(message=MessageRef(GROUP, "9")),
    a.SendFile(target=GROUP, filename="surgery-1.ics", content=b"BEGIN:VCALENDAR\x00\xff", caption="calendar"),
    a.MuteMember(chat=GROUP, user=MO, until=NOW + timedelta(minutes=5), reason="flood"),
    a.UnmuteMember(chat=GROUP, user=MO),
    a.BanMember(chat=GROUP, user=MO, until=None),
    a.BanMember(chat=GROUP, user=MO, until=NOW + timedelta(days=1)),
    a.UnbanMember(chat=GROUP, user=MO),
    a.KickMember(chat=GROUP, user=MO),
    a.SetSlowMode(chat=GROUP, seconds=30),
    a.LeaveChat(chat=GROUP),
    a.AnswerButton(chat=GROUP, press_id="p1", text="Thanks"),
]


@pytest.mark.parametrize("action", EVERY_ACTION, ids=lambda action: type(action).__name__)
def test_every_action_survives_the_outbox_unchanged(action: a.Action) -> None:
    assert decode_action(encode_action(action)) == action


class Recorder:
    """Just enough of an adapter for the executor: it records what it was asked to send."""

    platform = Platform.DISCORD

    def __init__(self) -> None:
        from bot.rights import AdapterCapabilities

        self.capabilities = AdapterCapabilities(max_message_length=2000)
        self.sent: list[str] = []

    async def send_message(self, target, text, **_):  # type: ignore[no-untyped-def]
        self.sent.append(text)
        return MessageRef(GROUP, str(len(self.sent)))


async def _committed_but_not_attempted(db: Database, executor: Executor, texts: list[str]) -> list[int]:
    async with db.unit_of_work() as tx:
        return await executor.record(tx, [a.SendMessage(target=GROUP, text=t) for t in texts], outbox=True)


async def test_only_a_gone_instance_s_actions_are_carried_out_once(database_url: str) -> None:
    first_db, second_db = Database(database_url), Database(database_url)
    await first_db.upgrade()
    clock = FakeClock(NOW)
    dead_adapter, live_adapter = Recorder(), Recorder()
    dead = Outbox(first_db, Executor(first_db, {Platform.DISCORD: dead_adapter}, clock), clock)  # type: ignore[dict-item]
    live = Outbox(second_db, Executor(second_db, {Platform.DISCORD: live_adapter}, clock), clock)  # type: ignore[dict-item]
    try:
        await dead.start()
        ids = await _committed_but_not_attempted(first_db, dead.executor, ["one", "two"])
        await live.start()
        assert await live.recover() == 0  # its owner is alive: its rows are its own business
        assert live_adapter.sent == []

        await dead._lease.release(forget=True)  # what the kernel or the server does when a process dies
        assert await live.recover() == 2
        assert live_adapter.sent == ["one", "two"]
        assert await live.recover() == 0  # taken: never twice

        # The dead instance's executor, had it gone on after all, must not send what was taken from it.
        results = await dead.executor.execute([a.SendMessage(target=GROUP, text=t) for t in ("one", "two")],
                                              audit_ids=ids)
        assert dead_adapter.sent == [] and all(isinstance(r.error, CarriedOutElsewhere) for r in results)
        async with second_db.read() as tx:
            assert (await tx.scalars(select(OutboxRow.id))).all() == []
            outcomes = (await tx.scalars(select(AuditRow.outcome).where(AuditRow.id.in_(ids)))).all()
        assert list(outcomes) == ["ok", "ok"]
    finally:
        await live.stop()
        await dead.stop()
        await first_db.dispose()
        await second_db.dispose()


async def test_attempted_actions_leave_the_outbox_and_old_ones_are_dropped(database_url: str) -> None:
    db = Database(database_url)
    await db.upgrade()
    clock = FakeClock(NOW)
    adapter = Recorder()
    outbox = Outbox(db, Executor(db, {Platform.DISCORD: adapter}, clock), clock)  # type: ignore[dict-item]
    try:
        await outbox.start()
        ids = await _committed_but_not_attempted(db, outbox.executor, ["now"])
        await outbox.executor.execute([a.SendMessage(target=GROUP, text="now")], audit_ids=ids)
        async with db.read() as tx:
            assert (await tx.scalars(select(OutboxRow.id))).all() == []  # gone before the call was made

        stale = await _committed_but_not_attempted(db, outbox.executor, ["hours ago"])
        await outbox.stop()  # the instance goes away with an action never attempted
        clock.advance(timedelta(hours=2))
        later = Outbox(db, Executor(db, {Platform.DISCORD: adapter}, clock), clock)  # type: ignore[dict-item]
        await later.start()
        assert await later.recover() == 0
        assert adapter.sent == ["now"]  # too late to be of use: not sent hours afterwards
        async with db.read() as tx:
            [outcome] = (await tx.scalars(select(AuditRow.outcome).where(AuditRow.id.in_(stale)))).all()
        assert outcome.startswith("not carried out")
        await later.stop()
    finally:
        await db.dispose()
