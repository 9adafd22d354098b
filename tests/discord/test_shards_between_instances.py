"""Discord with several instances on one PostgreSQL database: the gateway advises two shards (GET /gateway/bot on
the fake); with one shard per instance, each instance claims one through the database and connects only it, so it
receives only its own servers' events — no instance sees, or races to acknowledge, another's interactions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import App
from bot.clock import SystemClock
from bot.events import Event
from bot.refs import Platform
from config.settings import DiscordSettings, Settings
from tests.conftest import POSTGRES_URL
from tests.discord.fake_discord import FakeDiscord, Guild
from tests.discord.harness import fast_adapter
from tests.waiting import eventually

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL not configured (SURGERYBOT_TEST_POSTGRES_URL)")


def one_guild_per_shard(fake: FakeDiscord) -> dict[int, Guild]:
    owner = fake.add_user("Olu")
    by_shard: dict[int, Guild] = {}
    while len(by_shard) < fake.shard_count:
        guild = fake.add_guild(f"Server {len(fake.guilds)}", owner)
        fake.place_bot(guild)
        by_shard.setdefault(fake._shard_of(guild.id), guild)
    return by_shard


async def test_two_instances_split_two_shards_and_each_receives_only_its_own(fake: FakeDiscord, tmp_path: Path,
                                                                              postgres_url: str) -> None:
    fake.shard_count = 2  # the gateway's advice: no shard count is configured
    guilds = one_guild_per_shard(fake)
    settings = Settings(database_url=postgres_url, _env_file=None,
                        discord=DiscordSettings(token=fake.token, api_base_url=fake.api_base_url,
                                                shards_per_instance=1))
    apps: list[App] = []
    received: list[list[Event]] = []
    try:
        for _ in range(2):
            app = App(settings, adapters=[fast_adapter(settings.discord, SystemClock())], clock=SystemClock())
            seen: list[Event] = []
            sink = app.dispatcher.dispatch

            async def recording(event: Event, seen: list[Event] = seen, sink=sink) -> bool:  # type: ignore[no-untyped-def]
                seen.append(event)
                return await sink(event)

            app.dispatcher.dispatch = recording  # type: ignore[method-assign]
            # These servers are not communities, so the adapter would drop their chat at the door (the bot is deaf
            # there); this test watches which instance receives what, so let everything through.
            app.privacy_gate.hears = lambda chat, kind: True  # type: ignore[method-assign]
            await app.start(run_timers=False)
            apps.append(app)
            received.append(seen)

        identified = sorted(tuple(d["shard"]) for op, d in fake.gateway_ops if op == 2)
        assert identified == [(0, 2), (1, 2)]  # each shard connected once, by one instance
        shards = []
        for app in apps:
            client = app.adapters[Platform.DISCORD]._client  # type: ignore[attr-defined]
            assert client is not None and len(client.shard_ids) == 1
            shard = client.shard_ids[0]
            shards.append(shard)
            mine = {str(g.id) for g in client.guilds}
            assert guilds[shard].id in mine and {fake._shard_of(g) for g in mine} == {shard}
        assert sorted(shards) == [0, 1]

        for shard, guild in guilds.items():
            member = fake.add_user(f"Resident {shard}")
            fake.add_member(guild, member)
            await fake.user_posts(member, fake.channels[guild.channels[0]], f"hello on shard {shard}")
        for index, seen in enumerate(received):
            mine = guilds[shards[index]].id
            await eventually(lambda: any(getattr(getattr(e, "chat", None), "space_id", None) == mine for e in seen),
                             "the instance receiving its own server's message", timeout=10)
            assert all(getattr(getattr(e, "chat", None), "space_id", mine) == mine for e in seen), seen
    finally:
        for app in apps:
            await app.stop()


async def test_an_instance_with_no_free_shard_sends_and_takes_over_when_another_stops(
        fake: FakeDiscord, postgres_url: str) -> None:
    fake.shard_count = 1
    guilds = one_guild_per_shard(fake)
    settings = Settings(database_url=postgres_url, _env_file=None,
                        discord=DiscordSettings(token=fake.token, api_base_url=fake.api_base_url,
                                                shards_per_instance=1))
    first = App(settings, adapters=[fast_adapter(settings.discord, SystemClock())], clock=SystemClock())
    second = App(settings, adapters=[fast_adapter(settings.discord, SystemClock())], clock=SystemClock())
    second.standby_interval = 0.2
    running = [first, second]
    try:
        await first.start(run_timers=False)
        await second.start(run_timers=False)
        standby = second.adapters[Platform.DISCORD]
        assert not standby.receive_updates and standby.receiver_health().ok
        channel = fake.channels[guilds[0].channels[0]]
        from bot.refs import ChatRef

        sent = await standby.send_message(ChatRef(Platform.DISCORD, channel.id, guilds[0].id), "sent over REST")
        assert sent.id and "sent over REST" in fake.bot_texts(channel.id)
        assert [op for op, _ in fake.gateway_ops].count(2) == 1  # only the first instance identified

        await first.stop()
        running.remove(first)
        await eventually(lambda: standby.receive_updates and standby.receiver_health().ok,
                         "the standby instance taking the shard over", timeout=20)
        assert [op for op, _ in fake.gateway_ops].count(2) == 2
    finally:
        for app in running:
            await app.stop()
