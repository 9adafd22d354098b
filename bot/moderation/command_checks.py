"""What every facilitator command shares: who the command is about (never the bot, oneself, an admin or someone
above the issuer), the platform's limits checked before anything is written, and `act`: the case first, then the
platform, then one line for the issuer. A command that can't go ahead raises `Refused`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bot import actions as a
from bot.command_router import GroupCall, Refused, reply
from bot.context import Context
from bot.errors import ActionRefused, PlatformError
from bot.executor import check_limits
from bot.moderation.service import ModerationService, Outcome
from bot.refs import ChatRef, UserRef
from bot.roles import RoleService
from config.messages import Messages, changed
from facilitation.rules.policy import DEFAULT_POLICY, Policy
from facilitation.cases import MANUAL, CaseAction
from facilitation.problems import InputProblem
from facilitation.durations import parse_duration
from facilitation.targets import find_target

log = logging.getLogger(__name__)

MAX_MANUAL_DURATION = timedelta(days=366)


class FacilitatorCommand:
    def __init__(self, ctx: Context, roles: RoleService, service: ModerationService) -> None:
        self.ctx = ctx
        self.roles = roles
        self.service = service

    @property
    def m(self) -> Messages:
        return self.ctx.messages

    async def target(self, call: GroupCall, *, present: bool = True) -> tuple[UserRef, str]:
        """The member a command is about and the rest of its words; refuses the bot, oneself, admins, people
        not in the chat and (Discord) anyone whose top role is not below the issuer's."""
        event = call.event
        found = find_target(call.args, mentions=tuple(u.id for u in event.mentions), mention_words=event.mention_words,
                            reply_to_sender=event.reply_to_sender.id if event.reply_to_sender else None)
        if found.user_id is None:
            raise Refused("mod_usage_target", command=event.name)
        user = UserRef(event.chat.platform, found.user_id)
        if user.id == self.service.bot_user_id(event.chat.platform):
            raise Refused("mod_refuse_bot")
        if user.id == event.sender.user.id:
            raise Refused("mod_refuse_self")
        await self.check_member(event.chat, event.sender.user, user, present=present)
        return user, found.rest

    async def check_member(self, chat: ChatRef, issuer: UserRef, user: UserRef, *, present: bool) -> None:
        adapter = self.ctx.adapters[chat.platform]
        try:
            info = await adapter.get_member(chat, user)
            mine = await adapter.get_member(chat, issuer) if info.top_role_position else None
        except PlatformError as error:
            log.warning("could not check member chat=%s user=%s: %s", chat, user.id, error)
            raise Refused("mod_refuse_unknown_member") from None
        if info.is_admin:
            raise Refused("mod_refuse_admin")
        if present and not info.is_present:
            raise Refused("mod_refuse_absent")
        # Discord's hierarchy: a member with a role at or above the issuer's is out of their reach. Members with
        # no role at all (position 0) have no rank, so any facilitator may moderate them.
        if info.top_role_position and mine is not None and mine.top_role_position is not None \
                and info.top_role_position >= mine.top_role_position:
            raise Refused("mod_refuse_role")

    def check_platform(self, action: a.Action, decided_at: datetime | None = None) -> None:
        """The platform's limits, at the moment the action was decided (`decided_at`, when its times were
        computed from it): read the clock again and a 31 s mute is 30.999 s long and refused."""
        adapter = self.ctx.adapters[action.platform]
        try:
            check_limits(action, adapter.capabilities, decided_at or self.ctx.clock.now())
        except ActionRefused as refusal:
            raise Refused("mod_refuse_limit", problem=str(refusal).rstrip(".")) from None

    def duration(self, text: str) -> timedelta:
        try:
            return parse_duration(text, maximum=MAX_MANUAL_DURATION)
        except InputProblem as problem:
            raise Refused(problem.code, **problem.values) from None

    def reason_line(self, reason: str) -> str:
        return self.m("mod_reason_line", reason=reason) if reason else ""

    def local(self, when: datetime) -> str:
        return self.m.datetime(when, self.ctx.settings.council.zone)

    async def _approved(self, call: GroupCall) -> Policy:
        record = await self.service.policy(call.community.id)
        return record.approved or DEFAULT_POLICY

    async def act(self, call: GroupCall, *, actions: tuple[CaseAction, ...], target: UserRef | None, reason: str,
                  steps: Sequence[a.Action] = (), notices: Sequence[a.Action] = (),
                  expires_at: datetime | None = None, done: str = "",
                  say: dict[str, object] | None = None) -> list[a.Step]:
        """Case first, then the platform, then one line for the issuer."""
        community = call.community
        case = await self.service.open_case(community, actions=actions, clause=MANUAL, actor=call.event.sender.user.id,
                                            target_user_id=target.id if target else None, reason=reason,
                                            expires_at=expires_at, chat_id=call.event.chat.id)
        why = f"case {case.number}: {reason}" if reason else f"case {case.number}"
        steps = [_with_reason(step, why) for step in steps]
        notices = [_numbered(notice, case.number) for notice in notices]

        async def answer(outcome: Outcome) -> list[a.Step]:
            if outcome.failure is not None:
                return [reply(call.event, self.m("mod_failed", number=case.number, problem=outcome.failure))]
            return [reply(call.event, self.m(done, number=case.number, **(say or {})))] if done else []

        return self.service.carry_out(community, case, steps, notices, then=answer)


def _with_reason(step: a.Action, reason: str) -> a.Action:
    return replace(step, reason=reason[:200])


def _numbered(notice: a.Action, number: int) -> a.Action:
    """Notices are written before the case number exists; fill it in."""
    if isinstance(notice, a.SendMessage) and "{number}" in notice.text:
        # Changed in every language, so the note can still be made in its reader's (bot/localise.py).
        return replace(notice, text=changed(notice.text, lambda text: text.replace("{number}", str(number))))
    return notice
