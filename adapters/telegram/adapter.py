"""The Telegram adapter: python-telegram-bot's `Application` embedded in the caller's event loop, translating
updates into the core's events and the core's actions into Bot API calls."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Coroutine, Sequence
from datetime import datetime, timedelta
from typing import Any

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, \
    ChatPermissions, InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters, Update, \
    error as tg
from telegram.ext import Application, ExtBot

from adapters.telegram.menus import MENU_LANGUAGES, menus
from adapters.telegram.errors import platform_call
from adapters.telegram.memory import Bounded, Expiring
from adapters.telegram.ratelimit import SAFE_UNTIL, ModerationFirstRateLimiter
from adapters.telegram.receiving import Poller, WebhookReceiver
from adapters.telegram.redact import register_secret, unregister_secret
from adapters.plain_text import without_bidi_controls
from adapters.telegram.text import split_text, utf16_length
from adapters.telegram.translate import BotIdentity, chat_ref, member_info, translate_update
from bot.actions import Target
from bot.adapter import ChatFilter, EventSink, Unsharded, hears_everything
from bot.clock import Clock
from bot.errors import ActionRefused, ConfigurationError
from bot.events import ButtonPressed, CommandReceived, Event, MemberJoined, MemberLeft, MessageReceived
from bot.executor import LATE_BY
from bot.features import CommandSpec
from bot.health import ReceiverHealth
from bot.refs import Button, ChatRef, MessageRef, Platform, UserRef
from bot.rights import AdapterCapabilities, MemberInfo, MemberRights
from config.settings import TelegramMode, TelegramSettings

logger = logging.getLogger(__name__)

MEMBER_CACHE_TTL = timedelta(seconds=60)
DUPLICATE_JOIN_WINDOW = timedelta(seconds=60)
MAX_CAPTION_LENGTH = 1024
UNANSWERED_PRESS_GRACE_SECONDS = 8.0
BUTTONS_PER_ROW = 3


def file_base_url(settings: TelegramSettings) -> str:
    """The file twin of the API base: ".../bot" → ".../file/bot", as on api.telegram.org and the local server."""
    if settings.api_file_base_url:
        return settings.api_file_base_url
    base = settings.api_base_url
    return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base.rstrip("/") + "/file/bot"


class TelegramAdapter(Unsharded):
    platform = Platform.TELEGRAM
    # Telegram bots have no Bot API method for slow mode.
    capabilities = AdapterCapabilities(max_message_length=4096,
                                       min_mute_seconds=int(SAFE_UNTIL.total_seconds()),
                                       max_mute_seconds=366 * 86400, max_delete_age_seconds=48 * 3600,
                                       supports_slow_mode=False, supports_start_links=True)

    def __init__(self, settings: TelegramSettings, clock: Clock, *, messages_per_second: float = 30,
                 group_messages_per_minute: float = 20, max_retries: int = 2) -> None:
        if settings.token is None or not settings.token.get_secret_value():
            raise ConfigurationError("Setting SURGERYBOT_TELEGRAM__TOKEN is needed to run the Telegram adapter.")
        if settings.mode == TelegramMode.WEBHOOK and not (settings.webhook_url and settings.webhook_secret):
            raise ConfigurationError("Webhook mode needs SURGERYBOT_TELEGRAM__WEBHOOK_URL and "
                                     "SURGERYBOT_TELEGRAM__WEBHOOK_SECRET.")
        self.settings, self.clock = settings, clock
        self._limits = (messages_per_second, group_messages_per_minute, max(1, max_retries))
        self._app: Application | None = None
        self._receiver: Poller | WebhookReceiver | None = None
        self._sink: EventSink | None = None
        self._hears: ChatFilter = hears_everything
        self._identity = BotIdentity(0, settings.bot_username)
        self._members: Expiring[tuple[str, str], MemberInfo] = Expiring(MEMBER_CACHE_TTL)
        self._sent_at: Bounded[tuple[str, str], datetime] = Bounded(50_000)
        self._last_membership: Bounded[tuple[str, str], tuple[bool, datetime]] = Bounded(10_000)
        self._usernames: Bounded[str, int] = Bounded(50_000)
        self._answered: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._secret_registered = False
        self.unanswered_press_grace = UNANSWERED_PRESS_GRACE_SECONDS
        # False on an instance that does not hold the deployment's receiver lease: it sends, and stands by.
        self.receive_updates = True
        self.acknowledges_updates = True  # getUpdates redelivers until the offset moves past an update
        self._commands: tuple[CommandSpec, ...] = ()

    def _token(self) -> str:
        token = self.settings.token
        assert token is not None  # __init__ refuses to start without one
        return token.get_secret_value()

    @property
    def single_receiver(self) -> bool:
        """Telegram serves one getUpdates poller per token: several processes must not all poll."""
        return self.settings.mode == TelegramMode.POLLING

    # -- lifecycle -----------------------------------------------------------------------------------------

    @property
    def bot_username(self) -> str | None:
        return self._identity.username

    @property
    def bot_user_id(self) -> str | None:
        """The bot's own user id once started, so the core can refuse to moderate the bot itself."""
        return str(self._identity.id) if self._identity.id else None

    @property
    def _bot(self) -> ExtBot:
        if self._app is None:
            raise RuntimeError("the Telegram adapter has not been started")
        return self._app.bot

    async def start(self, sink: EventSink, hears: ChatFilter = hears_everything) -> None:
        token = self._token()
        per_second, per_group, retries = self._limits
        # Before the build: PTB's Bot logs its API URLs, token included, as it is constructed; httpx logs each request.
        register_secret(token)
        self._secret_registered = True
        try:
            self._app = (Application.builder().token(token).base_url(self.settings.api_base_url)
                         .base_file_url(file_base_url(self.settings))
                         .rate_limiter(ModerationFirstRateLimiter(self.clock, overall_max_rate=per_second,
                                                                  group_max_rate=per_group, max_retries=retries))
                         .updater(None).build())
            with platform_call():
                await self._app.initialize()  # getMe: checks the token and learns the bot's id
            self._identity = BotIdentity(self._bot.id, self.settings.bot_username or self._bot.username)
            self._sink, self._hears = sink, hears
            await self._set_commands()
            if self.receive_updates:
                await self.start_receiving()
        except BaseException:
            await self.stop()
            raise

    async def check(self) -> str:
        """For `surgerybot check`: getMe through the configured Bot API server, nothing else."""
        return f"reached the Bot API as @{await self.learn_username()}"

    async def learn_username(self) -> str:
        """The bot's @username, from getMe on the configured Bot API server (for `check` and invitation links)."""
        token = self._token()
        register_secret(token)
        try:
            bot = ExtBot(token, base_url=self.settings.api_base_url, base_file_url=file_base_url(self.settings))
            with platform_call():
                async with bot:
                    return bot.username
        finally:
            unregister_secret(token)

    async def start_receiving(self) -> None:
        """Begin polling (or serving the webhook); used at start, or later when this instance takes the lease."""
        if self._receiver is None:
            self._receiver = self._make_receiver()
            await self._receiver.start()

    def receiver_health(self) -> ReceiverHealth:
        if not self.receive_updates:
            return ReceiverHealth(True, "standing by: another instance holds the receiver lease")
        if self._receiver is None:
            return ReceiverHealth(False, "not receiving updates")
        return self._receiver.health()

    def _make_receiver(self) -> Poller | WebhookReceiver:
        if self.settings.mode == TelegramMode.WEBHOOK:
            secret = self.settings.webhook_secret  # __init__ refuses webhook mode without url and secret
            return WebhookReceiver(self._bot, self._dispatch, listen=self.settings.webhook_listen,
                                   port=self.settings.webhook_port, url=self.settings.webhook_url or "",
                                   secret=secret.get_secret_value() if secret else "")
        return Poller(self._bot, self._dispatch, self.settings.poll_timeout)

    def set_commands(self, commands: Sequence[CommandSpec]) -> None:
        self._commands = tuple(commands)

    async def _set_commands(self) -> None:
        """Menus are a convenience: failing to set them is logged, not fatal."""
        for language in (None, *MENU_LANGUAGES):  # None: the default menus, in English
            group, private = menus(self._commands, self.capabilities, language or "en")
            for commands, scope in ((group, BotCommandScopeAllGroupChats()),
                                    (private, BotCommandScopeAllPrivateChats())):
                try:
                    await self._bot.set_my_commands([BotCommand(name, text) for name, text in commands], scope=scope,
                                                    language_code=language)
                except tg.TelegramError as error:
                    logger.warning("setMyCommands for %s (%s) failed: %s", scope.type, language or "default", error)

    async def stop_receiving(self) -> None:
        if self._receiver is not None:
            await self._receiver.stop()
            self._receiver = None

    async def stop(self) -> None:
        await self.stop_receiving()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._app is not None:
            try:
                await self._app.shutdown()
            except (RuntimeError, tg.TelegramError) as error:  # never initialised, or the server went away
                logger.debug("Telegram shutdown: %s", error)
            self._app = None
        if self._secret_registered:
            unregister_secret(self._token())
            self._secret_registered = False
        self._sink = None

    # -- updates in --------------------------------------------------------------------------------------------

    async def _dispatch(self, update: Update) -> None:
        try:
            self._learn(update)
            events = translate_update(update, self._identity, self.clock.now())
        except Exception:
            # A bug met by one update's shape: retrying it would only fail for ever, so it is skipped.
            logger.exception("update %s could not be translated and was skipped", update.update_id)
            return
        for event in events:
            if self._is_repeat_membership(event):
                continue
            event = self._with_username_mentions(event, update)
            await self._deliver(event)
            if isinstance(event, ButtonPressed):
                if event.press_id in self._answered:
                    self._answered.discard(event.press_id)
                else:
                    self._spawn(self._answer_if_forgotten(event))

    async def _deliver(self, event: Event) -> None:
        """A failure here means the core could not accept the event (its claim was not committed: the database
        away, say). It is logged with ids, never text, and raised, so the update is not acknowledged and
        Telegram offers it again; the receiver keeps one such update from blocking the rest for ever."""
        if self._sink is None:
            return
        if isinstance(event, MessageReceived) and not self._hears(event.chat, event.chat_kind):
            return  # the bot is deaf in that chat now: no need to go through the core to learn it
        try:
            await self._sink(event)
        except Exception:
            chat = getattr(event, "chat", None) or getattr(event, "old_chat", None)
            sender = getattr(event, "sender", None)
            logger.warning("accepting %s %s failed (chat %s, user %s)", type(event).__name__, event.update_key,
                           chat, sender.user if sender else getattr(event, "user", None))
            raise

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer_if_forgotten(self, event: ButtonPressed) -> None:
        """Telegram shows a spinner until a press is answered (and stops accepting answers after about 15 s);
        if the core has not answered within the grace period, end the spinner quietly."""
        await asyncio.sleep(self.unanswered_press_grace)
        if event.press_id in self._answered:
            self._answered.discard(event.press_id)
            return
        try:
            await self.answer_button(event.chat, event.press_id)
        except Exception as error:  # the press may have expired; nothing a resident needs to see
            logger.info("answering button press %s failed: %s", event.press_id, error)
        self._answered.discard(event.press_id)

    def _learn(self, update: Update) -> None:
        """Remember what later calls need: when messages were sent, who has which @username, and stale members."""
        message = update.effective_message
        if message is not None and message.date is not None and message.date.year > 1970:
            self._sent_at.put((str(message.chat.id), str(message.message_id)), message.date)
        for user in (update.effective_user, *(message.new_chat_members if message else ())):
            if user is not None and user.username:
                self._usernames.put(user.username.lower(), user.id)
        change = update.chat_member or update.my_chat_member
        if change is not None:
            self._members.pop((str(change.chat.id), str(change.new_chat_member.user.id)))

    def _is_repeat_membership(self, event: Event) -> bool:
        """A join arrives both as a `new_chat_members` message and as a `chat_member` update; report it once."""
        if not isinstance(event, (MemberJoined, MemberLeft)):
            return False
        key, joined, now = (event.chat.id, event.user.id), isinstance(event, MemberJoined), event.occurred_at
        last = self._last_membership.get(key)
        self._last_membership.put(key, (joined, now))
        return last is not None and last[0] == joined and abs(now - last[1]) <= DUPLICATE_JOIN_WINDOW

    def _with_username_mentions(self, event: Event, update: Update) -> Event:
        """@username mentions name users the Bot API cannot look up; resolve the ones this bot has seen."""
        if not isinstance(event, CommandReceived) or update.effective_message is None:
            return event
        message = update.effective_message
        found = list(event.mentions)
        for entity, text in message.parse_entities(["mention"]).items():
            user_id = self._usernames.get(text.lstrip("@").lower())
            if user_id is not None and UserRef(Platform.TELEGRAM, str(user_id)) not in found:
                found.append(UserRef(Platform.TELEGRAM, str(user_id)))
        return dataclasses.replace(event, mentions=tuple(found)) if len(found) != len(event.mentions) else event

    # -- messages out --------------------------------------------------------------------------------------

    @staticmethod
    def _chat_id(target: Target) -> int:
        # A UserRef target is the private chat with that user, whose id on Telegram is the user's id.
        return int(target.id)

    def _remember_sent(self, message: Message) -> MessageRef:
        ref = MessageRef(chat_ref(message.chat.id), str(message.message_id))
        self._sent_at.put((ref.chat.id, ref.id), message.date)
        return ref

    async def send_message(self, target: Target, text: str, *, buttons: tuple[Button, ...] = (),
                           reply_to: MessageRef | None = None, answers: str | None = None) -> MessageRef:
        """Plain text: no parse_mode is sent, so nothing a resident typed can become markup or a link; bidi
        controls are removed (adapters/plain_text.py)."""
        chat_id = self._chat_id(target)
        parts = split_text(without_bidi_controls(text), self.capabilities.max_message_length)
        if not parts:
            raise ActionRefused("Telegram cannot send an empty message.")
        reply = (ReplyParameters(int(reply_to.id), allow_sending_without_reply=True)
                 if reply_to is not None and reply_to.chat.id == str(chat_id) else None)
        first: MessageRef | None = None
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            with platform_call():
                sent = await self._bot.send_message(chat_id, part,
                                                    reply_markup=_keyboard(buttons) if last else None,
                                                    reply_parameters=reply if index == 0 else None)
            ref = self._remember_sent(sent)
            first = first or ref
        assert first is not None
        return first

    async def edit_message(self, message: MessageRef, text: str, *, buttons: tuple[Button, ...] = ()) -> None:
        text = without_bidi_controls(text)
        if not text.strip() or utf16_length(text) > self.capabilities.max_message_length:
            raise ActionRefused("An edited Telegram message must have between 1 and 4,096 characters.")
        with platform_call():
            try:
                await self._bot.edit_message_text(text, chat_id=int(message.chat.id), message_id=int(message.id),
                                                  reply_markup=_keyboard(buttons))
            except tg.BadRequest as error:
                # Telegram refuses an edit that changes nothing; for the core that edit has succeeded.
                if "message is not modified" not in error.message.lower():
                    raise

    async def delete_message(self, message: MessageRef, *, sent_at: datetime | None = None,
                             reason: str = "") -> None:
        """Refused before the call when the message is known to be older than Telegram's 48 hours."""
        sent_at = sent_at or self._sent_at.get((message.chat.id, message.id))
        limit = self.capabilities.max_delete_age_seconds
        if sent_at is not None and limit and (self.clock.now() - sent_at).total_seconds() > limit:
            raise ActionRefused("Telegram does not let bots delete messages older than 48 hours.")
        with platform_call():
            await self._bot.delete_message(int(message.chat.id), int(message.id))

    async def pin_message(self, message: MessageRef) -> None:
        with platform_call():
            await self._bot.pin_chat_message(int(message.chat.id), int(message.id), disable_notification=True)

    async def send_file(self, target: Target, filename: str, content: bytes, *, caption: str = "") -> MessageRef:
        chat_id = self._chat_id(target)
        caption = without_bidi_controls(caption)
        fits = utf16_length(caption) <= MAX_CAPTION_LENGTH
        with platform_call():
            sent = await self._bot.send_document(chat_id, content, filename=filename,
                                                 caption=caption if caption and fits else None)
        ref = self._remember_sent(sent)
        if caption and not fits:
            await self.send_message(target, caption)
        return ref

    async def answer_button(self, chat: ChatRef, press_id: str, text: str = "") -> None:
        self._answered.add(press_id)
        with platform_call():
            await self._bot.answer_callback_query(press_id, text=without_bidi_controls(text) or None)

    # -- members -----------------------------------------------------------------------------------------------

    def _check_duration(self, until: datetime, what: str) -> None:
        """Telegram reads a restriction under 30 s or over 366 days as "forever"; refuse rather than be misread.
        The core checked the lower bound when it decided; here it may be a little late (`LATE_BY`), and the
        rate limiter widens an end that has come too close at the moment of each attempt."""
        seconds = (until - self.clock.now()).total_seconds()
        low, high = self.capabilities.min_mute_seconds or 0, self.capabilities.max_mute_seconds or float("inf")
        if not low - LATE_BY.total_seconds() <= seconds <= high:
            raise ActionRefused(f"On Telegram a {what} must last between 31 seconds and 366 days.")

    async def mute_member(self, chat: ChatRef, user: UserRef, until: datetime, *, reason: str = "") -> None:
        self._check_duration(until, "mute")
        self._members.pop((chat.id, user.id))
        with platform_call():
            await self._bot.restrict_chat_member(int(chat.id), int(user.id), ChatPermissions.no_permissions(),
                                                 until_date=until)

    async def unmute_member(self, chat: ChatRef, user: UserRef, *, reason: str = "") -> None:
        self._members.pop((chat.id, user.id))
        with platform_call():
            await self._bot.restrict_chat_member(int(chat.id), int(user.id), ChatPermissions.all_permissions())

    async def ban_member(self, chat: ChatRef, user: UserRef, until: datetime | None = None, *,
                         reason: str = "") -> None:
        if until is not None:
            self._check_duration(until, "ban")
        self._members.pop((chat.id, user.id))
        with platform_call():
            await self._bot.ban_chat_member(int(chat.id), int(user.id), until_date=until)

    async def unban_member(self, chat: ChatRef, user: UserRef, *, reason: str = "") -> None:
        # Without only_if_banned, unbanning someone who is in the chat removes them.
        self._members.pop((chat.id, user.id))
        with platform_call():
            await self._bot.unban_chat_member(int(chat.id), int(user.id), only_if_banned=True)

    async def kick_member(self, chat: ChatRef, user: UserRef, *, reason: str = "") -> None:
        """Telegram has no kick: ban (which removes), then lift the ban so they may rejoin."""
        await self.ban_member(chat, user)
        await self.unban_member(chat, user)

    async def set_slow_mode(self, chat: ChatRef, seconds: int, *, reason: str = "") -> None:
        raise ActionRefused("Telegram doesn't let bots set slow mode; a group admin can turn it on in the group's "
                            "settings")

    async def leave_chat(self, chat: ChatRef) -> None:
        with platform_call():
            await self._bot.leave_chat(int(chat.id))

    async def get_member(self, chat: ChatRef, user: UserRef) -> MemberInfo:
        key, now = (chat.id, user.id), self.clock.now()
        cached = self._members.get(key, now)
        if cached is not None:
            return cached
        with platform_call():
            member = await self._bot.get_chat_member(int(chat.id), int(user.id))
        info = member_info(member)
        self._members.put(key, info, now)
        return info

    async def get_bot_rights(self, chat: ChatRef) -> MemberRights:
        if int(chat.id) > 0:  # a private chat: there is nothing to moderate
            return MemberRights()
        member = await self.get_member(chat, UserRef(Platform.TELEGRAM, str(self._bot.id)))
        return member.rights


def _keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    keys = [InlineKeyboardButton(without_bidi_controls(button.label), callback_data=button.data) for button in buttons]
    return InlineKeyboardMarkup([keys[i:i + BUTTONS_PER_ROW] for i in range(0, len(keys), BUTTONS_PER_ROW)])
