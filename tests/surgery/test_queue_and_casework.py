"""Queue order, votes, staff moves, casework deadlines, the report and the calendar file: pure code."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from facilitation.casework import is_working_day, parse_reference, reference, reply_deadline
from facilitation.ics import surgery_ics
from facilitation.queue import (
    Move,
    MoveProblem,
    QuestionState,
    QuestionView,
    Visibility,
    VoteOutcome,
    check_move,
    check_question_text,
    decide_vote,
    order_queue,
    parse_target,
)
from facilitation.sessions import ModerationMode, SessionState, SessionView
from facilitation.summary import build_report, count, report_markdown

T0 = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


def q(number: int, asker: int | None, votes: int = 0, minutes: int = 0, state: QuestionState = QuestionState.QUEUED,
      **kw: object) -> QuestionView:
    return QuestionView(id=100 + number, session_id=1, number=number, text=f"question {number}", state=state,
                        visibility=kw.pop("visibility", Visibility.PUBLIC), asked_at=T0 + timedelta(minutes=minutes),
                        asker_person_id=asker, votes=votes, **kw)


# -- order ------------------------------------------------------------------------------------------------

def test_votes_come_first() -> None:
    ordered = order_queue([q(1, 1, votes=1), q(2, 2, votes=3, minutes=5), q(3, 3, votes=2, minutes=1)])
    assert [x.number for x in ordered] == [2, 3, 1]


def test_quiet_voices_before_repeat_askers_at_equal_votes() -> None:
    # Ada asked #1 (answered) and then #3; Bo's first question #4 came later but goes first.
    questions = [q(1, 1, state=QuestionState.ANSWERED), q(3, 1, minutes=2), q(4, 2, minutes=3)]
    assert [x.number for x in order_queue(questions)] == [4, 3]


def test_votes_still_beat_quietness() -> None:
    questions = [q(1, 1, state=QuestionState.ANSWERED), q(3, 1, votes=2, minutes=2), q(4, 2, votes=1, minutes=3)]
    assert [x.number for x in order_queue(questions)] == [3, 4]


def test_then_time() -> None:
    assert [x.number for x in order_queue([q(2, 2, minutes=9), q(1, 1, minutes=1), q(3, 3, minutes=4)])] == [1, 3, 2]


def test_only_queued_questions_are_in_the_queue() -> None:
    states = [QuestionState.PENDING, QuestionState.LIVE, QuestionState.ANSWERED, QuestionState.PARKED,
              QuestionState.DISMISSED, QuestionState.REFERRED, QuestionState.MERGED]
    questions = [q(i + 1, i + 1, state=s) for i, s in enumerate(states)] + [q(9, 9)]
    assert [x.number for x in order_queue(questions)] == [9]


def test_question_text_limits() -> None:
    assert check_question_text("   ") is not None
    assert check_question_text("x" * 1000) is None
    assert check_question_text("x" * 1001) is not None


# -- votes ---------------------------------------------------------------------------------------------------

def test_a_vote_toggles() -> None:
    assert decide_vote(q(1, 1), SessionState.OPEN, 2, already_voted=False) == VoteOutcome.ADDED
    assert decide_vote(q(1, 1), SessionState.OPEN, 2, already_voted=True) == VoteOutcome.WITHDRAWN


def test_votes_before_opening_count() -> None:
    assert decide_vote(q(1, 1), SessionState.SCHEDULED, 2, already_voted=False) == VoteOutcome.ADDED


def test_no_self_votes() -> None:
    assert decide_vote(q(1, 1), SessionState.OPEN, 1, already_voted=False) == VoteOutcome.OWN_QUESTION


@pytest.mark.parametrize("state", [SessionState.CLOSED, SessionState.CANCELLED])
def test_no_votes_after_the_session(state: SessionState) -> None:
    assert decide_vote(q(1, 1), state, 2, already_voted=True) == VoteOutcome.SESSION_OVER


def test_no_votes_on_a_dealt_with_question() -> None:
    assert decide_vote(q(1, 1, state=QuestionState.ANSWERED), SessionState.OPEN, 2, False) == \
        VoteOutcome.QUESTION_CLOSED


# -- staff moves ---------------------------------------------------------------------------------------------

def test_next_needs_an_open_session_and_a_queued_question() -> None:
    assert check_move(Move.NEXT, q(1, 1), SessionState.OPEN) is None
    assert check_move(Move.NEXT, q(1, 1), SessionState.PAUSED) == MoveProblem.SESSION_NOT_RUNNING
    assert check_move(Move.NEXT, q(1, 1, state=QuestionState.PENDING), SessionState.OPEN) == MoveProblem.NOT_QUEUED


@pytest.mark.parametrize("move", [Move.ANSWER, Move.PARK, Move.DISMISS, Move.REFER])
def test_resolving_moves(move: Move) -> None:
    for state in (QuestionState.PENDING, QuestionState.QUEUED, QuestionState.LIVE):
        assert check_move(move, q(1, 1, state=state), SessionState.OPEN) is None
    assert check_move(move, q(1, 1, state=QuestionState.ANSWERED), SessionState.OPEN) == MoveProblem.ALREADY_CLOSED
    assert check_move(move, q(1, 1), SessionState.CLOSED) == MoveProblem.SESSION_OVER


def test_approve_only_pending() -> None:
    assert check_move(Move.APPROVE, q(1, 1, state=QuestionState.PENDING), SessionState.SCHEDULED) is None
    assert check_move(Move.APPROVE, q(1, 1), SessionState.OPEN) == MoveProblem.NOT_PENDING


def test_merge_rules() -> None:
    keep, gone = q(1, 1), q(2, 2)
    assert check_move(Move.MERGE, gone, SessionState.OPEN, into=keep) is None
    assert check_move(Move.MERGE, keep, SessionState.OPEN, into=keep) == MoveProblem.SAME_QUESTION
    assert check_move(Move.MERGE, gone, SessionState.OPEN, into=replace(keep, state=QuestionState.ANSWERED)) == \
        MoveProblem.TARGET_CLOSED
    assert check_move(Move.MERGE, replace(gone, state=QuestionState.DISMISSED), SessionState.OPEN, into=keep) == \
        MoveProblem.ALREADY_CLOSED


@pytest.mark.parametrize("state", [QuestionState.ANSWERED, QuestionState.PARKED, QuestionState.DISMISSED,
                                   QuestionState.REFERRED, QuestionState.MERGED, QuestionState.LIVE])
def test_everything_can_be_reopened(state: QuestionState) -> None:
    assert check_move(Move.REOPEN, q(1, 1, state=state), SessionState.OPEN) is None


def test_reopen_refuses_what_is_already_waiting() -> None:
    assert check_move(Move.REOPEN, q(1, 1), SessionState.OPEN) == MoveProblem.ALREADY_OPEN


def test_parse_target() -> None:
    assert parse_target("#4 off topic") == (4, "off topic")
    assert parse_target("#4") == (4, "")
    assert parse_target("off topic") == (None, "off topic")
    assert parse_target("") == (None, "")


# -- casework ------------------------------------------------------------------------------------------------

def test_reference_shape() -> None:
    assert reference(2026, 123) == "SRG-2026-000123"
    assert parse_reference("srg-2026-000123") == (2026, 123)
    assert parse_reference("SRG-26-1") is None


def test_ten_working_days_in_an_ordinary_fortnight() -> None:
    assert reply_deadline(date(2026, 11, 25)) == date(2026, 12, 9)  # Wed → Wed two weeks on


def test_a_friday_referral_does_not_lose_a_day() -> None:
    assert reply_deadline(date(2026, 11, 27), 1) == date(2026, 11, 30)


def test_christmas_and_new_year_bank_holidays_are_skipped() -> None:
    # 25 Dec (Fri), Boxing Day observed 28 Dec (Mon), 1 Jan (Fri) are England-and-Wales bank holidays in 2026.
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 28))
    assert not is_working_day(date(2027, 1, 1))
    assert reply_deadline(date(2026, 12, 18)) == date(2027, 1, 6)


def test_easter_and_may_bank_holidays_are_skipped() -> None:
    # Good Friday 3 Apr and Easter Monday 6 Apr 2026.
    assert reply_deadline(date(2026, 4, 2), 1) == date(2026, 4, 7)
    # Early May bank holiday, Monday 4 May 2026.
    assert reply_deadline(date(2026, 5, 1), 1) == date(2026, 5, 5)


def test_scottish_only_holidays_do_not_count() -> None:
    assert is_working_day(date(2027, 1, 4)) and is_working_day(date(2026, 11, 30))  # 2 Jan sub / St Andrew's


# -- report and calendar -------------------------------------------------------------------------------------

def _session() -> SessionView:
    return SessionView(id=5, councillor_id=1, host_name="Cllr Jane", topic="Bins", state=SessionState.CLOSED,
                       mode=ModerationMode.PERMISSIVE, starts_at=T0, ends_at=T0 + timedelta(hours=1),
                       community_ids=(1,), opened_at=T0, closed_at=T0 + timedelta(hours=1))


def test_report_counts_and_keeps_private_text_and_askers_out() -> None:
    questions = [q(1, 1, state=QuestionState.ANSWERED, votes=2), q(2, 2, state=QuestionState.PARKED),
                 q(3, 3, state=QuestionState.REFERRED, visibility=Visibility.PRIVATE),
                 q(4, 1, state=QuestionState.MERGED, merged_into_id=101), q(5, 4)]
    counts = count(questions, voter_ids={5, 1})
    assert (counts.asked, counts.answered, counts.parked, counts.referred, counts.merged) == (5, 1, 1, 1, 1)
    assert counts.unanswered == 2 and counts.participants == 5
    report = build_report(_session(), ["Riverside"], questions, {5, 1}, carried_to=None, generated_at=T0)
    assert report["questions"][2]["text"] is None
    assert report["questions"][3]["merged_into"] == 1
    assert "asker" not in str(report)
    markdown = report_markdown(report)
    assert "(private question)" in markdown and "merged into #1" in markdown
    assert "| 5 | 1 | 1 | 1 | 0 | 1 | 2 | 5 |" in markdown


def test_calendar_file_round_trips() -> None:
    data = surgery_ics(session_id=5, council="Example Borough Council", title="Council surgery", description="d",
                       starts_at=T0, ends_at=T0 + timedelta(hours=1), created_at=T0)
    event = Calendar.from_ical(data).walk("VEVENT")[0]
    assert event.decoded("dtstart") == T0 and event.decoded("dtend") == T0 + timedelta(hours=1)
    assert str(event["uid"]) == "surgery-5@exampleboroughcouncil.surgerybot"
