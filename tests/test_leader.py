"""One receiver per deployment: the lease on PostgreSQL (advisory lock) and SQLite (file lock), and two bot
processes sharing a database where only one polls Telegram until it stops and the other takes over."""

from __future__ import annotations

import asyncio

from bot.leader import ReceiverLease, lease_key
from bot.storage.database import Database


async def test_only_one_holder_until_released(database_url: str) -> None:
    first_db, second_db = Database(database_url), Database(database_url)
    await first_db.upgrade()
    first, second = ReceiverLease(first_db, "telegram-receiver"), ReceiverLease(second_db, "telegram-receiver")
    other = ReceiverLease(second_db, "discord-receiver")
    try:
        assert await first.try_acquire()
        assert await first.try_acquire()  # re-entrant for its holder
        assert not await second.try_acquire()
        assert await other.try_acquire()  # a different lease is independent
        await first.release()
        assert await second.try_acquire()
    finally:
        for lease in (first, second, other):
            await lease.release()
        await first_db.dispose()
        await second_db.dispose()


def test_lease_keys_are_stable_signed_64_bit() -> None:
    key = lease_key("telegram-receiver")
    assert key == lease_key("telegram-receiver") != lease_key("discord-receiver")
    assert -(2**63) <= key < 2**63


async def test_two_instances_share_one_telegram_poller(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from adapters.telegram import TelegramAdapter
    from bot.app import App
    from config.settings import Settings
    from tests.telegram.fake_bot_api import FakeBotApi
    from tests.telegram.harness import fresh_clock, telegram_settings

    clock = fresh_clock()
    api = FakeBotApi(now=clock.now)
    await api.start()
    database = f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}"
    apps = []
    try:
        for _ in range(2):
            settings = Settings(database_url=database, _env_file=None, telegram=telegram_settings(api))
            adapter = TelegramAdapter(settings.telegram, clock)
            app = App(settings, adapters=[adapter], clock=clock)
            app.standby_interval = 0.1
            await app.start(run_timers=False)
            apps.append((app, adapter))
        leader, follower = apps
        assert leader[1].receive_updates and not follower[1].receive_updates
        await asyncio.sleep(0.3)
        polls_before = len(api.calls_named("getUpdates"))
        assert polls_before >= 1
        await leader[0].stop()
        apps.remove(leader)
        deadline = asyncio.get_running_loop().time() + 5
        while not follower[1].receive_updates or len(api.calls_named("getUpdates")) <= polls_before:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("the standby instance never took over polling")
            await asyncio.sleep(0.05)
    finally:
        for app, _ in apps:
            await app.stop()
        await api.stop()
