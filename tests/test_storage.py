"""Storage on a real SQLite file and, when configured, on PostgreSQL: migrations, repositories, durable timers,
at-most-once processing, and many concurrent writers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import inspect, select, text

from tests.clock import FakeClock
from bot.events import TimerFired
from bot.features import TimerKind
from bot.storage import communities, people
from bot.storage import sessions as session_store
from bot.storage.database import Database, Redelivered
from bot.storage.models import AuditRow, Base, Timer
from bot.timers import TimerService, schedule


@dataclass(frozen=True, slots=True)
class Reminder:
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text}


REMINDER = TimerKind("reminder", lambda data: Reminder(str(data["text"])))


@pytest.fixture
async def db(database_url: str):  # type: ignore[no-untyped-def]
    database = Database(database_url)
    await database.upgrade()
    yield database
    await database.dispose()


async def test_migrations_create_every_model_table(db: Database) -> None:
    async with db.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


async def test_upgrade_twice_is_harmless(db: Database) -> None:
    await db.upgrade()
    assert await db.current_revision() is not None


async def test_sqlite_connection_settings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'pragmas.db'}")
    try:
        async with database.engine.connect() as connection:
            values = {name: (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar()
                      for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
    finally:
        await database.dispose()
    assert values == {"journal_mode": "wal", "synchronous": 1, "foreign_keys": 1, "busy_timeout": 5000}


async def test_invitation_is_consumed_exactly_once(db: Database) -> None:
    clock = FakeClock()
    async with db.unit_of_work() as session:
        view = await communities.create_invitation(session, code="A" * 20, community_name="Riverside",
                                                   platform="telegram", now=clock.now(),
                                                   expires_at=clock.now() + timedelta(days=1))

    async def consume() -> bool:
        async with db.unit_of_work() as session:
            return await communities.consume_invitation(session, view.id, clock.now())

    results = await asyncio.gather(*(consume() for _ in range(5)))
    assert results.count(True) == 1
    async with db.unit_of_work() as session:
        found = await communities.invitation_by_code(session, "A" * 20)
    assert found is not None and found.used_at is not None
    assert found.id == view.id


async def test_codes_are_stored_hashed(db: Database) -> None:
    clock = FakeClock()
    code = "Secret-Code_1234567890"
    async with db.unit_of_work() as session:
        await communities.create_invitation(session, code=code, community_name="Riverside", platform="discord",
                                            now=clock.now(), expires_at=clock.now() + timedelta(days=1))
        raw = (await session.execute(text("SELECT code_hash FROM invitations"))).scalar_one()
    assert code not in raw and len(raw) == 64


async def test_person_identity_is_created_once(db: Database) -> None:
    clock = FakeClock()
    async with db.unit_of_work() as session:
        first = await people.person_for(session, "telegram", "-42", display_name="Mo", now=clock.now())
    async with db.unit_of_work() as session:
        again = await people.person_for(session, "telegram", "-42", now=clock.now())
        other = await people.person_for(session, "discord", "-42", now=clock.now())
        missing = await people.person_for(session, "discord", "999", now=clock.now(), create=False)
    assert first == again and other != first and missing is None


async def test_community_lifecycle(db: Database) -> None:
    clock = FakeClock()
    async with db.unit_of_work() as session:
        active = await communities.activate_community(session, name="Riverside", platform="telegram",
                                                      space_id="-100", home_chat_id="-100", accepted_by="7",
                                                      now=clock.now(), missing="")
        await communities.mark_left(session, active.id, clock.now())
        moved = await communities.move_community(session, "telegram", "-100", "-1001")
        found = await communities.community_by_space(session, "telegram", "-1001")
    assert moved and found is not None and not found.is_active and found.do_not_rejoin


async def test_same_update_key_is_claimed_once(db: Database) -> None:
    """The claim is the first row of an event's one transaction; a second delivery finds it."""
    clock = FakeClock()
    async with db.event_work("telegram:1", clock.now()) as work:
        await work.open()
    with pytest.raises(Redelivered):
        async with db.event_work("telegram:1", clock.now()) as work:
            await work.open()
    async with db.event_work("telegram:2", clock.now()) as work:
        async with db.unit_of_work():  # a handler's unit of work joins the event's transaction (and claims)
            pass
        assert work.opened


