"""Joint surgeries (SPEC §4): `/surgery join <n>` asks the host privately (its councillor, or the council officer
hosting it), with Accept / Decline buttons that only that host may press; acceptance adds the community to the
session (one queue, every joined chat told everything); `/surgery part` leaves. The decisions live in
facilitation/joint.py."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.actions import Action, AnswerButton, EditMessage, SendMessage, Step
from bot.command_router import GroupCall, Refused, Where, reply
from bot.context import Context
from bot.events import ButtonPressed
from bot.features import Arg, ArgKind, ButtonRoute, CommandSpec, Feature
from bot.handlers.question_posts import home_chat, host_label, post_copies, session_chats
from bot.handlers.sessions import SessionHandlers
from bot.refs import Button, ChatRef, Platform, UserRef
from bot.storage import audit, people
from bot.storage import sessions as store
from facilitation.consent import CommunityView
from facilitation.joint import (
    JOIN_BUTTON_PREFIX,
    JoinAnswer,
    JoinRefusal,
    check_join,
    check_part,
    joined_session,
    parse_join_answer,
    parse_session_number,
)
from facilitation.queue import QuestionState, Visibility
from facilitation.roles import Role
from facilitation.sessions import ACCEPTING_STATES, LIVE_STATES, SessionView

log = logging.getLogger(__name__)


class JointSessions:
    def __init__(self, ctx: Context, sessions: SessionHandlers) -> None:
        self.ctx = ctx
        self.sessions = sessions  # for the announcement and its calendar file

    def feature(self) -> Feature:
        return Feature(
            "joint surgeries",
            commands=(
                CommandSpec("surgery join", self.join, "join another group's surgery: <n> (its host accepts)",
                            role=Role.COMMUNITY_ADMIN, where=Where.GROUP,
                            args=(Arg("number", "The surgery's number, from its announcement", ArgKind.NUMBER,
                                      required=True),)),
                CommandSpec("surgery part", self.part, "leave a joint surgery this group joined",
                            role=Role.COMMUNITY_ADMIN, where=Where.GROUP),
            ),
            buttons=(ButtonRoute(f"{JOIN_BUTTON_PREFIX}:", self.on_answer),),
        )

    def _where(self, community: CommunityView) -> str:
        m = self.ctx.messages
        key = f"platform_{community.platform}"
        return m(key) if key in m.catalogue else community.platform

    async def _active_ids(self, view: SessionView) -> frozenset[int]:
        return frozenset(c.id for c in await self.ctx.cache.communities(view.community_ids) if c.is_active)

    # -- the request --------------------------------------------------------------------------------------------

    async def join(self, call: GroupCall) -> Sequence[Action]:
        m, event, community = self.ctx.messages, call.event, call.community
        number = parse_session_number(call.args)
        if number is None:
            raise Refused(JoinRefusal.USAGE.value)
        async with self.ctx.db.unit_of_work() as tx:
            view = await store.get_session(tx, number)
            own = await store.sessions_in(tx, [community.id], ACCEPTING_STATES)
            refusal = check_join(view, community.id, active_community_ids=await self._active_ids(view)
                                 if view else frozenset(), own_sessions=own)
            if refusal is not None or view is None:
                raise Refused((refusal or JoinRefusal.UNKNOWN).value, number=number)
            reach = await people.host_reach(tx, view, str(event.chat.platform),
                                            running={str(p) for p in self.ctx.adapters})
            if reach is None:
                raise Refused("join_host_unreachable", host=host_label(self.ctx, view))
            await audit.record(tx, at=self.ctx.clock.now(), platform=str(event.chat.platform),
                               chat_id=event.chat.id, actor=event.sender.user.id, action="session_join_requested",
                               target=f"session:{view.id}", reason=f"community:{community.id}",
                               outcome="recorded")
        host = UserRef(Platform(reach[0]), reach[1])
        answer = JoinAnswer(view.id, community.id, True)
        request = SendMessage(
            target=host, reason="/surgery join",
            text=m("join_request_for_host", community=community.name, platform=self._where(community),
                   number=view.id, when=self.sessions.local(view.starts_at)),
            buttons=(Button(m("join_accept_button"), answer.data()),
                     Button(m("join_decline_button"), JoinAnswer(view.id, community.id, False).data())),
            if_unreachable=SendMessage(target=event.chat, reason="/surgery join: host unreachable",
                                       text=m("join_host_unreachable", host=host_label(self.ctx, view))))
        return [request, reply(event, m("join_requested", number=view.id, host=host_label(self.ctx, view)))]

    # -- the host's answer ----------------------------------------------------------------------------------------

    def _toast(self, event: ButtonPressed, key: str, **values: object) -> AnswerButton:
        return AnswerButton(chat=event.chat, press_id=event.press_id, text=self.ctx.messages(key, **values),
                            reason="join answer")

    async def on_answer(self, event: ButtonPressed) -> Sequence[Step]:
        m, now, platform = self.ctx.messages, self.ctx.clock.now(), str(event.chat.platform)
        answer = parse_join_answer(event.data)
        if answer is None:
            return [self._toast(event, "button_expired")]
        community = await self.ctx.cache.community(answer.community_id)
        async with self.ctx.db.unit_of_work() as tx:
            view = await store.get_session(tx, answer.session_id)
            presser = await people.councillor_id_for(tx, platform, event.sender.user.id)
            # Only the host consents for the surgery: its councillor (not a facilitator, not a colleague), or the
            # council officer hosting it.
            hosts = view is not None and (view.hosted_by_officer(platform, event.sender.user.id) or (
                presser is not None and presser == view.councillor_id))
            if view is None or not hosts:
                return [self._toast(event, "button_not_for_you")]
            if community is None or not community.is_active:
                return [self._toast(event, "join_community_left"), self._close_request(event, "join_community_left")]
            if not answer.accept:
                await audit.record(tx, at=now, platform=platform, actor=event.sender.user.id,
                                   action="session_join_declined", target=f"session:{view.id}",
                                   reason=f"community:{community.id}", outcome="recorded")
                return [self._toast(event, "ok_toast"),
                        self._close_request(event, "join_declined_for_host", community=community.name),
                        SendMessage(target=home_chat(community), reason="join declined",
                                    text=m("join_declined", number=view.id, host=host_label(self.ctx, view)))]
            own = await store.sessions_in(tx, [community.id], ACCEPTING_STATES)
            refusal = check_join(view, community.id, active_community_ids=await self._active_ids(view),
                                 own_sessions=own)
            if refusal is not None:
                return [self._toast(event, refusal.value, number=view.id),
                        self._close_request(event, refusal.value, number=view.id)]
            await store.join_session(tx, view.id, community.id, now)
            await audit.record(tx, at=now, platform=platform, actor=event.sender.user.id,
                               action="session_joined", target=f"session:{view.id}",
                               reason=f"community:{community.id}", outcome="recorded")
            view = await store.get_session(tx, view.id)
            assert view is not None
            waiting = [q for q in await store.questions(tx, view.id)
                       if q.state in (QuestionState.QUEUED, QuestionState.LIVE)
                       and q.visibility != Visibility.PRIVATE]
        log.info("community %s joined session %s", community.id, view.id)
        chat = home_chat(community)
        others = [c for c in await session_chats(self.ctx, view) if (c.platform, c.id) != (chat.platform, chat.id)]
        steps: list[Step] = [
            self._toast(event, "ok_toast"),
            self._close_request(event, "join_accepted_for_host", community=community.name, number=view.id),
            SendMessage(target=chat, reason="joined", text=m("join_accepted_here", number=view.id,
                                                             host=host_label(self.ctx, view))),
            *self.sessions.announcement(view, chat),
        ]
        if view.state in LIVE_STATES:
            topic = m("topic_line", topic=view.topic) if view.topic else ""
            steps.append(SendMessage(target=chat, reason="joined while open", text=m(
                "session_opened", host=host_label(self.ctx, view), until=self.sessions.local_time(view.ends_at),
                topic=topic)))
        steps += [SendMessage(target=other, reason="joined", text=m(
            "join_announced", community=community.name, platform=self._where(community), number=view.id))
            for other in others]
        # Questions already waiting get their vote message in the new chat too: votes from every chat count.
        for q in waiting:
            steps += await post_copies(self.ctx, q, [chat])
        return steps

    def _close_request(self, event: ButtonPressed, key: str, **values: object) -> EditMessage:
        """The request in the host's chat loses its buttons and says what became of it."""
        return EditMessage(message=event.message, text=self.ctx.messages(key, **values), reason="join answer")

    # -- leaving ----------------------------------------------------------------------------------------------------

    async def part(self, call: GroupCall) -> Sequence[Action]:
        m, event, community, now = self.ctx.messages, call.event, call.community, self.ctx.clock.now()
        async with self.ctx.db.unit_of_work() as tx:
            found = await store.sessions_in(tx, [community.id], ACCEPTING_STATES)
            refusal = check_part(found, community.id)
            view = joined_session(found, community.id)
            if refusal is not None or view is None:
                raise Refused((refusal.value if refusal else "part_not_joined"))
            await store.part_session(tx, view.id, community.id)
            await audit.record(tx, at=now, platform=str(event.chat.platform), chat_id=event.chat.id,
                               actor=event.sender.user.id, action="session_parted", target=f"session:{view.id}",
                               reason=f"community:{community.id}", outcome="recorded")
            after = await store.get_session(tx, view.id)
        here = ChatRef(event.chat.platform, event.chat.id, event.chat.space)
        others = await session_chats(self.ctx, after) if after is not None else []
        return [reply(event, m("part_done", number=view.id)),
                *[SendMessage(target=c, reason="parted", text=m("part_announced", community=community.name,
                                                                   number=view.id))
                  for c in others if (c.platform, c.id) != (here.platform, here.id)]]
