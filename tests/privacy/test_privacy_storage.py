"""The privacy repositories on every storage backend (SQLite, and PostgreSQL when configured): the gate's
session check, the listening upsert, a subject's export and erasure, and the retention purge with its dry run.
Rows are written through the repositories directly so the test depends on nothing but storage."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.clock import FakeClock
from bot.retention import RetentionService
from bot.storage import chat_facts, communities, listening, people
from bot.storage import sessions as store
from bot.storage.database import Database
from bot.storage.models import ListeningCount, Question
from bot.subjects import SubjectService
from config.settings import Settings
from facilitation.processing import REMOVED_TEXT
from facilitation.queue import QuestionState, Visibility
from facilitation.retention import Category
from facilitation.sessions import ModerationMode, SessionState

NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await database.upgrade()
    yield database
    await database.dispose()


async def test_privacy_storage_on_every_backend(db: Database, database_url: str) -> None:
    clock = FakeClock(NOW)
    settings = Settings(database_url=database_url, _env_file=None)
    async with db.unit_of_work() as session:
        community = await communities.activate_community(session, name="Riverside", platform="local", space_id="-100",
                                                         home_chat_id="-100", accepted_by="2001", now=NOW, missing="")
        councillor = await people.add_councillor(session, name="Cllr Jane", ward="", code="ABCD-EFGH-JKLM", now=NOW,
                                                 code_expires_at=NOW + timedelta(days=1))
        view = await store.create_session(session, councillor_id=councillor.id, community_ids=[community.id],
                                          starts_at=NOW, ends_at=NOW + timedelta(hours=1), topic="Bins",
                                          mode=ModerationMode.PERMISSIVE, now=NOW)
        assert not await chat_facts.session_running(session, community.id)
        await store.save_session(session, replace(view, state=SessionState.OPEN, opened_at=NOW))
        assert await chat_facts.session_running(session, community.id)
        mo = await people.person_for(session, "local", "2003", display_name="Mo Mowbray", now=NOW)
        priya = await people.person_for(session, "local", "2004", display_name="Priya", now=NOW)
        asked = await store.add_question(session, session_id=view.id, community_id=community.id,
                                         text="Where do the bins go?", visibility=Visibility.PUBLIC,
                                         state=QuestionState.QUEUED, now=NOW, asker_person_id=mo,
                                         asker_platform="local", asker_user_id="2003", asker_name="Mo Mowbray")
        await store.add_vote(session, asked.id, priya, NOW)

        assert await listening.set_enabled(session, community.id, True)
        assert not await listening.set_enabled(session, community.id, True)
        await listening.add_counts(session, community.id, "2026-11-25", {"waste", "transport"})
        await listening.add_counts(session, community.id, "2026-11-25", {"waste"})
    async with db.unit_of_work() as session:
        rows = await session.execute(select(ListeningCount.theme, ListeningCount.count).order_by(ListeningCount.theme))
        assert [tuple(r) for r in rows] == [("transport", 1), ("waste", 2)]

    subjects = SubjectService(db, settings, clock)
    assert (await subjects.export("local", "2003"))["questions"][0]["text"] == "Where do the bins go?"
    assert len((await subjects.export("local", "2004"))["votes"]) == 1
    erasure = await subjects.erase("local", "2003", requested_by="operator")
    assert (erasure.counts.questions_anonymised, erasure.counts.people_removed) == (1, 1)
    async with db.unit_of_work() as session:
        assert (await session.scalars(select(Question.text))).all() == [REMOVED_TEXT]
        await store.save_session(session, replace(view, state=SessionState.CLOSED, closed_at=NOW))
    assert not subjects.holds_anything(await subjects.export("local", "2003"))

    clock.advance(timedelta(days=200))
    retention = RetentionService(db, settings, clock)
    dry = await retention.run(dry_run=True)
    assert (dry[Category.SESSIONS], dry[Category.QUESTIONS], dry[Category.VOTES]) == (1, 1, 1)
    assert await retention.run() == dry
    assert (await retention.run())[Category.SESSIONS] == 0
