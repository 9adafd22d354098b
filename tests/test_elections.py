"""Pre-election periods: the pure rules, the operator's commands, and the running bot refusing, cancelling (by a
durable timer that survives a restart) and reporting."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from bot import election_admin
from bot.cli import app as cli
from bot.errors import UserInputError
from bot.storage import sessions as session_store
from facilitation.elections import ElectionPeriod, Slot, blocking_period, period_bounds, to_cancel
from facilitation.sessions import SessionState
from tests.clock import FakeClock
from tests.scenario import Scenario, point_cli_at

LONDON = ZoneInfo("Europe/London")
UTC = timezone.utc
# The scenario clock starts on Wed 25 Nov 2026 at 18:00 UTC.


def _period(first: date, last: date, communities: frozenset[int] = frozenset()) -> ElectionPeriod:
    starts, ends = period_bounds(first, last, LONDON)
    return ElectionPeriod(1, "County elections", starts, ends, communities)


def test_a_period_covers_whole_days_in_council_time() -> None:
    period = _period(date(2027, 4, 1), date(2027, 5, 6))  # across the clocks going forward
    assert period.starts_at == datetime(2027, 3, 31, 23, tzinfo=UTC)  # midnight BST
    assert period.ends_at == datetime(2027, 5, 6, 23, tzinfo=UTC)
    assert period.last_day(LONDON).date() == date(2027, 5, 6)
    with pytest.raises(ValueError):
        period_bounds(date(2027, 5, 6), date(2027, 4, 1), LONDON)


def test_what_a_period_blocks() -> None:
    period = _period(date(2026, 12, 1), date(2026, 12, 10), frozenset({7}))
    before = datetime(2026, 11, 25, 18, tzinfo=UTC)
    inside = datetime(2026, 12, 3, 18, tzinfo=UTC)
    hour = timedelta(hours=1)
    assert blocking_period([period], [7], now=before, starts_at=inside, ends_at=inside + hour) == period
    assert blocking_period([period], [7], now=before, starts_at=before + hour, ends_at=before + 2 * hour) is None
    assert blocking_period([period], [7], now=inside) == period  # scheduling during it, even for later
    assert blocking_period([period], [8], now=inside) is None  # a community it doesn't cover
    assert blocking_period([period], [7], now=inside, councillor_hosted=False) is None  # an officer's surgery
    slots = [Slot(1, (7,), inside, inside + hour), Slot(2, (7,), before, before + hour),
             Slot(3, (8,), inside, inside + hour), Slot(4, (7,), inside, inside + hour, councillor_hosted=False)]
    assert [slot.session_id for slot in to_cancel(period, slots)] == [1]


@given(first=st.dates(date(2020, 1, 1), date(2035, 1, 1)), days=st.integers(0, 120),
       probe=st.integers(-3 * 24, 124 * 24))
def test_in_force_exactly_on_its_days(first: date, days: int, probe: int) -> None:
    period = _period(first, first + timedelta(days=days))
    at = period.starts_at + timedelta(hours=probe)
    local_day = at.astimezone(LONDON).date()
    assert period.in_force(at) == (first <= local_day <= first + timedelta(days=days))


async def _scheduled(s: Scenario) -> None:
    await s.invite_and_join()
    await s.link_councillor(s.jane)


async def test_a_councillor_cannot_schedule_or_open_during_a_period(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await _scheduled(s)
        await election_admin.add_period(s.operator, name="County elections", start=date(2026, 12, 1),
                                        end=date(2026, 12, 10), community_names=[], yes=False)
        await s.say(s.jane, s.riverside, "/surgery schedule 2026-12-03 18:00 1h")
        assert s.last_text(s.riverside) == (
            "Councillor surgeries pause during the pre-election period (County elections), which ends on "
            "Thursday 10 December 2026. Please pick a time after that.")
        await s.say(s.jane, s.riverside, "/surgery schedule 2026-11-30 23:30 1h")  # runs into the period
        assert "pre-election period" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/surgery schedule 2026-11-27 18:00 1h")  # before it: fine
        assert "Council surgery #1" in s.texts(s.riverside)[-2]
        await s.say(s.ada, s.riverside, "/surgery language cy")
        await s.say(s.jane, s.riverside, "/surgery schedule 2026-12-04 18:00 1h")
        assert s.last_text(s.riverside).endswith("sy'n dod i ben ar Dydd Iau 10 Rhagfyr 2026. Dewiswch amser ar ôl hynny.")


async def test_a_period_cancels_surgeries_scheduled_inside_it_across_a_restart(tmp_path) -> None:
    clock = FakeClock()
    async with Scenario(tmp_path, clock=clock) as s:
        await _scheduled(s)
        await s.say(s.jane, s.riverside, "/surgery schedule 2026-12-03 18:00 1h")
        await s.say(s.jane, s.riverside, "/surgery schedule 2026-11-27 18:00 1h")
        with pytest.raises(UserInputError,
                           match=r"would cancel 1 scheduled councillor surgery: #1 on 2026-12-03 18:00"):
            await election_admin.add_period(s.operator, name="County elections", start=date(2026, 12, 1),
                                            end=date(2026, 12, 10), community_names=[], yes=False)
        added = await election_admin.add_period(s.operator, name="County elections", start=date(2026, 12, 1),
                                                end=date(2026, 12, 10), community_names=["Riverside Residents"],
                                                yes=True)
        assert added["cancels"] == [1]
        riverside, mo, jane = s.riverside, s.mo, s.jane
        mark = len(riverside.messages)
    async with Scenario(tmp_path, clock=clock, world=s.world) as s:  # the bot restarts; the timer is in the table
        s.riverside, s.mo, s.jane = riverside, mo, jane
        clock.advance(timedelta(days=6))  # 1 Dec 18:00: the period has started
        await s.app.timers.run_due()
        texts = [m.text for m in s.riverside.messages[mark:] if m.sender_id == "1000"]
        assert any(t.startswith("The surgery planned for Thu 03 Dec 2026, 18:00 won't take place: councillor "
                                "surgeries pause during the pre-election period, which ends on Thursday 10 "
                                "December 2026.") for t in texts), texts
        async with s.db.read() as tx:
            states = {v.id: v.state for v in await session_store.sessions_in(tx, [1])}
        assert states[1] == SessionState.CANCELLED and states[2] != SessionState.CANCELLED  # before the period
        assert s.last_text(s.jane) == (
            "Your surgery planned for Thu 03 Dec 2026, 18:00 in Riverside Residents was cancelled automatically: "
            "councillor surgeries pause during the pre-election period (County elections), which ends on Thursday "
            "10 December 2026.")
        await s.say(s.mo, s.riverside, "/surgery status")
        assert "Pre-election period (County elections) until Thursday 10 December 2026" in s.last_text(s.riverside)


async def test_a_surgery_scheduled_before_a_period_cannot_be_opened_in_it(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await _scheduled(s)
        await s.say(s.jane, s.riverside, "/surgery schedule today 19:00 1h")
        await election_admin.add_period(s.operator, name="By-election", start=date(2026, 11, 25),
                                        end=date(2026, 11, 26), community_names=[], yes=True)
        await s.say(s.jane, s.riverside, "/surgery open")
        assert s.last_text(s.riverside) == (
            "This surgery can't open: councillor surgeries pause during the pre-election period (By-election), "
            "which ends on Thursday 26 November 2026.")


async def test_facilitation_goes_on_during_a_period(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await _scheduled(s)
        await s.say(s.jane, s.riverside, "/surgery schedule today 18:30 1h")
        await election_admin.add_period(s.operator, name="By-election", start=date(2026, 11, 26),
                                        end=date(2026, 11, 30), community_names=[], yes=False)
        await s.say(s.ada, s.riverside, "/surgery facilitator add @Priya")
        assert "is now a facilitator here." in s.last_text(s.riverside)
        await s.say(s.mo, s.riverside, "/ask When are the bins collected?")
        assert "#1" in s.last_text(s.riverside) or "Question" in s.last_text(s.riverside)


def test_the_election_commands(tmp_path, monkeypatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    point_cli_at(monkeypatch, tmp_path, url)
    runner = CliRunner()
    added = runner.invoke(cli, ["election", "add", "--name", "Senedd 2026", "--start", "2026-04-09",
                                "--end", "2026-05-07", "--json"])
    assert added.exit_code == 0, added.output
    assert json.loads(added.output)["communities"] == ["every community"]
    bad = runner.invoke(cli, ["election", "add", "--name", "X", "--start", "2026-05-07", "--end", "2026-04-09"])
    assert bad.exit_code == 1 and "--end is before --start" in bad.output
    unknown = runner.invoke(cli, ["election", "add", "--name", "X", "--start", "2026-05-01", "--end", "2026-05-02",
                                  "--community", "Nowhere"])
    assert unknown.exit_code == 1 and "No community called 'Nowhere'" in unknown.output
    listed = json.loads(runner.invoke(cli, ["election", "list", "--json"]).output)
    assert [(p["id"], p["name"], p["start"], p["end"]) for p in listed] == [(1, "Senedd 2026", "2026-04-09",
                                                                            "2026-05-07")]
    assert runner.invoke(cli, ["election", "remove", "1"]).exit_code == 0
    assert runner.invoke(cli, ["election", "remove", "1"]).exit_code == 1
    assert json.loads(runner.invoke(cli, ["election", "list", "--json"]).output) == []


async def test_an_officer_hosted_surgery_goes_on_through_a_period_across_a_restart(tmp_path) -> None:
    """A facilitator who mentions no councillor hosts as a council officer: the period neither lists nor cancels
    their surgery, and during it they can still schedule and open one, while a councillor's is refused."""
    clock = FakeClock()
    async with Scenario(tmp_path, clock=clock) as s:
        await _scheduled(s)
        await s.say(s.ada, s.riverside, "/surgery facilitator add @Priya")
        await s.say(s.jane, s.riverside, "/surgery schedule 2026-12-03 18:00 1h")  # #1: the councillor's
        await s.say(s.priya, s.riverside, "/surgery schedule 2026-12-03 12:00 1h Bins")  # #2: the officer's
        assert s.texts(s.riverside)[-2].startswith("📅 Council surgery #2 with Priya (council officer)")
        with pytest.raises(UserInputError, match=r"would cancel 1 scheduled councillor surgery: #1 on "):
            await election_admin.add_period(s.operator, name="County elections", start=date(2026, 12, 1),
                                            end=date(2026, 12, 10), community_names=[], yes=False)
        added = await election_admin.add_period(s.operator, name="County elections", start=date(2026, 12, 1),
                                                end=date(2026, 12, 10), community_names=[], yes=True)
        assert added["cancels"] == [1]
        riverside, mo, jane, priya = s.riverside, s.mo, s.jane, s.priya
    async with Scenario(tmp_path, clock=clock, world=s.world) as s:  # the bot restarts; the timer is in the table
        s.riverside, s.mo, s.jane, s.priya = riverside, mo, jane, priya
        mark = len(s.riverside.messages)
        clock.advance(timedelta(days=6))  # 1 Dec 18:00: the period has started
        await s.app.timers.run_due()
        notices = [m.text for m in s.riverside.messages[mark:] if m.sender_id == "1000"]
        assert len(notices) == 1 and "Thu 03 Dec 2026, 18:00 won't take place" in notices[0]  # only the councillor's
        async with s.db.read() as tx:
            states = {v.id: v.state for v in await session_store.sessions_in(tx, [1])}
        assert states == {1: SessionState.CANCELLED, 2: SessionState.SCHEDULED}

        # During the period: the councillor can't schedule, nor can a facilitator for them; the officer can.
        await s.say(s.jane, s.riverside, "/surgery schedule 2026-12-04 18:00 1h")
        assert "Councillor surgeries pause during the pre-election period" in s.last_text(s.riverside)
        await s.say(s.priya, s.riverside, "/surgery schedule 2026-12-04 18:00 1h @Jane")
        assert "Councillor surgeries pause during the pre-election period" in s.last_text(s.riverside)
        await s.say(s.priya, s.riverside, "/surgery schedule today 19:00 1h")
        assert s.texts(s.riverside)[-2].startswith("📅 Council surgery #3 with Priya (council officer)")
        await s.say(s.priya, s.riverside, "/surgery open")  # opening early, during the period
        assert s.last_text(s.riverside).startswith("👋 The surgery is open! Priya (council officer) is here")
        await s.say(s.mo, s.riverside, "/surgery status")
        assert "Pre-election period (County elections) until Thursday 10 December 2026" in s.last_text(s.riverside)
        await s.say(s.priya, s.riverside, "/surgery close")

        # The officer's surgery scheduled before the period opens by itself at its time.
        mark = len(s.riverside.messages)
        await s.advance(timedelta(days=1, hours=18))  # Thu 3 Dec 12:00
        opened = [m.text for m in s.riverside.messages[mark:] if m.sender_id == "1000"]
        assert any(t.startswith("👋 The surgery is open! Priya (council officer) is here until 13:00") for t in opened)
        async with s.db.read() as tx:
            reopened = await session_store.get_session(tx, 2)
        assert reopened is not None and reopened.state == SessionState.OPEN
