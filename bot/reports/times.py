"""Times as people in the council read them: in the council's zone (settings.council.timezone), with its
abbreviation, so a report printed in winter and read in summer is still unambiguous."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def local(value: datetime | None, zone: ZoneInfo, *, missing: str = "—") -> str:
    """`Wed 2 Dec 2026, 18:30 GMT`."""
    if value is None:
        return missing
    shown = value.astimezone(zone)
    return f"{shown:%a} {shown.day} {shown:%b %Y, %H:%M} {shown.tzname()}"


def local_compact(value: datetime, zone: ZoneInfo) -> str:
    """`2026-12-02 18:30 GMT`, for narrow terminal tables."""
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def local_time(value: datetime, zone: ZoneInfo) -> str:
    """`18:30`, for chart labels within one day."""
    return value.astimezone(zone).strftime("%H:%M")


def local_date(value: datetime | None, zone: ZoneInfo, *, missing: str = "—") -> str:
    """`2 Dec 2026`."""
    if value is None:
        return missing
    shown = value.astimezone(zone)
    return f"{shown.day} {shown:%b %Y}"


def local_iso(value: datetime | None, zone: ZoneInfo) -> str | None:
    """ISO 8601 with the council's UTC offset, for JSON read by other tools."""
    return value.astimezone(zone).isoformat() if value is not None else None
