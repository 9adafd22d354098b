"""Councillors binding their accounts (/link) and community admins appointing facilitators."""

from __future__ import annotations

from collections.abc import Sequence

from bot.actions import Action
from bot.code_attempts import CodeAttempts
from bot.command_router import CommandCall, CommandRouter, CommandSpec, GroupCall, Refused, Where, reply
from bot.context import Context
from bot.features import Arg, ArgKind, Feature, Subcommand
from bot.refs import UserRef
from bot.storage import audit, people
from facilitation.code_attempts import minutes_left
from facilitation.invitations import looks_like_code
from facilitation.roles import Role


class StaffHandlers:
    def __init__(self, ctx: Context, router: CommandRouter, attempts: CodeAttempts) -> None:
        self.ctx = ctx
        self.router = router
        self.attempts = attempts

    def feature(self) -> Feature:
        member = Arg("user", "The member", ArgKind.USER, required=True)
        return Feature("staff", commands=(
            CommandSpec("link", self.link, "councillors: link your account with the code from the council",
                        where=Where.PRIVATE, args=(Arg("code", "The code you were given", required=True),),
                        staff_help_only=True),
            CommandSpec("surgery facilitator", self.facilitator, "appoint or remove facilitators (reply or mention)",
                        role=Role.COMMUNITY_ADMIN, where=Where.GROUP, destructive=True,
                        subcommands=(Subcommand("add", "appoint a facilitator", (member,)),
                                     Subcommand("remove", "remove a facilitator", (member,)),
                                     Subcommand("list", "list the facilitators"))),
        ))

    async def link(self, call: CommandCall) -> Sequence[Action]:
        m, event, now = self.ctx.messages, call.event, self.ctx.clock.now()
        code = call.args.split()[0] if call.args.split() else ""
        if not code:
            raise Refused("link_usage")
        person, chat = event.sender.user, event.chat
        wait_until = self.attempts.locked_until("link", person, chat)
        if wait_until is not None:  # checked first: a guess while cooling down learns nothing
            raise Refused("code_attempts_wait", minutes=minutes_left(wait_until, now))
        if not looks_like_code(code):
            self.attempts.failed("link", person, chat)
            raise Refused("link_bad_code", problem=m("code_problem_malformed"))
        async with self.ctx.db.unit_of_work() as tx:
            person_id = await people.person_for(tx, str(event.chat.platform), event.sender.user.id,
                                                display_name=event.sender.display_name, now=now)
            outcome = await people.link_councillor(tx, code=code, person_id=person_id, now=now)
            await audit.record(tx, at=now, platform=str(event.chat.platform), actor=event.sender.user.id,
                               action="councillor_link", reason=outcome if isinstance(outcome, str) else "linked",
                               outcome="recorded")
        if isinstance(outcome, str):
            self.attempts.failed("link", person, chat)
            raise Refused("link_bad_code", problem=m(f"code_problem_{outcome}"))
        self.attempts.succeeded("link", person, chat)
        return [reply(event, m("link_done", name=outcome.name))]

    def _target(self, call: GroupCall) -> UserRef | None:
        if call.event.mentions:
            return call.event.mentions[0]
        return call.event.reply_to_sender

    async def facilitator(self, call: GroupCall) -> Sequence[Action]:
        m, event, now = self.ctx.messages, call.event, self.ctx.clock.now()
        verb = call.args.split()[0].lower() if call.args.split() else ""
        community = call.community
        platform = str(event.chat.platform)
        if verb == "list":
            async with self.ctx.db.unit_of_work() as tx:
                found = await people.list_facilitators(tx, community.id)
            if not found:
                return [reply(event, m("facilitator_none"))]
            return [reply(event, m("facilitator_list", names=", ".join(f.display_name or f.user_id for f in found)))]
        target = self._target(call)
        if verb not in ("add", "remove") or target is None:
            raise Refused("facilitator_usage")
        # Platforms give us ids, not names; echo the @mention the admin typed, if any, so the reply reads well.
        words = call.args.split()
        mentioned = words[1] if len(words) > 1 and words[1] in event.mention_names else ""
        name = mentioned or m("facilitator_they")
        async with self.ctx.db.unit_of_work() as tx:
            if verb == "add":
                await people.add_facilitator(tx, community_id=community.id, platform=platform, user_id=target.id,
                                             display_name=mentioned, appointed_by=event.sender.user.id, now=now)
                key = "facilitator_added"
            else:
                removed = await people.remove_facilitator(tx, community_id=community.id, platform=platform,
                                                          user_id=target.id)
                key = "facilitator_removed" if removed else "facilitator_not_found"
            await audit.record(tx, at=now, platform=platform, chat_id=event.chat.space,
                               actor=event.sender.user.id, action=f"facilitator_{verb}", target=f"user:{target.id}",
                               outcome="recorded")
        return [reply(event, m(key, name=name))]
