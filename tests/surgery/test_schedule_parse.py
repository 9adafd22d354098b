"""Reading `/surgery schedule` arguments in the council's timezone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from facilitation.schedule_parse import ScheduleProblem, ScheduleRefusal, ScheduleRequest, parse_schedule

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)  # a Wednesday evening; London is on GMT
MIN, MAX = timedelta(minutes=10), timedelta(hours=4)


def parse(text: str, now: datetime = NOW) -> ScheduleRequest | ScheduleRefusal:
    return parse_schedule(text, now=now, zone=LONDON, minimum=MIN, maximum=MAX)


@pytest.mark.parametrize(("text", "start"), [
    ("2026-12-01 18:00 1h", datetime(2026, 12, 1, 18, 0, tzinfo=UTC)),
    ("tomorrow 18:00 1h", datetime(2026, 11, 26, 18, 0, tzinfo=UTC)),
    ("today 19:30 1h", datetime(2026, 11, 25, 19, 30, tzinfo=UTC)),
    ("2026-12-01T18:00 1h", datetime(2026, 12, 1, 18, 0, tzinfo=UTC)),
    ("2026-12-01T18:00+01:00 1h", datetime(2026, 12, 1, 17, 0, tzinfo=UTC)),
    ("2026-12-01T18:00Z 1h", datetime(2026, 12, 1, 18, 0, tzinfo=UTC)),
])
def test_accepted_forms(text: str, start: datetime) -> None:
    result = parse(text)
    assert isinstance(result, ScheduleRequest), result
    assert result.starts_at == start and result.duration == timedelta(hours=1)


def test_summer_time_is_converted_to_utc() -> None:
    result = parse("2027-06-01 18:00 45m", now=NOW)
    assert isinstance(result, ScheduleRequest)
    assert result.starts_at == datetime(2027, 6, 1, 17, 0, tzinfo=UTC)  # BST is UTC+1


def test_topic_and_strict_flag() -> None:
    result = parse("tomorrow 18:00 1h30m Bins and --strict parking")
    assert isinstance(result, ScheduleRequest)
    assert result.topic == "Bins and parking" and result.strict
    assert result.ends_at == result.starts_at + timedelta(hours=1, minutes=30)


@pytest.mark.parametrize(("text", "problem"), [
    ("", ScheduleProblem.EMPTY),
    ("someday 1h", ScheduleProblem.BAD_WHEN),
    ("tomorrow 25:00 1h", ScheduleProblem.BAD_WHEN),
    ("2026-13-01 18:00 1h", ScheduleProblem.BAD_WHEN),
    ("2026-12-01 1h", ScheduleProblem.BAD_WHEN),
    ("tomorrow 18:00", ScheduleProblem.BAD_DURATION),
    ("tomorrow 18:00 soon", ScheduleProblem.UNREADABLE_DURATION),
    ("2026-11-25 17:59 1h", ScheduleProblem.PAST),
    ("today 18:00 1h", ScheduleProblem.PAST),
    ("tomorrow 18:00 9m", ScheduleProblem.TOO_SHORT),
    ("tomorrow 18:00 4h1m", ScheduleProblem.TOO_LONG),
])
def test_refusals_have_a_plain_reason(text: str, problem: ScheduleProblem) -> None:
    result = parse(text)
    assert isinstance(result, ScheduleRefusal) and result.problem == problem


def test_the_limits_themselves_are_allowed() -> None:
    assert isinstance(parse("tomorrow 18:00 10m"), ScheduleRequest)
    assert isinstance(parse("tomorrow 18:00 4h"), ScheduleRequest)
