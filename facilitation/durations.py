"""Durations as people type them: `90s`, `10m`, `2h`, `1d`, `1h30m`, `2w`."""

from __future__ import annotations

import re
from datetime import timedelta

from facilitation.problems import InputProblem

_PART = re.compile(r"([0-9]{1,6})\s*([smhdw])", re.I)
_WHOLE = re.compile(r"^\s*(?:[0-9]{1,6}\s*[smhdw]\s*)+$", re.I)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_LARGEST = int(timedelta.max.total_seconds())


def parse_duration(text: str, *, minimum: timedelta | None = None, maximum: timedelta | None = None) -> timedelta:
    """Parse `text`; raise `InputProblem` (`duration_*`) when it is malformed or out of range."""
    cleaned = text.strip()
    if not cleaned or not _WHOLE.match(cleaned):
        raise InputProblem("duration_unreadable", text=cleaned[:20])
    seconds = sum(int(n) * _UNIT_SECONDS[u.lower()] for n, u in _PART.findall(cleaned))
    if seconds <= 0:
        raise InputProblem("duration_not_positive")
    # Compare plain seconds first: an absurd input ("999999w" × 200) would overflow timedelta itself.
    if maximum is not None and seconds > maximum.total_seconds():
        raise InputProblem("duration_too_long", maximum=format_duration(maximum))
    if seconds > _LARGEST:
        raise InputProblem("duration_far_too_long")
    value = timedelta(seconds=seconds)
    if minimum is not None and value < minimum:
        raise InputProblem("duration_too_short", minimum=format_duration(minimum))
    if maximum is not None and value > maximum:
        raise InputProblem("duration_too_long", maximum=format_duration(maximum))
    return value


def format_duration(value: timedelta) -> str:
    """`timedelta(hours=1, minutes=30)` → `1h30m`."""
    seconds = int(value.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"
