"""Small helpers around Alembic's script directory."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from bot.storage.database import Database


def head_revision(db: Database) -> str | None:
    return ScriptDirectory.from_config(db.alembic_config()).get_current_head()
