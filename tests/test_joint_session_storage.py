"""Joint-session storage on a real SQLite file and, when configured, on PostgreSQL: joining and parting keep the
community a session was scheduled in apart from the ones that joined; questions carry their group's label only
in a joint session; a question's copies in other chats are stored and read back; the cache's triggers see joins."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from bot.storage import communities, people
from bot.storage import sessions as store
from bot.storage.database import Database
from facilitation.queue import QuestionState, Visibility
from facilitation.sessions import ModerationMode
from tests.clock import FakeClock


@pytest.fixture
async def db(database_url: str):  # type: ignore[no-untyped-def]
    database = Database(database_url)
    await database.upgrade()
    yield database
    await database.dispose()


async def test_join_part_labels_and_copies(db: Database) -> None:
    now = FakeClock().now()
    async with db.unit_of_work() as tx:
        home = await communities.activate_community(tx, name="Riverside", platform="telegram", space_id="-100",
                                                    home_chat_id="-100", accepted_by="7", now=now, missing="")
        guest = await communities.activate_community(tx, name="Parents", platform="discord", space_id="555",
                                                     home_chat_id="556", accepted_by="8", now=now, missing="")
        councillor = await people.add_councillor(tx, name="Cllr Jane", ward="W", code="ABCD-EFGH-JKLM",
                                                 now=now, code_expires_at=now + timedelta(days=1))
        view = await store.create_session(tx, councillor_id=councillor.id, community_ids=[home.id],
                                          starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=2),
                                          topic="Bins", mode=ModerationMode.PERMISSIVE, now=now)
        alone = await store.add_question(tx, session_id=view.id, community_id=home.id, text="Before?",
                                         visibility=Visibility.PUBLIC, state=QuestionState.QUEUED, now=now)
    async with db.unit_of_work() as tx:
        generation = (await tx.execute(text("SELECT value FROM cache_generation WHERE id = 1"))).scalar()
        assert await store.join_session(tx, view.id, guest.id, now)
        assert not await store.join_session(tx, view.id, guest.id, now)  # once
    async with db.unit_of_work() as tx:
        after = (await tx.execute(text("SELECT value FROM cache_generation WHERE id = 1"))).scalar()
        joint = await store.get_session(tx, view.id)
        asked = await store.add_question(tx, session_id=view.id, community_id=guest.id, text="Crossing?",
                                         visibility=Visibility.PUBLIC, state=QuestionState.QUEUED, now=now)
        await store.add_question_copy(tx, asked.id, "telegram", "-100", "77")
        found = {q.number: q for q in await store.questions(tx, view.id)}
        in_guest = await store.sessions_in(tx, [guest.id])
    assert after > generation  # other processes' context caches see the join
    assert alone.community_label == ""  # asked while the session was one group's
    assert joint is not None and joint.community_ids == tuple(sorted((home.id, guest.id)))
    assert joint.home_community_id == home.id and joint.is_joint
    assert asked.community_label == "Parents"
    assert found[1].community_label == "Riverside" and found[2].copies == (("telegram", "-100", "77"),)
    assert [s.id for s in in_guest] == [view.id]
    async with db.unit_of_work() as tx:
        assert not await store.part_session(tx, view.id, home.id)  # the home group never "parts"
        assert await store.part_session(tx, view.id, guest.id)
        parted = await store.get_session(tx, view.id)
        relabelled = await store.questions(tx, view.id)
    assert parted is not None and parted.community_ids == (home.id,) and not parted.is_joint
    assert [q.community_label for q in relabelled] == ["", ""]
