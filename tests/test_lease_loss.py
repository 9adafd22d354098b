"""The polling lease on the real PostgreSQL server, when its connection is lost: the server frees the advisory
lock at once, so the holder must stop polling at once (or two instances poll one token), the standby must take
over, and the old holder must still stop cleanly."""

from __future__ import annotations


import asyncpg
import pytest

from bot.refs import Platform
from bot.storage.database import Database
from tests.conftest import POSTGRES_URL
from tests.waiting import eventually

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL not configured (SURGERYBOT_TEST_POSTGRES_URL)")


async def _terminate(backend_pid: int) -> None:
    connection = await asyncpg.connect(POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        assert await connection.fetchval("SELECT pg_terminate_backend($1)", backend_pid)
    finally:
        await connection.close()


async def test_a_holder_that_loses_its_lease_connection_stops_polling_and_the_other_takes_over(
        postgres_url: str) -> None:
    from adapters.telegram import TelegramAdapter
    from bot.app import App
    from config.settings import Settings
    from tests.telegram.fake_bot_api import FakeBotApi
    from tests.telegram.harness import fresh_clock, telegram_settings

    clock = fresh_clock()
    api = FakeBotApi(now=clock.now)
    await api.start()
    apps: list[tuple[App, TelegramAdapter]] = []
    try:
        for _ in range(2):
            settings = Settings(database_url=postgres_url, _env_file=None,
                                telegram=telegram_settings(api))
            adapter = TelegramAdapter(settings.telegram, clock)
            app = App(settings, adapters=[adapter], clock=clock)
            app.standby_interval = 0.2
            await app.start(run_timers=False)
            apps.append((app, adapter))
        (first, first_adapter), (second, second_adapter) = apps
        assert first_adapter.receive_updates and not second_adapter.receive_updates
        [lease] = first._leases
        assert lease.held and lease.backend_pid is not None

        await _terminate(lease.backend_pid)

        await eventually(lambda: first_adapter._receiver is None, "the old holder to stop polling", timeout=20)
        assert not first_adapter.receive_updates and not lease.held
        await eventually(lambda: second_adapter.receive_updates and second_adapter._receiver is not None,
                         "the standby instance to take over", timeout=20)
        # The new holder answers; the old one, standing by, does not poll any more.
        mo = api.world.add_user("Mo", "mo")
        dm = api.world.private_chat(mo.id)
        api.user_sends(mo, dm, "/about")
        await eventually(lambda: api.bot_messages(dm.id), "the new holder answering", timeout=20)
        assert first.adapters[Platform.TELEGRAM].receive_updates is False

        await first.stop()  # release() after a lost connection must not raise
        apps.remove((first, first_adapter))
    finally:
        for app, _ in apps:
            await app.stop()
        await api.stop()


async def test_release_after_the_connection_was_killed_does_not_raise(postgres_url: str) -> None:
    from bot.leader import ReceiverLease

    database = Database(postgres_url)
    lost: list[bool] = []

    async def on_lost() -> None:
        lost.append(True)

    lease = ReceiverLease(database, "telegram-receiver", on_lost=on_lost)
    try:
        assert await lease.try_acquire() and lease.backend_pid is not None
        await _terminate(lease.backend_pid)
        await eventually(lambda: lost, "the loss noticed", timeout=20)
        assert not lease.held
        other = ReceiverLease(database, "telegram-receiver")
        assert await other.try_acquire()  # the server freed the lock with the connection
        await other.release()
    finally:
        await lease.release()
        await database.dispose()


async def test_an_instance_takes_its_liveness_lease_back_after_losing_its_connection(postgres_url: str) -> None:
    """Without it the instance would look gone, and a starting instance would take over its outbox."""
    from bot.clock import SystemClock
    from bot.executor import Executor
    from bot.outbox import Outbox

    database = Database(postgres_url)
    outbox = Outbox(database, Executor(database, {}, SystemClock()), SystemClock())
    try:
        await outbox.start()
        lease = outbox._lease
        first_pid = lease.backend_pid
        assert first_pid is not None
        await _terminate(first_pid)
        await eventually(lambda: lease.held and lease.backend_pid != first_pid, "the lease held again", timeout=20)
        assert not await outbox._is_gone(outbox.instance)
    finally:
        await outbox.stop()
        await database.dispose()
