"""The session state machine, every transition and every refusal, as pure decisions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from facilitation.roles import Role, Standing, authorise
from facilitation.sessions import (
    HostRefusal,
    ModerationMode,
    SessionCommand,
    SessionRefusal,
    SessionState,
    SessionView,
    Slot,
    Transition,
    choose_host,
    may_steer,
    decide,
    may_host,
    overlaps,
    reminder_due_times,
)

NOW = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
START = NOW + timedelta(hours=1)


def session(state: SessionState = SessionState.SCHEDULED, **kw: object) -> SessionView:
    base = SessionView(id=1, councillor_id=7, host_name="Cllr Jane", topic="Parking", state=state,
                       mode=ModerationMode.PERMISSIVE, starts_at=START, ends_at=START + timedelta(hours=1),
                       community_ids=(1,))
    return replace(base, **kw)


def ok(result: Transition | SessionRefusal) -> Transition:
    assert isinstance(result, Transition), result
    return result


# -- every allowed transition ------------------------------------------------------------------------------

def test_open_from_scheduled_early_keeps_the_end_and_records_the_real_start() -> None:
    result = ok(decide(session(), SessionCommand.OPEN, NOW))
    assert result.session.state == SessionState.OPEN
    assert result.session.opened_at == NOW
    assert result.session.starts_at == NOW
    assert result.session.ends_at == START + timedelta(hours=1)
    assert result.announce == "session_opened" and result.rearm


def test_auto_open_at_start_time() -> None:
    result = ok(decide(session(), SessionCommand.AUTO_OPEN, START))
    assert result.session.state == SessionState.OPEN and result.session.starts_at == START


def test_pause_and_resume() -> None:
    paused = ok(decide(session(SessionState.OPEN), SessionCommand.PAUSE, START))
    assert paused.session.state == SessionState.PAUSED and paused.announce == "session_paused"
    resumed = ok(decide(paused.session, SessionCommand.RESUME, START))
    assert resumed.session.state == SessionState.OPEN and resumed.announce == "session_resumed"


@pytest.mark.parametrize("state", [SessionState.SCHEDULED, SessionState.OPEN, SessionState.PAUSED])
def test_extend_moves_the_end_and_rearms(state: SessionState) -> None:
    result = ok(decide(session(state), SessionCommand.EXTEND, NOW, extend_by=timedelta(minutes=15),
                       max_duration=timedelta(hours=4)))
    assert result.session.ends_at == START + timedelta(hours=1, minutes=15)
    assert result.session.state == state and result.rearm


def test_extend_after_the_end_counts_from_now() -> None:
    late = START + timedelta(hours=1, minutes=2)
    result = ok(decide(session(SessionState.OPEN), SessionCommand.EXTEND, late, extend_by=timedelta(minutes=10)))
    assert result.session.ends_at == late + timedelta(minutes=10)


def test_cancel_before_it_opens_stops_its_timers() -> None:
    result = ok(decide(session(), SessionCommand.CANCEL, NOW))
    assert result.session.state == SessionState.CANCELLED and result.stop_timers


@pytest.mark.parametrize("state", [SessionState.OPEN, SessionState.PAUSED])
@pytest.mark.parametrize("command", [SessionCommand.CLOSE, SessionCommand.AUTO_CLOSE])
def test_close_from_open_or_paused_clears_the_floor(state: SessionState, command: SessionCommand) -> None:
    live = session(state, live_question_id=3, floor_user_id="42", floor_until=START)
    result = ok(decide(live, command, START))
    assert result.session.state == SessionState.CLOSED and result.session.closed_at == START
    assert result.session.live_question_id is None and result.session.floor_user_id is None
    assert result.stop_timers


# -- every refusal -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("state", "command", "refusal"), [
    (SessionState.OPEN, SessionCommand.OPEN, SessionRefusal.ALREADY_OPEN),
    (SessionState.PAUSED, SessionCommand.OPEN, SessionRefusal.IS_PAUSED),
    (SessionState.OPEN, SessionCommand.AUTO_OPEN, SessionRefusal.NOTHING_TO_DO),
    (SessionState.SCHEDULED, SessionCommand.PAUSE, SessionRefusal.NOT_OPEN),
    (SessionState.PAUSED, SessionCommand.PAUSE, SessionRefusal.IS_PAUSED),
    (SessionState.SCHEDULED, SessionCommand.RESUME, SessionRefusal.NOT_PAUSED),
    (SessionState.OPEN, SessionCommand.RESUME, SessionRefusal.NOT_PAUSED),
    (SessionState.OPEN, SessionCommand.CANCEL, SessionRefusal.RUNNING_USE_CLOSE),
    (SessionState.PAUSED, SessionCommand.CANCEL, SessionRefusal.RUNNING_USE_CLOSE),
    (SessionState.SCHEDULED, SessionCommand.CLOSE, SessionRefusal.NOT_STARTED_USE_CANCEL),
    (SessionState.SCHEDULED, SessionCommand.AUTO_CLOSE, SessionRefusal.NOTHING_TO_DO),
])
def test_refusals(state: SessionState, command: SessionCommand, refusal: SessionRefusal) -> None:
    assert decide(session(state), command, NOW) == refusal


@pytest.mark.parametrize("state", [SessionState.CLOSED, SessionState.CANCELLED])
@pytest.mark.parametrize("command", list(SessionCommand))
def test_nothing_moves_a_finished_session(state: SessionState, command: SessionCommand) -> None:
    result = decide(session(state), command, NOW, extend_by=timedelta(minutes=5))
    expected = SessionRefusal.NOTHING_TO_DO if command in (SessionCommand.AUTO_OPEN, SessionCommand.AUTO_CLOSE) \
        else SessionRefusal.ALREADY_OVER
    assert result == expected


def test_one_open_session_per_community() -> None:
    assert decide(session(), SessionCommand.OPEN, NOW, other_open=True) == SessionRefusal.ANOTHER_OPEN
    assert decide(session(), SessionCommand.AUTO_OPEN, START, other_open=True) == SessionRefusal.ANOTHER_OPEN


def test_extend_refuses_past_the_maximum_and_into_the_next_session() -> None:
    assert decide(session(SessionState.OPEN), SessionCommand.EXTEND, START, extend_by=timedelta(hours=3, minutes=1),
                  max_duration=timedelta(hours=4)) == SessionRefusal.TOO_LONG
    nxt = START + timedelta(hours=1, minutes=10)
    assert decide(session(SessionState.OPEN), SessionCommand.EXTEND, START, extend_by=timedelta(minutes=15),
                  next_start=nxt) == SessionRefusal.OVERLAP
    assert isinstance(decide(session(SessionState.OPEN), SessionCommand.EXTEND, START,
                             extend_by=timedelta(minutes=10), next_start=nxt), Transition)


# -- overlap, hosting, reminders -----------------------------------------------------------------------------

def test_overlap_is_half_open() -> None:
    slot = Slot(START, START + timedelta(hours=1))
    assert overlaps(START + timedelta(minutes=30), START + timedelta(hours=2), [slot])
    assert overlaps(START - timedelta(minutes=30), START + timedelta(minutes=1), [slot])
    assert not overlaps(START + timedelta(hours=1), START + timedelta(hours=2), [slot])  # back to back is fine
    assert not overlaps(START - timedelta(hours=1), START, [slot])


def test_a_councillor_hosts_only_their_own_session() -> None:
    view = session()
    assert may_host(Standing(is_councillor=True, councillor_id=7), view)
    assert not may_host(Standing(is_councillor=True, councillor_id=8), view)
    assert may_host(Standing(is_facilitator=True), view)
    assert not may_host(Standing(), view)
    assert not may_host(Standing(is_community_admin=True), view)


def test_an_officer_host_runs_their_own_surgery_from_any_joined_group() -> None:
    officer = session(councillor_id=None, community_ids=(1, 2))
    assert may_host(Standing(officer_host_of=1), officer)
    assert not may_host(Standing(officer_host_of=2), officer)
    assert may_steer(Standing(officer_host_of=1), officer, 2)
    assert not may_steer(Standing(), officer, 2)
    assert authorise(Role.HOST, Standing(officer_host_of=1), destructive=False) is None
    assert authorise(Role.HOST, Standing(), destructive=False) is not None


def test_who_hosts_a_surgery_being_scheduled() -> None:
    councillor, facilitator = Standing(is_councillor=True, councillor_id=7), Standing(is_facilitator=True)
    assert choose_host(councillor, []) == 7
    assert choose_host(councillor, [8]) == 7  # a councillor hosts their own, whoever they mention
    assert choose_host(facilitator, [None, 8]) == 8  # for the linked councillor they mention
    assert choose_host(facilitator, []) is None  # mentioning nobody: they host it as a council officer
    assert choose_host(facilitator, [None]) == HostRefusal.NOT_A_COUNCILLOR  # a mention is never dropped
    assert choose_host(Standing(is_community_admin=True), []) == HostRefusal.NOT_STAFF


def test_an_officer_hosted_session_knows_its_host() -> None:
    officer = session(councillor_id=None, host_name="Priya", officer_platform="local", officer_user_id="42")
    assert not officer.councillor_hosted and session().councillor_hosted
    assert officer.hosted_by_officer("local", "42")
    assert not officer.hosted_by_officer("telegram", "42") and not session().hosted_by_officer("local", "42")
    forgotten = replace(officer, host_name="", officer_platform=None, officer_user_id=None)
    assert not forgotten.hosted_by_officer("local", "42")


def test_reminders_already_past_are_skipped_not_sent_late() -> None:
    offsets = [timedelta(hours=24), timedelta(hours=1)]
    assert reminder_due_times(START, offsets, NOW - timedelta(days=2)) == [
        (timedelta(hours=24), START - timedelta(hours=24)), (timedelta(hours=1), START - timedelta(hours=1))]
    assert reminder_due_times(START, offsets, NOW - timedelta(minutes=1)) == [
        (timedelta(hours=1), START - timedelta(hours=1))]
    assert reminder_due_times(START, offsets, NOW) == []  # exactly T-1h: the announcement is enough
