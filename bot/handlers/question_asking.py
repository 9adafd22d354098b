"""Asking (SPEC §4): /ask in a group or privately (anonymous or private), the question stored and posted with its
vote button, sent to staff, or held for a facilitator's approval in strict mode; /queue and /approve."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from bot.actions import Action, SendMessage, Step
from bot.command_router import CommandCall, GroupCall, Refused, reply
from bot.context import Context
from bot.events import CommandReceived
from bot.handlers.private_answers import reply_button
from bot.handlers.private_ask import PrivateAsk
from bot.handlers.question_posts import asker_of, button_toast, current_session, log_move, post_question, \
    question_label, refresh, session_chats
from bot.refs import Button, ChatKind, Platform, UserRef
from bot.storage import audit, people
from bot.storage import sessions as store
from config.settings import SessionSettings
from facilitation.queue import Move, QuestionState, QuestionView, Visibility, check_move, check_question_text, \
    check_withdraw, initial_state, order_queue, parse_number, parse_one_number
from facilitation.sessions import ModerationMode, SessionView


class QuestionAsking:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.private = PrivateAsk(ctx, self.submit, partial(button_toast, ctx))

    @property
    def cfg(self) -> SessionSettings:
        return self.ctx.settings.sessions

    async def _staff_targets(self, view: SessionView, community_id: int | None, platform: str) -> list[UserRef]:
        """The host (councillor or council officer) and the community's facilitators, for private questions and
        approvals."""
        async with self.ctx.db.unit_of_work() as tx:
            ids: list[tuple[str, str]] = []
            # In a joint surgery across platforms the host may only be reachable on another platform.
            host = await people.host_reach(tx, view, platform, running={str(p) for p in self.ctx.adapters})
            if host:
                ids.append(host)
            cids = [community_id] if community_id is not None else list(view.community_ids)
            for cid in cids:
                ids += [(f.platform, f.user_id) for f in await people.list_facilitators(tx, cid)
                        if f.platform == platform]
        return [UserRef(Platform(p), uid) for p, uid in dict.fromkeys(ids)]

    async def ask(self, call: CommandCall) -> Sequence[Step]:
        event = call.event
        problem = check_question_text(call.args)
        if problem is not None:
            key = problem.value + ("_private" if event.chat_kind == ChatKind.PRIVATE and problem.value == "ask_empty"
                                   else "")
            raise Refused(key, limit=1000)
        if not isinstance(call, GroupCall):  # privately: the resident picks the community and visibility next
            return await self.private.start(call)
        community = call.community
        view = await current_session(self.ctx, community.id)
        if view is None:
            raise Refused("ask_no_session")
        return await self.submit(view, community.id, event.chat.platform, event.sender.user.id,
                                 event.sender.display_name, call.args.strip(), Visibility.PUBLIC, origin=event)

    async def submit(self, view: SessionView, community_id: int, platform: Platform, user_id: str, name: str,
                     text: str, visibility: Visibility, *, origin: CommandReceived | None = None) -> list[Step]:
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
            actions += await post_question(self.ctx, q, await session_chats(self.ctx, view))
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
                            buttons=(reply_button(self.ctx, q),), reason="private question") for t in staff]

    async def queue(self, call: GroupCall) -> Sequence[Action]:
        m = self.ctx.messages
        view = await current_session(self.ctx, call.community.id)
        if view is None:
            raise Refused("no_session")
        async with self.ctx.db.unit_of_work() as tx:
            found = await store.questions(tx, view.id)
        ordered = order_queue(found)
        live = next((q for q in found if q.state == QuestionState.LIVE), None)
        if not ordered and live is None:
            return [reply(call.event, m("queue_empty_public"))]
        lines = [m("queue_header", waiting=len(ordered))]
        if live is not None:
            lines.append(m("queue_live_line", label=question_label(self.ctx, live)))
        # Every waiting question, up to a page (the setting's count, and what fits in one message with room for
        # the closing line); the rest are counted, so the header's number always matches what can be seen.
        room = self.ctx.adapters[call.event.chat.platform].capabilities.max_message_length - 100
        shown = 0
        for q in ordered[:self.cfg.queue_shown]:
            line = m("queue_line", votes=q.votes, label=question_label(self.ctx, q))
            if sum(len(text) + 1 for text in lines) + len(line) > room:
                break
            lines.append(line)
            shown += 1
        if shown < len(ordered):
            lines.append(m("queue_more", more=len(ordered) - shown))
        return [reply(call.event, m.join("\n", lines))]

    async def withdraw(self, call: CommandCall) -> Sequence[Action]:
        """The asker takes back their own question while it waits, in the group or privately."""
        m, event, now = self.ctx.messages, call.event, self.ctx.clock.now()
        number = parse_one_number(call.args)
        if number is None:
            raise Refused("withdraw_usage")
        platform, user_id = str(event.chat.platform), event.sender.user.id
        async with self.ctx.db.unit_of_work() as tx:
            if isinstance(call, GroupCall):
                view = await store.current_session(tx, call.community.id)
                q = await store.question_by_number(tx, view.id, number) if view is not None else None
            else:
                found = await store.asked_by(tx, platform, user_id, number)
                view, q = found[0] if found else (None, None)
            if view is None or q is None:
                raise Refused("withdraw_unknown", number=number)
            problem = check_withdraw(q, platform, user_id, view.state)
            if problem is not None:
                raise Refused(problem.value, number=number)
            await store.set_question_state(tx, q.id, QuestionState.WITHDRAWN, now)
            await audit.record(tx, at=now, platform=platform, actor=user_id, action="question_withdrawn",
                               target=f"question:{q.id}", reason=f"{q.state.value} -> withdrawn", outcome="recorded")
            q = await store.reread_question(tx, q.id)
        return [*refresh(self.ctx, q), reply(event, m("withdrawn", number=number))]

    async def approve(self, call: GroupCall) -> Sequence[Step]:
        event = call.event
        number = parse_number(call.args.split()[0]) if call.args.split() else None
        if number is None:
            raise Refused("approve_usage")
        view = await current_session(self.ctx, call.community.id)
        if view is None:
            raise Refused("no_session")
        async with self.ctx.db.unit_of_work() as tx:
            q = await store.question_by_number(tx, view.id, number)
        if q is None:
            raise Refused("unknown_question", number=number)
        if q.community_id != call.community.id:  # moderation stays per community in a joint surgery
            raise Refused("question_of_another_group", number=number)
        return await self.approve_question(q, event.sender.user.id, str(event.chat.platform), origin=event)

    async def approve_question(self, q: QuestionView, actor: str, platform: str, *,
                               origin: CommandReceived | None = None) -> list[Step]:
        m, now = self.ctx.messages, self.ctx.clock.now()
        async with self.ctx.db.unit_of_work() as tx:
            view = await store.get_session(tx, q.session_id)
            if view is None:
                raise LookupError(f"session {q.session_id} is gone")
            problem = check_move(Move.APPROVE, q, view.state)
            if problem is None:
                await store.set_question_state(tx, q.id, QuestionState.QUEUED, now)
                await log_move(self.ctx, tx, q, Move.APPROVE, actor, platform)
                q = await store.reread_question(tx, q.id)
        if problem is not None:
            if origin is not None:
                raise Refused(problem.value, number=q.number)
            return []  # a button: the question moved on before the press
        actions: list[Step] = []
        if q.visibility == Visibility.PRIVATE:
            actions += await self._to_staff_private(view, q, platform)
        else:
            actions += await post_question(self.ctx, q, await session_chats(self.ctx, view))
        asker = asker_of(q)
        if asker is not None:
            actions.append(SendMessage(target=asker, text=m("asker_approved", number=q.number), reason="approved"))
        if origin is not None and q.visibility == Visibility.PRIVATE:
            actions.append(reply(origin, m("approved_private", number=q.number)))
        return actions
