"""How many wrong one-time codes (invitation codes, councillors' `/link` codes) may be tried before a cool-down,
decided purely. A code is short enough to type, so unlimited guesses would find one in time; counting per person
and per chat stops both one account guessing in many chats and many accounts guessing in one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class AttemptLimit:
    failures: int  # wrong codes allowed within `window`; the last of them starts the cool-down
    window: timedelta
    cool_down: timedelta


@dataclass(frozen=True, slots=True)
class Tries:
    """One person's or one chat's recent wrong codes."""

    failures: int = 0
    since: datetime | None = None  # the first wrong code of the current window
    locked_until: datetime | None = None


def locked_until(tries: Iterable[Tries | None], now: datetime) -> datetime | None:
    """When trying may start again, if any of `tries` (the person's, the chat's) is cooling down now."""
    ends = [t.locked_until for t in tries if t is not None and t.locked_until is not None and t.locked_until > now]
    return max(ends) if ends else None


def after_failure(tries: Tries | None, now: datetime, limit: AttemptLimit) -> Tries:
    """Count one more wrong code. Failures older than the window are forgotten; reaching the limit starts the
    cool-down, after which the full allowance is back."""
    cooled = tries is not None and tries.locked_until is not None and tries.locked_until <= now
    if tries is None or tries.since is None or cooled or now - tries.since >= limit.window:
        tries = Tries(failures=0, since=now)
    failures = tries.failures + 1
    if failures >= limit.failures:
        return Tries(failures=0, since=None, locked_until=now + limit.cool_down)
    return Tries(failures=failures, since=tries.since)


def minutes_left(until: datetime, now: datetime) -> int:
    """Whole minutes to wait, rounded up, so "1 minute" is never said when 70 seconds remain."""
    seconds = max(0.0, (until - now).total_seconds())
    return max(1, -(-int(seconds) // 60))
