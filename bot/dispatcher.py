"""The dispatcher: how one event flows through the core.

    event ─► its chat's lane (events of one chat in order; other chats go on meanwhile)
          ─► context: the community's facts from the cache (at most one read; none for a chat that isn't one)
          ─► the handlers that admit it ─► one write: the at-most-once claim, the handlers' writes and the
             pending audit rows of the actions they return, in one transaction
          ─► the executor carries the actions out; `FollowUp`s get their results back and may act again

An event no handler admits, or one whose handlers neither write nor act (ordinary chat that breaks no rule),
writes nothing and claims nothing: a redelivered copy of it is just as harmless. One that does write or act
is claimed in the same transaction, so a redelivery after a crash finds the claim and does nothing twice.

`dispatch` returns when the event's platform calls are done. `accept` returns as soon as its one write is
committed and leaves the calls to follow in the chat's order: a platform that redelivers until acknowledged
(Telegram) can then be acknowledged without one slow chat holding back every other."""

from __future__ import annotations

import logging
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncio

from bot.actions import Action, FollowUp, Step
from bot.clock import Clock
from bot.event_context import UNKNOWN, ContextCache
from bot.events import Event
from bot.executor import Executor
from bot.message_gate import check_registration, is_gated
from bot.refs import ChatKind
from bot.storage.database import Database, Redelivered
from config.messages.reader import reading_in

log = logging.getLogger(__name__)

Handler = Callable[[Any], Awaitable[Sequence[Step] | None]]
# The reader's language of an event: at once when known from memory, else to be awaited.
LanguageOf = Callable[[Event], str | None | Awaitable[str | None]]
Localise = Callable[[Event, list[Step]], Awaitable[list[Step]]]


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


def actions_in(steps: Sequence[Step]) -> list[Action]:
    """Every action the steps will carry out before any follow-up runs, in the order they will be carried out."""
    found: list[Action] = []
    for step in steps:
        found.extend(step.actions if isinstance(step, FollowUp) else (step,))
    return found


Job = Callable[[], Awaitable[bool]]


@dataclass(slots=True)
class _Lane:
    """One chat's order. Its events' jobs (deciding, and for `dispatch` carrying out) run one at a time, first come
    first served: `busy` while one runs, the rest wait in `queue` with the future their caller awaits. `effects` is
    the task carrying out the chat's latest accepted event, which the next one's effects wait for.

    Not an `asyncio.Lock`: once one event waits for a lock, every later one must too (the lock is fair), and each
    then costs a turn of the event loop to be woken — a convoy that, started by one slow read, lasted the whole
    burst and cost a busy chat a loop turn per message. Here whoever finishes the running job runs the queued ones
    straight after, in one go, and their callers are woken together."""

    busy: bool = False
    queue: deque[tuple[Job, asyncio.Future[bool]]] = field(default_factory=deque)
    effects: asyncio.Task[None] | None = None
    users: int = 0


# Accepted events whose platform calls are still to be made, across all chats. Past it `accept` waits: the
# receiver slows down rather than holding an ever longer backlog in memory.
MAX_PENDING_EFFECTS = 1000
# Lanes of recently busy chats kept for their next event (each is a few hundred bytes).
IDLE_LANES = 1024

_Decision = tuple[list[Step], list[int] | None]


