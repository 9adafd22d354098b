"""`surgerybot run`, `demo` and `check`: the commands that start the bot, or show it would start."""

from __future__ import annotations

import asyncio
import logging
import signal
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.base import app, fail, out, run_async, settings_or_exit
from bot.clock import SystemClock
from bot.errors import ConfigurationError
from bot.logs import configure_logging
from bot.storage.database import Database
from config.settings import Language, Settings

log = logging.getLogger("surgerybot")


@app.command()
def run() -> None:
    """Run every configured platform adapter in one event loop until stopped (Ctrl-C or SIGTERM)."""
    settings = settings_or_exit()
    if not settings.configured_platforms:
        fail("No platform token is set. Set SURGERYBOT_TELEGRAM__TOKEN (from @BotFather) and/or "
             "SURGERYBOT_DISCORD__TOKEN (from the Discord Developer Portal), in the environment or in .env.", 2)
    secrets = [s.get_secret_value() for s in (settings.telegram.token, settings.discord.token,
                                              settings.telegram.webhook_secret) if s]
    configure_logging(settings.log_level, settings.log_format.value, secrets)
    run_async(lambda: _run_forever(settings))


async def _run_forever(settings: Settings) -> None:
    from bot.app import App, build_platform_adapters

    clock = SystemClock()
    app_ = App(settings, adapters=build_platform_adapters(settings, clock), clock=clock)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await app_.start()
        out.print(f"surgerybot is running on {', '.join(settings.configured_platforms)}. Ctrl-C stops it.")
        await stop.wait()
        log.info("stopping: finishing work in hand and closing connections")
    finally:
        await app_.stop()
        log.info("surgerybot stopped")


@app.command()
def demo(
    database: Annotated[Path | None, typer.Option(help="SQLite file to use (default: a fresh temporary file).")] = None,
    language: Annotated[Language, typer.Option(help="The council's language for the demo: en, cy or both.")]
    = Language.EN,
) -> None:
    """Run a scripted story on the built-in local platform and print the transcript. Needs no tokens.

    From invitation to goodbye: consent, a whole surgery (votes, anonymous
    and private questions, a private answer with /reply, a referral),
    moderation, privacy rights and retention; then, weeks later on a scripted
    clock, casework followed through (/mycases, a reference gone overdue, the
    resident asked whether a reply came), a pre-election period (a surgery
    inside it called off, a councillor's scheduling refused) and a surgery
    hosted by a council officer that a second group joins (one queue, each
    question labelled with its group). It takes a few seconds."""
    from bot.demo import run_demo

    configure_logging("WARNING", "text")
    if database is None:
        database = Path(tempfile.mkdtemp(prefix="surgerybot-demo-")) / "demo.db"
    run_async(lambda: run_demo(database, language=language.value,
                               out=lambda line: out.print(line, highlight=False, markup=False, soft_wrap=True)))
    out.print(f"\nDemo finished. Its database is {database}", highlight=False)


@app.command()
def check() -> None:
    """Validate the settings, reach the database and say which platforms are configured."""
    settings = settings_or_exit()
    configure_logging("WARNING", settings.log_format.value)

    async def _check() -> None:
        db = Database(settings.database_url)
        try:
            if db.is_sqlite:
                await db.upgrade()
            revision = await db.current_revision()
        except Exception as error:  # any driver error: say it plainly
            raise ConfigurationError(f"Could not reach the database at SURGERYBOT_DATABASE_URL: {error}") from None
        finally:
            await db.dispose()
        out.print(f"✔ settings are valid (council: {settings.council.name}, timezone {settings.council.timezone})")
        out.print(f"✔ database reachable, schema revision {revision}")
        if not settings.configured_platforms:
            out.print("✘ no platform token set: SURGERYBOT_TELEGRAM__TOKEN and/or SURGERYBOT_DISCORD__TOKEN")
            raise typer.Exit(1)
        from bot.app import build_platform_adapters

        for adapter in build_platform_adapters(settings, SystemClock()):
            try:
                first, *more = (await adapter.check()).splitlines()
                out.print(f"✔ {adapter.platform}: {first}", highlight=False)
                for line in more:  # e.g. each Discord server's missing permissions
                    out.print(f"  • {line}", highlight=False)
            except Exception as error:
                out.print(f"✘ {adapter.platform}: {error}")
                raise typer.Exit(1) from None

    run_async(_check)
