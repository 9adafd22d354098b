"""Getting updates in: our own long-polling loop over `getUpdates`, or PTB's webhook server with its
secret-token check. Both hand each PTB `Update` to one callback, in order."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from urllib.parse import urlsplit

from telegram import Update, error as tg
from telegram.ext import ExtBot, Updater

from adapters.telegram.errors import platform_call
from adapters.telegram.translate import ALLOWED_UPDATES
from bot.tasks import finish_or_cancel

logger = logging.getLogger(__name__)

UpdateHandler = Callable[[Update], Awaitable[None]]
MAX_BACKOFF_SECONDS = 30.0


async def handle_safely(handle: UpdateHandler, update: Update) -> None:
    """A bug met by one update is logged and that update skipped; retrying it would only fail forever."""
    try:
        await handle(update)
    except Exception:
        logger.exception("update %s could not be handled and was skipped", update.update_id)


class Poller:
    """Long polling in the caller's event loop. The updates of a batch (at most 100) are handed to the core one
    after another, in Telegram's order: the core's sink returns once an update is decided and committed, its
    platform calls following in the background, so a slow chat holds back nobody while causality across chats
    (a councillor's `/link` in private, then their `/surgery schedule` in the group) is kept. A batch is
    acknowledged (the offset moves past it) only once all of it was accepted, so a crash redelivers it and the
    core's claim makes the retry a no-op. Fetching waits for the batch: that is the back-pressure on Telegram."""

    def __init__(self, bot: ExtBot, handle: UpdateHandler, timeout: int) -> None:
        self._bot, self._handle, self._timeout = bot, handle, timeout
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._fetching: asyncio.Task[object] | None = None

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
            if not updates:
                continue
            for update in updates:
                await handle_safely(self._handle, update)
            offset = updates[-1].update_id + 1
            if self._stopping:
                return


class WebhookReceiver:
    """PTB's webhook server (tornado): it sets the webhook with our allowed_updates and secret token and answers
    403 to any request without that token. We drain its queue ourselves, so no `Application.start()` is needed."""

    def __init__(self, bot: ExtBot, handle: UpdateHandler, *, listen: str, port: int, url: str,
                 secret: str) -> None:
        self._handle = handle
        self._listen, self._port, self._url, self._secret = listen, port, url, secret
        self._queue: asyncio.Queue[object] = asyncio.Queue()
        self._updater = Updater(bot=bot, update_queue=self._queue)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._updater.initialize()
        with platform_call():
            await self._updater.start_webhook(
                listen=self._listen, port=self._port, url_path=urlsplit(self._url).path.lstrip("/"),
                webhook_url=self._url, allowed_updates=list(ALLOWED_UPDATES), secret_token=self._secret,
                drop_pending_updates=False,
            )
        self._task = asyncio.create_task(self._run(), name="telegram-webhook")

    async def stop(self) -> None:
        if self._updater.running:
            await self._updater.stop()
        await self._updater.shutdown()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        while True:
            update = await self._queue.get()
            if isinstance(update, Update):
                await handle_safely(self._handle, update)
