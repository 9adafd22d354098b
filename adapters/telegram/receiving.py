"""Getting updates in: our own long-polling loop over `getUpdates`, or PTB's webhook server with its
secret-token check. Both hand each PTB `Update` to one callback, and both acknowledge an update to Telegram only
once that callback returned, i.e. once the core committed its claim: an update Telegram was told we have is
never only in memory. An update whose callback fails is not acknowledged, so Telegram offers it again."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from http import HTTPStatus
from urllib.parse import urlsplit

import tornado.web
from telegram import Update, error as tg
from telegram.ext import ExtBot, Updater

from adapters.telegram.errors import platform_call
from adapters.telegram.translate import ALLOWED_UPDATES
from bot.health import ReceiverHealth
from bot.tasks import finish_or_cancel

logger = logging.getLogger(__name__)

UpdateHandler = Callable[[Update], Awaitable[None]]
MAX_BACKOFF_SECONDS = 30.0
# How often one update may fail to be accepted (the database away, say) before the poller gives up on it: a bug
# that fails the same update every time must not stop every later one for ever.
MAX_ATTEMPTS_PER_UPDATE = 5
# Webhook stop: how long requests already being accepted may take before the server closes under them.
WEBHOOK_DRAIN_SECONDS = 10.0
# A poller whose last successful getUpdates is older than this (beyond its long-poll timeout) is unhealthy.
POLL_SILENCE_SECONDS = 90.0


class Poller:
    """Long polling in the caller's event loop. The updates of a batch (at most 100) are handed to the core one
    after another, in Telegram's order: the core's sink returns once an update is decided and committed, its
    platform calls following in the background, so a slow chat holds back nobody while causality across chats
    (a councillor's `/link` in private, then their `/surgery schedule` in the group) is kept. A batch is
    acknowledged (the offset moves past it) only once all of it was accepted, so a crash redelivers it and the
    core's claim makes the retry a no-op. An update that could not be accepted (the database away) stops the batch
    there: it is fetched again after a back-off. Fetching waits for the batch: that is the back-pressure."""

    def __init__(self, bot: ExtBot, handle: UpdateHandler, timeout: int) -> None:
        self._bot, self._handle, self._timeout = bot, handle, timeout
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._fetching: asyncio.Task[object] | None = None
        self._failures: dict[int, int] = {}
        self._last_poll: float | None = None

    async def start(self) -> None:
        # getUpdates answers 409 while a webhook is set, e.g. after switching modes.
        with platform_call():
            await self._bot.delete_webhook(drop_pending_updates=False)
        self._task = asyncio.create_task(self._run(), name="telegram-poller")

    async def stop(self, grace: float = 10.0) -> None:
        """Stop after the update in hand: a long poll is cut short, but an update being handled finishes (so
        no transaction is cancelled half-way); cancel outright only past `grace` seconds."""
        if self._task is None:
            return
        self._stopping = True
        if self._fetching is not None:
            self._fetching.cancel()
        await finish_or_cancel(self._task, grace)
        self._task = None

    def health(self) -> ReceiverHealth:
        if self._task is None or self._task.done():
            return ReceiverHealth(False, "the polling loop is not running")
        if self._last_poll is None:
            return ReceiverHealth(True, "polling: waiting for the first answer")
        silent = asyncio.get_running_loop().time() - self._last_poll
        if silent > POLL_SILENCE_SECONDS + self._timeout:
            return ReceiverHealth(False, f"getUpdates has not succeeded for {silent:.0f} s")
        return ReceiverHealth(True, "polling")

    async def _run(self) -> None:
        offset: int | None = None
        backoff = 0.0
        while not self._stopping:
            try:
                self._fetching = asyncio.ensure_future(self._bot.get_updates(
                    offset=offset, timeout=self._timeout, allowed_updates=list(ALLOWED_UPDATES)))
                try:
                    updates = await self._fetching
                finally:
                    self._fetching = None
            except asyncio.CancelledError:
                if self._stopping:
                    return
                raise
            except tg.InvalidToken:
                logger.critical("Telegram rejected the bot token; polling stopped")
                return
            except tg.RetryAfter as error:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    wait = error.retry_after
                await asyncio.sleep(wait.total_seconds() if isinstance(wait, timedelta) else float(wait))
                continue
            except Exception as error:  # network trouble, 5xx, 409, or a batch PTB could not parse: keep polling
                backoff = min(max(backoff * 2, 0.5), MAX_BACKOFF_SECONDS)
                logger.warning("getUpdates failed (%s: %s); retrying in %.1f s", type(error).__name__, error,
                               backoff)
                await asyncio.sleep(backoff)
                continue
            backoff = 0.0
            self._last_poll = asyncio.get_running_loop().time()
            if not updates:
                continue
            for update in updates:
                if not await self._accept(update):
                    break  # not acknowledged: fetched again (from this update on) after a back-off
                offset = update.update_id + 1
            else:
                continue
            if self._stopping:
                return
            attempts = max(self._failures.values(), default=1)
            await asyncio.sleep(min(0.5 * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS))

    async def _accept(self, update: Update) -> bool:
        """Hand one update to the core. False when it could not be accepted and is worth fetching again."""
        try:
            await self._handle(update)
        except Exception:
            attempts = self._failures.get(update.update_id, 0) + 1
            self._failures = {update.update_id: attempts}  # only the update at the head of the line counts
            if attempts >= MAX_ATTEMPTS_PER_UPDATE:
                logger.exception("update %s could not be accepted %d times and was skipped", update.update_id,
                                 attempts)
                return True
            logger.warning("update %s could not be accepted (attempt %d); it will be fetched again",
                           update.update_id, attempts, exc_info=True)
            return False
        self._failures.pop(update.update_id, None)
        return True


class _HandOver(asyncio.Queue[object]):
    """The queue PTB's webhook handler puts each update into, made into a hand-over: `put` returns only once the
    core accepted the update (its claim committed), so the HTTP answer, 200, comes after that. A failure
    propagates, and tornado answers 500: Telegram keeps the update and posts it again later."""

    def __init__(self, handle: UpdateHandler) -> None:
        super().__init__()
        self._handle = handle
        self.in_flight: set[asyncio.Task[None]] = set()
        self.closed = False

    async def put(self, item: object) -> None:
        if self.closed:
            # Stopping: refuse rather than accept what may not be finished; Telegram retries elsewhere or later.
            raise ServiceUnavailable()
        if not isinstance(item, Update):
            return
        # A task of its own, so that a stop can wait for it even when the HTTP connection is torn down.
        task = asyncio.ensure_future(self._handle(item))
        self.in_flight.add(task)
        task.add_done_callback(self.in_flight.discard)
        await asyncio.shield(task)


class ServiceUnavailable(tornado.web.HTTPError):
    def __init__(self) -> None:
        super().__init__(HTTPStatus.SERVICE_UNAVAILABLE, reason="Stopping")


class WebhookReceiver:
    """PTB's webhook server (tornado): it sets the webhook with our allowed_updates and secret token and answers
    403 to any request without that token. Its queue is a hand-over (`_HandOver`): each request is answered once
    the core accepted its update, so there is no backlog in memory and nothing acknowledged is lost at a stop;
    Telegram's own limit of concurrent webhook connections is the back-pressure."""

    def __init__(self, bot: ExtBot, handle: UpdateHandler, *, listen: str, port: int, url: str,
                 secret: str) -> None:
        self._listen, self._port, self._url, self._secret = listen, port, url, secret
        self._queue = _HandOver(handle)
        self._updater = Updater(bot=bot, update_queue=self._queue)

    async def start(self) -> None:
        await self._updater.initialize()
        with platform_call():
            await self._updater.start_webhook(
                listen=self._listen, port=self._port, url_path=urlsplit(self._url).path.lstrip("/"),
                webhook_url=self._url, allowed_updates=list(ALLOWED_UPDATES), secret_token=self._secret,
                drop_pending_updates=False,
            )

    def health(self) -> ReceiverHealth:
        if self._queue.closed or not self._updater.running:
            return ReceiverHealth(False, "the webhook server is not running")
        return ReceiverHealth(True, "webhook server running")

    async def stop(self, grace: float = WEBHOOK_DRAIN_SECONDS) -> None:
        """New requests are refused (503, so Telegram posts them again); those being accepted finish first."""
        self._queue.closed = True
        if self._queue.in_flight:
            _, late = await asyncio.wait(set(self._queue.in_flight), timeout=grace)
            for task in late:
                task.cancel()
            if late:
                logger.warning("stopped with %d webhook updates not accepted; Telegram will post them again",
                               len(late))
                await asyncio.gather(*late, return_exceptions=True)
        if self._updater.running:
            await self._updater.stop()
        await self._updater.shutdown()
