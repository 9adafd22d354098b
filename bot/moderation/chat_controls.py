"""Facilitator controls over the whole chat (SPEC §5): /slowmode, and /lock and /unlock (only staff and the
resident with the floor may post; the rules enforce it)."""

from __future__ import annotations

from collections.abc import Sequence

from bot import actions as a
from bot.command_router import GroupCall, Refused
from bot.errors import PlatformError
from bot.moderation.command_checks import FacilitatorCommand
from bot.storage import cases as store
from bot.storage import chat_facts
from facilitation.cases import CaseAction
from facilitation.numbers import whole_number
from facilitation.consent import CommunityView

MAX_SLOW_MODE_SECONDS = 21600


def lacks_slow_mode_right(community: CommunityView) -> bool:
    """Discord's slow mode needs Manage Channels; the community's stored rights say whether the bot has it."""
    return "manage_channels" in community.missing_rights.split(",")


class ChatControls(FacilitatorCommand):
    async def slowmode(self, call: GroupCall) -> Sequence[a.Step]:
        event = call.event
        word = call.args.strip().lower()
        number = whole_number(word)
        seconds = 0 if word == "off" else number if number is not None else -1
        if not 0 <= seconds <= MAX_SLOW_MODE_SECONDS or (word != "off" and seconds == 0):
            raise Refused("mod_usage_slowmode")
        step = a.SetSlowMode(chat=event.chat, seconds=seconds)
        self.check_platform(step)
        if lacks_slow_mode_right(call.community):
            raise Refused("mod_slowmode_needs_manage_channels")
        done = "mod_done_slowmode" if seconds else "mod_done_slowmode_off"
        return await self.act(call, actions=(CaseAction.SLOWMODE,), target=None, reason=word, steps=[step],
                              done=done, say=dict(seconds=seconds))

    async def lock(self, call: GroupCall) -> Sequence[a.Step]:
        event, community = call.event, call.community
        async with self.ctx.db.unit_of_work() as tx:
            running = await chat_facts.session_running(tx, community.id)
            locked = await store.active_lock(tx, community.id, event.chat.id)
        approved = (await self.service.policy(community.id)).approved
        if not running and not (approved is not None and approved.scope.value == "always"):
            raise Refused("mod_lock_needs_session")  # outside sessions the bot doesn't read chat at all
        if locked is not None:
            raise Refused("mod_already_locked", number=locked.number)
        try:
            rights = await self.ctx.adapters[event.chat.platform].get_bot_rights(event.chat)
        except PlatformError:
            rights = None
        if rights is None or not rights.delete_messages:
            raise Refused("mod_lock_needs_delete")
        return await self.act(call, actions=(CaseAction.LOCK,), target=None, reason=call.args.strip(),
                              done="mod_done_lock")

    async def unlock(self, call: GroupCall) -> Sequence[a.Step]:
        event, community, now = call.event, call.community, self.ctx.clock.now()
        async with self.ctx.db.unit_of_work() as tx:
            locked = await store.active_lock(tx, community.id, event.chat.id)
            if locked is not None:
                await store.mark_reversed(tx, locked.id, by=event.sender.user.id, now=now)
        if locked is None:
            raise Refused("mod_not_locked")
        return await self.act(call, actions=(CaseAction.UNLOCK,), target=None, reason=call.args.strip(),
                              done="mod_done_unlock")
