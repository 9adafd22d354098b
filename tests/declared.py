"""The commands the App declares, for adapter tests that run an adapter without the App (the App itself hands
them to its adapters with `set_commands`)."""

from __future__ import annotations

from functools import cache

from bot.app import App
from bot.features import CommandSpec
from config.settings import Settings


@cache
def declared_commands() -> tuple[CommandSpec, ...]:
    # Building the App opens no connection: the in-memory URL is never used.
    return App(Settings(database_url="sqlite+aiosqlite://", _env_file=None)).commands
