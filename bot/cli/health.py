"""`surgerybot health`: for a supervisor (systemd, a container's health check). Reads the health file the running
bot writes every few seconds and exits 0 only if it is fresh and every part (each adapter's receiver, the
database, the timer loop) is well."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.base import app, out, settings_or_exit
from bot.clock import SystemClock, ensure_utc
from bot.health import read_report

# The bot writes every 5 s; a file older than this means the process hangs or is gone.
DEFAULT_MAX_AGE_SECONDS = 30


@app.command()
def health(
    file: Annotated[Path | None, typer.Option(help="The health file (default: SURGERYBOT_HEALTH_FILE).")] = None,
    max_age: Annotated[int, typer.Option(help="Seconds after which the file counts as stale.")] = DEFAULT_MAX_AGE_SECONDS,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Exit 0 if the running bot reports itself healthy (receivers, database, timers), 1 if not, 2 if unknown."""
    path = file or settings_or_exit().health_file
    if path is None:
        out.print("No health file: set SURGERYBOT_HEALTH_FILE for `surgerybot run`, or pass --file.")
        raise typer.Exit(2)
    try:
        report = read_report(path)
    except FileNotFoundError:
        out.print(f"✘ {path} does not exist: the bot is not running (or has not written it yet).")
        raise typer.Exit(1) from None
    except (ValueError, KeyError, TypeError) as error:
        out.print(f"✘ {path} is not a health file the bot wrote ({error}).")
        raise typer.Exit(2) from None
    age = SystemClock().now() - ensure_utc(report.at)
    stale = age > timedelta(seconds=max_age)
    if as_json:
        out.print_json(json.dumps({"ok": report.ok and not stale, "stale": stale, "age_seconds": round(age.total_seconds()),
                                   "parts": {n: {"ok": p.ok, "detail": p.detail} for n, p in report.parts.items()}}))
    else:
        for name, part in report.parts.items():
            out.print(f"{'✔' if part.ok else '✘'} {name}: {part.detail}", highlight=False)
        if stale:
            out.print(f"✘ the report is {age.total_seconds():.0f} s old: the bot hangs or has stopped", highlight=False)
    if stale or not report.ok:
        raise typer.Exit(1)
