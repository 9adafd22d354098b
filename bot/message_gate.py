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


class MessageGate:
    def __init__(self, cache: ContextCache) -> None:
        self.cache = cache
        self._scope_lookups: list[ScopeLookup] = []
        self._purposes: set[Purpose] = set()  # of the handlers guarded so far: what `hears` asks about
        self._answers: dict[int, tuple[CommunityFacts, tuple[ChatFacts, CommunityView]]] = {}
        self._last: tuple[MessageReceived, int, tuple[ChatFacts, CommunityView | None]] | None = None

    def widen_scope_with(self, lookup: ScopeLookup) -> None:
        """Let a community's policy (scope "always") admit messages outside sessions for `Purpose.SESSION`."""
        self._scope_lookups.append(lookup)

    async def facts(self, event: MessageReceived) -> tuple[ChatFacts, CommunityView | None]:
        """What the gate knows about a message's chat, from the context cache (no database access once warm;
        none at all for a chat that is not a community). Each gated handler asks before the lane and again to
        run: the last event's answer is kept while nothing is written."""
        last = self._last
        if last is not None and last[0] is event and last[1] == self.cache.db.version:
            return last[2]
        if event.chat_kind == ChatKind.PRIVATE:
            return _PRIVATE, None
        platform, space = str(event.chat.platform), event.chat.space
        found = self.cache.peek_in(platform, space)
        if found is UNKNOWN:
            found = await self.cache.facts_in(platform, space)
        answer = self._chat_facts(cast(CommunityFacts | None, found))
        self._last = (event, self.cache.db.version, answer)
        return answer

    def _chat_facts(self, found: CommunityFacts | None) -> tuple[ChatFacts, CommunityView | None]:
        if found is None:
            return _NOT_A_COMMUNITY, None
        community = found.community
        if not community.is_active:
            return _NOT_A_COMMUNITY, community
        # Every gated handler asks several times per message (before the chat's lane, in it, then to run): the
        # answer is kept for as long as the cache holds the same facts (any write replaces them).
        known = self._answers.get(community.id)
        if known is not None and known[0] is found:
            return known[1]
        answer = (ChatFacts(in_group=True, community_active=True, session_open=found.session_open,
                            scope_always=any(lookup(found) for lookup in self._scope_lookups),
                            listening_on=found.listening_on), community)
        self._answers[community.id] = (found, answer)
        return answer

    def hears(self, chat: ChatRef, kind: ChatKind) -> bool:
        """Whether ordinary chat from `chat` may reach any gated handler now, answered from memory without
        waiting. False is certain (the bot is deaf there: an adapter may drop such a message untranslated);
        True means only "hand it on" — when the cache has nothing current to say, the core decides."""
        if kind == ChatKind.PRIVATE:
            facts = _PRIVATE
        else:
            found = self.cache.peek_in(str(chat.platform), chat.space)
            if found is UNKNOWN:
                return True
            facts = self._chat_facts(cast(CommunityFacts | None, found))[0]
        return any(may_process(purpose, facts) for purpose in self._purposes)

    def guard(self, purpose: Purpose, handler: GatedHandler) -> Callable[[MessageReceived], Awaitable[Any]]:
        """Wrap `handler` so it runs only for messages `purpose` may process, with their community."""
        self._purposes.add(purpose)

        async def gated(event: MessageReceived) -> Sequence[Step] | None:
            facts, community = await self.facts(event)
            if community is None or not may_process(purpose, facts):
                return None
            return await handler(event, community)

        async def admits(event: MessageReceived) -> bool:
            facts, community = await self.facts(event)
            return community is not None and may_process(purpose, facts)

        # The dispatcher asks this before claiming the update, so chat nobody may read costs no write at all.
        # (A function attribute, which mypy does not model; the dispatcher reads it with getattr.)
        gated.admits = admits  # type: ignore[attr-defined]
        setattr(gated, GATE_MARK, purpose)
        gated.__qualname__ = f"gated[{purpose.value}]({getattr(handler, '__qualname__', repr(handler))})"
        return gated
