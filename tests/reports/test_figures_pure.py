"""The pure parts: timeline bins, outcomes, the follow-up overlay on a stored report, months and weeks with their
gaps filled; and the date parsers of `insight` and `audit list` (property tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import UserInputError
from bot.reports.audit_trail import parse_since
from bot.reports.insight import parse_day, period
from facilitation.insight_figures import per_month, themes_per_week
from facilitation.queue import QuestionState, Visibility
from facilitation.session_figures import FollowUpFact, QuestionFact, bin_width, outcome_of, reflect_follow_ups, \
    timeline

OPEN = datetime(2026, 11, 25, 18, 30, tzinfo=UTC)


def question(number: int, asked: datetime, taken: datetime | None = None) -> QuestionFact:
    return QuestionFact(number, QuestionState.QUEUED, Visibility.PUBLIC, 0, "q", "R", number, asked, taken)


def test_timeline_bins_early_questions_and_the_last_minute() -> None:
    close = OPEN + timedelta(minutes=60)
    bins, width = timeline([question(1, OPEN - timedelta(hours=2)), question(2, OPEN, OPEN + timedelta(minutes=7)),
                            question(3, close, close)], OPEN, close)
    assert width == 5 and len(bins) == 13  # "before", then twelve five-minute bins
    assert (bins[0].start, bins[0].asked, bins[0].taken) == (None, 1, 0)
    assert (bins[1].start, bins[1].asked) == (OPEN, 1) and bins[2].taken == 1
    assert (bins[-1].start, bins[-1].asked, bins[-1].taken) == (OPEN + timedelta(minutes=55), 1, 1)
    assert timeline([], None, None) == ((), 5)


@given(st.integers(min_value=0, max_value=60 * 24 * 30))
def test_bins_are_never_too_many(minutes: int) -> None:
    width = bin_width(timedelta(minutes=minutes))
    assert minutes / width <= 24 or width == 1440


def test_outcomes() -> None:
    assert outcome_of(QuestionState.LIVE) == "unanswered" and outcome_of(QuestionState.PARKED) == "parked"
    assert outcome_of(QuestionState.PARKED, followed_up=True) == "referred"
    assert outcome_of(QuestionState.ANSWERED, followed_up=True) == "answered"


def test_a_stored_report_takes_in_follow_ups() -> None:
    stored = {"counts": {"asked": 3, "referred": 0, "parked": 1, "unanswered": 2},
              "questions": [{"number": 1, "state": "parked"}, {"number": 2, "state": "queued"},
                            {"number": 3, "state": "answered"}]}
    assert reflect_follow_ups(stored, []) is stored
    at = OPEN + timedelta(hours=2)
    updated = reflect_follow_ups(stored, [FollowUpFact(1, "SRG-1", at, at), FollowUpFact(2, "SRG-2", at, at)])
    assert updated["counts"] == {"asked": 3, "referred": 2, "parked": 0, "unanswered": 0}
    assert updated["counts_at_close"] == stored["counts"] and stored["questions"][0]["state"] == "parked"
    assert [(q["state"], q.get("reference")) for q in updated["questions"]] == [
        ("referred", "SRG-1"), ("referred", "SRG-2"), ("answered", None)]


def test_months_and_weeks_keep_their_gaps() -> None:
    assert per_month([date(2025, 11, 3), date(2026, 2, 1), date(2026, 2, 9)], None, None) == (
        ("2025-11", 1), ("2025-12", 0), ("2026-01", 0), ("2026-02", 2))
    assert per_month([], date(2026, 1, 5), date(2026, 2, 1)) == (("2026-01", 0), ("2026-02", 0))
    assert per_month([], None, None) == ()
    themes, weeks = themes_per_week([("2026-12-28", "waste", 2), ("2027-01-12", "waste", 1),
                                     ("2027-01-13", "parks", 4)], None, None)
    assert themes == ("parks", "waste")
    assert weeks == (("2026-W53", (0, 2)), ("2027-W01", (0, 0)), ("2027-W02", (4, 1)))


@given(st.dates(min_value=date(1, 1, 2), max_value=date(9999, 12, 30)))
def test_a_day_reads_back_and_its_period_is_whole_council_days(day: date) -> None:
    assert parse_day(day.isoformat(), "--from") == day
    zone = ZoneInfo("Europe/London")
    found = period(day, day, zone)
    assert found.start is not None and found.end is not None and found.start.tzinfo == UTC
    assert timedelta(hours=23) <= found.end - found.start <= timedelta(hours=25)
    assert found.start.astimezone(zone).date() == day and found.first_day == found.last_day == day.isoformat()


@given(st.text(max_size=40))
def test_any_text_is_a_day_or_one_plain_refusal(text: str) -> None:
    try:
        parse_day(text, "--from")
    except UserInputError as error:
        assert "--from takes a date" in str(error)


@given(st.text(max_size=40))
def test_any_since_is_a_utc_time_or_one_plain_refusal(text: str) -> None:
    try:
        found = parse_since(text, ZoneInfo("Europe/Paris"))
    except UserInputError as error:
        assert "--since takes a date" in str(error)
        return
    assert found is None or found.tzinfo == UTC


def test_since_reads_council_time() -> None:
    paris = ZoneInfo("Europe/Paris")
    assert parse_since("2026-11-25", paris) == datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
    assert parse_since("2026-11-25 18:30", paris) == datetime(2026, 11, 25, 17, 30, tzinfo=UTC)
    assert parse_since("2026-11-25T18:30+00:00", paris) == datetime(2026, 11, 25, 18, 30, tzinfo=UTC)
    for edge in ((date(2026, 2, 1), date(2026, 1, 1)), (date.min, None), (None, date.max)):
        with pytest.raises(UserInputError):
            period(*edge, paris)
    with pytest.raises(UserInputError):
        parse_since("0001-01-01", paris)
