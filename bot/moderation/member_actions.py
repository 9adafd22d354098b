"""Facilitator commands on one member or message (SPEC §5): /warn, /mute, /unmute, /remove, /kick and /unban."""

from __future__ import annotations

from collections.abc import Sequence

from bot import actions as a
from bot.command_router import GroupCall, Refused
from bot.moderation.command_checks import FacilitatorCommand
from bot.moderation.mute_ends import cancel_mute_end
from bot.refs import UserRef
from facilitation.cases import CaseAction
from facilitation.durations import format_duration
from facilitation.targets import find_target, first_word


class MemberActions(FacilitatorCommand):
    async def warn(self, call: GroupCall) -> Sequence[a.Step]:
        user, reason = await self.target(call)
        name = await self.service.name_of(user.platform, user.id)
        note = a.SendMessage(target=user, text=self.m("mod_told_you_warn", chat=call.community.name,
                                                       number="{number}",
                                                       reason=reason or self.m("mod_no_reason")), reason="/warn")
        return await self.act(call, actions=(CaseAction.WARN,), target=user, reason=reason, notices=[note],
                              done="mod_done_warn", say=dict(name=name, reason=self.reason_line(reason)))

    async def mute(self, call: GroupCall) -> Sequence[a.Step]:
        user, rest = await self.target(call)
        length, reason = first_word(rest)
        if not length:
            raise Refused("mod_usage_mute")
        span = self.duration(length)
        now = self.ctx.clock.now()
        until = now + span
        step = a.MuteMember(chat=call.event.chat, user=user, until=until)
        self.check_platform(step, now)
        name = await self.service.name_of(user.platform, user.id)
        note = a.SendMessage(target=user, text=self.m("mod_told_you_mute", chat=call.community.name,
                                                       until=self.local(until), number="{number}",
                                                       reason=reason or self.m("mod_no_reason")), reason="/mute")
        return await self.act(call, actions=(CaseAction.MUTE,), target=user, reason=reason, steps=[step],
                              notices=[note], expires_at=until, done="mod_done_mute", say=dict(name=name,
                              duration=format_duration(span), reason=self.reason_line(reason)))

    async def unmute(self, call: GroupCall) -> Sequence[a.Step]:
        user, reason = await self.target(call)
        name = await self.service.name_of(user.platform, user.id)
        # Told privately, as the mute was: the member may not be watching the group they couldn't post in.
        note = a.SendMessage(target=user, text=self.m("mod_told_you_unmute", chat=call.community.name,
                                                       number="{number}"), reason="/unmute")
        async with self.ctx.db.unit_of_work() as tx:
            await cancel_mute_end(tx, call.community.id, user.id, self.ctx.clock.now())
        return await self.act(call, actions=(CaseAction.UNMUTE,), target=user, reason=reason,
                              steps=[a.UnmuteMember(chat=call.event.chat, user=user)], notices=[note],
                              done="mod_done_unmute", say=dict(name=name))

    async def remove(self, call: GroupCall) -> Sequence[a.Step]:
        event = call.event
        if event.reply_to is None:
            raise Refused("mod_usage_remove")
        author = event.reply_to_sender
        if author is not None:
            if author.id == self.service.bot_user_id(event.chat.platform):
                raise Refused("mod_refuse_bot")
            await self.check_member(event.chat, event.sender.user, author, present=False)
        reason = " ".join(w for w in call.args.split() if w not in event.mention_words)
        return await self.act(call, actions=(CaseAction.DELETE,), target=author, reason=reason,
                              steps=[a.DeleteMessage(message=event.reply_to)], done="mod_done_delete",
                              say=dict(reason=self.reason_line(reason)))

    async def kick(self, call: GroupCall) -> Sequence[a.Step]:
        if not (await self._approved(call)).kick_allowed:
            raise Refused("mod_kick_not_allowed")
        user, reason = await self.target(call)
        name = await self.service.name_of(user.platform, user.id)
        return await self.act(call, actions=(CaseAction.KICK,), target=user, reason=reason,
                              steps=[a.KickMember(chat=call.event.chat, user=user)], done="mod_done_kick", say=dict(name=name,
                              reason=self.reason_line(reason)))

    async def unban(self, call: GroupCall) -> Sequence[a.Step]:
        event = call.event
        found = find_target(call.args, mentions=tuple(u.id for u in event.mentions), mention_words=event.mention_words,
                            reply_to_sender=event.reply_to_sender.id if event.reply_to_sender else None)
        if found.user_id is None:
            raise Refused("mod_usage_target", command=event.name)
        if found.user_id == self.service.bot_user_id(event.chat.platform):
            raise Refused("mod_refuse_bot")
        user = UserRef(event.chat.platform, found.user_id)
        name = await self.service.name_of(user.platform, user.id)
        return await self.act(call, actions=(CaseAction.UNBAN,), target=user, reason=found.rest,
                              steps=[a.UnbanMember(chat=event.chat, user=user)], done="mod_done_unban",
                              say=dict(name=name))
