"""/ask in a private chat (SPEC §4): the text waits as a short-lived draft while the resident picks the community
(when they belong to more than one with a session on) and then anonymous or private, by buttons. The chosen
question is submitted like any other, through QuestionHandlers.submit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

from bot.actions import Action, AnswerButton, EditMessage, Step
from bot.command_router import CommandCall, Refused, reply
from bot.context import Context
from bot.errors import PlatformError
from bot.events import ButtonPressed
from bot.handlers.question_posts import home_chat
from bot.refs import Button, Platform
from bot.rights import MemberStatus
from bot.storage import communities
from bot.storage import sessions as store
from facilitation.queue import Visibility
from facilitation.sessions import SessionView

# QuestionHandlers.submit: (session, community id, platform, user id, name, text, visibility) -> actions.
Submit = Callable[[SessionView, int, Platform, str, str, str, Visibility], Awaitable[list[Step]]]
Toast = Callable[[ButtonPressed, str], AnswerButton]


class PrivateAsk:
    def __init__(self, ctx: Context, submit: Submit, toast: Toast) -> None:
        self.ctx = ctx
        self.submit = submit
        self.toast = toast

    @property
    def draft_lifetime(self) -> timedelta:
        return timedelta(minutes=self.ctx.settings.sessions.ask_draft_minutes)

    async def start(self, call: CommandCall) -> Sequence[Action]:
        """/ask in a private chat: keep the text as a draft and offer the choices."""
        m, event, now = self.ctx.messages, call.event, self.ctx.clock.now()
        platform = event.chat.platform
        async with self.ctx.db.unit_of_work() as tx:
            candidates = []
            for community in await communities.list_communities(tx):
                if community.is_active and community.platform == str(platform) \
                        and await store.current_session(tx, community.id) is not None:
                    candidates.append(community)
        adapter = self.ctx.adapters.get(platform)
        mine = []
        for community in candidates:
            try:
                info = await adapter.get_member(home_chat(community), event.sender.user) if adapter else None
            except PlatformError:
                continue
            if info is not None and info.status not in (MemberStatus.LEFT, MemberStatus.BANNED, MemberStatus.UNKNOWN):
                mine.append(community)
        if not mine:
            raise Refused("ask_private_no_community")
        async with self.ctx.db.unit_of_work() as tx:
            draft = await store.create_draft(tx, platform=str(platform), user_id=event.sender.user.id,
                                             display_name=event.sender.display_name, text=call.args.strip(),
                                             community_id=mine[0].id if len(mine) == 1 else None, now=now,
                                             expires_at=now + self.draft_lifetime)
        if len(mine) == 1:
            return [reply(event, m("ask_choose_visibility", community=mine[0].name),
                          buttons=self._visibility_buttons(draft.id))]
        buttons = tuple(Button(c.name[:40], f"askc:{draft.id}:{c.id}") for c in mine[:8])
        return [reply(event, m("ask_choose_community"), buttons=buttons + (Button(m("cancel_button"),
                                                                                   f"askx:{draft.id}"),))]

    def _visibility_buttons(self, draft_id: int) -> tuple[Button, ...]:
        m = self.ctx.messages
        return (Button(m("anonymous_button"), f"askv:{draft_id}:a"), Button(m("private_button"), f"askv:{draft_id}:p"),
                Button(m("cancel_button"), f"askx:{draft_id}"))

    async def _draft_for(self, event: ButtonPressed, draft_id: int) -> store.DraftView | None:
        async with self.ctx.db.unit_of_work() as tx:
            draft = await store.get_draft(tx, draft_id)
        if draft is None or draft.user_id != event.sender.user.id or draft.platform != str(event.chat.platform) \
                or draft.expires_at <= self.ctx.clock.now():
            return None
        return draft

    async def on_community(self, event: ButtonPressed, rest: str) -> Sequence[Action]:
        draft_id, _, community_id = rest.partition(":")
        draft = await self._draft_for(event, int(draft_id))
        if draft is None or not community_id.isascii() or not community_id.isdigit():
            return [self.toast(event, "button_expired")]
        async with self.ctx.db.unit_of_work() as tx:
            community = await communities.community_by_id(tx, int(community_id))
            if community is None or community.platform != draft.platform:
                return [self.toast(event, "button_expired")]
            await store.set_draft_community(tx, draft.id, community.id)
        return [self.toast(event, "ok_toast"),
                EditMessage(message=event.message, text=self.ctx.messages("ask_choose_visibility",
                                                                          community=community.name),
                            buttons=self._visibility_buttons(draft.id), reason="/ask private")]

    async def on_cancel(self, event: ButtonPressed, rest: str) -> Sequence[Action]:
        draft = await self._draft_for(event, int(rest))
        if draft is not None:
            async with self.ctx.db.unit_of_work() as tx:
                await store.delete_draft(tx, draft.id)
        return [self.toast(event, "ok_toast"),
                EditMessage(message=event.message, text=self.ctx.messages("ask_cancelled"), reason="/ask private")]

    async def on_visibility(self, event: ButtonPressed, rest: str) -> Sequence[Step]:
        draft_id, _, choice = rest.partition(":")
        draft = await self._draft_for(event, int(draft_id))
        if draft is None or draft.community_id is None or choice not in ("a", "p"):
            return [self.toast(event, "button_expired")]
        async with self.ctx.db.unit_of_work() as tx:
            community = await communities.community_by_id(tx, draft.community_id)
            view = await store.current_session(tx, draft.community_id) if community and community.is_active \
                else None
            # Claiming the draft by deleting it makes a double press submit the question once.
            claimed = view is not None and await store.delete_draft(tx, draft.id)
        if view is None or not claimed:
            return [self.toast(event, "button_expired"),
                    EditMessage(message=event.message, text=self.ctx.messages("ask_no_session"), reason="/ask")]
        visibility = Visibility.ANONYMOUS if choice == "a" else Visibility.PRIVATE
        actions = await self.submit(view, draft.community_id, event.chat.platform, draft.user_id,
                                    draft.display_name, draft.text, visibility)
        done: list[Step] = [self.toast(event, "ok_toast"),
                            EditMessage(message=event.message, text=self.ctx.messages("ask_submitted"), reason="/ask")]
        return done + actions
