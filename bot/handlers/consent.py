"""The guest's manners (SPEC §3): dormant until an admin completes the council's invitation, a transparency
notice on arrival, a polite refusal and exit otherwise, a clean goodbye, and no rejoining uninvited."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot import timers
from bot.clock import ensure_utc
from bot.actions import Action, ActionResult, FollowUp, LeaveChat, PinMessage, SendMessage, Step
from bot.code_attempts import CodeAttempts
from bot.command_router import CommandCall, CommandRouter, CommandSpec, Refused, Where, reply
from bot.context import Context
from bot.handlers.languages import welsh_welcome_due
from bot.features import Arg, Feature, TimerKind, TimerRoute, on
from bot.errors import BotNotInChat, PlatformError
from bot.handlers.held_notes import deliver_held
from bot.events import BotAddedToChat, BotRemovedFromChat, BotRightsChanged, ChatMigrated, TimerFired
from bot.handlers.question_posts import home_chat
from bot.refs import ChatKind, ChatRef, Platform, UserRef
from bot.rights import Capability, MemberRights
from bot.roles import RoleService
from bot.storage import audit, communities
from facilitation.consent import (
    FEATURE_FOR_RIGHT,
    REFUSAL_MESSAGE,
    JoinDecision,
    acceptance_timer_key,
    decide_bot_added,
)
from facilitation.code_attempts import minutes_left
from facilitation.invitations import CodeProblem, check_invitation, looks_like_code
from facilitation.roles import Role

log = logging.getLogger(__name__)



@dataclass(frozen=True, slots=True)
class AcceptanceWindow:
    """The group a dormant bot leaves if nobody completes the invitation in time."""

    platform: str
    chat_id: str
    space_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"platform": self.platform, "chat_id": self.chat_id, "space_id": self.space_id}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AcceptanceWindow:
        return cls(str(data["platform"]), str(data["chat_id"]), data.get("space_id"))


ACCEPTANCE_TIMER = TimerKind("acceptance_window", AcceptanceWindow.from_dict)


class ConsentHandlers:
    def __init__(self, ctx: Context, router: CommandRouter, roles: RoleService, attempts: CodeAttempts) -> None:
        self.ctx = ctx
        self.router = router
        self.roles = roles
        self.attempts = attempts

    def feature(self) -> Feature:
        return Feature(
            "consent",
            commands=(
                CommandSpec("start", self.start, "start here (completes an invitation in a group)", dormant_ok=True,
                            args=(Arg("code", "The invitation code"),), needs=(Capability.START_LINKS,),
                            staff_help_only=True),
                CommandSpec("surgery accept", self.accept_command, "complete the council's invitation",
                            role=Role.COMMUNITY_ADMIN, where=Where.GROUP, dormant_ok=True,
                            args=(Arg("code", "The invitation code", required=True),)),
                CommandSpec("surgery leave", self.leave_command, "ask me to leave this group",
                            role=Role.COMMUNITY_ADMIN, where=Where.GROUP, destructive=True),
            ),
            timers=(TimerRoute(ACCEPTANCE_TIMER, self.on_acceptance_timer),),
            events=(on(BotAddedToChat, self.on_bot_added), on(BotRemovedFromChat, self.on_bot_removed),
                    on(BotRightsChanged, self.on_rights_changed), on(ChatMigrated, self.on_chat_migrated)),
        )

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.ctx.settings.consent.acceptance_window_minutes)

    async def _audit(self, chat: ChatRef, action: str, actor: str = "bot", reason: str = "") -> None:
        async with self.ctx.db.unit_of_work() as tx:
            await audit.record(tx, at=self.ctx.clock.now(), platform=str(chat.platform), chat_id=chat.space,
                               actor=actor, action=action, reason=reason, outcome="recorded")

    def _refuse(self, chat: ChatRef, message_key: str, **values: object) -> list[Action]:
        text = self.ctx.messages(message_key, minutes=self.ctx.settings.consent.acceptance_window_minutes, **values)
        return [SendMessage(target=chat, text=text, reason="consent: refused"),
                LeaveChat(chat=chat, reason="consent: refused")]

    # -- arrival ----------------------------------------------------------------------------------------------

    async def on_bot_added(self, event: BotAddedToChat) -> Sequence[Step]:
        chat, platform = event.chat, str(event.chat.platform)
        async with self.ctx.db.unit_of_work() as tx:
            community = await communities.community_by_space(tx, platform, chat.space)
        adder_is_admin = False
        if event.added_by is not None and event.added_by_verified and event.chat_kind == ChatKind.GROUP:
            adder_is_admin = await self.roles.is_platform_admin(chat, event.added_by)
        decision = decide_bot_added(chat_kind=event.chat_kind, added_by_verified=event.added_by_verified
                                    and event.added_by is not None, adder_is_admin=adder_is_admin,
                                    community=community)
        adder = event.added_by.id if event.added_by else "unknown"
        # The one record a dormant or refused group leaves behind: chat id, time, who added the bot.
        await self._audit(chat, "bot_added", actor=adder, reason=decision.value)
        log.info("bot added to chat=%s by user=%s: %s", chat, adder, decision.value)
        if decision in REFUSAL_MESSAGE:
            return self._refuse(chat, REFUSAL_MESSAGE[decision])
        if decision == JoinDecision.ALREADY_ACTIVE:
            return []
        now = self.ctx.clock.now()
        async with self.ctx.db.unit_of_work() as tx:
            await timers.schedule(tx, ACCEPTANCE_TIMER, AcceptanceWindow(platform, chat.id, chat.space_id),
                                  due_at=now + self.window, now=now, key=acceptance_timer_key(platform, chat.space))
        self.ctx.timers.notify()
        if event.start_payload:
            return await self.accept(chat, event.added_by, event.start_payload)
        minutes = self.ctx.settings.consent.acceptance_window_minutes
        # The hello says exactly what a dormant group leaves behind: the audit rows above and the acceptance timer
        # (a finished timer goes with the processed-update keys).
        keep = self.ctx.settings.retention
        hello = self.ctx.messages("dormant_hello", title=event.title, minutes=minutes, audit_days=keep.audit_days,
                                  short_days=keep.processed_update_days)
        return [SendMessage(target=chat, text=hello, reason="consent: dormant")]

    async def on_acceptance_timer(self, event: TimerFired, window: AcceptanceWindow) -> Sequence[Action]:
        chat = ChatRef(Platform(window.platform), window.chat_id, window.space_id)
        async with self.ctx.db.unit_of_work() as tx:
            community = await communities.community_by_space(tx, str(chat.platform), chat.space)
        if community is not None and community.is_active:
            return []
        await self._audit(chat, "refused", reason="acceptance window passed")
        return self._refuse(chat, "refuse_window_passed")

    # -- completing the invitation ------------------------------------------------------------------------

    async def start(self, call: CommandCall) -> Sequence[Step]:
        event = call.event
        if event.chat_kind == ChatKind.PRIVATE:
            # Anything held for them while they couldn't be reached privately comes now.
            return [reply(event, self.ctx.messages("about")), *await deliver_held(self.ctx, event.sender.user)]
        if not call.args:
            return []  # a bare /start in a group is noise from another bot's deep link
        if not (event.sender.is_anonymous_admin or await self.roles.is_platform_admin(event.chat, event.sender.user)):
            raise Refused("accept_needs_admin")
        return await self.accept(event.chat, event.sender.user, call.args.split()[0], answers=event.interaction_id)

    async def accept_command(self, call: CommandCall) -> Sequence[Step]:
        if not call.args:
            raise Refused("accept_usage")
        return await self.accept(call.event.chat, call.event.sender.user, call.args.split()[0],
                                 answers=call.event.interaction_id)

    async def accept(self, chat: ChatRef, accepted_by: UserRef | None, code: str, *,
                     answers: str | None = None) -> Sequence[Step]:
        """Complete the invitation with `code`; `answers` is the command being answered, if any."""
        m, now, platform = self.ctx.messages, self.ctx.clock.now(), str(chat.platform)
        key = acceptance_timer_key(platform, chat.space)
        actor = accepted_by.id if accepted_by is not None else "anonymous-admin"

        def bad(problem: CodeProblem, **values: object) -> list[Action]:
            return [SendMessage(target=chat, reason="consent: bad code", answers=answers,
                                text=m("accept_bad_code", problem=m(f"code_problem_{problem.value}", **values)))]

        async with self.ctx.db.unit_of_work() as tx:
            community = await communities.community_by_space(tx, platform, chat.space)
        if community is not None and community.is_active:
            return [SendMessage(target=chat, text=m("accept_already_active"), reason="consent", answers=answers)]
        # Checked before the code, so a guess made while cooling down learns nothing, right or wrong.
        wait_until = self.attempts.locked_until("invitation", accepted_by, chat)
        if wait_until is not None:
            await self._audit(chat, "accept_refused", actor=actor, reason="too many wrong codes")
            return [SendMessage(target=chat, reason="consent: too many wrong codes", answers=answers,
                                text=m("code_attempts_wait", minutes=minutes_left(wait_until, now)))]
        if not looks_like_code(code):
            self.attempts.failed("invitation", accepted_by, chat)
            await self._audit(chat, "accept_refused", actor=actor, reason=CodeProblem.MALFORMED.value)
            return bad(CodeProblem.MALFORMED)
        rights = await self._bot_rights(chat)  # a platform call: never inside the unit of work below
        async with self.ctx.db.unit_of_work() as tx:
            community = await communities.community_by_space(tx, platform, chat.space)
            if community is not None and community.is_active:  # another admin won the race meanwhile
                return [SendMessage(target=chat, text=m("accept_already_active"), reason="consent",
                                    answers=answers)]
            invitation = await communities.invitation_by_code(tx, code)
            issued_after = community.left_at if community is not None and community.do_not_rejoin else None
            problem = check_invitation(invitation, platform=platform, now=now, issued_after=issued_after)
            activated = None
            if problem is None:
                assert invitation is not None  # check_invitation refuses an unknown code
                if not await timers.cancel(tx, key, now):
                    # No acceptance window open here: it passed, or another admin's acceptance just won the race.
                    problem = CodeProblem.USED
                elif not await communities.consume_invitation(tx, invitation.id, now):
                    problem = CodeProblem.USED
                else:
                    missing = ",".join(rights.missing())
                    activated = await communities.activate_community(
                        tx, name=invitation.community_name, platform=platform, space_id=chat.space,
                        home_chat_id=chat.id, accepted_by=actor, now=now, missing=missing)
                    await communities.link_invitation(tx, invitation.id, activated.id)
                    await audit.record(tx, at=now, platform=platform, chat_id=chat.space, actor=actor,
                                       action="community_activated", reason=f"invitation {invitation.id}",
                                       outcome="recorded")
        if problem is not None:
            self.attempts.failed("invitation", accepted_by, chat)
            await self._audit(chat, "accept_refused", actor=actor, reason=problem.value)
            return bad(problem, platform=invitation.platform if invitation else "")
        self.attempts.succeeded("invitation", accepted_by, chat)
        assert activated is not None  # no problem: the invitation was used here
        log.info("community %s active in chat=%s (accepted by user=%s)", activated.id, chat, actor)
        return await self._welcome(chat, rights, answers)

    async def _bot_rights(self, chat: ChatRef) -> MemberRights:
        adapter = self.ctx.adapters.get(chat.platform)
        try:
            return await adapter.get_bot_rights(chat) if adapter else MemberRights()
        except PlatformError:
            return MemberRights()

    async def _welcome(self, chat: ChatRef, rights: MemberRights, answers: str | None) -> Sequence[Step]:
        """The transparency notice, pinned once it is known (its ref comes back through the dispatcher) where
        the bot may pin; then what the bot can't do here, and the policy prompt."""
        m = self.ctx.messages
        text = m("transparency_notice") + ("\n" + m("welsh_welcome") if welsh_welcome_due(self.ctx) else "")
        notice = SendMessage(target=chat, text=text, reason="consent: transparency notice",
                             answers=answers)

        async def pin_then_explain(results: list[ActionResult]) -> list[Step]:
            actions: list[Step] = []
            if results[0].message is not None and rights.pin_messages:
                actions.append(PinMessage(message=results[0].message, reason="consent: transparency notice"))
            if rights.missing():
                actions.append(SendMessage(target=chat, text=self.reduced_rights_text(rights),
                                           reason="consent: rights"))
            actions.append(SendMessage(target=chat, text=m("policy_prompt"), reason="consent: policy"))
            return actions

        return [FollowUp((notice,), pin_then_explain)]

    def reduced_rights_text(self, rights: MemberRights) -> str:
        m = self.ctx.messages
        missing = rights.missing()
        return m("reduced_rights", missing=m.join(", ", (m(f"right_{name}") for name in missing)),
                 features=m.join(", ", (m(FEATURE_FOR_RIGHT[name]) for name in missing)))

    # -- departure -------------------------------------------------------------------------------------------

    async def leave_command(self, call: CommandCall) -> Sequence[Action]:
        chat = call.event.chat
        await self._mark_left(chat, actor=call.event.sender.user.id, reason="/surgery leave")
        return [SendMessage(target=chat, text=self.ctx.messages("goodbye"), reason="/surgery leave"),
                LeaveChat(chat=chat, reason="/surgery leave")]

    async def on_bot_removed(self, event: BotRemovedFromChat) -> Sequence[Action]:
        actor = event.removed_by.id if event.removed_by else "unknown"
        await self._mark_left(event.chat, actor=actor, reason="removed from the group")
        return []

    async def on_bot_not_in_chat(self, chat: ChatRef) -> None:
        """The platform refused a call because the bot is gone (e.g. Telegram 403 'bot was kicked')."""
        await self._mark_left(chat, actor="platform", reason="platform says the bot is not in the chat")

    async def _mark_left(self, chat: ChatRef, *, actor: str, reason: str) -> None:
        now, platform = self.ctx.clock.now(), str(chat.platform)
        async with self.ctx.db.unit_of_work() as tx:
            await timers.cancel(tx, acceptance_timer_key(platform, chat.space), now)
            community = await communities.community_by_space(tx, platform, chat.space)
            if community is not None and community.is_active:
                await communities.mark_left(tx, community.id, now)
            await audit.record(tx, at=now, platform=platform, chat_id=chat.space, actor=actor,
                               action="community_left", reason=reason, outcome="recorded")
        self.roles.forget(chat)
        log.info("left chat=%s (%s)", chat, reason)

    # -- platform changes ----------------------------------------------------------------------------------

    async def on_chat_migrated(self, event: ChatMigrated) -> Sequence[Action]:
        await self.follow_migration(event.old_chat, event.new_chat)
        return []

    async def follow_migration(self, old: ChatRef, new: ChatRef) -> None:
        """A Telegram group became a supergroup with a new id: the community follows it, and so does a dormant
        group's acceptance window (else the code is refused in the new chat as "already used" and the window
        tries to leave the old, now dead, id). Said by the update, or by a call that met the upgrade."""
        now, platform = self.ctx.clock.now(), str(old.platform)
        async with self.ctx.db.unit_of_work() as tx:
            moved = await communities.move_community(tx, platform, old.space, new.space)
            window = await timers.pending(tx, acceptance_timer_key(platform, old.space))
            if window is not None:
                await timers.cancel(tx, acceptance_timer_key(platform, old.space), now)
                await timers.schedule(tx, ACCEPTANCE_TIMER, AcceptanceWindow(platform, new.id, new.space_id),
                                      due_at=ensure_utc(window.due_at), now=now,
                                      key=acceptance_timer_key(platform, new.space))
            if moved or window is not None:
                await audit.record(tx, at=now, platform=platform, chat_id=new.space, action="chat_migrated",
                                   reason=f"from {old.space}" + (" (community)" if moved else " (waiting for code)"),
                                   outcome="recorded")
        if window is not None:
            self.ctx.timers.notify()
        self.roles.forget(old)
        log.info("chat=%s became chat=%s (community moved: %s, window moved: %s)", old, new, moved,
                 window is not None)

    async def on_rights_changed(self, event: BotRightsChanged) -> Sequence[Action]:
        return await self._update_rights(event.chat, event.bot_rights)

    async def _update_rights(self, chat: ChatRef, rights: MemberRights) -> Sequence[Action]:
        missing = ",".join(rights.missing())
        async with self.ctx.db.unit_of_work() as tx:
            community = await communities.community_by_space(tx, str(chat.platform), chat.space)
            if community is None or not community.is_active or community.missing_rights == missing:
                return []
            await communities.set_missing_rights(tx, community.id, missing)
        if not missing:
            return []
        # The community's home chat: on Discord a rights change concerns the whole server, not a channel.
        return [SendMessage(target=home_chat(community), text=self.reduced_rights_text(rights),
                            reason="consent: rights")]

    async def recheck_rights(self) -> list[Step]:
        """At start-up: re-read the bot's rights in every active community on a running adapter; what to tell
        a group whose rights shrank meanwhile is returned for the dispatcher to carry out."""
        steps: list[Step] = []
        async with self.ctx.db.unit_of_work() as tx:
            active = [c for c in await communities.list_communities(tx) if c.is_active]
        for community in active:
            platform = Platform(community.platform)
            adapter = self.ctx.adapters.get(platform)
            if adapter is None:
                continue
            chat = ChatRef(platform, community.home_chat_id,
                           community.space_id if community.space_id != community.home_chat_id else None)
            try:
                rights = await adapter.get_bot_rights(chat)
            except BotNotInChat:
                await self.on_bot_not_in_chat(chat)
                continue
            except PlatformError as error:
                log.warning("could not re-check rights in community %s: %s", community.id, error)
                continue
            steps += await self._update_rights(chat, rights)
        return steps
