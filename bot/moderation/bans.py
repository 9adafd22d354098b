"""/ban and its two-person rule (SPEC §5): one facilitator asks, a different one confirms by button (any may
cancel) within a quarter of an hour; a timed ban is lifted by a durable timer on every platform."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot import actions as a
from bot import timers
from bot.command_router import GroupCall, Refused, reply
from bot.events import ButtonPressed
from bot.moderation.command_checks import FacilitatorCommand
from bot.moderation.moderation_timers import MODERATION_TIMER, BanEnds, unban_timer_key
from bot.moderation.service import Outcome, chat_in
from bot.refs import Button, ChatRef, MessageRef, UserRef
from bot.storage import cases as store
from facilitation.cases import MANUAL, CaseAction
from facilitation.durations import format_duration
from facilitation.numbers import is_ascii_digits, whole_number
from facilitation.targets import first_word

BAN_REQUEST_LIFETIME = timedelta(minutes=15)
BAN_CONFIRM, BAN_CANCEL = "ban:ok:", "ban:no:"


class BanRule(FacilitatorCommand):
    async def ban(self, call: GroupCall) -> Sequence[a.Step]:
        event, now = call.event, self.ctx.clock.now()
        if not (await self._approved(call)).ban_allowed:
            raise Refused("mod_ban_not_allowed")
        user, rest = await self.target(call, present=False)
        head, tail = first_word(rest)
        span = None
        if head and (is_ascii_digits(head[0]) or head[0] in "+-"):
            span, rest = self.duration(head), tail
            self.check_platform(a.BanMember(chat=event.chat, user=user, until=now + span), now)
        name = await self.service.name_of(user.platform, user.id)
        community = call.community
        async with self.ctx.db.unit_of_work() as tx:
            request = await store.request_ban(tx, community_id=community.id, chat_id=event.chat.id,
                                              target_user_id=user.id, requested_by=event.sender.user.id,
                                              duration_seconds=int(span.total_seconds()) if span else None,
                                              reason=rest, now=now, expires_at=now + BAN_REQUEST_LIFETIME)
        until = self.m("mod_ban_until", until=format_duration(span)) if span else ""
        text = self.m("mod_ban_request", requester=event.sender.display_name or self.m("role_facilitator"),
                      name=name, until=until, reason=self.reason_line(rest))
        buttons = (Button(self.m("mod_ban_confirm_button"), f"{BAN_CONFIRM}{request.id}"),
                   Button(self.m("mod_ban_cancel_button"), f"{BAN_CANCEL}{request.id}"))
        return [reply(event, text, buttons=buttons)]

    async def on_ban_button(self, event: ButtonPressed) -> Sequence[a.Step]:
        """The two-person rule: a different facilitator confirms; any facilitator may cancel."""
        if not event.data.startswith((BAN_CONFIRM, BAN_CANCEL)):
            return []
        m, now = self.m, self.ctx.clock.now()

        def toast(key: str) -> list[a.Action]:
            return [a.AnswerButton(chat=event.chat, press_id=event.press_id, text=m(key), reason="/ban")]

        request_id = whole_number(event.data.rsplit(":", 1)[-1])
        if request_id is None:
            return toast("button_expired")
        async with self.ctx.db.unit_of_work() as tx:
            request = await store.get_ban_request(tx, request_id)
        if request is None or request.decided_at is not None:
            return toast("button_expired")
        standing = await self.roles.standing(event.chat, event.sender, request.community_id)
        if not standing.is_facilitator:
            return toast("button_not_for_you")
        confirming = event.data.startswith(BAN_CONFIRM)
        if confirming and event.sender.user.id == request.requested_by:
            return toast("mod_ban_second_needed")
        async with self.ctx.db.unit_of_work() as tx:
            decided = await store.decide_ban_request(tx, request.id, by=event.sender.user.id, now=now)
        if not decided:
            return toast("button_expired")
        ack = a.AnswerButton(chat=event.chat, press_id=event.press_id, reason="/ban")
        if not confirming or now > request.expires_at:
            key = "mod_ban_cancelled" if not confirming else "mod_ban_expired"
            return [ack, a.EditMessage(message=event.message, text=m(key), reason="/ban")]
        return [ack, *await self._ban_confirmed(request, event.chat, event.message, event.sender.user.id)]

    async def _ban_confirmed(self, request: store.BanRequestView, chat: ChatRef, prompt: MessageRef,
                             confirmer: str) -> list[a.Step]:
        """The ban, then the request's message edited to say how it went."""
        m, now = self.m, self.ctx.clock.now()
        community = await self.ctx.cache.community(request.community_id)
        assert community is not None
        user = UserRef(chat.platform, request.target_user_id)
        until = now + timedelta(seconds=request.duration_seconds) if request.duration_seconds else None
        case = await self.service.open_case(community, actions=(CaseAction.BAN,), clause=MANUAL,
                                            actor=request.requested_by, target_user_id=user.id,
                                            reason=request.reason, evidence=f"confirmed by {confirmer}",
                                            expires_at=until, chat_id=request.chat_id)
        if until is not None:
            # Discord bans never end by themselves; a durable timer lifts every timed ban the same way.
            async with self.ctx.db.unit_of_work() as tx:
                await timers.schedule(tx, MODERATION_TIMER,
                                      BanEnds(community.id, request.chat_id, user.id, case.number),
                                      due_at=until, now=now, key=unban_timer_key(community.id, case.number))
            self.ctx.timers.notify()
        step = a.BanMember(chat=chat_in(community, request.chat_id), user=user, until=until,
                           reason=f"case {case.number}: {request.reason}"[:200])

        async def answer(outcome: Outcome) -> list[a.Step]:
            if outcome.failure is not None:
                text = m("mod_failed", number=case.number, problem=outcome.failure)
            else:
                text = m("mod_done_ban", number=case.number, name=await self.service.name_of(user.platform, user.id),
                         until=m("mod_ban_until", until=self.local(until)) if until else "",
                         reason=self.reason_line(request.reason))
            return [a.EditMessage(message=prompt, text=text, reason="/ban")]

        return self.service.carry_out(community, case, [step], then=answer)
