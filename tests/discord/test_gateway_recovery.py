"""A gateway connection that dies after start-up: discord.py gives up on some endings (a close code it will not
resume, its task gone), after which the bot would be deaf on Discord while the process looks healthy. The adapter
remakes the connection with a back-off, and the health file shows the outage to a supervisor meanwhile."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app as cli
from bot.events import MessageReceived
from bot.health import read_report
from bot.refs import Platform
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import DiscordHarness, app_on_fake_discord
from tests.waiting import eventually

runner = CliRunner()


def identifies(fake: FakeDiscord) -> int:
    return [op for op, _ in fake.gateway_ops].count(2)


async def test_a_gateway_task_that_dies_is_remade_and_events_flow_again(fake: FakeDiscord) -> None:
    harness = DiscordHarness(fake)
    harness.adapter.reconnect_delay = 0.05
    await harness.adapter.start(harness.sink)
    try:
        assert harness.adapter.receiver_health().ok
        connection = harness.adapter._connection
        assert connection is not None
        connection.cancel()  # the task is gone, as after an unexpected error inside discord.py

        await eventually(lambda: identifies(fake) == 2, "a new gateway session", timeout=20)
        await eventually(lambda: harness.adapter.receiver_health().ok, "the adapter healthy again", timeout=20)
        posted = await fake.user_posts(harness.member_user, harness.channel, "anyone there?")
        event = await harness.wait_for(lambda e: e.update_key == f"discord:msg:{posted.id}", timeout=10.0)
        assert isinstance(event, MessageReceived)
    finally:
        await harness.adapter.stop()


async def test_a_close_code_discord_py_will_not_resume_is_reconnected_after_a_back_off(fake: FakeDiscord) -> None:
    harness = DiscordHarness(fake)
    harness.adapter.reconnect_delay = 0.05
    await harness.adapter.start(harness.sink)
    try:
        await fake.drop_gateway(code=4010)  # "invalid shard": discord.py closes the client and raises
        await eventually(lambda: identifies(fake) == 2, "a new gateway session", timeout=20)
        await eventually(lambda: harness.adapter.receiver_health().ok, "connected again", timeout=20)
        posted = await fake.user_posts(harness.member_user, harness.channel, "back?")
        await harness.wait_for(lambda e: e.update_key == f"discord:msg:{posted.id}", timeout=10.0)
    finally:
        await harness.adapter.stop()


async def test_surgerybot_health_reports_a_deaf_gateway(fake: FakeDiscord, tmp_path: Path) -> None:
    DiscordHarness(fake)  # the world: a server with the bot in it
    app = app_on_fake_discord(fake, tmp_path / "bot.db", clock=_system_clock())
    health_file = tmp_path / "health.json"
    app.settings.health_file = health_file
    app.health_interval = 0.05
    adapter = app.adapters[Platform.DISCORD]
    adapter.reconnect_delay = 3600  # type: ignore[attr-defined]  # no reconnect within this test
    await app.start()
    try:
        await eventually(lambda: health_file.exists(), "the first health report", timeout=10)
        healthy = runner.invoke(cli, ["health", "--file", str(health_file)])
        assert healthy.exit_code == 0, healthy.output
        assert "discord" in healthy.output and "database" in healthy.output and "timers" in healthy.output

        adapter._connection.cancel()  # type: ignore[attr-defined]
        await eventually(lambda: not read_report(health_file).parts["discord"].ok, "the outage reported",
                         timeout=10)
        deaf = runner.invoke(cli, ["health", "--file", str(health_file)])
        assert deaf.exit_code == 1, deaf.output
        assert "✘ discord" in deaf.output and "gateway" in deaf.output
    finally:
        await app.stop()
    assert not health_file.exists()  # a stopped bot leaves no report that could look healthy
    gone = runner.invoke(cli, ["health", "--file", str(health_file)])
    assert gone.exit_code == 1 and "not running" in gone.output


async def test_a_stale_health_file_is_unhealthy(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.health import HealthReport, ReceiverHealth, write_report

    path = tmp_path / "health.json"
    write_report(path, HealthReport(datetime.now(UTC) - timedelta(minutes=5), {"database": ReceiverHealth(True, "ok")}))
    result = runner.invoke(cli, ["health", "--file", str(path), "--max-age", "30"])
    assert result.exit_code == 1 and "hangs or has stopped" in result.output
    write_report(path, HealthReport(datetime.now(UTC), {"database": ReceiverHealth(True, "ok")}))
    assert runner.invoke(cli, ["health", "--file", str(path)]).exit_code == 0


def _system_clock():  # type: ignore[no-untyped-def]
    from bot.clock import SystemClock

    return SystemClock()
