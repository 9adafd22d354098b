"""A scenario harness: the real App on the local adapter, a real SQLite file and a fake clock.

    async with Scenario(tmp_path) as s:
        await s.invite_and_join()            # an active community "Riverside Residents"
        await s.say(s.mo, s.riverside, "/about")
        assert "surgery assistant" in s.last_text(s.riverside)
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.local import LocalAdapter, LocalWorld
from adapters.local.world import LocalChat, LocalMessage, LocalUser
from bot.app import App
from tests.clock import FakeClock
from bot.events import Event
from bot.operator import Operator
from bot.rights import MemberRights
from bot.storage.database import Database
from config.settings import Settings


class Scenario:
    def __init__(self, tmp_path: Path, *, database_url: str | None = None, clock: FakeClock | None = None,
                 world: LocalWorld | None = None, **settings: object) -> None:
        self.database_url = database_url or f"sqlite+aiosqlite:///{tmp_path / 'scenario.db'}"
        self.settings = Settings(database_url=self.database_url, _env_file=None, **settings)
        self.clock = clock or FakeClock()
        self.world = world or LocalWorld()
        self.adapter = LocalAdapter(self.world, self.clock)
        self.app = App(self.settings, adapters=[self.adapter], clock=self.clock)
        self.operator = Operator(self.app.db, self.settings, self.clock)
        if world is None:
            self._populate()

    def _populate(self) -> None:
        w = self.world
        self.olu = w.add_user("Olu")  # owner
        self.ada = w.add_user("Ada")  # admin
        self.mo = w.add_user("Mo")  # resident
        self.priya = w.add_user("Priya")  # resident
        self.jane = w.add_user("Jane")  # councillor
        self.riverside = w.add_group("Riverside Residents", owner=self.olu, admins=(self.ada,),
                                     members=(self.mo, self.priya, self.jane))

    @property
    def db(self) -> Database:
        return self.app.db

    @property
    def database_file(self) -> Path:
        """The SQLite file, for tests that read what was stored without going through the bot."""
        return Path(self.database_url.removeprefix("sqlite+aiosqlite:///"))

    async def __aenter__(self) -> Scenario:
        if not self.db.is_sqlite:
            await self.db.upgrade()  # PostgreSQL is migrated by the operator (`surgerybot db upgrade`), not on start
        await self.app.start(run_timers=False)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.app.stop()

    # -- people acting --------------------------------------------------------------------------------------

    async def say(self, user: LocalUser, chat: LocalChat, text: str, *, reply_to: LocalMessage | None = None) -> Event:
        return await self.adapter.user_sends(user, chat, text, reply_to=reply_to)

    async def dm(self, user: LocalUser, text: str) -> Event:
        return await self.adapter.user_sends(user, self.world.private_chat(user.id), text)

    async def advance(self, delta: timedelta) -> int:
        """Move time on and fire due timers exactly as the running timer loop would."""
        self.clock.advance(delta)
        return await self.app.timers.run_due()

    async def invite_and_join(self, chat: LocalChat | None = None, *, by: LocalUser | None = None,
                              rights: MemberRights | None = None, name: str | None = None) -> str:
        """Operator invites, an admin adds the bot and accepts: the community is active. Returns the code."""
        chat = chat or self.riverside
        by = by or self.ada
        created = await self.operator.create_invitation(name or chat.title, "local", None)
        await self.adapter.add_bot(chat, by=by, rights=rights or MemberRights.all())
        await self.say(by, chat, f"/surgery accept {created.code}")
        return created.code

    async def link_councillor(self, user: LocalUser, name: str = "Cllr Jane Smith") -> int:
        created = await self.operator.add_councillor(name, "Riverside")
        await self.dm(user, f"/link {created['link_code']}")
        return created["id"]

    # -- what happened ----------------------------------------------------------------------------------------

    def texts(self, chat: LocalChat | LocalUser) -> list[str]:
        chat_id = chat.id
        target = self.world.chats.get(chat_id)
        if target is None:
            return []
        return [m.text for m in target.messages if m.sender_id == "1000" and not m.deleted]

    def last_text(self, chat: LocalChat | LocalUser) -> str:
        texts = self.texts(chat)
        return texts[-1] if texts else ""

    def calls(self, method: str, chat: LocalChat | None = None) -> list:
        return [c for c in self.world.calls_named(method) if chat is None or c.chat_id == chat.id]


def point_cli_at(monkeypatch: pytest.MonkeyPatch, directory: Path, database_url: str) -> None:
    """Run `surgerybot` in-process on this database only: no SURGERYBOT_ variable from the caller's shell and no
    .env file from the working directory can reach it."""
    for name in list(os.environ):
        if name.startswith("SURGERYBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(directory)
    monkeypatch.setenv("SURGERYBOT_DATABASE_URL", database_url)