async def test_timer_survives_a_restart_and_fires_once(database_url: str) -> None:
    clock = FakeClock()
    first = Database(database_url)
    await first.upgrade()
    async with first.unit_of_work() as session:
        await schedule(session, REMINDER, Reminder("surgery soon"), due_at=clock.now() + timedelta(minutes=5),
                       now=clock.now(), key="reminder:1")
    await first.dispose()  # the process stops before the timer is due

    clock.advance(timedelta(minutes=6))
    fired: list[TimerFired] = []

    async def record(event) -> None:  # type: ignore[no-untyped-def]
        fired.append(event)

    second = Database(database_url)
    service = TimerService(second, clock, record)
    assert await service.run_due() == 1
    assert await service.run_due() == 0
    third = TimerService(second, clock, record)  # a second instance on the same database
    assert await third.run_due() == 0
    await second.dispose()
    assert [(e.kind, e.payload) for e in fired] == [("reminder", {"text": "surgery soon"})]
    assert REMINDER.decode(fired[0].payload) == Reminder("surgery soon")


async def test_rescheduling_a_keyed_timer_replaces_it(db: Database) -> None:
    clock = FakeClock()
    for minutes in (5, 10):
        async with db.unit_of_work() as session:
            await schedule(session, REMINDER, Reminder(str(minutes)), due_at=clock.now() + timedelta(minutes=minutes),
                           now=clock.now(), key="same")
    async with db.unit_of_work() as session:
        rows = (await session.scalars(select(Timer))).all()
    assert len(rows) == 1


async def test_fifty_concurrent_writers(db: Database) -> None:
    clock = FakeClock()

    async def writer(n: int) -> None:
        for i in range(4):
            async with db.unit_of_work() as session:
                session.add(AuditRow(at=clock.now(), platform="local", action=f"w{n}-{i}"))

    await asyncio.gather(*(writer(n) for n in range(50)))
    async with db.unit_of_work() as session:
        count = (await session.execute(text("SELECT count(*) FROM audit_log"))).scalar_one()
    assert count == 200


async def test_fifty_writers_in_separate_engines_on_one_sqlite_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Separate engines share no in-process lock: SQLite's busy timeout and BEGIN IMMEDIATE must hold."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}"
    setup = Database(url)
    await setup.upgrade()
    await setup.dispose()
    clock = FakeClock()
    engines = [Database(url) for _ in range(50)]

    async def writer(database: Database, n: int) -> None:
        async with database.unit_of_work() as session:
            session.add(AuditRow(at=clock.now(), platform="local", action=f"w{n}"))
            await session.flush()
            await session.execute(select(AuditRow.id).limit(1))

    try:
        await asyncio.gather(*(writer(database, n) for n, database in enumerate(engines)))
    finally:
        for database in engines:
            await database.dispose()
    check = Database(url)
    async with check.unit_of_work() as session:
        count = (await session.execute(text("SELECT count(*) FROM audit_log"))).scalar_one()
    await check.dispose()
    assert count == 50


def test_migrations_form_one_line() -> None:
    """Two branches adding a migration each must be merged, or `db upgrade` refuses to pick a head."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(Database("sqlite+aiosqlite:///:memory:").alembic_config())
    assert len(scripts.get_heads()) == 1, scripts.get_heads()


def test_the_newest_revision_read_from_the_files_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    from bot.storage.database import newest_revision

    scripts = ScriptDirectory.from_config(Database("sqlite+aiosqlite:///:memory:").alembic_config())
    assert newest_revision() == scripts.get_current_head()


async def test_a_database_at_the_newest_revision_starts_without_alembic(db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Alembic (with Mako and Pygments) would otherwise stay in the memory of every process for nothing."""
    from alembic import command

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("Alembic was asked to upgrade a database already at its newest revision")

    monkeypatch.setattr(command, "upgrade", refuse)
    await db.upgrade()
    with pytest.raises(AssertionError):
        await db.upgrade("0011_languages_and_elections")  # an explicit revision still goes through Alembic


async def test_models_and_migrations_agree(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Autogenerate finds nothing to add: every model change came with its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'agree.db'}")
    await database.upgrade()
    async with database.engine.connect() as connection:
        diff = await connection.run_sync(
            lambda c: compare_metadata(MigrationContext.configure(c, opts={"compare_type": False}), Base.metadata))
    await database.dispose()
    assert diff == []


