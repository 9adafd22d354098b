"""Presses on question buttons: 👍 votes (and withdrawing one), a facilitator's approval in strict mode, and a
resident's request for a follow-up on a question the session didn't reach."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from functools import partial

from bot.actions import Action, EditMessage, Step
from bot.context import Context
from bot.events import ButtonPressed
from bot.handlers.question_posts import button_toast, local_date, refer, refresh
from bot.storage import people
from bot.storage import sessions as store
from facilitation.queue import QuestionView, VoteOutcome, decide_vote

# QuestionAsking.approve_question: (question, actor, platform) -> actions.
Approve = Callable[[QuestionView, str, str], Awaitable[list[Step]]]


class QuestionButtons:
    def __init__(self, ctx: Context, approve_question: Approve) -> None:
        self.ctx = ctx
        self.approve_question = approve_question
        self.toast = partial(button_toast, ctx)

    def numbered(self, handler: Callable[[ButtonPressed, str], Awaitable[Sequence[Step]]]) \
            -> Callable[[ButtonPressed], Awaitable[Sequence[Step]]]:
        """The press's data after the prefix starts with a number (a question or draft id), or it is stale."""
        async def press(event: ButtonPressed) -> Sequence[Step]:
            rest = event.data.partition(":")[2]
            if not (head := rest.split(":")[0]).isascii() or not head.isdigit():
                return [self.toast(event, "button_expired")]
            return await handler(event, rest)

        press.__qualname__ = getattr(handler, "__qualname__", "button")
        return press

    async def on_vote(self, event: ButtonPressed, rest: str) -> Sequence[Action]:
        now, platform = self.ctx.clock.now(), str(event.chat.platform)
        async with self.ctx.db.unit_of_work() as tx:
            q = await store.question_by_id(tx, int(rest))
            view = await store.get_session(tx, q.session_id) if q else None
            if q is None or view is None:
                return [self.toast(event, "button_expired")]
            person_id = await people.person_for(tx, platform, event.sender.user.id,
                                                display_name=event.sender.display_name, now=now)
            outcome = decide_vote(q, view.state, person_id, await store.has_voted(tx, q.id, person_id))
            if outcome == VoteOutcome.ADDED:
                await store.add_vote(tx, q.id, person_id, now)
            elif outcome == VoteOutcome.WITHDRAWN:
                await store.remove_vote(tx, q.id, person_id)
            # A merged question's votes count for the one it joined: refresh that one's message too.
            shown = await store.question_by_id(tx, q.id)
            host_q = await store.question_by_id(tx, q.merged_into_id) if q.merged_into_id else None
        actions: list[Action] = [self.toast(event, outcome.value)]
        if outcome in (VoteOutcome.ADDED, VoteOutcome.WITHDRAWN):
            for changed in (shown, host_q):
                if changed is not None:
                    actions += refresh(self.ctx, changed)
        return actions

    async def on_approve_button(self, event: ButtonPressed, rest: str) -> Sequence[Step]:
        async with self.ctx.db.unit_of_work() as tx:
            q = await store.question_by_id(tx, int(rest))
            allowed = q is not None and q.community_id is not None and await people.is_facilitator(
                tx, q.community_id, str(event.chat.platform), event.sender.user.id)
        if q is None or not allowed:
            return [self.toast(event, "button_not_for_you")]
        actions = await self.approve_question(q, event.sender.user.id, str(event.chat.platform))
        return [self.toast(event, "ok_toast"), *actions]

    async def on_followup(self, event: ButtonPressed, rest: str) -> Sequence[Action]:
        """A resident whose question wasn't reached asks for a follow-up: it becomes a casework referral."""
        m, now = self.ctx.messages, self.ctx.clock.now()
        async with self.ctx.db.unit_of_work() as tx:
            q = await store.question_by_id(tx, int(rest))
            if q is None or q.asker_user_id != event.sender.user.id:
                return [self.toast(event, "button_not_for_you")]
            existing = await store.referral_for_question(tx, q.id)
            referral = existing or await refer(self.ctx, tx, q, m("followup_note"), now)
        return [self.toast(event, "ok_toast"),
                EditMessage(message=event.message, text=m("referred_to_asker", number=q.number,
                                                          reference=referral.reference,
                                                          due=local_date(self.ctx, referral.reply_due)),
                            reason="follow-up")]
