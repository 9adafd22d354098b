"""The `surgerybot` command line (typer + rich). Every listing or creating command takes `--json`.
Errors an operator can fix are one plain sentence and a non-zero exit, never a traceback.

bot/cli/base.py holds the app and the shared helpers; each module below adds its commands to that app when
imported. The import order is the order `surgerybot --help` lists them in."""

from __future__ import annotations

import sys

from bot.cli import (
    running,  # run, demo, check
    db,
    invite,
    councillor,
    facilitator,
    communities,
    sessions,  # and report
    export,
    data_requests,  # subject, retention, listening
    elections,
    i18n,
)
from bot.cli.base import app

COMMAND_MODULES = (running, db, invite, councillor, facilitator, communities, sessions, export, data_requests,
                   elections, i18n)

__all__ = ["COMMAND_MODULES", "app", "main"]


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
