"""The event path's promises, counted with engine event listeners on a real database: a chat that is not a
community costs no SQL at all; benign chat in an open session reads and writes nothing once the context is warm;
a command that acts writes once (claim, state and audit rows together); a change made by another instance (or
the operator's CLI) reaches this one's cache within a second, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from bot.event_context import ContextCache
from bot.storage import people
from bot.storage import policies as policy_store
from bot.storage.database import WATCHED_TABLES, Database
from bot.storage.models import ProcessedUpdate
from facilitation.rules.policy import DEFAULT_POLICY
from tests.moderation.helpers import community_with_facilitators, open_session, set_policy
from tests.scenario import Scenario


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    """Every SQL statement any of the database's engines runs inside the block."""
    statements: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    engines = {id(e): e for e in (db.engine, db.read_engine)}.values()
    for engine in engines:
        event.listen(engine.sync_engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine.sync_engine, "before_cursor_execute", note)


def writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]


async def test_a_chat_that_is_not_a_community_costs_no_sql(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        stranger = s.world.add_group("Allotment Society", owner=s.olu, members=(s.mo,))
        with counting(s.db) as statements:
            await s.say(s.mo, stranger, "Anyone got spare runner beans?")
        assert statements == []
        assert s.texts(stranger) == []


async def test_benign_chat_in_an_open_session_reads_and_writes_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await set_policy(s, *(f"{rule}.mode on" for rule in ("flood", "blocklist", "links", "personal_data",
                                                              "safeguarding", "heat")))
        await open_session(s)
        await s.say(s.mo, s.riverside, "Good evening, thanks for doing this")  # warms the context
        async with s.db.read() as session:
            claimed_before = len((await session.scalars(select(ProcessedUpdate.key))).all())
        with counting(s.db) as statements:
            for n in range(5):
                s.clock.advance(timedelta(seconds=30))  # an ordinary pace: no flood, no heat
                await s.say(s.mo, s.riverside, f"The bins on Mill Lane were missed again ({n})")
        assert statements == [], statements
        async with s.db.read() as session:
            assert len((await session.scalars(select(ProcessedUpdate.key))).all()) == claimed_before


async def test_the_first_messages_of_many_residents_read_the_communitys_joins_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The newcomer-links rule needs when each author joined: one read for the community, not one per resident
    (a session's opening minutes would otherwise queue every resident's first message behind a read)."""
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await set_policy(s, "links.mode on")
        await open_session(s)
        await s.say(s.jane, s.riverside, "Good evening all")  # warms the context and reads the joins
        with counting(s.db) as statements:
            for person in (s.mo, s.priya):
                s.clock.advance(timedelta(seconds=30))
                await s.say(person, s.riverside, "Hello from Mill Lane")
        assert not [st for st in statements if "member_joins" in st], statements


async def test_a_command_that_acts_is_one_write(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await open_session(s)
        with counting(s.db) as statements:
            await s.say(s.mo, s.riverside, "/ask Why were the bins on Mill Lane missed?")
        assert any("question" in text.lower() or "#" in text for text in s.texts(s.riverside)[-1:])
        begins = [st for st in statements if st.startswith("BEGIN IMMEDIATE")]
        # The event's own transaction (claim + question + audit rows + outbox rows), the outbox hand-over just
        # before the post (so a crash can tell "never attempted" from "may have happened"), the audit outcome
        # after it, and the follow-up that remembers the posted message's id: four writes, never one per statement.
        assert len(begins) <= 4, statements
        assert sum(1 for st in writes(statements) if "processed_updates" in st) == 1


@pytest.mark.parametrize("kind", ["facilitator", "policy"])
async def test_a_second_instance_sees_a_change_within_a_second(database_url: str, kind: str) -> None:
    first, second = Database(database_url), Database(database_url)
    await first.upgrade()
    try:
        async with first.unit_of_work() as session:
            from bot.storage import communities

            community = await communities.activate_community(
                session, name="Riverside", platform="telegram", space_id="-100", home_chat_id="-100",
                accepted_by="1", now=_now(), missing="")
        cache = ContextCache(second)
        await cache.start()
        try:
            before = await cache.facts(community.id)
            assert before is not None and not before.is_facilitator("telegram", "42")
            assert before.policy.approved is None
            async with first.unit_of_work() as session:  # another process, as far as `second` can tell
                if kind == "facilitator":
                    await people.add_facilitator(session, community_id=community.id, platform="telegram",
                                                 user_id="42", display_name="Priya", appointed_by="1",
                                                 now=_now())
                else:
                    await policy_store.save(session, community.id, DEFAULT_POLICY, by="1", now=_now(),
                                            approved=True)
            started = time.monotonic()
            while True:
                facts = await cache.facts(community.id)
                assert facts is not None
                if facts.is_facilitator("telegram", "42") or facts.policy.approved is not None:
                    break
                assert time.monotonic() - started < 1.0, "the second instance still acts on stale facts"
                await asyncio.sleep(0.02)
        finally:
            await cache.stop()
    finally:
        await first.dispose()
        await second.dispose()


def test_the_migration_watches_what_the_cache_reads() -> None:
    from importlib import import_module

    migration = import_module("bot.storage.migrations.versions.0006_cache_generation")
    assert set(migration.WATCHED) == set(WATCHED_TABLES)


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


async def test_own_writes_are_not_news_to_the_poll_but_another_instance_s_are(database_url: str) -> None:
    """Our commit accounts for how far it moved the triggers' generation, so the poll reloads nothing for it;
    a write by another instance still makes everything here stale."""
    from bot.storage import communities

    first, second = Database(database_url), Database(database_url)
    await first.upgrade()
    cache = ContextCache(first)
    await cache.start()
    try:
        async with first.unit_of_work() as tx:
            await communities.activate_community(tx, name="Riverside", platform="telegram", space_id="-100",
                                                 home_chat_id="-100", accepted_by="1", now=_now(), missing="")
        version = first.version
        await cache.check_stored_generation()
        assert first.version == version
        async with second.unit_of_work() as tx:
            await communities.activate_community(tx, name="Hilltop", platform="telegram", space_id="-200",
                                                 home_chat_id="-200", accepted_by="1", now=_now(), missing="")
        await cache.check_stored_generation()
        assert first.version > version
        assert await cache.community_in("telegram", "-200") is not None
    finally:
        await cache.stop()
        await first.dispose()
        await second.dispose()


async def _settled(s: Scenario) -> None:
    """Let the cache's background refresh after the last write run."""
    for _ in range(50):
        await asyncio.sleep(0.01)


async def test_the_gate_tells_adapters_where_the_bot_is_deaf_from_memory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`MessageGate.hears` is what the Discord and Telegram adapters ask before translating ordinary chat: no
    for chat nobody may read, answered without the database; yes, at once, once a session opens there."""
    async with Scenario(tmp_path) as s:
        hears = s.app.privacy_gate.hears
        stranger = s.world.add_group("Allotment Society", owner=s.olu, members=(s.mo,))
        await community_with_facilitators(s)
        await _settled(s)
        riverside, allotments = s.adapter.chat_ref(s.riverside), s.adapter.chat_ref(stranger)
        with counting(s.db) as statements:
            assert hears(allotments, stranger.kind) is False
            assert hears(riverside, s.riverside.kind) is False  # a community, but no session and no listening
        assert statements == []
        await open_session(s)
        # Right after the write that opened it: either not known yet (hand it on) or known to be open; never "deaf".
        assert hears(riverside, s.riverside.kind) is True
        await _settled(s)
        assert hears(riverside, s.riverside.kind) is True
        await s.say(s.jane, s.riverside, "/surgery close")
        await _settled(s)
        assert hears(riverside, s.riverside.kind) is False
