"""The one place that wires every layer: storage, executor, dispatcher, timers, handlers and adapters."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from bot.actions import Action, AnswerButton
from bot.adapter import Adapter
from bot.clock import Clock, SystemClock
from bot.code_attempts import CodeAttempts
from bot.command_router import CommandRouter
from bot.context import Context, messages_for
from bot.dispatcher import Dispatcher
from bot.event_context import ContextCache
from bot.errors import ConfigurationError
from bot.events import ButtonPressed, CommandReceived, TimerFired
from bot.executor import Executor
from bot.features import ButtonRoute, CommandSpec, Feature, TimerRoute
from bot.handlers.consent import ConsentHandlers
from bot.handlers.elections import ElectionHandlers
from bot.handlers.info import InfoHandlers
from bot.handlers.languages import LanguageHandlers
from bot.handlers.listening import ListeningHandlers
from bot.handlers.subject_rights import PrivacyHandlers
from bot.handlers.casework import CaseworkFollowUp
from bot.handlers.joint_sessions import JointSessions
from bot.handlers.private_answers import PrivateAnswers
from bot.handlers.questions import QuestionHandlers
from bot.handlers.sessions import SessionHandlers
from bot.handlers.staff import StaffHandlers
from bot import garbage, language_id
from bot.health import HealthReport, ReceiverHealth, write_report
from bot.handlers.question_posts import POST_TAG, remember_redriven_post
from bot.leader import ReceiverLease
from bot.localise import Localiser
from bot.moderation.feature import ModerationFeature
from bot.message_gate import MessageGate
from bot.outbox import Outbox
from bot.reader_language import ReaderLanguages
from bot.refs import Platform
from bot.retention import RetentionService
from bot.roles import RoleService
from bot.storage.database import Database, Redelivered
from bot.timers import TimerService
from config.settings import Settings

log = logging.getLogger(__name__)

# How often an instance without the receiver lease checks whether it can take over.
STANDBY_INTERVAL_SECONDS = 15.0
# How often the health file is written, and how long the database may take to answer its check.
HEALTH_INTERVAL_SECONDS = 5.0
DATABASE_CHECK_SECONDS = 5.0


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


def discord_install_permissions() -> int:
    """What the Discord adapter says the product uses, as the install URL's permissions integer."""
    from adapters.discord.rights import install_permissions

    return install_permissions()


async def learn_telegram_username(settings: Settings, clock: Clock) -> str:
    """The bot's @username from Telegram (getMe), for invitation links when no username is configured."""
    from adapters.telegram.adapter import TelegramAdapter

    return await TelegramAdapter(settings.telegram, clock).learn_username()


