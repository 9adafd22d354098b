"""`surgerybot run` as an operator starts it, against the fake Discord: a real process on the gateway, an
invitation accepted by a slash command, a clean stop on SIGTERM, and no token in the output."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys

from tests.discord.fake_discord import MANAGE_GUILD, FakeDiscord
from tests.telegram.test_run_command import DEADLINE
from tests.waiting import eventually


async def test_run_joins_by_invitation_and_stops_cleanly(fake: FakeDiscord, tmp_path) -> None:  # type: ignore[no-untyped-def]
    owner, admin = fake.add_user("Olu"), fake.add_user("Ada")
    guild = fake.add_guild("Northside", owner)
    fake.add_member(guild, admin, fake.add_role(guild, "Admins", 1, MANAGE_GUILD))
    general = fake.channels[guild.channels[0]]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SURGERYBOT_")}
    env.update(SURGERYBOT_DISCORD__TOKEN=fake.token, SURGERYBOT_DISCORD__API_BASE_URL=fake.api_base_url,
               SURGERYBOT_LOG_LEVEL="DEBUG", SURGERYBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'run.db'}")
    created = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "invite", "create", "--community",
                                                   "Northside", "--platform", "discord", "--json", env=env,
                                                   stdout=asyncio.subprocess.PIPE)
    code = json.loads((await created.communicate())[0])["code"]
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    lines: list[str] = []

    async def read() -> None:
        assert process.stdout is not None
        async for line in process.stdout:
            lines.append(line.decode())

    reader = asyncio.create_task(read())
    try:
        await eventually(lambda: any("is running on discord" in line for line in lines), "the bot to be ready",
                         timeout=DEADLINE)
        await fake.bot_joins(guild, added_by=admin)
        await eventually(lambda: fake.bot_texts(general.id), "the dormant hello", timeout=DEADLINE)
        await fake.invoke(admin, general, f"/surgery accept {code}")
        await eventually(lambda: any("is now a guest" in t for t in fake.bot_texts(general.id)), "the notice",
                         timeout=DEADLINE)
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), DEADLINE)
        await asyncio.wait_for(reader, DEADLINE)
    text = "".join(lines)
    assert process.returncode == 0, text
    assert "surgerybot stopped" in text
    assert "Traceback" not in text, text[max(0, text.find("Traceback") - 1500):text.find("Traceback") + 3000]
    assert fake.token not in text
