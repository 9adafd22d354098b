"""Stored but not yet posted, across a hard crash: `surgerybot run` is killed (SIGKILL) after two questions were
committed, while the first one's post is in flight and the second one's waits behind it in the group's order.
Telegram will never redeliver the second /ask (it was acknowledged once stored), so the next process must post it
from the outbox — once, remembering its message so votes update it — and must not post the first again: its call
had begun, and at most once means an action that may have happened is never repeated."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path

from tests.clock import FakeClock
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.test_crash_at_most_once import DEADLINE, bot_env, start_bot
from tests.telegram.test_surgery_e2e import Surgery
from tests.waiting import eventually


def questions(database: Path) -> dict[int, str | None]:
    with sqlite3.connect(database) as connection:
        return dict(connection.execute("SELECT number, platform_message_id FROM questions ORDER BY number"))


def posts_of(api: FakeBotApi, chat_id: int, start: str) -> int:
    return sum(str(call.params.get("chat_id")) == str(chat_id) and str(call.params.get("text", "")).startswith(start)
               for call in api.calls_named("sendMessage"))


async def test_a_question_stored_but_not_posted_when_killed_is_posted_at_the_next_start(
        api: FakeBotApi, clock: FakeClock, tmp_path: Path) -> None:
    database = tmp_path / "outbox.db"
    s = Surgery(api, clock, f"sqlite+aiosqlite:///{database}")
    await s.tg.app.start(run_timers=False)
    try:
        await s.set_up()
        await s.says(s.jane, "/surgery open", "The surgery is open")
    finally:
        await s.tg.app.stop()
    env = bot_env(api, database)

    first = await start_bot(env)
    try:
        await eventually(lambda: api.calls_named("getUpdates"), "the first process polling", timeout=DEADLINE)
        held = api.hold("sendMessage", chat_id=s.chat.id)
        api.user_sends(s.mo, s.chat, "/ask When will Elm Road be resurfaced?")
        await eventually(held.arrived.is_set, "the first question's post reaching the platform", timeout=DEADLINE)
        api.user_sends(s.priya, s.chat, "/ask Can we have a zebra crossing?")
        await eventually(lambda: len(questions(database)) == 2, "the second question stored", timeout=DEADLINE)
    finally:
        first.kill()  # SIGKILL: the second question's post never began
        first_output, _ = await asyncio.wait_for(first.communicate(), DEADLINE)
    assert first.returncode == -signal.SIGKILL, first_output.decode()
    held.release()
    assert posts_of(api, s.chat.id, "❓ #2") == 0
    assert questions(database) == {1: None, 2: None}

    second = await start_bot(env)
    try:
        await eventually(lambda: posts_of(api, s.chat.id, "❓ #2") == 1, "the stored question posted",
                         timeout=DEADLINE)
        await eventually(lambda: questions(database)[2] is not None, "its message remembered", timeout=DEADLINE)
        post = next(m for m in api.bot_messages(s.chat.id) if m.text.startswith("❓ #2"))
        await s.press(s.mo, s.chat, post, "👍 0")  # votes update the re-driven post like any other
        await eventually(lambda: s.button(post, "👍 1"), "the vote shown on the re-driven post", timeout=DEADLINE)
    finally:
        if second.returncode is None:
            second.send_signal(signal.SIGTERM)
        second_output, _ = await asyncio.wait_for(second.communicate(), DEADLINE)
        print(second_output.decode()[-6000:])
    text = second_output.decode()
    assert second.returncode == 0, text
    assert "Traceback" not in text, text[max(0, text.find("Traceback") - 1500):text.find("Traceback") + 3000]
    assert posts_of(api, s.chat.id, "❓ #2") == 1
    assert posts_of(api, s.chat.id, "❓ #1") == 1  # in flight at the kill: may have happened, never repeated
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0
        outcomes = [o for (o,) in connection.execute(
            "SELECT outcome FROM audit_log WHERE action = 'SendMessage' AND reason = 'question posted' ORDER BY id")]
    assert outcomes == ["pending", "ok"]
