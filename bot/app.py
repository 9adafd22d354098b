"""The one place that wires every layer: storage, executor, dispatcher, timers, handlers and adapters."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence

from bot.actions import Action
from bot.adapter import Adapter
from bot.clock import Clock, SystemClock
from bot.commands import CommandRouter
from bot.context import Context, messages_for
from bot.dispatcher import Dispatcher
from bot.event_context import ContextCache
from bot.errors import ConfigurationError
from bot.events import (
    BotAddedToChat,
    BotRemovedFromChat,
    BotRightsChanged,
    ButtonPressed,
    ChatMigrated,
    CommandReceived,
    MessageReceived,
    TimerFired,
)
from bot.executor import Executor
from bot.handlers.consent import ACCEPTANCE_TIMER, ConsentHandlers
from bot.handlers.info import InfoHandlers
from bot.handlers.listening import ListeningHandlers
from bot.handlers.privacy import PrivacyHandlers
from bot.handlers.questions import QUESTION_TIMER, QuestionHandlers
from bot.handlers.sessions import SESSION_TIMER, SessionHandlers
from bot.handlers.staff import StaffHandlers
from bot.leader import ReceiverLease
from bot.moderation.feature import MODERATION_TIMER, ModerationFeature
from bot.privacy import MessageGate
from bot.refs import Platform
from bot.retention import RETENTION_TIMER, RetentionService
from bot.roles import RoleService
from bot.subjects import REPAINT_TIMER
from bot.storage.database import Database
from bot.timers import TimerService
from config.settings import Settings

log = logging.getLogger(__name__)

# How often an instance without the receiver lease checks whether it can take over.
STANDBY_INTERVAL_SECONDS = 15.0


def build_platform_adapters(settings: Settings, clock: Clock) -> list[Adapter]:
    """An adapter for every platform whose token is set."""
    adapters: list[Adapter] = []
    if "telegram" in settings.configured_platforms:
        from adapters.telegram.adapter import TelegramAdapter

        adapters.append(TelegramAdapter(settings.telegram, clock))
    if "discord" in settings.configured_platforms:
        from adapters.discord.adapter import DiscordAdapter

        adapters.append(DiscordAdapter(settings.discord, clock))
    return adapters


class App:
    def __init__(self, settings: Settings, *, adapters: Iterable[Adapter] = (), clock: Clock | None = None,
                 db: Database | None = None) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.db = db or Database(settings.database_url)
        self.adapters: dict[Platform, Adapter] = {adapter.platform: adapter for adapter in adapters}
        self._leases: list[ReceiverLease] = []
        self._standby: list[asyncio.Task[None]] = []
        self.standby_interval = STANDBY_INTERVAL_SECONDS
        self.cache = ContextCache(self.db)
        self.executor = Executor(self.db, self.adapters, self.clock)
        self.dispatcher = Dispatcher(self.db, self.executor, self.clock, cache=self.cache, deaf_by_default=True)
        self.privacy_gate = MessageGate(self.cache)
        self.retention = RetentionService(self.db, settings, self.clock)
        self.timers = TimerService(self.db, self.clock, self.dispatcher.dispatch)
        self.ctx = Context(settings=settings, clock=self.clock, db=self.db, cache=self.cache,
                           messages=messages_for(settings), adapters=self.adapters, timers=self.timers)
        self.roles = RoleService(self.ctx)
        self.router = CommandRouter(self.ctx, self.roles)
        self.consent = ConsentHandlers(self.ctx, self.router, self.roles)
        self._timer_kinds = {ACCEPTANCE_TIMER: self.consent.on_acceptance_timer}
        self.sessions = SessionHandlers(self.ctx, self.router)
        self.questions = QuestionHandlers(self.ctx, self.router)
        self._timer_kinds[SESSION_TIMER] = self.sessions.on_timer
        self._timer_kinds[QUESTION_TIMER] = self.questions.on_timer
        self.privacy = PrivacyHandlers(self.ctx, self.router)
        self.listening = ListeningHandlers(self.ctx, self.router, self.roles, self.privacy_gate)
        self._timer_kinds[RETENTION_TIMER] = self.retention.on_timer
        self._timer_kinds[REPAINT_TIMER] = self.privacy.on_repaint_timer
        self.moderation = ModerationFeature(self.ctx, self.router, self.roles, self.privacy_gate)
        self._timer_kinds[MODERATION_TIMER] = self.moderation.rules.on_timer
        self.sessions.close_hooks.append(self.moderation.rules.on_session_closing)
        self._wire()

    def _wire(self) -> None:
        InfoHandlers(self.ctx, self.router).register()
        self.consent.register()
        StaffHandlers(self.ctx, self.router).register()
        self.sessions.register()
        self.questions.register()
        on = self.dispatcher.on
        on(CommandReceived, self.router.handle)
        on(BotAddedToChat, self.consent.on_bot_added)
        on(BotRemovedFromChat, self.consent.on_bot_removed)
        on(BotRightsChanged, self.consent.on_rights_changed)
        on(ChatMigrated, self.consent.on_chat_migrated)
        on(TimerFired, self._on_timer)
        on(ButtonPressed, self.questions.on_button)
        self.privacy.register()
        self.listening.register()
        on(ButtonPressed, self.privacy.on_button)
        on(ButtonPressed, self.listening.on_button)
        # Ordinary chat only ever arrives through the privacy gate (the dispatcher refuses anything else).
        on(MessageReceived, self.listening.message_handler())
        # Policy, facilitator commands, reports and appeals; the rules read session chat through the gate.
        self.moderation.register(on)
        self.executor.on_bot_not_in_chat(self.consent.on_bot_not_in_chat)

    async def _on_timer(self, event: TimerFired) -> Sequence[Action]:
        handler = self._timer_kinds.get(event.kind)
        if handler is None:
            log.warning("no handler for timer kind %s (timer %s)", event.kind, event.timer_id)
            return []
        return await handler(event)

    async def prepare_database(self) -> None:
        """SQLite is created and migrated on first run; PostgreSQL is migrated by `surgerybot db upgrade`
        so that several processes sharing it never race to alter the schema."""
        if self.db.is_sqlite:
            await self.db.upgrade()
            return
        from bot.storage.migrate import head_revision

        current = await self.db.current_revision()
        if current != head_revision(self.db):
            raise ConfigurationError(
                f"The PostgreSQL schema is at {current or 'nothing'}, not the latest; run `surgerybot db upgrade`.")

    async def start(self, *, run_timers: bool = True) -> None:
        await self.prepare_database()
        await self.cache.start()
        for adapter in self.adapters.values():
            await self._start_adapter(adapter)
        await self.dispatcher.carry_out(await self.consent.recheck_rights())
        if run_timers:
            # The daily purge belongs to a running bot; tests that drive timers by hand schedule it themselves.
            await self.retention.ensure_scheduled()
            self.timers.start()

    async def _start_adapter(self, adapter: Adapter) -> None:
        """Start an adapter; one that allows a single receiver per token receives only while holding the lease."""
        if getattr(adapter, "single_receiver", False):
            lease = ReceiverLease(self.db, f"{adapter.platform}-receiver")
            self._leases.append(lease)
            adapter.receive_updates = await lease.try_acquire()  # type: ignore[attr-defined]
            if not adapter.receive_updates:  # type: ignore[attr-defined]
                log.info("another instance receives %s updates; this one sends and stands by", adapter.platform)
                self._standby.append(asyncio.create_task(self._stand_by(adapter, lease)))
        await adapter.start(self.dispatcher.dispatch)
        log.info("%s adapter started", adapter.platform)

    async def _stand_by(self, adapter: Adapter, lease: ReceiverLease) -> None:
        while True:
            await asyncio.sleep(self.standby_interval)
            try:
                if await lease.try_acquire():
                    adapter.receive_updates = True  # type: ignore[attr-defined]
                    await adapter.start_receiving()  # type: ignore[attr-defined]
                    log.info("this instance now receives %s updates", adapter.platform)
                    return
            except Exception:
                log.exception("taking over the %s receiver lease failed; will retry", adapter.platform)

    async def stop(self) -> None:
        for task in self._standby:
            task.cancel()
        await asyncio.gather(*self._standby, return_exceptions=True)
        self._standby.clear()
        await self.timers.stop()
        await self.cache.stop()
        for adapter in self.adapters.values():
            try:
                await adapter.stop()
            except Exception:
                log.exception("%s adapter did not stop cleanly", adapter.platform)
        for lease in self._leases:
            await lease.release()
        self._leases.clear()
        await self.db.dispose()
