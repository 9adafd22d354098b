"""Residents' questions and the host's queue (SPEC §4): /ask in a group or privately (anonymous or private),
👍 votes, /queue, strict-mode approval, and /next, /answered, /park, /dismiss, /merge, /refer, /reopen.
Public replies never name an anonymous or private asker; askers hear about their own question privately.
The private /ask conversation (draft, community and visibility buttons) is in private_ask.py."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import Any

from bot import timers
from bot.actions import Action, AnswerButton, EditMessage, SendMessage, Step
from bot.command_router import CommandCall, CommandRouter, CommandSpec, Where, reply
from bot.context import Context
from bot.events import ButtonPressed, CommandReceived, TimerFired
from bot.features import Arg, ArgKind, ButtonRoute, Feature, TimerKind, TimerRoute
from bot.handlers.private_ask import PrivateAsk
from bot.handlers.question_posts import asker_note, post_question, question_group, question_label, \
    refresh, session_chats
from bot.refs import Button, ChatKind, ChatRef, Platform, UserRef
from bot.storage import audit, people
from bot.storage import sessions as store
from facilitation.casework import reply_deadline
from facilitation.queue import (
    MOVE_TARGET,
    Move,
    QuestionState,
    QuestionView,
    Visibility,
    VoteOutcome,
    check_move,
    check_question_text,
    decide_vote,
    initial_state,
    order_queue,
    parse_number,
    parse_target,
)
from facilitation.roles import ROLE_NAME_KEY, Role
from facilitation.sessions import ModerationMode, SessionState, SessionView, may_host, timer_key

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

class QuestionHandlers:
    def __init__(self, ctx: Context, router: CommandRouter) -> None:
        self.ctx = ctx
        self.router = router
        self.private = PrivateAsk(ctx, self.submit, self._toast)

    def feature(self) -> Feature:
        # Host moves act on the live question unless another is named; the number comes first: `/park #4 later`.
        which = Arg("question", "Question number (empty: the live question)", ArgKind.QUESTION)
        note = Arg("note", "A short note")

        def move(name: str, summary: str, *args: Arg) -> CommandSpec:
            return CommandSpec(name, getattr(self, f"cmd_{name}"), summary, role=Role.HOST, where=Where.GROUP,
                               args=args)

        def number(name: str = "number") -> Arg:
            return Arg(name, "Question number", ArgKind.NUMBER, required=True)

        private = self.private
        return Feature(
            "questions",
            commands=(
                CommandSpec("ask", self.ask, "ask the councillor a question (privately: anonymous or private)",
                            args=(Arg("text", "Your question", required=True),)),
                CommandSpec("queue", self.queue, "the questions waiting, most wanted first", where=Where.GROUP),
                CommandSpec("approve", self.approve, "strict mode: let a question into the queue",
                            role=Role.FACILITATOR, where=Where.GROUP, args=(number(),)),
                move("next", "take the top question"),
                move("answered", "mark the question answered", which, note),
                move("park", "park the question for later", which, Arg("reason", "Why (shown in the case log)")),
                move("dismiss", "set a question aside", which, Arg("reason", "Why (the asker is told privately)")),
                move("refer", "refer the question to casework", which, note),
                move("merge", "merge question b into a", number("a"), number("b")),
                move("reopen", "put a question back in the queue", number()),
            ),
            buttons=tuple(ButtonRoute(f"{prefix}:", self._numbered(handler)) for prefix, handler in (
                ("vote", self.on_vote), ("askc", private.on_community), ("askv", private.on_visibility),
                ("askx", private.on_cancel), ("approve", self.on_approve_button), ("followup", self.on_followup))),
            timers=(TimerRoute(QUESTION_TIMER, self.on_timer),),
        )

    @property
    def cfg(self):  # type: ignore[no-untyped-def]
        return self.ctx.settings.sessions

    def local_date(self, when: datetime) -> str:
        return when.astimezone(self.ctx.settings.council.zone).strftime(self.ctx.messages("date_format"))

    async def _current(self, community_id: int) -> SessionView | None:
        async with self.ctx.db.unit_of_work() as tx:
            return await store.current_session(tx, community_id)

    async def _chats(self, view: SessionView) -> list[ChatRef]:
        return await session_chats(self.ctx, view)

    def _not_host(self, event: CommandReceived) -> list[Action]:
        m = self.ctx.messages
        return [reply(event, m("not_allowed", role=m(ROLE_NAME_KEY[Role.HOST])))]

    @staticmethod
    def _asker(q: QuestionView) -> UserRef | None:
        if q.asker_platform is None or q.asker_user_id is None:
            return None
        return UserRef(Platform(q.asker_platform), q.asker_user_id)

    async def _staff_targets(self, view: SessionView, community_id: int | None, platform: str) -> list[UserRef]:
        """The host councillor and the community's facilitators, for private questions and approvals."""
        async with self.ctx.db.unit_of_work() as tx:
            ids = []
            host = await people.councillor_identity(tx, view.councillor_id, platform)
            if host:
                ids.append(host)
            cids = [community_id] if community_id is not None else list(view.community_ids)
            for cid in cids:
                ids += [f.user_id for f in await people.list_facilitators(tx, cid) if f.platform == platform]
        return [UserRef(Platform(platform), uid) for uid in dict.fromkeys(ids)]

    # -- asking -----------------------------------------------------------------------------------------------

    async def ask(self, call: CommandCall) -> Sequence[Action]:
        m, event = self.ctx.messages, call.event
        problem = check_question_text(call.args)
        if problem is not None:
            key = problem.value + ("_private" if event.chat_kind == ChatKind.PRIVATE and problem.value == "ask_empty"
                                   else "")
            return [reply(event, m(key, limit=1000))]
        if event.chat_kind == ChatKind.PRIVATE:
            return await self.private.start(call)
        community = call.community
        assert community is not None
        view = await self._current(community.id)
        if view is None:
            return [reply(event, m("ask_no_session"))]
        return await self.submit(view, community.id, event.chat.platform, event.sender.user.id,
                                 event.sender.display_name, call.args.strip(), Visibility.PUBLIC, origin=event)

    async def submit(self, view: SessionView, community_id: int, platform: Platform, user_id: str, name: str,
                     text: str, visibility: Visibility, *, origin: CommandReceived | None = None) -> list[Action]:
        """Store a question and make it known: posted with its vote button, or sent to staff privately, or held
        for approval. Returns the acknowledgement for the asker as well."""
        m, now = self.ctx.messages, self.ctx.clock.now()
        strict = view.mode == ModerationMode.STRICT
        async with self.ctx.db.unit_of_work() as tx:
            person_id = await people.person_for(tx, str(platform), user_id, display_name=name, now=now)
            q = await store.add_question(tx, session_id=view.id, community_id=community_id, text=text,
                                         visibility=visibility, state=initial_state(strict), now=now,
                                         asker_person_id=person_id, asker_platform=str(platform),
                                         asker_user_id=user_id, asker_name=name)
            await audit.record(tx, at=now, platform=str(platform), actor=user_id, action="question_asked",
                               target=f"question:{q.id}", reason=f"{visibility.value} {q.state.value}",
                               outcome="recorded")
        actions: list[Step] = []
        asker = UserRef(platform, user_id)
        if q.state == QuestionState.PENDING:
            staff = await self._staff_targets(view, community_id, str(platform))
            for target in staff:
                actions.append(SendMessage(target=target, reason="question awaiting approval",
                                           text=m("approval_request", number=q.number, text=q.text,
                                                  kind=m(f"visibility_{visibility.value}")),
                                           buttons=(Button(m("approve_button"), f"approve:{q.id}"),)))
            ack = m("ask_pending", number=q.number)
        elif visibility == Visibility.PRIVATE:
            actions += await self._to_staff_private(view, q, str(platform))
            ack = m("ask_private_done", number=q.number)
        else:
            actions += await post_question(self.ctx, q, await self._chats(view))
            ack = m("ask_anonymous_done", number=q.number) if visibility == Visibility.ANONYMOUS else ""
        if origin is not None and origin.chat_kind != ChatKind.PRIVATE:
            # In the group the posted question is the acknowledgement; only strict mode needs a word.
            if q.state == QuestionState.PENDING:
                actions.append(reply(origin, ack))
        elif ack:
            actions.append(SendMessage(target=asker, text=ack, reason="/ask"))
        return actions

    async def _to_staff_private(self, view: SessionView, q: QuestionView, platform: str) -> list[Action]:
        m = self.ctx.messages
        staff = await self._staff_targets(view, q.community_id, platform)
        return [SendMessage(target=t, text=m("private_question_for_staff", number=q.number, text=q.text),
                            reason="private question") for t in staff]

    # -- buttons ----------------------------------------------------------------------------------------------

    def _numbered(self, handler: Callable[[ButtonPressed, str], Awaitable[Sequence[Action]]]) \
            -> Callable[[ButtonPressed], Awaitable[Sequence[Action]]]:
        """The press's data after the prefix starts with a number (a question or draft id), or it is stale."""
        async def press(event: ButtonPressed) -> Sequence[Action]:
            rest = event.data.partition(":")[2]
            if not rest.split(":")[0].isdigit():
                return [self._toast(event, "button_expired")]
            return await handler(event, rest)

        press.__qualname__ = getattr(handler, "__qualname__", "button")
        return press

    def _toast(self, event: ButtonPressed, key: str, **values: object) -> AnswerButton:
        return AnswerButton(chat=event.chat, press_id=event.press_id, text=self.ctx.messages(key, **values),
                            reason="button")

    async def on_vote(self, event: ButtonPressed, rest: str) -> Sequence[Action]:
        now, platform = self.ctx.clock.now(), str(event.chat.platform)
        async with self.ctx.db.unit_of_work() as tx:
            q = await store.question_by_id(tx, int(rest))
            view = await store.get_session(tx, q.session_id) if q else None
            if q is None or view is None:
                return [self._toast(event, "button_expired")]
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
        actions: list[Action] = [self._toast(event, outcome.value)]
        if outcome in (VoteOutcome.ADDED, VoteOutcome.WITHDRAWN):
            for changed in (shown, host_q):
                if changed is not None:
                    actions += refresh(self.ctx, changed)
        return actions

    async def on_approve_button(self, event: ButtonPressed, rest: str) -> Sequence[Action]:
        async with self.ctx.db.unit_of_work() as tx:
            q = await store.question_by_id(tx, int(rest))
            allowed = q is not None and q.community_id is not None and await people.is_facilitator(
                tx, q.community_id, str(event.chat.platform), event.sender.user.id)
        if not allowed:
            return [self._toast(event, "button_not_for_you")]
        actions = await self.approve_question(q, event.sender.user.id, str(event.chat.platform))
        return [self._toast(event, "ok_toast")] + actions

    async def on_followup(self, event: ButtonPressed, rest: str) -> Sequence[Action]:
        """A resident whose question wasn't reached asks for a follow-up: it becomes a casework referral."""
        m, now = self.ctx.messages, self.ctx.clock.now()
        async with self.ctx.db.unit_of_work() as tx:
            q = await store.question_by_id(tx, int(rest))
            if q is None or q.asker_user_id != event.sender.user.id:
                return [self._toast(event, "button_not_for_you")]
            existing = await store.referral_for_question(tx, q.id)
            referral = existing or await self._refer(tx, q, m("followup_note"), now)
        return [self._toast(event, "ok_toast"),
                EditMessage(message=event.message, text=m("referred_to_asker", number=q.number,
                                                          reference=referral.reference,
                                                          due=self.local_date(referral.reply_due)),
                            reason="follow-up")]

    # -- the queue ------------------------------------------------------------------------------------------------

    async def queue(self, call: CommandCall) -> Sequence[Action]:
        m = self.ctx.messages
        assert call.community is not None
        view = await self._current(call.community.id)
        if view is None:
            return [reply(call.event, m("no_session"))]
        async with self.ctx.db.unit_of_work() as tx:
            found = await store.questions(tx, view.id)
        ordered = order_queue(found)
        live = next((q for q in found if q.state == QuestionState.LIVE), None)
        if not ordered and live is None:
            return [reply(call.event, m("queue_empty_public"))]
        lines = [m("queue_header", waiting=len(ordered))]
        if live is not None:
            lines.append(m("queue_live_line", label=question_label(self.ctx, live)))
        for q in ordered[:self.cfg.queue_shown]:
            lines.append(m("queue_line", votes=q.votes, label=question_label(self.ctx, q)))
        return [reply(call.event, "\n".join(lines))]

    async def approve(self, call: CommandCall) -> Sequence[Action]:
        m, event = self.ctx.messages, call.event
        number = parse_number(call.args.split()[0]) if call.args.split() else None
        if number is None:
            return [reply(event, m("approve_usage"))]
        assert call.community is not None
        view = await self._current(call.community.id)
        if view is None:
            return [reply(event, m("no_session"))]
        async with self.ctx.db.unit_of_work() as tx:
            q = await store.question_by_number(tx, view.id, number)
        if q is None:
            return [reply(event, m("unknown_question", number=number))]
        return await self.approve_question(q, event.sender.user.id, str(event.chat.platform), origin=event)

    async def approve_question(self, q: QuestionView, actor: str, platform: str, *,
                               origin: CommandReceived | None = None) -> list[Action]:
        m, now = self.ctx.messages, self.ctx.clock.now()
        async with self.ctx.db.unit_of_work() as tx:
            view = await store.get_session(tx, q.session_id)
            problem = check_move(Move.APPROVE, q, view.state)
            if problem is None:
                await store.set_question_state(tx, q.id, QuestionState.QUEUED, now)
                await self._log(tx, q, Move.APPROVE, actor, platform)
                q = await store.question_by_id(tx, q.id)
        if problem is not None:
            return [reply(origin, m(problem.value, number=q.number))] if origin else []
        actions: list[Step] = []
        if q.visibility == Visibility.PRIVATE:
            actions += await self._to_staff_private(view, q, platform)
        else:
            actions += await post_question(self.ctx, q, await self._chats(view))
        asker = self._asker(q)
        if asker is not None:
            actions.append(SendMessage(target=asker, text=m("asker_approved", number=q.number), reason="approved"))
        if origin is not None and q.visibility == Visibility.PRIVATE:
            actions.append(reply(origin, m("approved_private", number=q.number)))
        return actions

    async def _log(self, tx, q: QuestionView, move: Move, actor: str, platform: str) -> None:  # type: ignore[no-untyped-def]
        """Every state change is logged, without the question's text."""
        await audit.record(tx, at=self.ctx.clock.now(), platform=platform, actor=actor,
                           action=f"question_{move.value}", target=f"question:{q.id}",
                           reason=f"{q.state.value} -> {MOVE_TARGET[move].value}", outcome="recorded")

    # -- host controls -------------------------------------------------------------------------------------------

    async def _hosted(self, call: CommandCall) -> tuple[SessionView | None, list[Action]]:
        """The current session, if the sender hosts it; otherwise the reply to give."""
        assert call.community is not None
        view = await self._current(call.community.id)
        if view is None:
            return None, [reply(call.event, self.ctx.messages("no_session"))]
        if not may_host(call.standing, view.councillor_id):
            return None, self._not_host(call.event)
        return view, []

    async def cmd_next(self, call: CommandCall) -> Sequence[Action]:
        m, event, now = self.ctx.messages, call.event, self.ctx.clock.now()
        view, refusal = await self._hosted(call)
        if view is None:
            return refusal
        platform = str(event.chat.platform)
        async with self.ctx.db.unit_of_work() as tx:
            found = await store.questions(tx, view.id)
            live = next((q for q in found if q.state == QuestionState.LIVE), None)
            if view.state != SessionState.OPEN:
                return [reply(event, m("move_session_not_running"))]
            if live is not None:
                return [reply(event, m("next_finish_live", number=live.number))]
            ordered = order_queue(found)
            if not ordered:
                return [reply(event, m("queue_empty_host"))]
            q = ordered[0]
            await store.set_question_state(tx, q.id, QuestionState.LIVE, now)
            await self._log(tx, q, Move.NEXT, event.sender.user.id, platform)
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
            q = await store.question_by_id(tx, q.id)
        self.ctx.timers.notify()
        chats = await self._chats(view)
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
                                                                         text=q.text), reason="/next"))
        asker = self._asker(q)
        if asker is not None and q.visibility != Visibility.PUBLIC:
            actions.append(SendMessage(target=asker, text=m("asker_taken_now", number=q.number), reason="/next"))
        return actions

    async def cmd_answered(self, call: CommandCall) -> Sequence[Action]:
        return await self._resolve(call, Move.ANSWER)

    async def cmd_park(self, call: CommandCall) -> Sequence[Action]:
        return await self._resolve(call, Move.PARK)

    async def cmd_dismiss(self, call: CommandCall) -> Sequence[Action]:
        return await self._resolve(call, Move.DISMISS)

    async def cmd_refer(self, call: CommandCall) -> Sequence[Action]:
        return await self._resolve(call, Move.REFER)

    async def _pick(self, tx, view: SessionView, number: int | None) -> QuestionView | None:  # type: ignore[no-untyped-def]
        if number is not None:
            return await store.question_by_number(tx, view.id, number)
        return await store.question_by_id(tx, view.live_question_id) if view.live_question_id else None

    async def _clear_live(self, tx, view: SessionView, q: QuestionView, now: datetime) -> None:  # type: ignore[no-untyped-def]
        if view.live_question_id == q.id:
            await store.save_session(tx, replace(view, live_question_id=None, floor_user_id=None,
                                                      floor_until=None))
            await timers.cancel(tx, timer_key(view.id, "floor"), now)
            await timers.cancel(tx, timer_key(view.id, "timebox"), now)

    async def _refer(self, tx, q: QuestionView, note: str, now: datetime) -> store.ReferralView:  # type: ignore[no-untyped-def]
        zone = self.ctx.settings.council.zone
        due_day = reply_deadline(now.astimezone(zone).date(), self.cfg.casework_reply_days)
        # Due by the end of that working day, council time.
        due = datetime.combine(due_day, time(17, 0), tzinfo=zone)
        return await store.create_referral(tx, question_id=q.id, person_id=q.asker_person_id,
                                           session_id=q.session_id, note=note, reply_due=due, now=now)

    async def _resolve(self, call: CommandCall, move: Move) -> Sequence[Action]:
        m, event, now = self.ctx.messages, call.event, self.ctx.clock.now()
        view, refusal = await self._hosted(call)
        if view is None:
            return refusal
        number, note = parse_target(call.args)
        if number is None and call.args.strip().startswith("#"):
            return [reply(event, m("unknown_question", number=call.args.split()[0][1:][:10]))]
        referral = None
        async with self.ctx.db.unit_of_work() as tx:
            q = await self._pick(tx, view, number)
            if q is None:
                key = "no_live_question" if number is None else "unknown_question"
                return [reply(event, m(key, number=number))]
            problem = check_move(move, q, view.state)
            if problem is not None:
                return [reply(event, m(problem.value, number=q.number))]
            await store.set_question_state(tx, q.id, MOVE_TARGET[move], now, note=note)
            await self._log(tx, q, move, event.sender.user.id, str(event.chat.platform))
            await self._clear_live(tx, view, q, now)
            if move == Move.REFER:
                referral = await self._refer(tx, q, note, now)
            q = await store.question_by_id(tx, q.id)
        chats = await self._chats(view)
        label = question_label(self.ctx, q)
        actions: list[Action] = [SendMessage(target=c, text=m(f"resolved_{move.value}", label=label),
                                             reason=f"/{move.value}") for c in chats]
        actions += refresh(self.ctx, q)
        asker = self._asker(q)
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
                                                           due=self.local_date(referral.reply_due)),
                                            group=group, reason="/refer")
            if note_for_asker is not None:
                actions.append(note_for_asker)
        if move == Move.REFER and referral is not None:
            actions.append(SendMessage(target=event.sender.user, reason="/refer",
                                       text=m("referred_to_host", number=q.number, reference=referral.reference)))
        return actions

    async def cmd_merge(self, call: CommandCall) -> Sequence[Action]:
        m, event, now = self.ctx.messages, call.event, self.ctx.clock.now()
        view, refusal = await self._hosted(call)
        if view is None:
            return refusal
        words = call.args.split()
        numbers = [parse_number(w) for w in words[:2]]
        if len(words) < 2 or None in numbers:
            return [reply(event, m("merge_usage"))]
        async with self.ctx.db.unit_of_work() as tx:
            keep = await store.question_by_number(tx, view.id, numbers[0])
            gone = await store.question_by_number(tx, view.id, numbers[1])
            missing = numbers[0] if keep is None else numbers[1] if gone is None else None
            if missing is not None:
                return [reply(event, m("unknown_question", number=missing))]
            problem = check_move(Move.MERGE, gone, view.state, into=keep)
            if problem is not None:
                return [reply(event, m(problem.value, number=gone.number))]
            await store.set_question_state(tx, gone.id, QuestionState.MERGED, now, merged_into_id=keep.id)
            await self._log(tx, gone, Move.MERGE, event.sender.user.id, str(event.chat.platform))
            await self._clear_live(tx, view, gone, now)
            keep = await store.question_by_id(tx, keep.id)
            gone = await store.question_by_id(tx, gone.id)
        chats = await self._chats(view)
        actions: list[Action] = [SendMessage(target=c, reason="/merge", text=m(
            "merged_public", gone=gone.number, keep=keep.number, votes=keep.votes)) for c in chats]
        actions += refresh(self.ctx, keep) + refresh(self.ctx, gone)
        for q in {a.asker_user_id: a for a in (keep, gone) if self._asker(a)}.values():
            actions.append(SendMessage(target=self._asker(q), reason="/merge",
                                       text=m("merged_to_asker", gone=gone.number, keep=keep.number)))
        return actions

    async def cmd_reopen(self, call: CommandCall) -> Sequence[Action]:
        m, event, now = self.ctx.messages, call.event, self.ctx.clock.now()
        view, refusal = await self._hosted(call)
        if view is None:
            return refusal
        number = parse_number(call.args.split()[0]) if call.args.split() else None
        if number is None:
            return [reply(event, m("reopen_usage"))]
        async with self.ctx.db.unit_of_work() as tx:
            q = await store.question_by_number(tx, view.id, number)
            if q is None:
                return [reply(event, m("unknown_question", number=number))]
            problem = check_move(Move.REOPEN, q, view.state)
            if problem is not None:
                return [reply(event, m(problem.value, number=q.number))]
            host_id = q.merged_into_id
            await store.set_question_state(tx, q.id, QuestionState.QUEUED, now, merged_into_id=None)
            await self._log(tx, q, Move.REOPEN, event.sender.user.id, str(event.chat.platform))
            await self._clear_live(tx, view, q, now)
            q = await store.question_by_id(tx, q.id)
            former_host = await store.question_by_id(tx, host_id) if host_id else None
        chats = await self._chats(view)
        actions: list[Action] = [SendMessage(target=c, text=m("reopened_public", label=question_label(self.ctx, q)),
                                             reason="/reopen") for c in chats]
        actions += refresh(self.ctx, q) + (refresh(self.ctx, former_host) if former_host else [])
        return actions

    # -- timers --------------------------------------------------------------------------------------------------

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
                host = await people.councillor_identity(tx, view.councillor_id, timer.platform)
        if timer.what == "floor":
            return [SendMessage(target=c, text=m("floor_over", number=q.number), reason="floor over")
                    for c in await self._chats(view)]
        platform = Platform(timer.platform)
        targets = dict.fromkeys(uid for uid in (timer.host_user_id, host) if uid)
        return [SendMessage(target=UserRef(platform, uid), reason="time box",
                            text=m("timebox_nudge", number=q.number, minutes=self.cfg.time_box_minutes))
                for uid in targets]

