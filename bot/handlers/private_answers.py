"""Private answers (SPEC §4): the host, or a facilitator of the asker's community, answers a private or anonymous
question from their private chat with `/reply <n> <text>`; the "Reply privately" button under the notice they
got prompts for it. The asker gets it privately, with the
councillor's name and their question; the group sees only "#n answered privately". An asker who can't be
reached now gets it when they next /start the bot (the executor holds it), and the host is told so."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from bot import timers
from bot.actions import Action, ActionResult, AnswerButton, FollowUp, SendMessage, Step
from bot.command_router import CommandCall, Refused, Where
from bot.context import Context
from bot.errors import Forbidden
from bot.events import ButtonPressed
from bot.features import Arg, ArgKind, ButtonRoute, CommandSpec, Feature
from bot.handlers.question_posts import asker_of, host_label, log_move, refresh, session_chats
from bot.refs import Button, UserRef
from bot.storage import people
from bot.storage import sessions as store
from facilitation.queue import Move, QuestionState, QuestionView
from facilitation.replies import SETTLED_BY_REPLY, answerable_privately, parse_reply
from facilitation.sessions import SessionView, timer_key

log = logging.getLogger(__name__)

REPLY_BUTTON_PREFIX = "preply"


def reply_button(ctx: Context, q: QuestionView) -> Button:
    """Under a private question's notice to staff: prompts for the `/reply` that answers it."""
    return Button(ctx.messages("reply_privately_button"), f"{REPLY_BUTTON_PREFIX}:{q.id}")


class PrivateAnswers:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def feature(self) -> Feature:
        return Feature(
            "private answers",
            commands=(
                CommandSpec("reply", self.reply, "answer a private or anonymous question privately: <n> <text>",
                            where=Where.PRIVATE,
                            args=(Arg("number", "Question number", ArgKind.NUMBER, required=True),
                                  Arg("text", "Your answer", required=True))),
            ),
            buttons=(ButtonRoute(f"{REPLY_BUTTON_PREFIX}:", self.on_button),),
        )

    # -- who may answer which question -------------------------------------------------------------------------

    async def _question(self, platform: str, user_id: str, *, number: int | None = None,
                        question_id: int | None = None) -> tuple[SessionView, QuestionView]:
        """The question (by number in the sender's running or latest session, or by id) if the sender may answer
        it privately: the session's host (its councillor, or the council officer hosting it), or a facilitator of
        the asker's community."""
        async with self.ctx.db.unit_of_work() as tx:
            councillor_id = await people.councillor_id_for(tx, platform, user_id)
            facilitated = await people.facilitated_communities(tx, platform, user_id)
            found: tuple[SessionView, QuestionView] | None = None
            if question_id is not None:
                q = await store.question_by_id(tx, question_id)
                view = await store.get_session(tx, q.session_id) if q is not None else None
                found = (view, q) if view is not None and q is not None else None
            elif number is not None:
                for view in await store.sessions_for_staff(tx, councillor_id, facilitated,
                                                           officer=(platform, user_id)):
                    q = await store.question_by_number(tx, view.id, number)
                    if q is not None:
                        found = (view, q)
                        break
        if found is None:
            if councillor_id is None and not facilitated:
                raise Refused("reply_not_staff")
            raise Refused("reply_unknown_question", number=number if number is not None else "?")
        view, q = found
        allowed = (councillor_id is not None and councillor_id == view.councillor_id) or \
            view.hosted_by_officer(platform, user_id) or (q.community_id is not None and q.community_id in facilitated)
        if not allowed:
            raise Refused("reply_not_staff")
        if not answerable_privately(q):
            raise Refused("reply_public_question" if asker_of(q) is not None else "reply_asker_gone",
                          number=q.number)
        return view, q

    # -- answering --------------------------------------------------------------------------------------------------

    async def reply(self, call: CommandCall) -> Sequence[Step]:
        parsed = parse_reply(call.args)
        if parsed is None:
            raise Refused("reply_usage")
        event = call.event
        view, q = await self._question(str(event.chat.platform), event.sender.user.id, number=parsed.number)
        return await self._relay(view, q, parsed.text, event.sender.user)

    async def _relay(self, view: SessionView, q: QuestionView, text: str, staff: UserRef) -> list[Step]:
        m, now = self.ctx.messages, self.ctx.clock.now()
        settled = q.state in SETTLED_BY_REPLY
        async with self.ctx.db.unit_of_work() as tx:
            if settled:
                await store.set_question_state(tx, q.id, QuestionState.ANSWERED, now, note=m("answered_privately_note"))
                await log_move(self.ctx, tx, q, Move.ANSWER, staff.id, str(staff.platform))
                fresh = await store.get_session(tx, view.id)
                if fresh is not None and fresh.live_question_id == q.id:
                    await store.save_session(tx, replace(fresh, live_question_id=None, floor_user_id=None,
                                                         floor_until=None))
                    await timers.cancel(tx, timer_key(view.id, "floor"), now)
                    await timers.cancel(tx, timer_key(view.id, "timebox"), now)
            q = await store.reread_question(tx, q.id)
        asker = asker_of(q)
        assert asker is not None  # answerable_privately
        relay = SendMessage(target=asker, reason="/reply", text=m(
            "private_reply_to_asker", number=q.number, question=_short(q.text), host=host_label(self.ctx, view),
            text=text))

        async def tell_staff(results: list[ActionResult]) -> list[Step]:
            result = results[0] if results else None
            if result is not None and result.ok:
                key = "reply_sent"
            elif result is not None and isinstance(result.error, Forbidden):
                key = "reply_held"  # the executor kept it for their next /start
            else:
                key = "reply_failed"
            return [SendMessage(target=staff, text=m(key, number=q.number), reason="/reply",
                                hold_if_unreachable=False)]

        steps: list[Step] = [FollowUp((relay,), tell_staff)]
        if settled:
            steps += [SendMessage(target=chat, text=m("answered_privately", number=q.number), reason="/reply")
                      for chat in await session_chats(self.ctx, view)]
            steps += refresh(self.ctx, q)
        log.info("private reply to question %s of session %s", q.id, view.id)
        return steps

    # -- the "Reply privately" button and the answer typed after it ---------------------------------------------------

    def _toast(self, event: ButtonPressed, key: str) -> AnswerButton:
        return AnswerButton(chat=event.chat, press_id=event.press_id, text=self.ctx.messages(key), reason="button")

    async def on_button(self, event: ButtonPressed) -> Sequence[Action]:
        """The prompt names the exact command to send. Ordinary private chat is never read (the bot is deaf
        outside sessions: bot/message_gate.py), so the answer comes as a `/reply` command, not a plain message."""
        rest = event.data.partition(":")[2]
        if not rest.isascii() or not rest.isdigit():
            return [self._toast(event, "button_expired")]
        try:
            _, q = await self._question(str(event.chat.platform), event.sender.user.id, question_id=int(rest))
        except Refused:
            return [self._toast(event, "button_not_for_you")]
        return [self._toast(event, "ok_toast"),
                SendMessage(target=event.sender.user, reason="reply prompt", hold_if_unreachable=False,
                            text=self.ctx.messages("reply_prompt", number=q.number))]


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