async def test_officer_hosted_migration_keeps_existing_sessions(database_url: str) -> None:
    """0012 lets a surgery have no councillor. On SQLite that means recreating `sessions`: the sessions already
    there, the questions, votes and communities that refer to them, and the cache triggers must all survive."""
    database = Database(database_url)
    try:
        await database.upgrade("0011_languages_and_elections")
        async with database.engine.begin() as connection:
            for statement in (
                "INSERT INTO councillors (id, name, ward, created_at) "
                "VALUES (1, 'Cllr Jane', 'W', '2026-11-25 18:00:00')",
                "INSERT INTO communities (id, name, platform, space_id, home_chat_id, state, created_at, "
                "missing_rights, listening_enabled, do_not_rejoin) VALUES (1, 'Riverside', 'local', '-1', '-1', "
                "'active', '2026-11-25 18:00:00', '', false, false)",
                "INSERT INTO people (id, display_name, created_at) VALUES (1, 'Mo', '2026-11-25 18:00:00')",
                "INSERT INTO sessions (id, councillor_id, topic, state, moderation_mode, starts_at, ends_at, "
                "created_at) VALUES (1, 1, 'Bins', 'scheduled', 'permissive', '2026-11-26 18:00:00', "
                "'2026-11-26 19:00:00', '2026-11-25 18:00:00')",
                "INSERT INTO session_communities (session_id, community_id) VALUES (1, 1)",
                "INSERT INTO questions (id, session_id, community_id, number, visibility, text, state, note, "
                "asked_at, updated_at, asker_name) VALUES (1, 1, 1, 1, 'public', 'When?', 'queued', '', "
                "'2026-11-25 18:00:00', '2026-11-25 18:00:00', '')",
                "INSERT INTO votes (question_id, person_id, created_at) VALUES (1, 1, '2026-11-25 18:00:00')",
            ):
                await connection.execute(text(statement))
        await database.upgrade()
        assert await database.current_revision() == "0012_officer_hosted"
        async with database.unit_of_work() as session:
            kept = await session_store.get_session(session, 1)
            questions = await session_store.questions(session, 1)
            generation = (await session.execute(text("SELECT value FROM cache_generation"))).scalar_one()
            await session.execute(text("UPDATE sessions SET topic = 'Bins and parking' WHERE id = 1"))
            await session.execute(text(
                "INSERT INTO sessions (id, councillor_id, officer_platform, officer_user_id, officer_name, topic, "
                "state, moderation_mode, starts_at, ends_at, created_at) VALUES (2, NULL, 'local', '42', 'Priya', "
                "'', 'scheduled', 'permissive', '2026-11-27 18:00:00', '2026-11-27 19:00:00', "
                "'2026-11-25 18:00:00')"))
        async with database.unit_of_work() as session:
            after = (await session.execute(text("SELECT value FROM cache_generation"))).scalar_one()
            officer = await session_store.get_session(session, 2)
        assert kept is not None and kept.councillor_id == 1 and kept.host_name == "Cllr Jane"
        assert kept.topic == "Bins" and kept.community_ids == (1,) and kept.officer_user_id is None
        assert [(q.number, q.text, q.votes) for q in questions] == [(1, "When?", 1)]
        assert after > generation  # the triggers that tell other instances' caches are back
        assert officer is not None and officer.councillor_id is None and officer.host_name == "Priya"
        assert officer.hosted_by_officer("local", "42")
    finally:
        await database.dispose()


async def test_many_peoples_language_choices_in_one_read(db: Database) -> None:
    from bot.storage import languages

    now = FakeClock().now()
    async with db.unit_of_work() as tx:
        await languages.choose_person_language(tx, "telegram", "11", "cy", now)
        await languages.choose_person_language(tx, "discord", "11", "en", now)
        await languages.choose_person_language(tx, "telegram", "12", "en", now)
    async with db.read() as tx:
        found = await languages.people_languages(tx, [("telegram", "11"), ("discord", "11"), ("telegram", "13")])
        assert found == {("telegram", "11"): "cy", ("discord", "11"): "en"}
        assert await languages.people_languages(tx, []) == {}
