"""The `surgerybot` command line's base: the Typer app and the helpers every command module shares. It defines no
command; each group lives in its own module beside it, and bot/cli/__init__.py imports them so they register."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from bot.clock import SystemClock
from bot.errors import ConfigurationError, UserInputError
from bot.logs import configure_logging
from bot.operator import Operator
from bot.storage.database import Database
from config.settings import Settings, load_settings

T = TypeVar("T")

app = typer.Typer(help="surgerybot: council surgeries inside the community groups residents already use.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

out = Console()
err = Console(stderr=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of a table.")]


def fail(message: str, code: int = 1) -> None:
    # soft_wrap: no hard line breaks inside the sentence, so a path or id in it can be copied whole.
    err.print(f"[bold red]Error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except ConfigurationError as error:
        fail(str(error), 2)
        raise  # unreachable: fail() exits


def run_async(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    try:
        return asyncio.run(factory())
    except (ConfigurationError, UserInputError) as error:
        fail(str(error), 2 if isinstance(error, ConfigurationError) else 1)
        raise
    except OverflowError:
        # An id longer than the database's 64-bit integers (e.g. 99999999999999999999) names nothing.
        fail("That number is too large to be an id; the list commands show the ids in use.")
        raise


def write_output(path: Path, text: str) -> None:
    """Write an export or report to the operator's chosen file, saying plainly why if it can't be done."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        fail(f"Couldn't write {path}: {error.strerror or error}.")


async def with_operator(settings: Settings, job: Callable[[Operator], Awaitable[T]]) -> T:
    db = Database(settings.database_url)
    try:
        if db.is_sqlite:
            await db.upgrade()
        return await job(Operator(db, settings, SystemClock()))
    finally:
        await db.dispose()


def operator_job(job: Callable[[Operator], Awaitable[T]]) -> T:
    settings = settings_or_exit()
    configure_logging("WARNING", settings.log_format.value)
    return run_async(lambda: with_operator(settings, job))


def print_rows(rows: list[dict[str, Any]], columns: list[str], as_json: bool, title: str) -> None:
    if as_json:
        out.print_json(json.dumps(rows, default=str))
        return
    if not rows:
        out.print(f"No {title.lower()} yet.")
        return
    table = Table(title=title)
    for column in columns:
        table.add_column(column.replace("_", " "))
    for row in rows:
        table.add_row(*(str(row.get(column, "")) for column in columns))
    out.print(table)
