"""`surgerybot run` as an operator starts it, against the fake Bot API: a real process, polling, answering,
stopping cleanly on SIGTERM, and never printing the token."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from tests.telegram.fake_bot_api import TOKEN, FakeBotApi
from tests.waiting import eventually

DEADLINE = 30.0  # a real process: interpreter start-up, imports, migrations


async def test_run_talks_to_a_bot_api_server_and_stops_cleanly(api: FakeBotApi, tmp_path) -> None:  # type: ignore[no-untyped-def]
    world = api.world
    owner, mo = world.add_user("Olu", "olu"), world.add_user("Mo", "mo")
    chat = world.add_group("Riverside", owner=owner, members=(mo,))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SURGERYBOT_")}
    env.update(SURGERYBOT_TELEGRAM__TOKEN=TOKEN, SURGERYBOT_TELEGRAM__API_BASE_URL=api.base_url,
               SURGERYBOT_TELEGRAM__POLL_TIMEOUT="1", SURGERYBOT_LOG_LEVEL="DEBUG",
               SURGERYBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'run.db'}")
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        await eventually(lambda: api.calls_named("getUpdates"), "polling to start", timeout=DEADLINE)
        api.add_bot(chat, by=mo, admin=False)  # a non-admin adds it: it must say why and leave
        dm = world.private_chat(mo.id)
        api.user_sends(mo, dm, "/about")
        await eventually(lambda: api.calls_named("leaveChat") and api.bot_messages(dm.id), "replies",
                         timeout=DEADLINE)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), DEADLINE)
    text = output.decode()
    assert process.returncode == 0, text
    assert "only an admin" in api.bot_messages(chat.id)[0].text
    assert "surgery assistant" in api.bot_messages(dm.id)[0].text
    assert "surgerybot stopped" in text
    assert "Traceback" not in text, text[max(0, text.find("Traceback") - 1500):text.find("Traceback") + 3000]
    assert TOKEN not in text and TOKEN.split(":")[1] not in text
