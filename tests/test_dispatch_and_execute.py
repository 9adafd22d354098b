"""The dispatcher (at-most-once, failure isolation) and the executor (audit before the call, limits checked)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from adapters.local import LocalAdapter, LocalWorld
from bot.actions import DeleteMessage, MuteMember, SendMessage
from tests.clock import FakeClock
from bot.dispatcher import Dispatcher
from bot.events import MessageReceived
from bot.executor import Executor
from bot.refs import ChatKind, ChatRef, MessageRef, Platform, Sender, UserRef
from bot.rights import MemberRights
from bot.storage.database import Database
from bot.storage.models import AuditRow, ProcessedUpdate


@pytest.fixture
async def setup(tmp_path):  # type: ignore[no-untyped-def]
    clock = FakeClock()
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'd.db'}")
    await db.upgrade()
    world = LocalWorld()
    owner, member = world.add_user("Olu"), world.add_user("Mo")
    chat = world.add_group("Riverside", owner=owner, members=(member,))
    chat.members.add("1000")
    chat.bot_rights = MemberRights.all()
    adapter = LocalAdapter(world, clock)
    executor = Executor(db, {Platform.LOCAL: adapter}, clock)
    dispatcher = Dispatcher(db, executor, clock)
    await adapter.start(dispatcher.dispatch)
    yield clock, db, world, chat, member, adapter, executor, dispatcher
    await db.dispose()


def _message(key: str, clock: FakeClock) -> MessageReceived:
    chat = ChatRef(Platform.LOCAL, "-100")
    return MessageReceived(update_key=key, occurred_at=clock.now(), chat=chat, chat_kind=ChatKind.GROUP,
                           sender=Sender(UserRef(Platform.LOCAL, "2001")), message=MessageRef(chat, "1"), text="hi")


async def test_redelivered_update_is_processed_once(setup) -> None:  # type: ignore[no-untyped-def]
    clock, _, world, chat, _, _, _, dispatcher = setup

    async def handler(event):  # type: ignore[no-untyped-def]
        return [SendMessage(target=ChatRef(Platform.LOCAL, chat.id), text="once")]

    dispatcher.on(MessageReceived, handler)
    event = _message("local:77", clock)
    assert await dispatcher.dispatch(event)
    assert not await dispatcher.dispatch(event)
    assert world.texts_in(chat.id) == ["once"]


async def test_an_event_that_writes_and_does_nothing_is_not_claimed(setup) -> None:  # type: ignore[no-untyped-def]
    """Benign chat costs no write: no claim row, and a redelivered copy is just as harmless."""
    clock, db, _, _, _, _, _, dispatcher = setup
    seen: list[str] = []

    async def handler(event):  # type: ignore[no-untyped-def]
        seen.append(event.update_key)
        return []

    dispatcher.on(MessageReceived, handler)
    event = _message("local:78", clock)
    assert await dispatcher.dispatch(event)
    assert await dispatcher.dispatch(event)
    assert seen == ["local:78", "local:78"]
    async with db.read() as session:
        assert (await session.scalars(select(ProcessedUpdate))).all() == []


async def test_a_failing_handler_does_not_stop_the_others(setup, caplog) -> None:  # type: ignore[no-untyped-def]
    clock, _, world, chat, _, _, _, dispatcher = setup
    ran: list[str] = []

    async def broken(event):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    async def working(event):  # type: ignore[no-untyped-def]
        ran.append("working")
        return [SendMessage(target=ChatRef(Platform.LOCAL, chat.id), text="still here")]

    dispatcher.on(MessageReceived, broken)
    dispatcher.on(MessageReceived, working)
    with caplog.at_level(logging.ERROR):
        await dispatcher.dispatch(_message("local:1", clock))
    assert ran == ["working"]
    assert world.texts_in(chat.id) == ["still here"]
    failure = [r for r in caplog.records if "failed" in r.getMessage()]
    assert failure and "user=2001" in failure[0].getMessage() and "boom" not in world.texts_in(chat.id)


async def test_audit_row_is_written_before_the_platform_call(setup) -> None:  # type: ignore[no-untyped-def]
    clock, db, world, chat, member, adapter, executor, _ = setup
    seen_rows: list[tuple[str, str]] = []
    original = adapter.mute_member

    async def spying_mute(chat_ref, user, until, *, reason=""):  # type: ignore[no-untyped-def]
        async with db.unit_of_work() as session:
            rows = (await session.scalars(select(AuditRow))).all()
        seen_rows.extend((row.action, row.outcome) for row in rows)
        await original(chat_ref, user, until, reason=reason)

    adapter.mute_member = spying_mute  # type: ignore[method-assign]
    result = await executor.perform(MuteMember(chat=ChatRef(Platform.LOCAL, chat.id),
                                               user=UserRef(Platform.LOCAL, member.id),
                                               until=clock.now() + timedelta(minutes=10), reason="manual"))
    assert result.ok
    assert seen_rows == [("MuteMember", "pending")]
    async with db.unit_of_work() as session:
        row = (await session.scalars(select(AuditRow))).one()
    assert (row.outcome, row.reason, row.target) == ("ok", "manual", f"user:{member.id}")


async def test_limits_are_checked_before_any_platform_call(setup) -> None:  # type: ignore[no-untyped-def]
    clock, db, world, chat, member, _, executor, _ = setup
    too_short = MuteMember(chat=ChatRef(Platform.LOCAL, chat.id), user=UserRef(Platform.LOCAL, member.id),
                           until=clock.now() + timedelta(seconds=5))
    too_old = DeleteMessage(message=MessageRef(ChatRef(Platform.LOCAL, chat.id), "1"),
                            sent_at=clock.now() - timedelta(hours=49))
    results = await executor.execute([too_short, too_old])
    assert [r.ok for r in results] == [False, False]
    assert "at least 30 seconds" in str(results[0].error) and "48 hours" in str(results[1].error)
    assert world.calls == []
    async with db.unit_of_work() as session:
        outcomes = [row.outcome for row in (await session.scalars(select(AuditRow))).all()]
    assert all(outcome.startswith("ActionRefused") for outcome in outcomes) and len(outcomes) == 2


async def test_platform_failure_is_recorded_not_raised(setup) -> None:  # type: ignore[no-untyped-def]
    clock, db, world, chat, _, _, executor, _ = setup
    result = await executor.perform(SendMessage(target=ChatRef(Platform.LOCAL, "-999"), text="nobody home"))
    assert not result.ok
    async with db.unit_of_work() as session:
        row = (await session.scalars(select(AuditRow))).one()
    assert row.outcome.startswith("NotFound")


async def test_action_for_a_platform_without_adapter_is_refused(setup) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, _, _, executor, _ = setup
    result = await executor.perform(SendMessage(target=ChatRef(Platform.TELEGRAM, "-1"), text="x"))
    assert not result.ok and "no telegram adapter" in str(result.error)


async def test_a_handler_that_admits_nothing_costs_no_claim(setup) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import func

    from bot.storage.models import ProcessedUpdate

    clock, db, _, _, _, _, _, dispatcher = setup
    ran: list[str] = []

    async def picky(event):  # type: ignore[no-untyped-def]
        ran.append(event.update_key)
        return [SendMessage(target=event.chat, text="seen")]

    async def admits(event) -> bool:  # type: ignore[no-untyped-def]
        return event.update_key.endswith("wanted")

    picky.admits = admits  # type: ignore[attr-defined]
    dispatcher.on(MessageReceived, picky)
    await dispatcher.dispatch(_message("local:ignored", clock))
    await dispatcher.dispatch(_message("local:wanted", clock))
    async with db.unit_of_work() as session:
        claimed = (await session.execute(select(ProcessedUpdate.key))).scalars().all()
        assert (await session.execute(select(func.count()).select_from(ProcessedUpdate))).scalar() == 1
    assert ran == ["local:wanted"] and claimed == ["local:wanted"]


async def test_a_chat_s_events_wait_their_turn_and_are_run_in_one_go(setup) -> None:  # type: ignore[no-untyped-def]
    """While one event of a chat waits (a slow read, a platform call), the chat's later events queue; when it is
    done they run one after another without a turn of the event loop each (an asyncio.Lock handed them over one
    per turn, a convoy that lasted the whole burst), in arrival order, and their callers all get answers."""
    clock, _, _, _, _, _, _, dispatcher = setup
    release = asyncio.Event()
    ran: list[str] = []
    turns = [0]

    async def handler(event):  # type: ignore[no-untyped-def]
        if event.update_key == "local:slow":
            await release.wait()
        ran.append(event.update_key)
        return []

    dispatcher.on(MessageReceived, handler)
    slow = asyncio.create_task(dispatcher.dispatch(_message("local:slow", clock)))
    await asyncio.sleep(0)
    later = [asyncio.create_task(dispatcher.dispatch(_message(f"local:{n}", clock))) for n in range(50)]
    await asyncio.sleep(0)
    assert ran == []

    async def count_turns() -> None:
        while True:
            turns[0] += 1
            await asyncio.sleep(0)

    counter = asyncio.create_task(count_turns())
    release.set()
    assert all(await asyncio.gather(slow, *later))
    counter.cancel()
    assert ran == ["local:slow", *[f"local:{n}" for n in range(50)]]
    assert turns[0] < 10  # 50 queued events, a handful of loop turns


async def test_a_queued_event_is_handled_though_its_caller_stopped_waiting(setup) -> None:  # type: ignore[no-untyped-def]
    clock, _, _, _, _, _, _, dispatcher = setup
    release = asyncio.Event()
    ran: list[str] = []

    async def handler(event):  # type: ignore[no-untyped-def]
        if event.update_key == "local:slow":
            await release.wait()
        if event.update_key == "local:broken":
            raise RuntimeError("boom")
        ran.append(event.update_key)
        return []

    dispatcher.on(MessageReceived, handler)
    slow = asyncio.create_task(dispatcher.dispatch(_message("local:slow", clock)))
    await asyncio.sleep(0)
    impatient = asyncio.create_task(dispatcher.dispatch(_message("local:impatient", clock)))
    broken = asyncio.create_task(dispatcher.dispatch(_message("local:broken", clock)))
    last = asyncio.create_task(dispatcher.dispatch(_message("local:last", clock)))
    await asyncio.sleep(0)
    impatient.cancel()
    release.set()
    assert await slow and await broken and await last  # a failing handler is logged, not raised
    assert ran == ["local:slow", "local:impatient", "local:last"]
    await dispatcher.drain()


async def test_an_event_no_handler_admits_does_not_wait_in_its_chat_s_lane(setup) -> None:  # type: ignore[no-untyped-def]
    """Chat nobody may read (outside sessions) is answered before the lane: it never queues behind the chat's
    slow events."""
    clock, _, _, _, _, _, _, dispatcher = setup
    release = asyncio.Event()

    async def handler(event):  # type: ignore[no-untyped-def]
        await release.wait()
        return []

    def admits(event) -> bool:  # type: ignore[no-untyped-def]
        return event.update_key == "local:slow"

    handler.admits = admits  # type: ignore[attr-defined]
    dispatcher.on(MessageReceived, handler)
    slow = asyncio.create_task(dispatcher.dispatch(_message("local:slow", clock)))
    await asyncio.sleep(0)
    assert await asyncio.wait_for(dispatcher.dispatch(_message("local:deaf", clock)), 1.0)
    assert not slow.done()
    release.set()
    assert await slow
