"""Residents' side of moderation: `/report` (reply to a message) alerts facilitators privately; `/appeal
<case> <text>` in a private chat goes to the community's facilitators who did not take the action."""

from __future__ import annotations

from collections.abc import Sequence

from bot.actions import Action, SendMessage
from bot.command_router import CommandCall, CommandRouter, CommandSpec, GroupCall, Refused, Where, reply
from bot.context import Context
from bot.features import Arg, ArgKind
from bot.moderation.service import ModerationService

from bot.storage import cases as store
from bot.storage import communities
from facilitation.cases import parse_case_number
from facilitation.targets import first_word


class ReportCommands:
    def __init__(self, ctx: Context, router: CommandRouter, service: ModerationService) -> None:
        self.ctx = ctx
        self.router = router
        self.service = service

    def commands(self) -> tuple[CommandSpec, ...]:
        return (
            CommandSpec("report", self.report, "flag a message to the facilitators (reply to it): [reason]",
                        where=Where.GROUP, message_action="Report message",
                        args=(Arg("message", "Message link or ID", ArgKind.MESSAGE, required=True),
                              Arg("reason", "Why (shown in the case log)"))),
            CommandSpec("appeal", self.appeal, "appeal a moderation case: <case> <why>", where=Where.PRIVATE,
                        args=(Arg("case", "Case number", ArgKind.NUMBER, required=True),
                              Arg("text", "Your appeal", required=True))),
        )

    async def report(self, call: GroupCall) -> Sequence[Action]:
        m, event, community = self.ctx.messages, call.event, call.community
        if event.reply_to is None:
            raise Refused("report_usage")
        author = await self.service.staff_label(event.chat.platform,
                                                event.reply_to_sender.id if event.reply_to_sender else None)
        text = m("report_alert", reporter=event.sender.display_name or event.sender.user.id, author=author,
                 chat=community.name, message=event.reply_to.id,
                 reason=call.args.strip() or m("mod_no_reason"))
        alerts = await self.service.tell_facilitators(community, text, reason="/report")
        if not alerts:
            return [reply(event, m("report_no_facilitators"))]
        return [*alerts, reply(event, m("report_thanks"))]

    async def appeal(self, call: CommandCall) -> Sequence[Action]:
        m, event = self.ctx.messages, call.event
        word, text = first_word(call.args)
        number = parse_case_number(word)
        if number is None or not text:
            raise Refused("appeal_usage")
        platform = str(event.chat.platform)
        # Case numbers are per community: the appellant's own case with that number, newest first.
        async with self.ctx.db.unit_of_work() as tx:
            case = await store.case_about(tx, platform, event.sender.user.id, number)
            community = await communities.community_by_id(tx, case.community_id) if case else None
        if case is None or community is None:
            raise Refused("appeal_unknown", number=number)
        excluded = frozenset({case.actor} | ({case.reversed_by} if case.reversed_by else set()))
        forward = m("appeal_to_facilitator", number=number, chat=community.name,
                    action=self.service.action_names(case), clause=case.clause,
                    actor=m("mod_actor_bot") if case.actor == "bot"
                    else await self.service.staff_label(event.chat.platform, case.actor),
                    appellant=event.sender.display_name or event.sender.user.id, text=text[:1500])
        recipients = [user for user in await self.service.facilitators(community) if user.id not in excluded]
        if not recipients:
            raise Refused("appeal_nobody", number=number)
        # One reviewer is enough and keeps the appeal fair: the first facilitator who did not act.
        reviewer = recipients[0]
        return [SendMessage(target=reviewer, text=forward, reason="/appeal"),
                reply(event, m("appeal_sent", number=number))]