@dataclass(slots=True)
class _Wanted:
    """The handlers that admitted an event before its lane, and the database version they were asked at."""

    handlers: list[Handler]
    version: int


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
        self._by_type: dict[type[Event], list[Handler]] = {}  # handlers_for, worked out once per event type
        self._warms: dict[type[Event], bool] = {}  # and whether the cache is warmed for them first
        self._lanes: dict[tuple[str, str], _Lane] = {}
        self._idle: dict[tuple[str, str], _Lane] = {}  # lanes of chats with nothing in flight, oldest first
        self._pending: set[asyncio.Task[None]] = set()
        # The App sets this: the language the event's replies are rendered in (bot/reader_language.py).
        self.language_of: LanguageOf | None = None
        # The App sets this too: what the event sends elsewhere, made again in its readers' languages.
        self.localise: Localise | None = None

    def on(self, event_type: type[Event], handler: Handler) -> None:
        if self.deaf_by_default:
            check_registration(event_type, handler)
        self._handlers[event_type].append(handler)
        self._by_type.clear()
        self._warms.clear()

    def handlers_for(self, event: Event) -> list[Handler]:
        found = self._by_type.get(type(event))
        if found is None:
            found = [h for cls in type(event).__mro__ if cls in self._handlers for h in self._handlers[cls]]
            self._by_type[type(event)] = found
            # The gate resolves a chat's community itself (from memory when it can): warming the cache first
            # is for events some handler of which is not gated.
            self._warms[type(event)] = not all(is_gated(h) for h in found)
        return found

    async def dispatch(self, event: Event) -> bool:
        """Process `event` once, after the events of its chat that arrived before it, and return when its
        platform calls are done. Returns False when it was a redelivery and nothing was done. Adapters may call
        this concurrently for different chats."""
        chat = getattr(event, "chat", None)
        if chat is None:
            decision = await self._decide(event)
            if decision is not None:
                await self.carry_out(*decision)
            return decision is not None
        wanted = await self._wanted(event)
        if not wanted.handlers:
            return True

        async def job() -> bool:
            with reading_in(await self._language(event)):
                decision = await self._decide(event, wanted)
                if decision is None:
                    return False
                if decision[0]:  # nothing to carry out (most chat): nothing to wait for either
                    await self._after(lane, decision)
                return True

        lane = self._enter(chat)
        try:
            return await self._in_order(chat, lane, job)
        finally:
            self._leave(chat, lane)

    async def accept(self, event: Event) -> bool:
        """Decide `event` in its chat's order and return once that is committed; its platform calls follow in
        the background, after the chat's earlier ones. For adapters whose platform redelivers what they have
        not acknowledged: the claim is already durable, and other chats need not wait for this one's calls."""
        chat = getattr(event, "chat", None)
        if chat is None:
            return await self.dispatch(event)
        wanted = await self._wanted(event)
        if not wanted.handlers:
            return True

        async def job() -> bool:
            # The effects task copies the reader's language with the rest of the context: follow-ups keep it.
            with reading_in(await self._language(event)):
                decision = await self._decide(event, wanted)
                if decision is None:
                    return False
                if decision[0]:
                    lane.users += 1  # the effects task keeps the lane until it is done
                    task = asyncio.create_task(self._effects_in_order(chat, lane, lane.effects, decision))
                    lane.effects = task
                    self._pending.add(task)
                    task.add_done_callback(self._pending.discard)
                return True

        lane = self._enter(chat)
        try:
            done = await self._in_order(chat, lane, job)
            while len(self._pending) > MAX_PENDING_EFFECTS:
                await asyncio.wait(set(self._pending), return_when=asyncio.FIRST_COMPLETED)
            return done
        finally:
            self._leave(chat, lane)

    async def _in_order(self, chat: Any, lane: _Lane, job: Job) -> bool:
        """Run `job` after the chat's earlier events' jobs: at once when none is running or waiting, else when
        its turn comes. A caller cancelled while it waits does not take its event out of the queue (it is
        still handled: nothing is dropped half-way); it just stops waiting for the answer."""
        if lane.busy or lane.queue:
            turn: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
            lane.queue.append((job, turn))
            return await turn
        lane.busy = True
        try:
            return await job()
        finally:
            if lane.queue:
                # The queued jobs run in a task of their own: the caller of this one gets its answer now.
                lane.users += 1
                self._drain_lane(chat, lane)
            else:
                lane.busy = False

    def _drain_lane(self, chat: Any, lane: _Lane) -> None:
        task = asyncio.create_task(self._run_queued(chat, lane))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _run_queued(self, chat: Any, lane: _Lane) -> None:
        """Run the lane's waiting jobs in order until none is left (more may join meanwhile)."""
        try:
            while lane.queue:
                job, turn = lane.queue.popleft()
                try:
                    result = await job()
                except asyncio.CancelledError:
                    turn.cancel()
                    raise
                except Exception as error:  # the caller's to see; one that stopped waiting has it logged here
                    if turn.cancelled():
                        log.error("an event of chat=%s failed after its caller stopped waiting", chat,
                                  exc_info=error)
                    else:
                        turn.set_exception(error)
                    continue
                if not turn.cancelled():
                    turn.set_result(result)
        finally:
            for _, turn in lane.queue:  # only when this task was cancelled (at stop)
                turn.cancel()
            lane.queue.clear()
            lane.busy = False
            self._leave(chat, lane)

    async def drain(self, grace: float = 10.0) -> None:
        """Let accepted events' platform calls, and events still queued in their chats' lanes, finish (at stop),
        cancelling only what overruns `grace` seconds."""
        if not self._pending:
            return
        _, late = await asyncio.wait(set(self._pending), timeout=grace)
        for task in late:
            task.cancel()
        if late:
            log.warning("stopped with %d accepted events' platform calls unfinished", len(late))
            await asyncio.gather(*late, return_exceptions=True)

    def _enter(self, chat: Any) -> _Lane:
        key = (str(chat.platform), chat.id)
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._idle.pop(key, None) or _Lane()
            self._lanes[key] = lane
        lane.users += 1
        return lane

    def _leave(self, chat: Any, lane: _Lane) -> None:
        lane.users -= 1
        if lane.users == 0:
            key = (str(chat.platform), chat.id)
            self._lanes.pop(key, None)
            # Kept a while for the chat's next event (a busy chat's events mostly come one after another, each
            # finished before the next: a lane built and dropped per message otherwise).
            self._idle[key] = lane
            if len(self._idle) > IDLE_LANES:
                del self._idle[next(iter(self._idle))]

    async def _after(self, lane: _Lane, decision: _Decision) -> None:
        """`dispatch`'s effects: after any still running from `accept`ed events of the chat."""
        if lane.effects is not None:
            await asyncio.gather(lane.effects, return_exceptions=True)
        await self.carry_out(*decision)

    async def _effects_in_order(self, chat: Any, lane: _Lane, before: asyncio.Task[None] | None,
                                decision: _Decision) -> None:
        try:
            if before is not None:
                await asyncio.gather(before, return_exceptions=True)
            await self.carry_out(*decision)
        except Exception:
            log.exception("carrying out an accepted event failed in chat=%s", chat)
        finally:
            if lane.effects is asyncio.current_task():
                lane.effects = None
            self._leave(chat, lane)

    async def _warm(self, event: Event) -> None:
        """Resolve the event's community once, so its handlers' lookups are answered from memory."""
        chat = getattr(event, "chat", None)
        if self.cache is None or chat is None or getattr(event, "chat_kind", None) == ChatKind.PRIVATE:
            return
        platform, space = str(chat.platform), chat.space
        if self.cache.peek_in(platform, space) is UNKNOWN:
            await self.cache.facts_in(platform, space)

    async def _language(self, event: Event) -> str | None:
        if self.language_of is None:
            return None
        try:
            language = self.language_of(event)
            return language if language is None or isinstance(language, str) else await language
        except Exception:
            log.exception("could not tell the reader's language %s; using the default", _context(event))
            return None

    async def _wanted(self, event: Event) -> _Wanted:
        """The handlers that may want the event, asked before it queues in its chat's lane: ordinary chat no
        handler may read (outside sessions, or in a group that is not a community) costs no wait and no write.
        The answer holds in the lane only while nothing has been written since (`_decide` asks again if
        something has: a session closed meanwhile still stops the chat after it)."""
        handlers = self.handlers_for(event)
        if self._warms[type(event)]:
            await self._warm(event)
        version = self.db.version
        return _Wanted(await self._admitted(handlers, event), version)

    @staticmethod
    async def _admitted(handlers: list[Handler], event: Event) -> list[Handler]:
        """The handlers that admit `event`. A handler may say up front that it has nothing to do with an event
        (e.g. chat outside a session), with a bool, or an awaitable one when it must look something up first
        (the gate answers from memory when it can: every message of a busy chat asks)."""
        admitted = []
        for handler in handlers:
            admits = getattr(handler, "admits", None)
            answer = True if admits is None else admits(event)
            if answer is True or (answer is not False and await answer):
                admitted.append(handler)
        return admitted

    async def _decide(self, event: Event, wanted: _Wanted | None = None) -> _Decision | None:
        """Run the handlers and commit what they wrote with the claim and the audit rows: the event's one write.
        None for a redelivery (nothing to do); an empty decision when no handler wanted the event. The context was
        resolved by `_wanted` (events with a chat) before the lane."""
        if wanted is not None and wanted.version == self.db.version:
            handlers = wanted.handlers
        else:
            handlers = await self._admitted(self.handlers_for(event), event)
        if not handlers:
            return [], None
        steps: list[Step] = []
        audit_ids: list[int] | None = None
        try:
            async with self.db.event_work(event.update_key, self.clock.now()) as work:
                for handler in handlers:
                    try:
                        steps.extend(await handler(event) or ())
                    except Redelivered:
                        raise
                    except Exception:
                        # One failing handler must not stop the others, nor reach residents as an error message.
                        self._handler_failed(handler, event)
                if steps and self.localise is not None:
                    steps = await self.localise(event, steps)
                if steps:
                    audit_ids = await self.executor.record(await work.open(), actions_in(steps), outbox=True)
        except Redelivered:
            log.info("skipping redelivered update %s %s", event.update_key, _context(event))
            return None
        return steps, audit_ids

    def _handler_failed(self, handler: Handler, event: Event) -> None:
        name = getattr(handler, "__qualname__", repr(handler))
        log.exception("handler %s failed on %s %s %s", name, type(event).__name__, event.update_key,
                      _context(event))

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
                    audit_ids = await self.executor.record(await work.open(), actions_in(more), outbox=True)
        except Exception:
            log.exception("follow-up %s failed", getattr(step.then, "__qualname__", repr(step.then)))
            return
        await self.carry_out(more, audit_ids)
