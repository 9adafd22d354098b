"""The host's moves on the queue (SPEC §4): /next gives a question the floor, /answered, /park, /dismiss and
/refer resolve one, /merge joins two and /reopen puts one back; and the floor and time-box timers of the live
question. Public replies never name an anonymous or private asker."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import timers
from bot.actions import Action, SendMessage
from bot.command_router import GroupCall, Refused
from bot.context import Context
from bot.events import TimerFired
from bot.features import TimerKind
from bot.handlers.private_answers import reply_button
from bot.handlers.question_posts import asker_note, asker_of, current_session, host_label, local_date, log_move, \
    question_group, question_label, refer, refresh, session_chats
from bot.refs import Platform, UserRef
from bot.storage import people
from bot.storage import sessions as store
from config.settings import SessionSettings
from facilitation.queue import MOVE_TARGET, Move, QuestionState, QuestionView, Visibility, check_move, order_queue, \
    parse_number, parse_target
from facilitation.sessions import SessionState, SessionView, may_host, may_steer, timer_key

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class QuestionTimer:
    """The end of the asker's time on the floor ("floor"), or the host's time-box nudge ("timebox")."""

    session_id: int
    question_id: int
    platform: str
    what: str
    host_user_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"session_id": self.session_id, "question_id": self.question_id,
                                "platform": self.platform, "what": self.what}
        if self.host_user_id is not None:
            body["host_user_id"] = self.host_user_id
        return body

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QuestionTimer:
        host = data.get("host_user_id")
        return cls(int(data["session_id"]), int(data["question_id"]), str(data["platform"]), str(data.get("what", "")),
                   str(host) if host is not None else None)


QUESTION_TIMER = TimerKind("question", QuestionTimer.from_dict)

class HostMoves:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @property
    def cfg(self) -> SessionSettings:
        return self.ctx.settings.sessions

    async def _hosted(self, call: GroupCall, *, steer: bool = True) -> SessionView:
        """The current session, if the sender hosts it. In a joint surgery, taking the next question, merging
        and reopening steer the whole queue (`steer`): the councillor, or a facilitator of the group it was
        scheduled in; a joined group's facilitators resolve only their own group's questions (`_may_touch`)."""
        view = await current_session(self.ctx, call.community.id)
        if view is None:
            raise Refused("no_session")
        allowed = may_steer(call.standing, view, call.community.id) if steer \
            else may_host(call.standing, view)
        if not allowed:
            raise Refused("not_allowed", role=self.ctx.messages("role_host"))
        return view

    @staticmethod
    def _may_touch(call: GroupCall, view: SessionView, q: QuestionView) -> bool:
        return may_steer(call.standing, view, call.community.id) or q.community_id == call.community.id

    async def cmd_next(self, call: GroupCall) -> Sequence[Action]:
        m, event, now = self.ctx.messages, call.event, self.ctx.clock.now()
        view = await self._hosted(call)
        platform = str(event.chat.platform)
        async with self.ctx.db.unit_of_work() as tx:
            found = await store.questions(tx, view.id)
            live = next((q for q in found if q.state == QuestionState.LIVE), None)
            if view.state != SessionState.OPEN:
                raise Refused("move_session_not_running")
            if live is not None:
                raise Refused("next_finish_live", number=live.number)
            ordered = order_queue(found)
            if not ordered:
                raise Refused("queue_empty_host")
            q = ordered[0]
            await store.set_question_state(tx, q.id, QuestionState.LIVE, now)
            await log_move(self.ctx, tx, q, Move.NEXT, event.sender.user.id, platform)
            # Only a public asker is given the floor in the group: naming anyone else would unmask them.
            floor_user = q.asker_user_id if q.visibility == Visibility.PUBLIC else None
            floor_until = now + timedelta(minutes=self.cfg.floor_minutes) if floor_user else None
            await store.save_session(tx, replace(view, live_question_id=q.id, floor_user_id=floor_user,
                                                      floor_until=floor_until))
            if floor_until is not None:
                await timers.schedule(tx, QUESTION_TIMER, QuestionTimer(view.id, q.id, platform, "floor"),
                                      due_at=floor_until, now=now, key=timer_key(view.id, "floor"))
            await timers.schedule(tx, QUESTION_TIMER,
                                  QuestionTimer(view.id, q.id, platform, "timebox", event.sender.user.id),
                                  due_at=now + timedelta(minutes=self.cfg.time_box_minutes), now=now,
                                  key=timer_key(view.id, "timebox"))
            q = await store.reread_question(tx, q.id)
        self.ctx.timers.notify()
        chats = await session_chats(self.ctx, view)
        if q.visibility == Visibility.PUBLIC:
            text = m("next_public", number=q.number, name=q.asker_name or m("a_resident"), text=q.text,
                     minutes=self.cfg.floor_minutes)
        elif q.visibility == Visibility.ANONYMOUS:
            text = m("next_anonymous", number=q.number, text=q.text)
        else:
            text = m("next_private", number=q.number)
        actions: list[Action] = [SendMessage(target=c, text=text, reason="/next") for c in chats]
        actions += refresh(self.ctx, q)
        if q.visibility == Visibility.PRIVATE:
            actions.append(SendMessage(target=event.sender.user, text=m("next_private_for_host", number=q.number,
                                                                         text=q.text), reason="/next",
                                       buttons=(reply_button(self.ctx, q),)))
        asker = asker_of(q)
        if asker is not None and q.visibility != Visibility.PUBLIC:
            actions.append(SendMessage(target=asker, text=m("asker_taken_now", number=q.number), reason="/next"))
        return actions

    async def cmd_answered(self, call: GroupCall) -> Sequence[Action]:
        return await self._resolve(call, Move.ANSWER)

    async def cmd_park(self, call: GroupCall) -> Sequence[Action]:
        return await self._resolve(call, Move.PARK)

    async def cmd_dismiss(self, call: GroupCall) -> Sequence[Action]:
        return await self._resolve(call, Move.DISMISS)

    async def cmd_refer(self, call: GroupCall) -> Sequence[Action]:
        return await self._resolve(call, Move.REFER)

    async def _pick(self, tx: AsyncSession, view: SessionView, number: int | None) -> QuestionView | None:
        if number is not None:
            return await store.question_by_number(tx, view.id, number)
        return await store.question_by_id(tx, view.live_question_id) if view.live_question_id else None

    async def _clear_live(self, tx: AsyncSession, view: SessionView, q: QuestionView, now: datetime) -> None:
        if view.live_question_id == q.id:
            await store.save_session(tx, replace(view, live_question_id=None, floor_user_id=None,
                                                      floor_until=None))
            await timers.cancel(tx, timer_key(view.id, "floor"), now)
            await timers.cancel(tx, timer_key(view.id, "timebox"), now)

    async def _resolve(self, call: GroupCall, move: Move) -> Sequence[Action]:
        m, event, now = self.ctx.messages, call.event, self.ctx.clock.now()
        view = await self._hosted(call, steer=False)
        number, note = parse_target(call.args)
        if number is None and call.args.strip().startswith("#"):
            raise Refused("unknown_question", number=call.args.split()[0][1:][:10])
        referral = None
        async with self.ctx.db.unit_of_work() as tx:
            q = await self._pick(tx, view, number)
            if q is None:
                key = "no_live_question" if number is None else "unknown_question"
                raise Refused(key, number=number)
            if not self._may_touch(call, view, q):
                raise Refused("question_of_another_group", number=q.number)
            problem = check_move(move, q, view.state)
            if problem is not None:
                raise Refused(problem.value, number=q.number)
            await store.set_question_state(tx, q.id, MOVE_TARGET[move], now, note=note)
            await log_move(self.ctx, tx, q, move, event.sender.user.id, str(event.chat.platform))
            await self._clear_live(tx, view, q, now)
            if move == Move.REFER:
                referral = await refer(self.ctx, tx, q, note, now)
            q = await store.reread_question(tx, q.id)
        chats = await session_chats(self.ctx, view)
        label = question_label(self.ctx, q)
        actions: list[Action] = [SendMessage(target=c, text=m(f"resolved_{move.value}", label=label),
                                             reason=f"/{move.value}") for c in chats]
        actions += refresh(self.ctx, q)
        asker = asker_of(q)
        if asker is not None and move == Move.ANSWER and note:
            # The note of /answered reaches the asker privately too (held if they can't be reached yet).
            to_asker = asker_note(self.ctx, q, m("answered_note_to_asker", number=q.number, note=note,
                                                 host=host_label(self.ctx, view)),
                                  group=await question_group(self.ctx, q), reason="/answered")
            if to_asker is not None:
                actions.append(to_asker)
        if asker is not None and move in (Move.DISMISS, Move.REFER):
            group = await question_group(self.ctx, q)
            note_for_asker = None
            if move == Move.DISMISS:
                reason = note or m("no_reason_given")
                note_for_asker = asker_note(self.ctx, q, m("dismissed_to_asker", number=q.number, reason=reason),
                                            group=group, reason="/dismiss")
            elif referral is not None:
                note_for_asker = asker_note(self.ctx, q, m("referred_to_asker", number=q.number,
                                                           reference=referral.reference,
                                                           due=local_date(self.ctx, referral.reply_due)),
                                            group=group, reason="/refer")
            if note_for_asker is not None:
                actions.append(note_for_asker)
        if move == Move.REFER and referral is not None:
            actions.append(SendMessage(target=event.sender.user, reason="/refer",
                                       text=m("referred_to_host", number=q.number, reference=referral.reference)))
        return actions

    async def cmd_merge(self, call: GroupCall) -> Sequence[Action]:
        m, event, now = self.ctx.messages, call.event, self.ctx.clock.now()
        view = await self._hosted(call)
        words = call.args.split()
        keep_number = parse_number(words[0]) if len(words) >= 2 else None
        gone_number = parse_number(words[1]) if len(words) >= 2 else None
        if keep_number is None or gone_number is None:
            raise Refused("merge_usage")
        async with self.ctx.db.unit_of_work() as tx:
            keep = await store.question_by_number(tx, view.id, keep_number)
            gone = await store.question_by_number(tx, view.id, gone_number)
            if keep is None:
                raise Refused("unknown_question", number=keep_number)
            if gone is None:
                raise Refused("unknown_question", number=gone_number)
            problem = check_move(Move.MERGE, gone, view.state, into=keep)
            if problem is not None:
                raise Refused(problem.value, number=gone.number)
            await store.set_question_state(tx, gone.id, QuestionState.MERGED, now, merged_into_id=keep.id)
            await log_move(self.ctx, tx, gone, Move.MERGE, event.sender.user.id, str(event.chat.platform))
            await self._clear_live(tx, view, gone, now)
            keep = await store.reread_question(tx, keep.id)
            gone = await store.reread_question(tx, gone.id)
        chats = await session_chats(self.ctx, view)
        actions: list[Action] = [SendMessage(target=c, reason="/merge", text=m(
            "merged_public", gone=gone.number, keep=keep.number, votes=keep.votes)) for c in chats]
        actions += refresh(self.ctx, keep) + refresh(self.ctx, gone)
        for asker in {q.asker_user_id: asker for q in (keep, gone) if (asker := asker_of(q))}.values():
            actions.append(SendMessage(target=asker, reason="/merge",
                                       text=m("merged_to_asker", first=keep.number, second=gone.number)))
        return actions

    async def cmd_reopen(self, call: GroupCall) -> Sequence[Action]:
        m, event, now = self.ctx.messages, call.event, self.ctx.clock.now()
        view = await self._hosted(call)
        number = parse_number(call.args.split()[0]) if call.args.split() else None
        if number is None:
            raise Refused("reopen_usage")
        async with self.ctx.db.unit_of_work() as tx:
            q = await store.question_by_number(tx, view.id, number)
            if q is None:
                raise Refused("unknown_question", number=number)
            problem = check_move(Move.REOPEN, q, view.state)
            if problem is not None:
                raise Refused(problem.value, number=q.number)
            host_id = q.merged_into_id
            await store.set_question_state(tx, q.id, QuestionState.QUEUED, now, merged_into_id=None)
            await log_move(self.ctx, tx, q, Move.REOPEN, event.sender.user.id, str(event.chat.platform))
            await self._clear_live(tx, view, q, now)
            q = await store.reread_question(tx, q.id)
            former_host = await store.question_by_id(tx, host_id) if host_id else None
        chats = await session_chats(self.ctx, view)
        actions: list[Action] = [SendMessage(target=c, text=m("reopened_public", label=question_label(self.ctx, q)),
                                             reason="/reopen") for c in chats]
        actions += refresh(self.ctx, q) + (refresh(self.ctx, former_host) if former_host else [])
        return actions

    async def on_timer(self, event: TimerFired, timer: QuestionTimer) -> Sequence[Action]:
        m = self.ctx.messages
        async with self.ctx.db.unit_of_work() as tx:
            view = await store.get_session(tx, timer.session_id)
            q = await store.question_by_id(tx, timer.question_id)
            if view is None or q is None or view.state not in (SessionState.OPEN, SessionState.PAUSED) \
                    or view.live_question_id != q.id or q.state != QuestionState.LIVE:
                return []  # the question moved on before the timer came due
            if timer.what == "floor":
                await store.save_session(tx, replace(view, floor_user_id=None, floor_until=None))
            else:
                host = await people.host_identity(tx, view, timer.platform)
        if timer.what == "floor":
            return [SendMessage(target=c, text=m("floor_over", number=q.number), reason="floor over")
                    for c in await session_chats(self.ctx, view)]
        platform = Platform(timer.platform)
        targets = dict.fromkeys(uid for uid in (timer.host_user_id, host) if uid)
        return [SendMessage(target=UserRef(platform, uid), reason="time box",
                            text=m("timebox_nudge", number=q.number, minutes=self.cfg.time_box_minutes))
                for uid in targets]
