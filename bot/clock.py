"""Time is injected: everything reads `clock.now()`, never `datetime.now()`, so tests and the demo can move time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def ensure_utc(value: datetime) -> datetime:
    """Databases hand naive datetimes back (SQLite keeps no zone); everything stored is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_or_none(value: datetime | None) -> datetime | None:
    """`ensure_utc` for a column that may be empty."""
    return ensure_utc(value) if value else None
