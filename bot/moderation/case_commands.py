"""/cases sends the latest moderation cases to the facilitator privately (names, ids and histories are not for the
whole group; never a safeguarding alert, never evidence) and /undo reverses one, as far as the platform allows."""

from __future__ import annotations

from collections.abc import Sequence

from bot import actions as a
from bot import timers
from bot.command_router import GroupCall, Refused, reply
from bot.moderation.command_checks import FacilitatorCommand
from bot.moderation.moderation_timers import unban_timer_key
from bot.moderation.mute_ends import cancel_mute_end
from bot.moderation.service import chat_in
from bot.refs import Platform, UserRef
from bot.storage import audit
from bot.storage import cases as store
from facilitation.cases import CaseAction, CaseView, UndoRefusal, parse_case_number, reversal
from facilitation.consent import CommunityView
from facilitation.targets import find_target


class CaseCommands(FacilitatorCommand):
    async def cases(self, call: GroupCall) -> Sequence[a.Step]:
        event, community = call.event, call.community
        found = find_target(call.args, mentions=tuple(u.id for u in event.mentions), mention_words=event.mention_words,
                            reply_to_sender=event.reply_to_sender.id if event.reply_to_sender else None)
        async with self.ctx.db.unit_of_work() as tx:
            listed = await store.cases_for(tx, community.id, found.user_id)
        # A safeguarding alert is never listed (SPEC §5), not even as a line saying who it was about: the list may
        # end up in the mod-log chat, which can be the group itself. Facilitators already have alerts privately.
        listed = [case for case in listed if CaseAction.ALERT not in case.actions]
        if not listed:
            return [reply(event, self.m("mod_cases_none"))]
        lines = [self.m("mod_cases_header", chat=community.name,
                        whose=self.m("mod_cases_whose") if found.user_id else "")]
        lines += [await self.case_line(case, event.chat.platform) for case in listed]
        listing = self.m.join("\n", lines)
        # The list names members, their ids and their histories: it goes to the facilitator privately, or to the
        # mod-log chat when they can't be reached there; the group only hears where it went.
        modlog = (await self.service.policy(community.id)).current.modlog_chat_id
        fallback = a.SendMessage(target=chat_in(community, modlog), text=listing, reason="/cases") \
            if modlog and modlog != event.chat.id else None
        private = a.SendMessage(target=event.sender.user, text=listing, reason="/cases", if_unreachable=fallback)

        async def told(results: list[a.ActionResult]) -> list[a.Step]:
            if results and results[0].ok:
                return [reply(event, self.m("mod_cases_sent_privately"))]
            key = "mod_cases_sent_to_modlog" if fallback is not None else "mod_cases_unreachable"
            return [reply(event, self.m(key))]

        return [a.FollowUp((private,), told)]

    async def case_line(self, case: CaseView, platform: Platform) -> str:
        """Never the evidence: the mod-log chat may be read by many; evidence is for private alerts only."""
        m = self.m
        marks = (m("mod_case_dry_mark") if case.dry_run else "") + (m("mod_case_undone_mark") if case.undone else "")
        return m("mod_case_line", number=case.number, action=self.service.action_names(case), clause=case.clause,
                 target=await self.service.staff_label(platform, case.target_user_id),
                 actor=m("mod_actor_bot") if case.actor == "bot" else await self.service.staff_label(platform,
                                                                                                    case.actor),
                 when=self.local(case.created_at), marks=marks)

    async def undo(self, call: GroupCall) -> Sequence[a.Step]:
        event, community, now = call.event, call.community, self.ctx.clock.now()
        number = parse_case_number(call.args)
        if number is None:
            raise Refused("mod_usage_undo")
        async with self.ctx.db.unit_of_work() as tx:
            case = await store.case_by_number(tx, community.id, number)
        if case is None:
            raise Refused("mod_unknown_case", number=number)
        plan = reversal(case)
        if isinstance(plan, UndoRefusal):
            raise Refused(f"mod_undo_{plan.value}", number=number)
        async with self.ctx.db.unit_of_work() as tx:
            if not await store.mark_reversed(tx, case.id, by=event.sender.user.id, now=now):
                raise Refused("mod_undo_already_undone", number=number)
            await timers.cancel(tx, unban_timer_key(community.id, case.number), now)
            if case.target_user_id is not None:
                await cancel_mute_end(tx, community.id, case.target_user_id, now, case=case.number)
        steps = self.reversing_steps(community, case, plan)

        async def answer(results: list[a.ActionResult]) -> list[a.Step]:
            failed = next((r for r in results if not r.ok), None)
            if failed is not None:
                return [reply(event, self.m("mod_failed", number=number, problem=str(failed.error).rstrip(".")))]
            note = self.m("mod_undo_note_delete") if CaseAction.DELETE in case.actions else ""
            return [reply(event, self.m("mod_undo_done", number=number, note=note))]

        return [a.FollowUp(tuple(steps), answer)]

    async def redact(self, call: GroupCall) -> Sequence[a.Step]:
        """Clear a case's typed reason (one that names or describes someone, e.g. after their erasure). The case,
        its action and its clause stay: the record of what was done must."""
        community, now = call.community, self.ctx.clock.now()
        number = parse_case_number(call.args)
        if number is None:
            raise Refused("mod_usage_redact")
        async with self.ctx.db.unit_of_work() as tx:
            case = await store.case_by_number(tx, community.id, number)
            if case is None:
                raise Refused("mod_unknown_case", number=number)
            await store.clear_reason(tx, case.id)
            await audit.record(tx, at=now, platform=community.platform, chat_id=call.event.chat.id,
                               actor=call.event.sender.user.id, action="case_reason_cleared",
                               reason=f"case {number}", outcome="recorded")
        return [reply(call.event, self.m("mod_redact_done", number=number))]

    @staticmethod
    def reversing_steps(community: CommunityView, case: CaseView, plan: tuple[CaseAction, ...]) -> list[a.Action]:
        chat = chat_in(community, case.chat_id)
        user = UserRef(Platform(community.platform), case.target_user_id) if case.target_user_id else None
        why = f"undo of case {case.number}"
        steps: list[a.Action] = []
        for action in plan:
            if action == CaseAction.UNMUTE and user is not None:
                steps.append(a.UnmuteMember(chat=chat, user=user, reason=why))
            elif action == CaseAction.UNBAN and user is not None:
                steps.append(a.UnbanMember(chat=chat, user=user, reason=why))
            elif action == CaseAction.SLOWMODE:
                steps.append(a.SetSlowMode(chat=chat, seconds=0, reason=why))
        return steps
