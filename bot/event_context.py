"""What handlers need to know about an event's community, resolved once and served from memory: the community,
its current session, its facilitators, its policy, whether listening is on and which chats are locked, plus who
the council's councillors are. A chat that is not a community costs no database access at all.

Entries are valid for the write generation they were read at (`Database.generation_of`): a commit here that
touches a table they were built from makes them stale at once; another process's write reaches us through the
`cache_generation` row (triggers keep it) within `WATCH_INTERVAL_SECONDS`, or at once on PostgreSQL, whose
triggers NOTIFY the channel we LISTEN on."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import cases as case_store
from bot.storage import communities as community_store
from bot.storage import policies as policy_store
from bot.storage import sessions as session_store
from bot.storage.database import Database
from bot.storage.models import Community, Councillor, Facilitator, Identity
from bot.storage.policies import PolicyRecord
from facilitation.cases import CaseView
from facilitation.consent import CommunityView
from facilitation.sessions import ACCEPTING_STATES, LIVE_STATES, SessionView

log = logging.getLogger(__name__)

# A second instance acts on stale roles or policy for at most about this long (PostgreSQL: NOTIFY is sooner).
WATCH_INTERVAL_SECONDS = 0.5
NOTIFY_CHANNEL = "surgerybot_cache"
# After a write, the facts of at most this many communities with traffic since the last write are read again at
# once (in the background), so their chats' messages are answered from memory again, and filtered at the door.
REFRESH_LIMIT = 64
# How many writes in a row a community with traffic stays refreshed for without traffic of its own: a command's
# follow-ups are often a second and third write (the pinned notice's id after /surgery open), and the chat that
# sent the command is about to talk. Short, so that setting up many communities one after another does not make
# every write re-read all of them.
KEEP_WARM_WRITES = 3
STOP_GRACE_SECONDS = 5.0

DIRECTORY_TABLES = ("communities", "people", "identities", "councillors")
FACTS_TABLES = ("communities", "councillors", "facilitators", "sessions", "session_communities", "policies",
                "cases")


# What `peek_in` answers when the answer is not in memory (or may be stale): ask `facts_in`.
UNKNOWN = object()


class _Listener(Protocol):
    """What the cache uses of its asyncpg LISTEN connection (asyncpg has no type information)."""
    async def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class CommunityFacts:
    """One community as the hot path sees it."""

    community: CommunityView
    session: SessionView | None  # the open (or paused) one, else the next one scheduled
    facilitators: frozenset[tuple[str, str]]  # (platform, user id)
    policy: PolicyRecord
    listening_on: bool
    locks: Mapping[str, CaseView] = field(default_factory=dict)  # chat id -> its /lock case in force

    @property
    def session_open(self) -> bool:
        return self.session is not None and self.session.state in LIVE_STATES

    def is_facilitator(self, platform: str, user_id: str) -> bool:
        return (platform, user_id) in self.facilitators


@dataclass(frozen=True, slots=True)
class _Directory:
    generation: int
    by_space: Mapping[tuple[str, str], CommunityView]
    by_id: Mapping[int, CommunityView]
    councillors: Mapping[tuple[str, str], int]  # (platform, user id) -> councillor id


class ContextCache:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._directory: _Directory | None = None
        self._facts: dict[int, tuple[int, CommunityFacts]] = {}
        self._loading = asyncio.Lock()
        self._watcher: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()  # set by a PostgreSQL NOTIFY: look before the next poll is due
        self._stale = asyncio.Event()  # set by every write the database accounts for
        self._refresher: asyncio.Task[None] | None = None
        self._closing = False
        # Communities whose facts were asked for lately: the ones with traffic, read again at once after a write
        # (the rest are read when next needed). Community id → how many more writes it is refreshed after.
        self._busy: dict[int, int] = {}
        self._listener: _Listener | None = None
        # The database version at which every entry held was known to be current (-1: not since the last write).
        self._valid_at = -1

    # -- lookups ------------------------------------------------------------------------------------------

    async def community_in(self, platform: str, space_id: str) -> CommunityView | None:
        return (await self._current_directory()).by_space.get((platform, space_id))

    async def community(self, community_id: int) -> CommunityView | None:
        return (await self._current_directory()).by_id.get(community_id)

    async def communities(self, community_ids: Iterable[int]) -> list[CommunityView]:
        """The communities among `community_ids` that exist, in the order given."""
        by_id = (await self._current_directory()).by_id
        return [by_id[cid] for cid in community_ids if cid in by_id]

    async def councillor_id(self, platform: str, user_id: str) -> int | None:
        known = self.councillor_known(platform, user_id)
        if known is not UNKNOWN:
            return cast(int | None, known)
        return (await self._current_directory()).councillors.get((platform, user_id))

    def councillor_known(self, platform: str, user_id: str) -> int | None | object:
        """`councillor_id` from memory alone, without waiting: `UNKNOWN` when the directory must be read."""
        directory = self._directory
        if directory is None or self._valid_at != self.db.version:
            return UNKNOWN
        return directory.councillors.get((platform, user_id))

    def held(self, community_id: int) -> CommunityFacts | None:
        """`facts` from memory alone, without waiting; None when they are not held current (then ask `facts`).
        Every message of a busy chat asks: a coroutine each time cost more than the lookup."""
        cached = self._facts.get(community_id)
        if cached is not None and self._valid_at == self.db.version:
            return cached[1]
        return None

    async def facts(self, community_id: int) -> CommunityFacts | None:
        """The community's facts, or None if it doesn't exist."""
        cached = self._facts.get(community_id)
        if cached is not None and (self._valid_at == self.db.version
                                   or cached[0] == self.db.generation_of(FACTS_TABLES)):
            return cached[1]
        await self._load(facts_for=(community_id,))
        cached = self._facts.get(community_id)
        return cached[1] if cached is not None else None

    async def facts_in(self, platform: str, space_id: str) -> CommunityFacts | None:
        """Everything about the community of a chat in at most one read; None (and no read) for a chat that is
        not a community."""
        if self._valid_at == self.db.version:  # the hot path: nothing was written since we last looked
            assert self._directory is not None
            community = self._directory.by_space.get((platform, space_id))
            if community is None:
                return None
            cached = self._facts.get(community.id)
            if cached is not None:
                self._busy[community.id] = KEEP_WARM_WRITES
                return cached[1]
        directory = self._directory
        if directory is None or directory.generation != self.db.generation_of(DIRECTORY_TABLES):
            community = None
        else:
            community = directory.by_space.get((platform, space_id))
            if community is None:
                return None
            cached = self._facts.get(community.id)
            if cached is not None and cached[0] == self.db.generation_of(FACTS_TABLES):
                return cached[1]
        await self._load(facts_in_space=(platform, space_id), facts_for=(community.id,) if community else ())
        community = (await self._current_directory()).by_space.get((platform, space_id))
        return await self.facts(community.id) if community is not None else None

    def peek_in(self, platform: str, space_id: str) -> CommunityFacts | None | object:
        """`facts_in` answered from memory alone, without waiting: the facts, None for a chat that is not a
        community, or `UNKNOWN` when nothing is held or something was written since (then ask `facts_in`)."""
        if self._valid_at != self.db.version or self._directory is None:
            return UNKNOWN
        community = self._directory.by_space.get((platform, space_id))
        if community is None:
            return None
        self._busy[community.id] = KEEP_WARM_WRITES
        cached = self._facts.get(community.id)
        if cached is None:  # have them read in the background, so the chat's next messages find them
            self._stale.set()
            return UNKNOWN
        return cached[1]

    # -- loading ------------------------------------------------------------------------------------------

    async def _current_directory(self) -> _Directory:
        directory = self._directory
        if directory is not None and (self._valid_at == self.db.version
                                      or directory.generation == self.db.generation_of(DIRECTORY_TABLES)):
            return directory
        await self._load()
        assert self._directory is not None
        return self._directory

    async def _load(self, *, facts_for: Iterable[int] = (), facts_in_space: tuple[str, str] | None = None,
                    asked: bool = True) -> None:
        """One read: the directory if stale, and the facts asked for."""
        async with self._loading:
            if self._valid_at == self.db.version and self._holds(facts_for, facts_in_space):
                # A burst of events that all found the cache stale queued here behind the first one's read,
                # which has made it current: the rest need not look again.
                return
            version = self.db.version
            directory_generation = self.db.generation_of(DIRECTORY_TABLES)
            facts_generation = self.db.generation_of(FACTS_TABLES)
            need_directory = self._directory is None or self._directory.generation != directory_generation
            wanted = set(facts_for)
            if facts_in_space is not None and not need_directory and self._directory is not None:
                # The directory is current: it says which community the chat is, without a read.
                community = self._directory.by_space.get(facts_in_space)
                if community is not None:
                    wanted.add(community.id)
                facts_in_space = None
            stale = {cid for cid in wanted
                     if cid not in self._facts or self._facts[cid][0] != facts_generation}
            if need_directory or stale or facts_in_space is not None:
                await self._read(need_directory, directory_generation, stale, facts_generation, facts_in_space)
                if asked:  # an event wanted these: they have traffic (the refresher's own reads don't count)
                    self._busy.update((cid, KEEP_WARM_WRITES) for cid in stale if cid in self._facts)
            self._forget_stale(facts_generation)
            if self.db.version == version:
                self._valid_at = version

    def _holds(self, facts_for: Iterable[int], facts_in_space: tuple[str, str] | None) -> bool:
        if self._directory is None or any(cid not in self._facts for cid in facts_for):
            return False
        if facts_in_space is None:
            return True
        community = self._directory.by_space.get(facts_in_space)
        return community is None or community.id in self._facts

    async def _read(self, need_directory: bool, directory_generation: int, stale: set[int], facts_generation: int,
                    facts_in_space: tuple[str, str] | None) -> None:
        async with self.db.read() as tx:
            if need_directory:
                before, self._directory = self._directory, await _read_directory(tx, directory_generation)
                if before is not None:
                    # A community that was just added, accepted or changed is about to see traffic.
                    changed = [cid for cid, view in self._directory.by_id.items()
                               if view.is_active and before.by_id.get(cid) != view]
                    stale.update(changed[:REFRESH_LIMIT])
            if facts_in_space is not None:
                community = self._directory.by_space.get(facts_in_space) if self._directory else None
                if community is not None and (community.id not in self._facts
                                              or self._facts[community.id][0] != facts_generation):
                    stale.add(community.id)
            for community_id in stale:
                found = await _read_facts(tx, community_id)
                if found is not None:
                    self._facts[community_id] = (facts_generation, found)
                else:
                    self._facts.pop(community_id, None)

    def _forget_stale(self, facts_generation: int) -> None:
        """Drop the facts read before the last write, so what is held is all current (and memory stays small)."""
        for community_id in [cid for cid, (generation, _) in self._facts.items() if generation != facts_generation]:
            del self._facts[community_id]

    # -- following other processes ----------------------------------------------------------------------------

    async def start(self) -> None:
        """Follow writes by other processes: poll the stored generation, and LISTEN on PostgreSQL."""
        if self._watcher is not None:
            return
        self.db.stored_seen = await self.db.stored_generation()
        await self._current_directory()  # so the first message from a stranger's chat costs no read either
        if not self.db.is_sqlite:
            await self._listen()
        self._watcher = asyncio.create_task(self._watch(), name="surgerybot-context-cache")
        self.db.on_change.append(self._stale.set)
        self._refresher = asyncio.create_task(self._refresh_after_writes(), name="surgerybot-context-refresh")

    async def stop(self) -> None:
        # Woken and let finish rather than cancelled: cancelling one in the middle of a read leaves its pooled
        # connection to be reset by the garbage collector, which logs an error at every stop that hits it.
        self._closing = True
        self._wake.set()
        self._stale.set()
        for task in (self._watcher, self._refresher):
            if task is not None:
                try:
                    await asyncio.wait_for(asyncio.shield(task), STOP_GRACE_SECONDS)
                except (TimeoutError, asyncio.CancelledError):
                    task.cancel()
                    await asyncio.gather(task, return_exceptions=True)
        self._watcher = self._refresher = None
        self._closing = False
        if self._stale.set in self.db.on_change:
            self.db.on_change.remove(self._stale.set)
        await self._unlisten()

    async def _watch(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), WATCH_INTERVAL_SECONDS)
            except TimeoutError:
                pass
            self._wake.clear()
            if self._closing:
                return
            try:
                await self.check_stored_generation()
            except Exception:
                log.exception("reading the cache generation failed; will retry")
                if self._listener is None and not self.db.is_sqlite:
                    await self._listen()

    async def _refresh_after_writes(self) -> None:
        """Read again what the busiest communities' events will ask for, as soon as a write made it stale,
        rather than when the next message arrives: a burst of chat then never finds the cache cold."""
        while True:
            await self._stale.wait()
            self._stale.clear()
            if self._closing:
                return
            try:
                # The freshest traffic first, should there be more than REFRESH_LIMIT.
                busy = sorted(self._busy, key=self._busy.__getitem__, reverse=True)[:REFRESH_LIMIT]
                for community_id in tuple(self._busy):
                    left = self._busy.pop(community_id) - 1
                    if left > 0:
                        self._busy[community_id] = left
                await self._load(facts_for=busy, asked=False)
            except Exception:
                log.exception("refreshing the context cache after a write failed; events will read what they need")

    async def check_stored_generation(self) -> None:
        stored = await self.db.stored_generation()
        if stored is not None and stored != self.db.stored_seen:
            # Another process wrote (our own commits are accounted for as they happen: Database.committed).
            self.db.stored_seen = stored
            self.db.bump_generation(None)

    async def _listen(self) -> None:
        """A dedicated asyncpg connection for NOTIFY; the poll above still runs in case it drops."""
        try:
            import asyncpg
            from sqlalchemy.engine import make_url

            url = make_url(self.db.url).set(drivername="postgresql")
            connection = await asyncpg.connect(url.render_as_string(hide_password=False))

            def _notified(*_args: object) -> None:
                # Our own writes notify too: let the watcher look at once and tell whose write it was.
                self._wake.set()

            await connection.add_listener(NOTIFY_CHANNEL, _notified)
            self._listener = connection
        except Exception as error:
            log.warning("could not LISTEN for cache changes (%s); polling every %.1f s instead", error,
                        WATCH_INTERVAL_SECONDS)
            self._listener = None

    async def _unlisten(self) -> None:
        connection, self._listener = self._listener, None
        if connection is not None:
            try:
                await connection.close()
            except Exception:
                log.debug("closing the LISTEN connection failed", exc_info=True)


async def _read_directory(tx: AsyncSession, generation: int) -> _Directory:
    rows = await tx.scalars(select(Community))
    views = [community_store.community_view(row) for row in rows]
    councillors = await tx.execute(
        select(Identity.platform, Identity.user_id, Councillor.id)
        .join(Councillor, Councillor.person_id == Identity.person_id).where(Councillor.removed_at.is_(None)))
    return _Directory(generation=generation, by_space={(v.platform, v.space_id): v for v in views},
                      by_id={v.id: v for v in views},
                      councillors={(platform, user_id): cid for platform, user_id, cid in councillors})


async def _read_facts(tx: AsyncSession, community_id: int) -> CommunityFacts | None:
    row = await tx.get(Community, community_id)
    if row is None:
        return None
    found = await session_store.sessions_in(tx, [community_id], ACCEPTING_STATES)
    live = [s for s in found if s.state in LIVE_STATES]
    current = live or found
    facilitators = await tx.execute(select(Facilitator.platform, Facilitator.user_id)
                                         .where(Facilitator.community_id == community_id))
    locks = await case_store.active_locks(tx, [community_id])
    return CommunityFacts(community=community_store.community_view(row), session=current[0] if current else None,
                          facilitators=frozenset((p, u) for p, u in facilitators),
                          policy=await policy_store.load(tx, community_id),
                          listening_on=bool(row.listening_enabled),
                          locks={lock.chat_id: lock for lock in sorted(locks, key=lambda case: case.number)
                                 if lock.chat_id})
