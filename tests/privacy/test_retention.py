"""Retention (SPEC §6): the pure cut-offs, the purge over a database a real surgery wrote, the durable daily
run, and `surgerybot retention run [--dry-run] [--json]`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.app import App
from bot.cli import app as cli
from tests.clock import FakeClock
from bot.retention import DAILY_KEY, RETENTION_TIMER
from bot.storage.models import (
    AuditRow,
    CaseworkReferral,
    Community,
    Facilitator,
    ModerationCase,
    Person,
    ProcessedUpdate,
    Question,
    SurgerySession,
    Timer,
    Vote,
)
from config.settings import Settings
from facilitation.retention import Category, Periods, community_due, cutoffs, next_run, session_due
from bot.casework_desk import CaseworkDesk
from tests.scenario import Scenario, point_cli_at
from tests.surgery.helpers import surgery_ready, vote

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
runner = CliRunner()


# -- pure decisions -------------------------------------------------------------------------------------------

def test_cutoffs_follow_the_periods() -> None:
    cut = cutoffs(NOW, Periods(session_days=180, case_days=365, audit_days=730, left_community_days=30,
                               processed_update_days=3))
    assert cut.sessions == NOW - timedelta(days=180) and cut.cases == NOW - timedelta(days=365)
    assert cut.audit == NOW - timedelta(days=730) and cut.left_communities == NOW - timedelta(days=30)
    assert cut.processed_updates == NOW - timedelta(days=3)
    with pytest.raises(ValueError):
        cutoffs(datetime(2026, 1, 1), Periods())


def test_what_is_due() -> None:
    cut = cutoffs(NOW, Periods())
    old, recent = NOW - timedelta(days=181), NOW - timedelta(days=179)
    assert session_due(finished=True, ended_at=old, cut=cut)
    assert not session_due(finished=True, ended_at=recent, cut=cut)
    assert not session_due(finished=False, ended_at=old, cut=cut)  # a session still running is never purged
    assert not session_due(finished=True, ended_at=cut.sessions, cut=cut)  # exactly at the cut-off: kept
    assert community_due(left=True, left_at=NOW - timedelta(days=31), cut=cut)
    assert not community_due(left=True, left_at=NOW - timedelta(days=29), cut=cut)
    assert not community_due(left=True, left_at=None, cut=cut)
    assert not community_due(left=False, left_at=NOW - timedelta(days=400), cut=cut)


def test_the_daily_run_is_at_a_quiet_hour_in_the_councils_time() -> None:
    assert next_run(NOW, LONDON, 3) == datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    assert next_run(datetime(2026, 11, 26, 2, 59, tzinfo=UTC), LONDON, 3) == datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    assert next_run(datetime(2026, 11, 26, 3, 0, tzinfo=UTC), LONDON, 3) == datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
    summer = datetime(2026, 6, 1, 1, 30, tzinfo=UTC)  # 02:30 BST
    assert next_run(summer, LONDON, 3) == datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


# -- the purge over real data ---------------------------------------------------------------------------------

async def count(s: Scenario, model) -> int:  # type: ignore[no-untyped-def]
    async with s.db.unit_of_work() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def a_surgery_and_a_left_group(s: Scenario) -> None:
    """A closed surgery with questions, votes and a referral; a moderation case; a second group that left."""
    await surgery_ready(s, "today 18:30 1h Bins")
    await s.say(s.jane, s.riverside, "/surgery open")
    await s.say(s.mo, s.riverside, "/ask When are the bins collected?")
    await s.say(s.priya, s.riverside, "/ask And the recycling?")
    await vote(s, s.priya, s.riverside, 1)
    await s.say(s.jane, s.riverside, "/next")
    await s.say(s.jane, s.riverside, "/refer")
    await s.say(s.jane, s.riverside, "/surgery close")
    async with s.db.unit_of_work() as session:
        community = await session.scalar(select(Community).where(Community.space_id == s.riverside.id))
        session.add(ModerationCase(community_id=community.id, number=1, action="warn", actor="bot",
                                   target_user_id=s.mo.id, evidence="shouting", created_at=s.clock.now()))
    hilltop = s.world.add_group("Hilltop Chat", owner=s.priya, members=(s.mo,))
    await s.invite_and_join(hilltop, by=s.priya)
    await s.say(s.priya, hilltop, "/surgery facilitator add @Mo")
    await s.say(s.priya, hilltop, "/surgery leave")


async def test_each_period_purges_its_own_category(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await a_surgery_and_a_left_group(s)
        retention = s.app.retention
        assert await count(s, Facilitator) == 2 and await count(s, Question) == 2

        s.clock.advance(timedelta(days=4))
        first = await retention.run()
        assert first[Category.PROCESSED_UPDATES] > 0 and first[Category.SESSIONS] == 0
        assert await count(s, ProcessedUpdate) == 0

        s.clock.advance(timedelta(days=27))  # 31 days: the group that left is forgotten, but not its do-not-rejoin
        left = await retention.run()
        assert left[Category.LEFT_COMMUNITIES] == 1 and left[Category.SESSIONS] == 0
        async with s.db.unit_of_work() as session:
            hill = await session.scalar(select(Community).where(Community.name == "Hilltop Chat"))
            assert hill.do_not_rejoin and hill.accepted_by is None
            assert (await session.scalars(select(Facilitator.community_id))).all() == [1]
        assert (await retention.run())[Category.LEFT_COMMUNITIES] == 0  # nothing twice

        s.clock.advance(timedelta(days=150))  # 181 days: session content goes, cases stay
        dry = await retention.run(dry_run=True)
        assert await count(s, Question) == 2  # a dry run changes nothing …
        purged = await retention.run()
        assert dry == purged  # … and counts exactly what the real run removes
        assert (purged[Category.SESSIONS], purged[Category.QUESTIONS], purged[Category.VOTES]) == (1, 2, 1)
        # The referral is still open: the council owes a reply, so it outlives its retention period until closed.
        assert purged[Category.CASEWORK] == 0 and purged[Category.CASES] == 0
        assert await count(s, SurgerySession) == 0 and await count(s, Vote) == 0
        assert await count(s, CaseworkReferral) == 1 and await count(s, ModerationCase) == 1
        assert purged[Category.PEOPLE] >= 1  # residents nothing refers to any more
        async with s.db.unit_of_work() as session:  # the councillor's and the referred resident's persons stay
            assert await session.scalar(select(func.count()).select_from(Person)) == 2
        [referral] = await CaseworkDesk(s.db, s.clock).list()
        await CaseworkDesk(s.db, s.clock).close(referral["reference"])
        closed = await retention.run()
        assert closed[Category.CASEWORK] == 1 and await count(s, CaseworkReferral) == 0
        async with s.db.unit_of_work() as session:  # now nothing refers to the resident any more
            assert await session.scalar(select(func.count()).select_from(Person)) == 1

        s.clock.advance(timedelta(days=185))  # 366 days: cases
        assert (await retention.run())[Category.CASES] == 1
        s.clock.advance(timedelta(days=365))  # 731 days: audit rows
        assert (await retention.run())[Category.AUDIT] > 0
        async with s.db.unit_of_work() as session:  # only records younger than two years: the purges' own, and
            # the operator closing the referral at 181 days
            assert set((await session.scalars(select(AuditRow.action))).all()) == {"retention_purge",
                                                                                  "casework_close"}


async def test_a_running_session_is_never_purged(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path, retention={"session_days": 1}) as s:
        await surgery_ready(s, "today 18:30 4h Bins")
        await s.say(s.jane, s.riverside, "/surgery open")
        await s.say(s.mo, s.riverside, "/ask Still open?")
        s.clock.advance(timedelta(hours=3))
        counts = await s.app.retention.run()
        assert counts[Category.SESSIONS] == 0 and await count(s, Question) == 1


async def test_the_daily_purge_is_a_durable_timer_that_reschedules_itself(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.app.retention.ensure_scheduled()
        await s.app.retention.ensure_scheduled()  # a restart does not add a second one
        async with s.db.unit_of_work() as session:
            [timer] = (await session.scalars(select(Timer).where(Timer.kind == RETENTION_TIMER.name))).all()
        assert timer.key == DAILY_KEY and timer.due_at.replace(tzinfo=UTC) == datetime(2026, 11, 26, 3, tzinfo=UTC)
        await s.advance(timedelta(hours=9))  # 03:00: it fires …
        async with s.db.unit_of_work() as session:
            pending = (await session.scalars(select(Timer).where(Timer.key == DAILY_KEY,
                                                                 Timer.fired_at.is_(None)))).all()
            purges = (await session.scalars(select(AuditRow).where(AuditRow.action == "retention_purge"))).all()
        assert [t.due_at.replace(tzinfo=UTC) for t in pending] == [datetime(2026, 11, 27, 3, tzinfo=UTC)]  # … again
        assert len(purges) == 1


async def test_a_running_bot_schedules_the_daily_purge_at_start_up(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", _env_file=None)
    app = App(settings, clock=FakeClock())
    await app.start()
    try:
        async with app.db.unit_of_work() as session:
            assert await session.scalar(select(func.count()).select_from(Timer).where(Timer.key == DAILY_KEY)) == 1
    finally:
        await app.stop()


def test_retention_settings_from_the_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SURGERYBOT_RETENTION__SESSION_DAYS", "90")
    monkeypatch.setenv("SURGERYBOT_RETENTION__LEFT_COMMUNITY_DAYS", "7")
    settings = Settings(_env_file=None)
    assert (settings.retention.session_days, settings.retention.case_days) == (90, 365)
    assert settings.retention.left_community_days == 7
    from bot.context import messages_for

    text = messages_for(settings)("privacy")
    assert "90 days" in text and "365 days" in text and "730 days" in text and "7 days" in text


# -- the operator's command -------------------------------------------------------------------------------------

@pytest.fixture
async def old_db(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A database written years ago (the CLI runs on the real clock)."""
    async with Scenario(tmp_path, clock=FakeClock(datetime(2020, 3, 4, 18, 0, tzinfo=UTC))) as s:
        await a_surgery_and_a_left_group(s)
    point_cli_at(monkeypatch, tmp_path, s.database_url)
    return s


def test_retention_run_dry_run_then_for_real(old_db) -> None:  # type: ignore[no-untyped-def]
    dry = runner.invoke(cli, ["retention", "run", "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    planned = json.loads(dry.output)
    assert planned["dry_run"] and planned["removed"]["sessions"] == 1 and planned["removed"]["questions"] == 2
    assert planned["removed"]["left_communities"] == 1 and "sessions_ended_before" in planned["cutoffs"]

    table = runner.invoke(cli, ["retention", "run", "--dry-run"])
    assert table.exit_code == 0 and "Would remove" in table.output and "sessions" in table.output

    done = json.loads(runner.invoke(cli, ["retention", "run", "--json"]).output)
    assert done["removed"] == planned["removed"] and not done["dry_run"]
    again = runner.invoke(cli, ["retention", "run"])
    assert again.exit_code == 0 and "Nothing is past its retention period" in again.output
