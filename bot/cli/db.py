"""`surgerybot db upgrade`: schema migrations on the configured database."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.base import app, out, run_async, settings_or_exit
from bot.logs import configure_logging
from bot.storage.database import Database

db_app = typer.Typer(help="Database schema commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply schema migrations (SQLite does this by itself on first run; PostgreSQL needs it after upgrades)."""
    settings = settings_or_exit()
    configure_logging("WARNING", settings.log_format.value)

    async def _upgrade() -> str | None:
        db = Database(settings.database_url)
        try:
            await db.upgrade(revision)
            return await db.current_revision()
        finally:
            await db.dispose()

    out.print(f"Database schema is at revision {run_async(_upgrade)}.")
