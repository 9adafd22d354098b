"""Who a sender is in a community right now: a live platform admin check (cached at most 60 s, because
admins change and tg-spam's "fetch once at start-up" is the trap), plus facilitator and councillor records
from the context cache (which follows every write to them, in this process or another)."""

from __future__ import annotations

import asyncio
import contextvars
import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import cast

from bot.context import Context
from bot.event_context import UNKNOWN
from bot.errors import PlatformError
from bot.refs import ChatRef, Sender, UserRef
from facilitation.roles import Standing

log = logging.getLogger(__name__)

ADMIN_CACHE_TTL = timedelta(seconds=60)
_RESIDENT = Standing()  # frozen: one for every sender with no role


class RoleService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._admin_cache: dict[tuple[str, str, str], tuple[bool, datetime]] = {}
        self._asking: dict[tuple[str, str, str], asyncio.Task[bool]] = {}  # background checks (`known_admin`)

    async def is_platform_admin(self, chat: ChatRef, user: UserRef) -> bool:
        key = (str(chat.platform), chat.space, user.id)
        now = self.ctx.clock.now()
        cached = self._admin_cache.get(key)
        if cached is not None and now - cached[1] < ADMIN_CACHE_TTL:
            return cached[0]
        adapter = self.ctx.adapters.get(chat.platform)
        if adapter is None:
            return False
        try:
            info = await adapter.get_member(chat, user)
        except PlatformError as error:
            # Fail closed: if we cannot confirm someone is an admin, they are not one for this command.
            log.warning("could not check admin status chat=%s user=%s: %s", chat, user.id, error)
            return False
        self._admin_cache[key] = (info.is_admin, now)
        return info.is_admin

    def known_admin(self, chat: ChatRef, user: UserRef) -> bool | None:
        """`is_platform_admin` from memory, without waiting: None when not known (or known too long ago), in
        which case the platform is asked in the background, so that the person's next post finds the answer."""
        key = (str(chat.platform), chat.space, user.id)
        cached = self._admin_cache.get(key)
        if cached is not None and self.ctx.clock.now() - cached[1] < ADMIN_CACHE_TTL:
            return cached[0]
        if key not in self._asking:
            # A context of its own: not the event's (its transaction, its reader's language), which ends first.
            task = asyncio.create_task(self.is_platform_admin(chat, user), name="surgerybot-admin-check",
                                       context=contextvars.Context())
            self._asking[key] = task  # held here: the loop keeps only a weak reference to a task
            task.add_done_callback(lambda _: self._asking.pop(key, None))
        return None

    async def stop(self) -> None:
        """Cancel the background admin checks still waiting for a platform."""
        tasks = list(self._asking.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def forget(self, chat: ChatRef) -> None:
        for key in [k for k in self._admin_cache if k[0] == str(chat.platform) and k[1] == chat.space]:
            del self._admin_cache[key]

    async def standing(self, chat: ChatRef, sender: Sender, community_id: int | None) -> Standing:
        standing = await self.recorded_standing(chat, sender, community_id)
        if not standing.can_be_staff or standing.is_anonymous_admin:
            return standing
        return replace(standing, is_community_admin=await self.is_platform_admin(chat, sender.user))

    async def recorded_standing(self, chat: ChatRef, sender: Sender, community_id: int | None) -> Standing:
        """`standing` without the live platform-admin check (never an admin): the facilitator and councillor
        records, from the context cache. For ordinary chat, where asking the platform about every poster would
        hold the chat's other messages behind a call per person and minute (see AutomaticRules.on_message)."""
        if sender.is_anonymous_admin:
            return Standing(is_anonymous_admin=True, can_be_staff=False)
        if not sender.can_be_staff:
            return Standing(can_be_staff=False)
        platform, cache = str(chat.platform), self.ctx.cache
        facts = (cache.held(community_id) or await cache.facts(community_id)) if community_id is not None else None
        facilitator = facts is not None and facts.is_facilitator(platform, sender.user.id)
        known = cache.councillor_known(platform, sender.user.id)  # from memory without a coroutine, when held
        councillor_id = cast(int | None, known) if known is not UNKNOWN \
            else await cache.councillor_id(platform, sender.user.id)
        session = facts.session if facts is not None else None
        officer_host = session is not None and session.hosted_by_officer(platform, sender.user.id)
        if not (facilitator or councillor_id is not None or officer_host):
            return _RESIDENT  # most senders, most messages
        return Standing(is_facilitator=facilitator, is_councillor=councillor_id is not None,
                        councillor_id=councillor_id, officer_host_of=session.id if session and officer_host else None)
