"""The dispatcher: claims each update once, runs every handler registered for its type, isolates failures.

At-most-once: the update's key is inserted into `processed_updates` before any handler runs, so an update
redelivered after a crash (Telegram re-sends unconfirmed updates; Discord replays on resume) is skipped."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.actions import Action
from bot.clock import Clock
from bot.events import Event
from bot.executor import Executor
from bot.privacy import check_registration
from bot.storage.database import Database
from bot.storage.models import ProcessedUpdate

log = logging.getLogger(__name__)

Handler = Callable[[Any], Awaitable[Sequence[Action] | None]]


def _context(event: Event) -> str:
    """Chat and user ids for a log line: enough to find the trouble, never message text."""
    parts = []
    chat = getattr(event, "chat", None)
    if chat is not None:
        parts.append(f"chat={chat}")
    sender = getattr(event, "sender", None)
    if sender is not None:
        parts.append(f"user={sender.user.id}")
    return " ".join(parts)


async def _admits(handler: Handler, event: Event) -> bool:
    """A handler may say up front that it has nothing to do with an event (e.g. chat outside a session)."""
    admits = getattr(handler, "admits", None)
    return True if admits is None else bool(await admits(event))


class Dispatcher:
    def __init__(self, db: Database, executor: Executor, clock: Clock, *, deaf_by_default: bool = False) -> None:
        self.db = db
        self.executor = executor
        self.clock = clock
        # The App sets this: then ordinary chat reaches only handlers that came through the privacy gate.
        self.deaf_by_default = deaf_by_default
        self._handlers: dict[type[Event], list[Handler]] = defaultdict(list)

    def on(self, event_type: type[Event], handler: Handler) -> None:
        if self.deaf_by_default:
            check_registration(event_type, handler)
        self._handlers[event_type].append(handler)

    def handlers_for(self, event: Event) -> list[Handler]:
        return [h for cls in type(event).__mro__ if cls in self._handlers for h in self._handlers[cls]]

    async def claim(self, update_key: str) -> bool:
        """True the first time a key is seen; False for a redelivery."""
        try:
            async with self.db.unit_of_work() as session:
                session.add(ProcessedUpdate(key=update_key, processed_at=self.clock.now()))
        except IntegrityError:
            return False
        return True

    async def dispatch(self, event: Event) -> bool:
        """Process `event` once. Returns False when it was a redelivery and nothing was done."""
        handlers = [h for h in self.handlers_for(event) if await _admits(h, event)]
        if not handlers:
            return True
        if not await self.claim(event.update_key):
            log.info("skipping redelivered update %s %s", event.update_key, _context(event))
            return False
        for handler in handlers:
            name = getattr(handler, "__qualname__", repr(handler))
            try:
                actions = await handler(event)
            except Exception:
                # One failing handler must not stop the others, nor reach residents as an error message.
                log.exception("handler %s failed on %s %s %s", name, type(event).__name__, event.update_key,
                              _context(event))
                continue
            if actions:
                await self.executor.execute(actions)
        return True
