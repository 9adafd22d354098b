"""The demo's clock: it stands still until the script moves it, so durable timers fire when the story says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

OPENING = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)  # the evening the scripted surgery is held


class ScriptedClock:
    def __init__(self, start: datetime = OPENING) -> None:
        if start.tzinfo is None:
            raise ValueError("ScriptedClock needs a timezone-aware start time")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now
