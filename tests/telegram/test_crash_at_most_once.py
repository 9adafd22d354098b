"""At most once across a hard crash: `surgerybot run` is killed (SIGKILL, nothing runs on the way out) while its
reply to a command is in flight. Telegram was never told the update was handled, so it hands it to the next
process; the claim committed before the call makes that process do nothing with it, and carry on."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

from tests.telegram.fake_bot_api import TOKEN, FakeBotApi
from tests.waiting import eventually

DEADLINE = 30.0  # a real process: interpreter start-up, imports, migrations


def bot_env(api: FakeBotApi, database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SURGERYBOT_")}
    env.update(SURGERYBOT_TELEGRAM__TOKEN=TOKEN, SURGERYBOT_TELEGRAM__API_BASE_URL=api.base_url,
               SURGERYBOT_TELEGRAM__POLL_TIMEOUT="1", SURGERYBOT_LOG_LEVEL="DEBUG",
               SURGERYBOT_DATABASE_URL=f"sqlite+aiosqlite:///{database}")
    return env


async def start_bot(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)


def sends_to(api: FakeBotApi, chat_id: int) -> int:
    return sum(str(call.params.get("chat_id")) == str(chat_id) for call in api.calls_named("sendMessage"))


def offset_past(api: FakeBotApi, update_id: int) -> bool:
    return any(int(call.params.get("offset") or 0) > update_id for call in api.calls_named("getUpdates"))


async def test_a_reply_in_flight_when_the_process_is_killed_is_not_sent_again(api: FakeBotApi,
                                                                             tmp_path: Path) -> None:
    mo = api.world.add_user("Mo", "mo")
    dm = api.world.private_chat(mo.id)
    database = tmp_path / "crash.db"
    env = bot_env(api, database)

    first = await start_bot(env)
    try:
        await eventually(lambda: api.calls_named("getUpdates"), "the first process polling", timeout=DEADLINE)
        held = api.hold("sendMessage", chat_id=dm.id)
        asked = api.user_sends(mo, dm, "/about")
        await eventually(held.arrived.is_set, "the reply to /about reaching the platform", timeout=DEADLINE)
    finally:
        first.kill()  # SIGKILL: no shutdown code, no final commit, no offset confirmed
        first_output, _ = await asyncio.wait_for(first.communicate(), DEADLINE)
    assert first.returncode == -signal.SIGKILL, first_output.decode()
    assert sends_to(api, dm.id) == 1
    # The update may or may not have been acknowledged (the core's claim was committed before the call, and the
    # poller acknowledges once the event is committed); either way the next process must not answer it again.

    second = await start_bot(env)
    try:
        await eventually(lambda: offset_past(api, asked), "the second process to take the redelivery",
                         timeout=DEADLINE)
        assert sends_to(api, dm.id) == 1  # the claim was committed before the call: not answered twice
        api.user_sends(mo, dm, "/about")
        await eventually(lambda: api.bot_messages(dm.id), "the second process answering a new /about",
                         timeout=DEADLINE)
    finally:
        second.send_signal(signal.SIGTERM)
        second_output, _ = await asyncio.wait_for(second.communicate(), DEADLINE)
    text = second_output.decode()
    assert second.returncode == 0, text
    assert "Traceback" not in text, text[max(0, text.find("Traceback") - 1500):text.find("Traceback") + 3000]
    assert sends_to(api, dm.id) == 2
    [answer] = api.bot_messages(dm.id)
    assert "surgery assistant" in answer.text

    with sqlite3.connect(database) as connection:
        outcomes = [outcome for (outcome,) in connection.execute(
            "SELECT outcome FROM audit_log WHERE action = 'SendMessage' AND chat_id = ? ORDER BY id", (str(dm.id),))]
        claimed = connection.execute("SELECT count(*) FROM processed_updates WHERE key = ?",
                                     (f"telegram:{asked}",)).fetchone()[0]
    # The killed call stays "pending" for ever: the audit log shows a call that may or may not have happened.
    assert outcomes == ["pending", "ok"]
    assert claimed == 1
