"""`/surgery schedule` with times the clocks skip and durations that can't be read: a sentence that says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from facilitation.schedule_parse import ScheduleProblem, ScheduleRefusal, ScheduleRequest, parse_schedule
from tests.scenario import Scenario
from tests.surgery.helpers import bot_texts_since

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)


def parse(text: str) -> ScheduleRequest | ScheduleRefusal:
    return parse_schedule(text, now=NOW, zone=LONDON, minimum=timedelta(minutes=10), maximum=timedelta(hours=4))


@pytest.mark.parametrize("text", ["2027-03-28 01:30 1h", "2027-03-28 01:00 1h", "2027-03-28T01:59 1h"])
def test_a_time_the_clocks_skip_is_refused_not_moved(text: str) -> None:
    result = parse(text)
    assert isinstance(result, ScheduleRefusal) and result.problem == ScheduleProblem.SKIPPED_TIME


def test_times_either_side_of_the_jump_and_the_repeated_hour_are_fine() -> None:
    assert parse("2027-03-28 00:59 1h").starts_at == datetime(2027, 3, 28, 0, 59, tzinfo=UTC)
    assert parse("2027-03-28 02:00 1h").starts_at == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    # 01:30 on the autumn change happens twice; the first (BST) is meant.
    assert parse("2027-10-31 01:30 1h").starts_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize("word", ["1h30", "10x", "-5m", "0", "99999999999999999999m"])
def test_an_unreadable_duration_is_named(word: str) -> None:
    result = parse(f"tomorrow 18:00 {word} Parking")
    assert isinstance(result, ScheduleRefusal) and result.problem == ScheduleProblem.UNREADABLE_DURATION


async def test_the_host_is_told_in_words(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.link_councillor(s.jane)
        mark = len(s.riverside.messages)
        await s.say(s.jane, s.riverside, "/surgery schedule 2027-03-28 01:30 1h Bins")
        await s.say(s.jane, s.riverside, "/surgery schedule tomorrow 18:00 1h30 Bins")
        assert bot_texts_since(s, s.riverside, mark) == [
            "“2027-03-28 01:30” doesn't exist in the council's time zone: the clocks go forward then. "
            "Please pick another time.",
            "I couldn't read “1h30” as a length of time. Try 45m, 1h or 1h30m.",
        ]


async def test_extend_names_the_limit_for_a_duration_too_long(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.link_councillor(s.jane)
        await s.say(s.jane, s.riverside, "/surgery schedule today 18:30 1h Bins")
        await s.say(s.jane, s.riverside, "/surgery open")
        mark = len(s.riverside.messages)
        for args in ("", "400d", "1h30", "0"):
            await s.say(s.jane, s.riverside, f"/surgery extend {args}".strip())
        assert bot_texts_since(s, s.riverside, mark) == [
            "Say how long to add, e.g. /surgery extend 15m",
            "That's too long: the maximum is 4h.",
            "Say how long to add, e.g. /surgery extend 15m",
            "Say how long to add, e.g. /surgery extend 15m",
        ]
