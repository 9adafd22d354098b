"""The dispatcher: how one event flows through the core.

    event ─► its chat's lane (events of one chat in order; other chats go on meanwhile)
          ─► context: the community's facts from the cache (at most one read; none for a chat that isn't one)
          ─► the handlers that admit it ─► one write: the at-most-once claim, the handlers' writes and the
             pending audit rows of the actions they return, in one transaction
          ─► the executor carries the actions out; `FollowUp`s get their results back and may act again

An event no handler admits, or one whose handlers neither write nor act (ordinary chat that breaks no rule),
writes nothing and claims nothing: a redelivered copy of it is just as harmless. One that does write or act
is claimed in the same transaction, so a redelivery after a crash finds the claim and does nothing twice."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncio

from bot.actions import Action, FollowUp, Step
from bot.clock import Clock
from bot.event_context import ContextCache
from bot.events import Event
from bot.executor import Executor
from bot.message_gate import check_registration
from bot.refs import ChatKind
from bot.storage.database import Database, Redelivered

log = logging.getLogger(__name__)

Handler = Callable[[Any], Awaitable[Sequence[Step] | None]]


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


def actions_in(steps: Sequence[Step]) -> list[Action]:
    """Every action the steps will carry out before any follow-up runs, in the order they will be carried out."""
    found: list[Action] = []
    for step in steps:
        found.extend(step.actions if isinstance(step, FollowUp) else (step,))
    return found


@dataclass(slots=True)
class _Lane:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class Dispatcher:
    def __init__(self, db: Database, executor: Executor, clock: Clock, *, cache: ContextCache | None = None,
                 deaf_by_default: bool = False) -> None:
        self.db = db
        self.executor = executor
        self.clock = clock
        self.cache = cache
        # The App sets this: then ordinary chat reaches only handlers that came through the privacy gate.
        self.deaf_by_default = deaf_by_default
        self._handlers: dict[type[Event], list[Handler]] = defaultdict(list)
        self._lanes: dict[tuple[str, str], _Lane] = {}

    def on(self, event_type: type[Event], handler: Handler) -> None:
        if self.deaf_by_default:
            check_registration(event_type, handler)
        self._handlers[event_type].append(handler)

    def handlers_for(self, event: Event) -> list[Handler]:
        return [h for cls in type(event).__mro__ if cls in self._handlers for h in self._handlers[cls]]

    async def dispatch(self, event: Event) -> bool:
        """Process `event` once, after the events of its chat that arrived before it. Returns False when it was
        a redelivery and nothing was done. Adapters may call this concurrently for different chats."""
        chat = getattr(event, "chat", None)
        if chat is None:
            return await self._handle(event)
        key = (str(chat.platform), chat.id)
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = _Lane()
        lane.users += 1
        try:
            async with lane.lock:  # asyncio.Lock is first come, first served: the chat's order is kept
                return await self._handle(event)
        finally:
            lane.users -= 1
            if lane.users == 0:
                del self._lanes[key]

    async def _warm(self, event: Event) -> None:
        """Resolve the event's community once, so its handlers' lookups are answered from memory."""
        chat = getattr(event, "chat", None)
        if self.cache is None or chat is None or getattr(event, "chat_kind", None) == ChatKind.PRIVATE:
            return
        await self.cache.facts_in(str(chat.platform), chat.space)

    async def _handle(self, event: Event) -> bool:
        await self._warm(event)
        handlers = [h for h in self.handlers_for(event) if await _admits(h, event)]
        if not handlers:
            return True
        steps: list[Step] = []
        audit_ids: list[int] | None = None
        try:
            async with self.db.event_work(event.update_key, self.clock.now()) as work:
                for handler in handlers:
                    steps.extend(await self._run(handler, event))
                if steps:
                    audit_ids = await self.executor.record(await work.open(), actions_in(steps))
        except Redelivered:
            log.info("skipping redelivered update %s %s", event.update_key, _context(event))
            return False
        await self.carry_out(steps, audit_ids)
        return True

    async def _run(self, handler: Handler, event: Event) -> Sequence[Step]:
        try:
            return await handler(event) or ()
        except Redelivered:
            raise
        except Exception:
            # One failing handler must not stop the others, nor reach residents as an error message.
            name = getattr(handler, "__qualname__", repr(handler))
            log.exception("handler %s failed on %s %s %s", name, type(event).__name__, event.update_key,
                          _context(event))
            return ()

    async def carry_out(self, steps: Sequence[Step], audit_ids: Sequence[int] | None = None) -> None:
        """Carry out `steps` in order: runs of plain actions in one batch each; a follow-up's actions, then its
        `then` with their results (in a unit of work of its own), then what that returns."""
        ids: Iterator[int] | None = iter(audit_ids) if audit_ids is not None else None
        batch: list[Action] = []

        def take(count: int) -> list[int] | None:
            return [next(ids) for _ in range(count)] if ids is not None else None

        async def flush() -> None:
            if batch:
                await self.executor.execute(list(batch), audit_ids=take(len(batch)))
                batch.clear()

        for step in steps:
            if not isinstance(step, FollowUp):
                batch.append(step)
                continue
            await flush()
            results = await self.executor.execute(step.actions, audit_ids=take(len(step.actions)))
            await self._follow_up(step, results)
        await flush()

    async def _follow_up(self, step: FollowUp, results: list[Any]) -> None:
        more: Sequence[Step] = ()
        audit_ids: list[int] | None = None
        try:
            async with self.db.event_work(None, self.clock.now()) as work:
                more = await step.then(results) or ()
                if more:
                    audit_ids = await self.executor.record(await work.open(), actions_in(more))
        except Exception:
            log.exception("follow-up %s failed", getattr(step.then, "__qualname__", repr(step.then)))
            return
        await self.carry_out(more, audit_ids)
