"""Reading `/surgery schedule <when> <duration> [topic]`. Times are typed in the council's timezone and
stored in UTC. Refusals are codes with values; the handler turns them into kind sentences (config/messages)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from facilitation.durations import format_duration, parse_duration
from facilitation.problems import InputProblem

# ASCII digits only: `\d` would also take `٢` or `２`, which nobody types on purpose in a date.
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_CLOCK = re.compile(r"^([0-9]{1,2})[:.]([0-9]{2})$")
_RELATIVE_DAYS = {"today": 0, "tonight": 0, "tomorrow": 1}
STRICT_FLAG = "--strict"
# How far ahead a surgery may be planned. Beyond it a date is a typo (`2062`) more likely than a plan, and dates
# near year 9999 would overflow when the end, the reminders or the retention cut-offs are computed.
FURTHEST_AHEAD = timedelta(days=366)


class ScheduleProblem(StrEnum):
    EMPTY = "empty"
    BAD_WHEN = "bad_when"
    BAD_DURATION = "bad_duration"  # no duration after the time
    UNREADABLE_DURATION = "unreadable_duration"  # a duration was given but can't be read (`1h30`, `10x`, `-5m`)
    SKIPPED_TIME = "skipped_time"  # a local time the clocks jump over (spring forward)
    PAST = "past"
    TOO_FAR = "too_far"  # more than FURTHEST_AHEAD from now, or a date the calendar can't hold
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"


@dataclass(frozen=True, slots=True)
class ScheduleRequest:
    starts_at: datetime  # UTC
    duration: timedelta
    topic: str = ""
    strict: bool = False

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + self.duration


@dataclass(frozen=True, slots=True)
class ScheduleRefusal:
    problem: ScheduleProblem
    values: dict[str, str] = field(default_factory=dict)


class _SkippedTime(Exception):
    pass


def _checked(local: datetime) -> datetime:
    """zoneinfo quietly moves a time in the spring-forward gap (01:30 on the last Sunday of March in London)
    an hour on; the host would see a different time than they typed, so it is refused instead."""
    there_and_back = local.astimezone(UTC).astimezone(local.tzinfo)
    if there_and_back.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise _SkippedTime
    return local


def _local(day: date, clock_text: str, zone: ZoneInfo) -> datetime | None:
    match = _CLOCK.match(clock_text)
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        return None
    return _checked(datetime.combine(day, time(hour, minute), tzinfo=zone))


def parse_when(words: list[str], now: datetime, zone: ZoneInfo) -> tuple[datetime, int] | None:
    """The start time (UTC) and how many words it used: `2026-12-01 18:00`, `tomorrow 18:00`, or one ISO
    8601 word such as `2026-12-01T18:00` or `2026-12-01T18:00+01:00` (an explicit offset wins)."""
    if not words:
        return None
    first = words[0].lower()
    today = now.astimezone(zone).date()
    if len(words) >= 2 and (first in _RELATIVE_DAYS or _DATE.match(first)):
        try:
            day = today + timedelta(days=_RELATIVE_DAYS[first]) if first in _RELATIVE_DAYS \
                else date.fromisoformat(first)
        except ValueError:
            return None
        local = _local(day, words[1], zone)
        return (local.astimezone(UTC), 2) if local else None
    if not words[0].isascii():
        return None  # fromisoformat would read some non-ASCII digits; nobody types a date that way
    try:
        parsed = datetime.fromisoformat(words[0])
    except ValueError:
        return None
    if "T" not in words[0].upper() and ":" not in words[0]:
        return None  # a bare date has no time of day; ask for one rather than guess midnight
    if parsed.tzinfo is None:
        parsed = _checked(parsed.replace(tzinfo=zone))
    return parsed.astimezone(UTC), 1


def parse_schedule(text: str, *, now: datetime, zone: ZoneInfo, minimum: timedelta,
                   maximum: timedelta) -> ScheduleRequest | ScheduleRefusal:
    words = text.split()
    strict = STRICT_FLAG in (w.lower() for w in words)
    words = [w for w in words if w.lower() != STRICT_FLAG]
    if not words:
        return ScheduleRefusal(ScheduleProblem.EMPTY)
    try:
        when = parse_when(words, now, zone)
    except _SkippedTime:
        return ScheduleRefusal(ScheduleProblem.SKIPPED_TIME, {"when": " ".join(words[:2])[:40]})
    except OverflowError:  # `9999-12-31T23:59-05:00` or `0001-01-01 00:30` in a zone east of UTC
        return ScheduleRefusal(ScheduleProblem.TOO_FAR, {"days": str(FURTHEST_AHEAD.days)})
    if when is None:
        return ScheduleRefusal(ScheduleProblem.BAD_WHEN, {"when": " ".join(words[:2])[:40]})
    starts_at, used = when
    if len(words) <= used:
        return ScheduleRefusal(ScheduleProblem.BAD_DURATION, {"duration": ""})
    try:
        duration = parse_duration(words[used])
    except InputProblem:
        return ScheduleRefusal(ScheduleProblem.UNREADABLE_DURATION, {"duration": words[used][:20]})
    if starts_at <= now:
        return ScheduleRefusal(ScheduleProblem.PAST)
    if starts_at - now > FURTHEST_AHEAD:
        return ScheduleRefusal(ScheduleProblem.TOO_FAR, {"days": str(FURTHEST_AHEAD.days)})
    if duration < minimum:
        return ScheduleRefusal(ScheduleProblem.TOO_SHORT, {"minimum": format_duration(minimum)})
    if duration > maximum:
        return ScheduleRefusal(ScheduleProblem.TOO_LONG, {"maximum": format_duration(maximum)})
    topic = " ".join(words[used + 1:])[:300]
    return ScheduleRequest(starts_at=starts_at, duration=duration, topic=topic, strict=strict)
