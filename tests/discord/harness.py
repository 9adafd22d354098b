"""A started DiscordAdapter wired to a FakeDiscord with one server: an owner, an admin above the bot's role, a
plain member, and the bot already in it. Satisfies the shared `ContractHarness`. Also `app_on_fake_discord`, the
whole bot on a DiscordAdapter pointed at a FakeDiscord, for the tests that run the App."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from adapters.discord import DiscordAdapter
from bot.actions import Target
from bot.app import App
from bot.clock import Clock, SystemClock
from bot.events import Event
from bot.refs import ChatRef, MessageRef, Platform, UserRef
from config.settings import DiscordSettings, Settings
from tests.declared import declared_commands
from tests.discord.fake_discord import BAN_MEMBERS, KICK_MEMBERS, MANAGE_GUILD, MANAGE_MESSAGES, FakeDiscord

EVENT_DEADLINE = 5.0


def fast_adapter(settings: DiscordSettings, clock: Clock) -> DiscordAdapter:
    """The fake answers at once, so there is no point waiting the real gateway's time for guilds to arrive."""
    return DiscordAdapter(settings, clock, start_timeout=10.0, guild_ready_timeout=0.1)


def app_on_fake_discord(fake: FakeDiscord, database: Path, clock: Clock) -> App:
    """The whole bot, not yet started, on a DiscordAdapter pointed at `fake`, storing in the SQLite file `database`."""
    settings = Settings(database_url=f"sqlite+aiosqlite:///{database}", _env_file=None,
                        discord=DiscordSettings(token=fake.token, api_base_url=fake.api_base_url))
    return App(settings, adapters=[fast_adapter(settings.discord, clock)], clock=clock)


class DiscordHarness:
    def __init__(self, fake: FakeDiscord, **settings: object) -> None:
        self.fake = fake
        self.clock = SystemClock()
        self.owner_user = fake.add_user("Olu")
        self.admin_user = fake.add_user("Ada")
        self.member_user = fake.add_user("Mo")
        self.guild = fake.add_guild("Riverside Residents", self.owner_user)
        admins = fake.add_role(self.guild, "Admins", 3, MANAGE_GUILD | KICK_MEMBERS | BAN_MEMBERS | MANAGE_MESSAGES)
        fake.add_member(self.guild, self.admin_user, admins)
        fake.add_member(self.guild, self.member_user)
        fake.place_bot(self.guild)
        self.channel = fake.channels[self.guild.channels[0]]
        self.group = ChatRef(Platform.DISCORD, self.channel.id, self.guild.id)
        self.owner = UserRef(Platform.DISCORD, self.owner_user.id)
        self.admin = UserRef(Platform.DISCORD, self.admin_user.id)
        self.member = UserRef(Platform.DISCORD, self.member_user.id)
        self.received: list[Event] = []
        # Plays the core's part when a test needs it: runs inside the sink, as the dispatcher would.
        self.on_event: Callable[[Event], Awaitable[None]] | None = None
        self._arrived = asyncio.Condition()
        self.settings = DiscordSettings(token=fake.token, api_base_url=fake.api_base_url, **settings)
        self.adapter = self.new_adapter()

    def new_adapter(self) -> DiscordAdapter:
        adapter = fast_adapter(self.settings, self.clock)
        adapter.set_commands(declared_commands())
        return adapter

    async def sink(self, event: Event) -> None:
        if self.on_event is not None:
            await self.on_event(event)
        async with self._arrived:
            self.received.append(event)
            self._arrived.notify_all()

    async def wait_for(self, predicate: Callable[[Event], bool], timeout: float = EVENT_DEADLINE) -> Event:
        async def arrived() -> Event:
            async with self._arrived:
                while True:
                    for event in self.received:
                        if predicate(event):
                            return event
                    await self._arrived.wait()
        return await asyncio.wait_for(arrived(), timeout)

    def now(self) -> datetime:
        return self.clock.now()

    async def user_sends(self, user: UserRef, chat: ChatRef, text: str) -> Event:
        author, channel = self.fake.users[user.id], self.fake.channels[chat.id]
        if text.startswith("/"):
            interaction = await self.fake.invoke(author, channel, text)
            key = f"discord:interaction:{interaction.id}"
        else:
            message = await self.fake.user_posts(author, channel, text)
            key = f"discord:msg:{message.id}"
        return await self.wait_for(lambda event: event.update_key == key)

    async def press_button(self, user: UserRef, message: MessageRef, data: str) -> Event:
        interaction = await self.fake.press(self.fake.users[user.id], self.fake.messages[message.id], data)
        return await self.wait_for(lambda event: event.update_key == f"discord:interaction:{interaction.id}")

    def _channel_id(self, target: Target) -> str | None:
        if isinstance(target, UserRef):
            channel = self.fake.dm_channel(target.id)
            return channel.id if channel else None
        return target.id

    def texts_in(self, target: Target) -> list[str]:
        channel_id = self._channel_id(target)
        return self.fake.bot_texts(channel_id) if channel_id else []

    def files_in(self, target: Target) -> list[str]:
        channel_id = self._channel_id(target)
        return [name for m in self.fake.messages.values() if m.channel_id == channel_id and not m.deleted
                for name in m.filenames]

    def is_pinned(self, message: MessageRef) -> bool:
        return self.fake.messages[message.id].pinned

    def is_muted(self, chat: ChatRef, user: UserRef) -> bool:
        member = self.fake.guilds[chat.space].members.get(user.id)
        until = member.timeout_until if member else None
        return until is not None and datetime.fromisoformat(until) > datetime.now(UTC)

    def is_member(self, chat: ChatRef, user: UserRef) -> bool:
        return user.id in self.fake.guilds[chat.space].members

    def bot_is_member(self, chat: ChatRef) -> bool:
        return self.fake.bot.id in self.fake.guilds[chat.space].members
