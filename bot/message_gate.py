"""Deaf by default, enforced in the core (SPEC §6). Ordinary chat (`MessageReceived`) reaches a handler only
through `MessageGate.guard`, which admits a message only while a session is open in its community (or the
community's policy scope is "always"), or, for listening, only where a community admin turned listening on.

The App's dispatcher refuses to register a `MessageReceived` handler that did not come through the gate, so a
future feature cannot start reading chat by accident: it fails at start-up instead."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, cast

from bot.actions import Step
from bot.events import MessageReceived
from bot.event_context import UNKNOWN, CommunityFacts, ContextCache
from bot.refs import ChatKind, ChatRef
from facilitation.consent import CommunityView
from facilitation.processing import ChatFacts, Purpose, may_process

log = logging.getLogger(__name__)

GATE_MARK = "__surgerybot_gate_purpose__"
_PRIVATE = ChatFacts(in_group=False, community_active=False)
_NOT_A_COMMUNITY = ChatFacts(in_group=True, community_active=False)

GatedHandler = Callable[[MessageReceived, CommunityView], Awaitable[Sequence[Step] | None]]
# Whether a community's policy widens the rules' scope to "always" (wired by the moderation feature).
ScopeLookup = Callable[[CommunityFacts], bool]


class UngatedMessageHandler(TypeError):
    """A handler for ordinary chat was registered without passing through the privacy gate."""


def is_gated(handler: object) -> bool:
    return getattr(handler, GATE_MARK, None) is not None


def check_registration(event_type: type, handler: object) -> None:
    """Raise unless `handler` may see `event_type`: anything that would receive `MessageReceived` (its own
    type or a base class such as `Event`) must come from `MessageGate.guard`."""
    if isinstance(event_type, type) and issubclass(MessageReceived, event_type) and not is_gated(handler):
        name = getattr(handler, "__qualname__", repr(handler))
        raise UngatedMessageHandler(
            f"{name} would receive ordinary chat ({event_type.__name__}); register it through "
            "bot.message_gate.MessageGate.guard so the bot stays deaf outside sessions")


# What the gate answers about a chat: the facts, the community (None: not one), and which purposes may read it.
Answer = tuple[ChatFacts, CommunityView | None, frozenset[Purpose]]
_DEAF: frozenset[Purpose] = frozenset()
_PRIVATE_ANSWER: Answer = (_PRIVATE, None, _DEAF)
CHAT_MEMORY = 10_000  # chats whose answers are kept (a few hundred bytes each)


class MessageGate:
    def __init__(self, cache: ContextCache) -> None:
        self.cache = cache
        self._scope_lookups: list[ScopeLookup] = []
        self._purposes: set[Purpose] = set()  # of the handlers guarded so far: what `hears` asks about
        # Each chat's answer, good while nothing is written (the database's version stands still): a message is
        # asked about at the adapter's door, before its chat's lane and to run, and a busy chat's messages all
        # get the same answer.
        self._by_chat: dict[tuple[str, str], tuple[int, Answer]] = {}

    def widen_scope_with(self, lookup: ScopeLookup) -> None:
        """Let a community's policy (scope "always") admit messages outside sessions for `Purpose.SESSION`."""
        self._scope_lookups.append(lookup)

    def known(self, event: MessageReceived) -> Answer | None:
        """What the gate knows about a message's chat, from the context cache alone, without waiting (none at
        all for a chat that is not a community); None when the cache must be read first (`_read`)."""
        if event.chat_kind == ChatKind.PRIVATE:
            return _PRIVATE_ANSWER
        return self._known_in(str(event.chat.platform), event.chat.space)

    def _known_in(self, platform: str, space: str) -> Answer | None:
        version = self.cache.db.version
        held = self._by_chat.get((platform, space))
        if held is not None and held[0] == version:
            return held[1]
        found = self.cache.peek_in(platform, space)
        if found is UNKNOWN:
            return None
        return self._remember(platform, space, version, cast(CommunityFacts | None, found))

    async def _read(self, event: MessageReceived) -> Answer:
        platform, space = str(event.chat.platform), event.chat.space
        version = self.cache.db.version
        return self._remember(platform, space, version, await self.cache.facts_in(platform, space))

    def _remember(self, platform: str, space: str, version: int, found: CommunityFacts | None) -> Answer:
        answer = self._answer(found)
        if len(self._by_chat) >= CHAT_MEMORY:
            self._by_chat.clear()  # rebuilt from the cache as chats speak again
        self._by_chat[(platform, space)] = (version, answer)
        return answer

    def _answer(self, found: CommunityFacts | None) -> Answer:
        if found is None:
            return _NOT_A_COMMUNITY, None, _DEAF
        community = found.community
        if not community.is_active:
            return _NOT_A_COMMUNITY, community, _DEAF
        facts = ChatFacts(in_group=True, community_active=True, session_open=found.session_open,
                          scope_always=any(lookup(found) for lookup in self._scope_lookups),
                          listening_on=found.listening_on)
        return facts, community, frozenset(purpose for purpose in Purpose if may_process(purpose, facts))

    def hears(self, chat: ChatRef, kind: ChatKind) -> bool:
        """Whether ordinary chat from `chat` may reach any gated handler now, answered from memory without
        waiting. False is certain (the bot is deaf there: an adapter may drop such a message untranslated);
        True means only "hand it on" — when the cache has nothing current to say, the core decides."""
        if kind == ChatKind.PRIVATE:
            return False  # may_process never admits a private chat
        answer = self._known_in(str(chat.platform), chat.space)
        return answer is None or not self._purposes.isdisjoint(answer[2])

    def guard(self, purpose: Purpose, handler: GatedHandler) -> Callable[[MessageReceived], Awaitable[Any]]:
        """Wrap `handler` so it runs only for messages `purpose` may process, with their community."""
        self._purposes.add(purpose)

        async def gated(event: MessageReceived) -> Sequence[Step] | None:
            _, community, purposes = self.known(event) or await self._read(event)
            if community is None or purpose not in purposes:
                return None
            return await handler(event, community)

        def admits(event: MessageReceived) -> bool | Awaitable[bool]:
            answer = self.known(event)
            if answer is None:
                return admits_after_reading(event)
            return purpose in answer[2]

        async def admits_after_reading(event: MessageReceived) -> bool:
            return purpose in (await self._read(event))[2]

        # The dispatcher asks this before claiming the update, so chat nobody may read costs no write at all:
        # from memory, without a coroutine, when the cache is warm (every message of a busy chat asks it).
        # (A function attribute, which mypy does not model; the dispatcher reads it with getattr.)
        gated.admits = admits  # type: ignore[attr-defined]
        setattr(gated, GATE_MARK, purpose)
        gated.__qualname__ = f"gated[{purpose.value}]({getattr(handler, '__qualname__', repr(handler))})"
        return gated
