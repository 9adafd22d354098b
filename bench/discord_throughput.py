"""Throughput of MESSAGE_CREATE through the fake Discord gateway: the full pipeline (discord.py → DiscordAdapter →
App dispatcher on SQLite) against a bare discord.py client with a no-op on_message, in one run. Not a test.

    .venv/bin/python bench/discord_throughput.py [N]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

import discord

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.discord import DiscordAdapter  # noqa: E402
from adapters.discord.client import build_client, point_at, use_gateway  # noqa: E402
from bot.app import App  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from config.settings import DiscordSettings, Settings  # noqa: E402
from tests.discord.fake_discord import Channel, FakeDiscord, User  # noqa: E402

DEADLINE = 120.0


def world(fake: FakeDiscord) -> tuple[User, Channel]:
    owner, poster = fake.add_user("Olu"), fake.add_user("Mo")
    guild = fake.add_guild("Bench", owner)
    fake.add_member(guild, poster)
    fake.place_bot(guild)
    return poster, fake.channels[guild.channels[0]]


async def pump(fake: FakeDiscord, poster: User, channel: Channel, n: int, done: asyncio.Event,
               seen: list[int]) -> float:
    start = time.perf_counter()
    for i in range(n):
        await fake.user_posts(poster, channel, f"message {i}")
    await asyncio.wait_for(done.wait(), DEADLINE)
    elapsed = time.perf_counter() - start
    assert seen[0] == n, seen
    return n / elapsed


async def bare(n: int) -> float:
    fake = FakeDiscord()
    await fake.start()
    poster, channel = world(fake)
    seen, done = [0], asyncio.Event()
    client = build_client(DiscordSettings(token=fake.token, api_base_url=fake.api_base_url),
                          guild_ready_timeout=0.1)
    ready = asyncio.Event()

    async def on_ready() -> None:
        ready.set()

    async def on_message(message: discord.Message) -> None:
        seen[0] += 1
        if seen[0] == n:
            done.set()

    client.on_ready, client.on_message = on_ready, on_message  # type: ignore[method-assign]
    point_at(fake.api_base_url)
    await client.login(fake.token)
    use_gateway(fake.gateway_url)
    task = asyncio.create_task(client.connect())
    await asyncio.wait_for(ready.wait(), 10)
    try:
        return await pump(fake, poster, channel, n, done, seen)
    finally:
        await client.close()
        await asyncio.gather(task, return_exceptions=True)
        await fake.stop()


async def full(n: int) -> float:
    fake = FakeDiscord()
    await fake.start()
    poster, channel = world(fake)
    seen, done = [0], asyncio.Event()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp}/bench.db", _env_file=None,
                            discord=DiscordSettings(token=fake.token, api_base_url=fake.api_base_url))
        adapter = DiscordAdapter(settings.discord, SystemClock(), guild_ready_timeout=0.1)
        app = App(settings, adapters=[adapter], clock=SystemClock())
        dispatch = app.dispatcher.dispatch

        async def counted(event):  # type: ignore[no-untyped-def]
            result = await dispatch(event)
            seen[0] += 1
            if seen[0] == n:
                done.set()
            return result

        app.dispatcher.dispatch = counted  # type: ignore[method-assign]
        await app.start(run_timers=False)
        try:
            return await pump(fake, poster, channel, n, done, seen)
        finally:
            await app.stop()
            await fake.stop()


async def main(n: int) -> None:
    await bare(min(n, 200))  # warm-up: imports, first connections
    bare_rate = await bare(n)
    full_rate = await full(n)
    print(f"MESSAGE_CREATE x {n}")
    print(f"bare discord.py client, no-op on_message: {bare_rate:10.0f} events/s")
    print(f"full pipeline (adapter + App dispatcher): {full_rate:10.0f} events/s")
    print(f"ratio full/bare: {full_rate / bare_rate:.2f} (target >= 0.8)")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000))