class App:
    def __init__(self, settings: Settings, *, adapters: Iterable[Adapter] = (), clock: Clock | None = None,
                 db: Database | None = None) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.db = db or Database(settings.database_url)
        self.adapters: dict[Platform, Adapter] = {adapter.platform: adapter for adapter in adapters}
        self._leases: list[ReceiverLease] = []
        self._garbage_settled = False
        self._language_model: asyncio.Future[None] | None = None
        self._standby: list[asyncio.Task[None]] = []
        self.standby_interval = STANDBY_INTERVAL_SECONDS
        self.health_interval = HEALTH_INTERVAL_SECONDS
        self._health_task: asyncio.Task[None] | None = None
        self._timers_running = False
        self.cache = ContextCache(self.db)
        self.executor = Executor(self.db, self.adapters, self.clock)
        self.outbox = Outbox(self.db, self.executor, self.clock)
        self.dispatcher = Dispatcher(self.db, self.executor, self.clock, cache=self.cache, deaf_by_default=True)
        self.privacy_gate = MessageGate(self.cache)
        self.retention = RetentionService(self.db, settings, self.clock)
        self.timers = TimerService(self.db, self.clock, self.dispatcher.dispatch)
        self.ctx = Context(settings=settings, clock=self.clock, db=self.db, cache=self.cache,
                           messages=messages_for(settings), adapters=self.adapters, timers=self.timers)
        readers = ReaderLanguages(self.ctx)
        self.dispatcher.language_of = readers.of
        self.localiser = Localiser(self.ctx, readers)
        self.dispatcher.localise = self.localiser.steps
        self.roles = RoleService(self.ctx)
        self.router = CommandRouter(self.ctx, self.roles)
        # Wrong invitation and /link codes, counted per person and per chat (LimitSettings).
        self.code_attempts = CodeAttempts(settings.limits, self.clock)
        self.consent = ConsentHandlers(self.ctx, self.router, self.roles, self.code_attempts)
        self.elections = ElectionHandlers(self.ctx)
        self.sessions = SessionHandlers(self.ctx, self.router, self.elections)
        self.questions = QuestionHandlers(self.ctx, self.router)
        self.privacy = PrivacyHandlers(self.ctx, self.router)
        self.listening = ListeningHandlers(self.ctx, self.router, self.roles, self.privacy_gate)
        self.moderation = ModerationFeature(self.ctx, self.router, self.roles, self.privacy_gate)
        self.sessions.close_hooks.append(self.moderation.rules.on_session_closing)
        # Every feature's commands, buttons, timers and event handlers, declared by the feature itself.
        self.features: tuple[Feature, ...] = (
            InfoHandlers(self.ctx, self.router).feature(),
            self.consent.feature(),
            StaffHandlers(self.ctx, self.router, self.code_attempts).feature(),
            LanguageHandlers(self.ctx, self.router).feature(),
            self.sessions.feature(),
            JointSessions(self.ctx, self.sessions).feature(),
            self.elections.feature(),
            self.questions.feature(),
            PrivateAnswers(self.ctx).feature(),
            CaseworkFollowUp(self.ctx).feature(),
            self.privacy.feature(),
            self.listening.feature(),
            self.moderation.feature(),
            self.retention.feature(),
        )
        self.commands: tuple[CommandSpec, ...] = tuple(spec for f in self.features for spec in f.commands)
        self._buttons: list[ButtonRoute] = []
        self._timers: dict[str, TimerRoute[Any]] = {}
        self._wire()

    def _wire(self) -> None:
        on = self.dispatcher.on
        on(CommandReceived, self.router.handle)
        on(TimerFired, self._on_timer)
        on(ButtonPressed, self._on_button)
        for feature in self.features:
            for spec in feature.commands:
                if spec.name in self.router.specs:
                    raise ConfigurationError(f"/{spec.name} is declared twice ({feature.name})")
                self.router.add(spec)
            for button in feature.buttons:
                clash = next((b for b in self._buttons if b.prefix.startswith(button.prefix)
                              or button.prefix.startswith(b.prefix)), None)
                if clash is not None:
                    raise ConfigurationError(f"button prefix {button.prefix!r} ({feature.name}) overlaps "
                                             f"{clash.prefix!r}")
                self._buttons.append(button)
            for timer in feature.timers:
                if timer.kind.name in self._timers:
                    raise ConfigurationError(f"timer kind {timer.kind.name!r} is declared twice ({feature.name})")
                self._timers[timer.kind.name] = timer
            for route in feature.events:
                on(route.event_type, route.handler)
        self.executor.on_bot_not_in_chat(self.consent.on_bot_not_in_chat)
        self.executor.on_chat_migrated(self.consent.follow_migration)
        self.outbox.on_redriven(POST_TAG, partial(remember_redriven_post, self.ctx))
        for adapter in self.adapters.values():
            adapter.set_commands(self.commands)

    async def _on_button(self, event: ButtonPressed) -> Sequence[Action]:
        route = next((b for b in self._buttons if event.data.startswith(b.prefix)), None)
        if route is None:
            log.info("no feature owns button data %r %s", event.data[:40], event.chat)
            return []
        try:
            return await route.handler(event)
        except Redelivered:
            raise
        except Exception:
            # As for commands (bot/command_router.py): the presser hears that it failed, staff get the detail.
            log.exception("button %r failed for user=%s chat=%s (update %s)", event.data.partition(":")[0],
                          event.sender.user.id, event.chat, event.update_key)
            return [AnswerButton(chat=event.chat, press_id=event.press_id, text=self.ctx.messages("button_failed"),
                                 reason="button")]

    async def _on_timer(self, event: TimerFired) -> Sequence[Action]:
        route = self._timers.get(event.kind)
        if route is None:
            log.warning("no handler for timer kind %s (timer %s)", event.kind, event.timer_id)
            return []
        try:
            payload = route.kind.decode(event.payload)
        except (KeyError, TypeError, ValueError) as error:
            log.warning("timer %s (%s) has an unreadable payload: %s", event.timer_id, event.kind, error)
            return []
        return await route.handler(event, payload)

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
        # The Welsh identifier's model loads in a thread meanwhile (bot/language_id.py).
        self._language_model = asyncio.ensure_future(language_id.load())
        await self.prepare_database()
        await self.cache.start()
        await self.outbox.start()  # from here on what events decide is in the outbox until attempted
        for adapter in self.adapters.values():
            await self._start_adapter(adapter)
        # What an instance killed after committing left unsent (an /ask stored, its post never made).
        try:
            await self.outbox.recover()
        except Exception:
            log.exception("carrying out what a stopped instance left in the outbox failed; the bot goes on")
        await self.dispatcher.carry_out(await self.localiser.steps(None, await self.consent.recheck_rights()))
        if run_timers:
            # The daily purge belongs to a running bot; tests that drive timers by hand schedule it themselves.
            await self.retention.ensure_scheduled()
            self.timers.start()
            self._timers_running = True
        if self.settings.health_file is not None:
            self._health_task = asyncio.create_task(self._write_health(self.settings.health_file),
                                                    name="surgerybot-health")
        garbage.settle_after_start()
        self._garbage_settled = True

    async def health(self) -> HealthReport:
        """Each adapter's receiver, the database, and the timer loop, as a supervisor should see them."""
        parts = {f"{platform}": adapter.receiver_health() for platform, adapter in self.adapters.items()}
        try:
            await asyncio.wait_for(self.db.ping(), DATABASE_CHECK_SECONDS)
            parts["database"] = ReceiverHealth(True, "answering")
        except Exception as error:
            parts["database"] = ReceiverHealth(False, f"{type(error).__name__}: {error}"[:200])
        if self._timers_running:
            parts["timers"] = self.timers.health()
        return HealthReport(self.clock.now(), parts)

    async def _write_health(self, path: Path) -> None:
        while True:
            try:
                write_report(path, await self.health())
            except Exception:
                log.exception("writing the health file %s failed", path)
            await asyncio.sleep(self.health_interval)

    async def _start_adapter(self, adapter: Adapter) -> None:
        """Start an adapter; one that allows a single receiver per token receives only while holding the lease."""
        if adapter.single_receiver:
            lease = ReceiverLease(self.db, f"{adapter.platform}-receiver")
            lease.on_lost = partial(self._lease_lost, adapter, lease)
            self._leases.append(lease)
            adapter.receive_updates = await lease.try_acquire()
            if not adapter.receive_updates:
                log.info("another instance receives %s updates; this one sends and stands by", adapter.platform)
                self._standby.append(asyncio.create_task(self._stand_by(adapter, lease)))
        elif adapter.shards_per_instance is not None:
            await self._claim_shards(adapter)
        await adapter.start(self.dispatcher.accept if adapter.acknowledges_updates else self.dispatcher.dispatch,
                            self.privacy_gate.hears)
        log.info("%s adapter started", adapter.platform)

    async def _claim_shards(self, adapter: Adapter) -> None:
        """Several instances split a sharded platform (Discord): each claims up to `shards_per_instance` free
        shards, one lease each, and receives only their events. One that finds none free sends only, and stands
        by to claim the shards of an instance that stops."""
        count = await adapter.advised_shard_count()
        if not count:
            return
        claimed = await self._take_free_shards(adapter, count)
        adapter.receive_shards(claimed, count)
        adapter.receive_updates = bool(claimed)
        if claimed:
            log.info("this instance receives %s shards %s of %d", adapter.platform, claimed, count)
        else:
            log.info("other instances receive every %s shard; this one sends and stands by", adapter.platform)
            self._standby.append(asyncio.create_task(self._stand_by_for_shards(adapter, count)))

    async def _take_free_shards(self, adapter: Adapter, count: int) -> list[int]:
        limit = adapter.shards_per_instance or count
        claimed: list[int] = []
        for shard in range(count):
            if len(claimed) >= limit:
                break
            lease = ReceiverLease(self.db, f"{adapter.platform}-shard-{shard}-of-{count}")
            if await lease.try_acquire():
                lease.on_lost = partial(self._shard_lost, adapter, shard)
                self._leases.append(lease)
                claimed.append(shard)
        return claimed

    async def _stand_by_for_shards(self, adapter: Adapter, count: int) -> None:
        while True:
            await asyncio.sleep(self.standby_interval)
            try:
                claimed = await self._take_free_shards(adapter, count)
                if claimed:
                    adapter.receive_shards(claimed, count)
                    adapter.receive_updates = True
                    await adapter.start_receiving()
                    log.info("this instance now receives %s shards %s of %d", adapter.platform, claimed, count)
                    return
            except Exception:
                log.exception("claiming %s shards failed; will retry", adapter.platform)

    async def _shard_lost(self, adapter: Adapter, shard: int) -> None:
        """Another instance may already have claimed the shard: stop acting on what this one receives."""
        log.critical("this instance lost its claim on %s shard %d; it stops handling the events it receives "
                     "(restart it to claim shards again)", adapter.platform, shard)
        adapter.receive_updates = False
        await adapter.stop_receiving()

    async def _lease_lost(self, adapter: Adapter, lease: ReceiverLease) -> None:
        """Another instance may hold the lease already: stop receiving at once, then stand by like any other."""
        adapter.receive_updates = False
        await adapter.stop_receiving()
        self._standby = [task for task in self._standby if not task.done()]
        self._standby.append(asyncio.create_task(self._stand_by(adapter, lease)))

    async def _stand_by(self, adapter: Adapter, lease: ReceiverLease) -> None:
        while True:
            await asyncio.sleep(self.standby_interval)
            try:
                if await lease.try_acquire():
                    adapter.receive_updates = True
                    await adapter.start_receiving()
                    log.info("this instance now receives %s updates", adapter.platform)
                    return
            except Exception:
                log.exception("taking over the %s receiver lease failed; will retry", adapter.platform)

    async def stop(self) -> None:
        if self._health_task is not None:
            self._health_task.cancel()
            await asyncio.gather(self._health_task, return_exceptions=True)
            self._health_task = None
            if self.settings.health_file is not None:
                # A stopped bot is not a healthy one: `surgerybot health` then says it is not running.
                self.settings.health_file.unlink(missing_ok=True)
        for lease in self._leases:
            lease.on_lost = None  # stopping anyway: nothing to stand by for
        if self._language_model is not None:
            await asyncio.gather(self._language_model, return_exceptions=True)
        for task in self._standby:
            task.cancel()
        await asyncio.gather(*self._standby, return_exceptions=True)
        self._standby.clear()
        await self.timers.stop()
        self._timers_running = False
        # Take no more updates, let what was accepted reach the platforms, then disconnect.
        for adapter in self.adapters.values():
            try:
                await adapter.stop_receiving()
            except Exception:
                log.exception("%s adapter did not stop receiving cleanly", adapter.platform)
        await self.dispatcher.drain()
        await self.roles.stop()
        if self._garbage_settled:
            garbage.release_at_stop()
            self._garbage_settled = False
        await self.cache.stop()
        for adapter in self.adapters.values():
            try:
                await adapter.stop()
            except Exception:
                log.exception("%s adapter did not stop cleanly", adapter.platform)
        for lease in self._leases:
            await lease.release()
        self._leases.clear()
        await self.outbox.stop()
        await self.db.dispose()
