"""Facilitator commands (SPEC §5, §8): /warn, /mute, /unmute, /remove, /kick, /ban (confirmed by a second
facilitator), /unban, /slowmode, /lock, /unlock, /cases and /undo. Each checks its target and the platform's
limits first, writes the case, then acts, and answers the issuer in one line — with the platform's refusal in
plain words when it did not happen."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from bot import actions as a
from bot import timers
from bot.command_router import CommandCall, CommandRouter, CommandSpec, Where, reply
from bot.context import Context
from bot.errors import ActionRefused, PlatformError, UserInputError
from bot.executor import check_limits
from bot.features import Arg, ArgKind, TimerKind
from bot.moderation.service import ModerationService, Outcome, chat_in
from bot.refs import Button, ChatRef, MessageRef, Platform, UserRef
from bot.rights import Capability
from bot.roles import RoleService
from bot.storage import cases as store
from bot.storage import chat_facts
from config.policy import DEFAULT_POLICY, Policy
from facilitation.cases import MANUAL, CaseAction, CaseView, UndoRefusal, parse_case_number, reversal
from facilitation.consent import CommunityView
from facilitation.durations import format_duration, parse_duration
from facilitation.roles import Role
from facilitation.targets import find_target, first_word

log = logging.getLogger(__name__)



@dataclass(frozen=True, slots=True)
class LiftAtClose:
    """A session closed: lift the session-long mutes and locks in its communities."""

    community_ids: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"what": "session_closed", "community_ids": list(self.community_ids)}


@dataclass(frozen=True, slots=True)
class BanEnds:
    community_id: int
    chat_id: str | None
    user_id: str
    case: int

    def to_dict(self) -> dict[str, Any]:
        return {"what": "unban", "community_id": self.community_id, "chat_id": self.chat_id, "user_id": self.user_id,
                "case": self.case}


@dataclass(frozen=True, slots=True)
class SlowModeEnds:
    community_id: int
    chat_id: str

    def to_dict(self) -> dict[str, Any]:
        return {"what": "slowmode_off", "community_id": self.community_id, "chat_id": self.chat_id}


ModerationTimer = LiftAtClose | BanEnds | SlowModeEnds


def moderation_timer(data: Mapping[str, Any]) -> ModerationTimer:
    match data.get("what"):
        case "session_closed":
            return LiftAtClose(tuple(int(c) for c in data.get("community_ids", [])))
        case "unban":
            chat_id = data.get("chat_id")
            return BanEnds(int(data["community_id"]), str(chat_id) if chat_id is not None else None,
                           str(data["user_id"]), int(data.get("case") or 0))
        case "slowmode_off":
            return SlowModeEnds(int(data["community_id"]), str(data["chat_id"]))
    raise ValueError(f"unknown moderation timer {data.get('what')!r}")


MODERATION_TIMER: TimerKind[ModerationTimer] = TimerKind("moderation", moderation_timer)
MAX_MANUAL_DURATION = timedelta(days=366)
BAN_REQUEST_LIFETIME = timedelta(minutes=15)
MAX_SLOW_MODE_SECONDS = 21600
BAN_CONFIRM, BAN_CANCEL = "ban:ok:", "ban:no:"


class Refused(Exception):
    """A command that can't go ahead; the text is the one line the issuer gets."""


def unban_timer_key(community_id: int, number: int) -> str:
    return f"mod:unban:{community_id}:{number}"


def slowmode_timer_key(community_id: int, chat_id: str) -> str:
    return f"mod:slowmode:{community_id}:{chat_id}"


class ModerationCommands:
    def __init__(self, ctx: Context, router: CommandRouter, roles: RoleService, service: ModerationService) -> None:
        self.ctx = ctx
        self.router = router
        self.roles = roles
        self.service = service

    def commands(self) -> tuple[CommandSpec, ...]:
        member = Arg("user", "The member", ArgKind.USER, required=True)
        reason = Arg("reason", "Why (shown in the case log)")
        message = Arg("message", "Message link or ID", ArgKind.MESSAGE, required=True)

        def spec(name: str, handler, summary: str, *args: Arg, **extra: Any) -> CommandSpec:  # type: ignore[no-untyped-def]
            return CommandSpec(name, self._guarded(handler), summary, role=Role.FACILITATOR, where=Where.GROUP,
                               args=args, **extra)

        return (
            spec("warn", self.warn, "warn a member: reply or mention, [reason]", member, reason),
            spec("mute", self.mute, "mute a member: <duration> [reason]", member,
                 Arg("duration", "e.g. 10m, 2h, 1d", required=True), reason),
            spec("unmute", self.unmute, "let a muted member post again", member),
            spec("remove", self.remove, "delete the message you reply to: [reason]", message, reason,
                 message_action="Remove message"),
            spec("kick", self.kick, "remove a member from the group (if the rules allow)", member, reason),
            spec("ban", self.ban, "ban a member: [duration] [reason]; a second facilitator confirms", member,
                 Arg("duration", "e.g. 7d (empty: until unbanned)"), reason),
            spec("unban", self.unban, "lift a ban", member),
            spec("slowmode", self.slowmode, "slow mode: <seconds> or off",
                 Arg("seconds", "Seconds between messages, or off", required=True), needs=(Capability.SLOW_MODE,)),
            spec("lock", self.lock, "only staff and the resident with the floor may post"),
            spec("unlock", self.unlock, "everyone may post again"),
            spec("cases", self.cases, "the latest moderation cases: [member]",
                 Arg("user", "The member", ArgKind.USER)),
            spec("undo", self.undo, "reverse a case: <number>", Arg("case", "Case number", ArgKind.NUMBER, True)),
        )

    def _guarded(self, handler):  # type: ignore[no-untyped-def]
        async def run(call: CommandCall) -> Sequence[a.Step]:
            self.service.remember_name(call.event.sender.user, call.event.sender.display_name)
            try:
                return await handler(call)
            except Refused as refusal:
                return [reply(call.event, str(refusal))]

        run.__qualname__ = getattr(handler, "__qualname__", "moderation")
        return run

    # -- shared checks -------------------------------------------------------------------------------------------

    @property
    def m(self):  # type: ignore[no-untyped-def]
        return self.ctx.messages

    async def target(self, call: CommandCall, *, present: bool = True) -> tuple[UserRef, str]:
        """The member a command is about and the rest of its words; refuses the bot, oneself, admins, people
        not in the chat and (Discord) anyone whose top role is not below the issuer's."""
        event = call.event
        found = find_target(call.args, mentions=tuple(u.id for u in event.mentions),
                            reply_to_sender=event.reply_to_sender.id if event.reply_to_sender else None)
        if found.user_id is None:
            raise Refused(self.m("mod_usage_target", command=event.name))
        user = UserRef(event.chat.platform, found.user_id)
        if user.id == self.service.bot_user_id(event.chat.platform):
            raise Refused(self.m("mod_refuse_bot"))
        if user.id == event.sender.user.id:
            raise Refused(self.m("mod_refuse_self"))
        await self.check_member(event.chat, event.sender.user, user, present=present)
        return user, found.rest

    async def check_member(self, chat: ChatRef, issuer: UserRef, user: UserRef, *, present: bool) -> None:
        adapter = self.ctx.adapters[chat.platform]
        try:
            info = await adapter.get_member(chat, user)
            mine = await adapter.get_member(chat, issuer) if info.top_role_position else None
        except PlatformError as error:
            log.warning("could not check member chat=%s user=%s: %s", chat, user.id, error)
            raise Refused(self.m("mod_refuse_unknown_member")) from None
        if info.is_admin:
            raise Refused(self.m("mod_refuse_admin"))
        if present and not info.is_present:
            raise Refused(self.m("mod_refuse_absent"))
        # Discord's hierarchy: a member with a role at or above the issuer's is out of their reach. Members with
        # no role at all (position 0) have no rank, so any facilitator may moderate them.
        if info.top_role_position and mine is not None and mine.top_role_position is not None \
                and info.top_role_position >= mine.top_role_position:
            raise Refused(self.m("mod_refuse_role"))

    def check_platform(self, action: a.Action) -> None:
        adapter = self.ctx.adapters[action.platform]
        try:
            check_limits(action, adapter.capabilities, self.ctx.clock.now())
        except ActionRefused as refusal:
            raise Refused(self.m("mod_refuse_limit", problem=str(refusal).rstrip("."))) from None

    def duration(self, text: str) -> timedelta:
        try:
            return parse_duration(text, maximum=MAX_MANUAL_DURATION)
        except UserInputError as error:
            raise Refused(str(error)) from None

    def reason_line(self, reason: str) -> str:
        return self.m("mod_reason_line", reason=reason) if reason else ""

    def local(self, when: datetime) -> str:
        return when.astimezone(self.ctx.settings.council.zone).strftime(self.m("datetime_format"))

    @staticmethod
    def community(call: CommandCall) -> CommunityView:
        assert call.community is not None  # group commands only run in active communities
        return call.community

    async def act(self, call: CommandCall, *, actions: tuple[CaseAction, ...], target: UserRef | None, reason: str,
                  steps: Sequence[a.Action] = (), notices: Sequence[a.Action] = (),
                  expires_at: datetime | None = None, done: str = "",
                  say: dict[str, object] | None = None) -> list[a.Step]:
        """Case first, then the platform, then one line for the issuer."""
        community = self.community(call)
        case = await self.service.open_case(community, actions=actions, clause=MANUAL, actor=call.event.sender.user.id,
                                            target_user_id=target.id if target else None, reason=reason,
                                            expires_at=expires_at, chat_id=call.event.chat.id)
        why = f"case {case.number}: {reason}" if reason else f"case {case.number}"
        steps = [_with_reason(step, why) for step in steps]
        notices = [_numbered(notice, case.number) for notice in notices]

        async def answer(outcome: Outcome) -> list[a.Step]:
            if outcome.failure is not None:
                return [reply(call.event, self.m("mod_failed", number=case.number, problem=outcome.failure))]
            return [reply(call.event, self.m(done, number=case.number, **(say or {})))] if done else []

        return self.service.carry_out(community, case, steps, notices, then=answer)

    # -- the commands -------------------------------------------------------------------------------------------

    async def warn(self, call: CommandCall) -> Sequence[a.Step]:
        user, reason = await self.target(call)
        name = await self.service.name_of(user.platform, user.id)
        note = a.SendMessage(target=user, text=self.m("mod_told_you_warn", chat=self.community(call).name,
                                                       number="{number}",
                                                       reason=reason or self.m("mod_no_reason")), reason="/warn")
        return await self.act(call, actions=(CaseAction.WARN,), target=user, reason=reason, notices=[note],
                              done="mod_done_warn", say=dict(name=name, reason=self.reason_line(reason)))

    async def mute(self, call: CommandCall) -> Sequence[a.Step]:
        user, rest = await self.target(call)
        length, reason = first_word(rest)
        if not length:
            raise Refused(self.m("mod_usage_mute"))
        span = self.duration(length)
        until = self.ctx.clock.now() + span
        step = a.MuteMember(chat=call.event.chat, user=user, until=until)
        self.check_platform(step)
        name = await self.service.name_of(user.platform, user.id)
        note = a.SendMessage(target=user, text=self.m("mod_told_you_mute", chat=self.community(call).name,
                                                       until=self.local(until), number="{number}",
                                                       reason=reason or self.m("mod_no_reason")), reason="/mute")
        return await self.act(call, actions=(CaseAction.MUTE,), target=user, reason=reason, steps=[step],
                              notices=[note], expires_at=until, done="mod_done_mute", say=dict(name=name,
                              duration=format_duration(span), reason=self.reason_line(reason)))

    async def unmute(self, call: CommandCall) -> Sequence[a.Step]:
        user, reason = await self.target(call)
        name = await self.service.name_of(user.platform, user.id)
        return await self.act(call, actions=(CaseAction.UNMUTE,), target=user, reason=reason,
                              steps=[a.UnmuteMember(chat=call.event.chat, user=user)], done="mod_done_unmute",
                              say=dict(name=name))

    async def remove(self, call: CommandCall) -> Sequence[a.Step]:
        event = call.event
        if event.reply_to is None:
            raise Refused(self.m("mod_usage_remove"))
        author = event.reply_to_sender
        if author is not None:
            if author.id == self.service.bot_user_id(event.chat.platform):
                raise Refused(self.m("mod_refuse_bot"))
            await self.check_member(event.chat, event.sender.user, author, present=False)
        reason = " ".join(w for w in call.args.split() if not w.startswith(("@", "<@")))
        return await self.act(call, actions=(CaseAction.DELETE,), target=author, reason=reason,
                              steps=[a.DeleteMessage(message=event.reply_to)], done="mod_done_delete",
                              say=dict(reason=self.reason_line(reason)))

    async def _approved(self, call: CommandCall) -> Policy:
        record = await self.service.policy(self.community(call).id)
        return record.approved or DEFAULT_POLICY

    async def kick(self, call: CommandCall) -> Sequence[a.Step]:
        if not (await self._approved(call)).kick_allowed:
            raise Refused(self.m("mod_kick_not_allowed"))
        user, reason = await self.target(call)
        name = await self.service.name_of(user.platform, user.id)
        return await self.act(call, actions=(CaseAction.KICK,), target=user, reason=reason,
                              steps=[a.KickMember(chat=call.event.chat, user=user)], done="mod_done_kick", say=dict(name=name,
                              reason=self.reason_line(reason)))

    async def ban(self, call: CommandCall) -> Sequence[a.Step]:
        event, now = call.event, self.ctx.clock.now()
        if not (await self._approved(call)).ban_allowed:
            raise Refused(self.m("mod_ban_not_allowed"))
        user, rest = await self.target(call, present=False)
        head, tail = first_word(rest)
        span = None
        if head and (head[0].isdigit() or head[0] in "+-"):
            span, rest = self.duration(head), tail
            self.check_platform(a.BanMember(chat=event.chat, user=user, until=now + span))
        name = await self.service.name_of(user.platform, user.id)
        community = self.community(call)
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

    async def on_ban_button(self, event) -> Sequence[a.Step]:  # type: ignore[no-untyped-def]
        """The two-person rule: a different facilitator confirms; any facilitator may cancel."""
        if not event.data.startswith((BAN_CONFIRM, BAN_CANCEL)):
            return []
        m, now = self.m, self.ctx.clock.now()

        def toast(key: str) -> list[a.Action]:
            return [a.AnswerButton(chat=event.chat, press_id=event.press_id, text=m(key), reason="/ban")]

        try:
            request_id = int(event.data.rsplit(":", 1)[1])
        except ValueError:
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

    async def unban(self, call: CommandCall) -> Sequence[a.Step]:
        event = call.event
        found = find_target(call.args, mentions=tuple(u.id for u in event.mentions),
                            reply_to_sender=event.reply_to_sender.id if event.reply_to_sender else None)
        if found.user_id is None:
            raise Refused(self.m("mod_usage_target", command=event.name))
        if found.user_id == self.service.bot_user_id(event.chat.platform):
            raise Refused(self.m("mod_refuse_bot"))
        user = UserRef(event.chat.platform, found.user_id)
        name = await self.service.name_of(user.platform, user.id)
        return await self.act(call, actions=(CaseAction.UNBAN,), target=user, reason=found.rest,
                              steps=[a.UnbanMember(chat=event.chat, user=user)], done="mod_done_unban",
                              say=dict(name=name))

    async def slowmode(self, call: CommandCall) -> Sequence[a.Step]:
        event = call.event
        word = call.args.strip().lower()
        seconds = 0 if word == "off" else int(word) if word.isascii() and word.isdigit() else -1
        if not 0 <= seconds <= MAX_SLOW_MODE_SECONDS or (word != "off" and seconds == 0):
            raise Refused(self.m("mod_usage_slowmode"))
        step = a.SetSlowMode(chat=event.chat, seconds=seconds)
        self.check_platform(step)
        done = "mod_done_slowmode" if seconds else "mod_done_slowmode_off"
        return await self.act(call, actions=(CaseAction.SLOWMODE,), target=None, reason=word, steps=[step],
                              done=done, say=dict(seconds=seconds))

    async def lock(self, call: CommandCall) -> Sequence[a.Step]:
        event, community = call.event, self.community(call)
        async with self.ctx.db.unit_of_work() as tx:
            running = await chat_facts.session_running(tx, community.id)
            locked = await store.active_lock(tx, community.id, event.chat.id)
        approved = (await self.service.policy(community.id)).approved
        if not running and not (approved is not None and approved.scope.value == "always"):
            raise Refused(self.m("mod_lock_needs_session"))  # outside sessions the bot doesn't read chat at all
        if locked is not None:
            raise Refused(self.m("mod_already_locked", number=locked.number))
        try:
            rights = await self.ctx.adapters[event.chat.platform].get_bot_rights(event.chat)
        except PlatformError:
            rights = None
        if rights is None or not rights.delete_messages:
            raise Refused(self.m("mod_lock_needs_delete"))
        return await self.act(call, actions=(CaseAction.LOCK,), target=None, reason=call.args.strip(),
                              done="mod_done_lock")

    async def unlock(self, call: CommandCall) -> Sequence[a.Step]:
        event, community, now = call.event, self.community(call), self.ctx.clock.now()
        async with self.ctx.db.unit_of_work() as tx:
            locked = await store.active_lock(tx, community.id, event.chat.id)
            if locked is not None:
                await store.mark_reversed(tx, locked.id, by=event.sender.user.id, now=now)
        if locked is None:
            raise Refused(self.m("mod_not_locked"))
        return await self.act(call, actions=(CaseAction.UNLOCK,), target=None, reason=call.args.strip(),
                              done="mod_done_unlock")

    async def cases(self, call: CommandCall) -> Sequence[a.Step]:
        event, community = call.event, self.community(call)
        found = find_target(call.args, mentions=tuple(u.id for u in event.mentions),
                            reply_to_sender=event.reply_to_sender.id if event.reply_to_sender else None)
        async with self.ctx.db.unit_of_work() as tx:
            listed = await store.cases_for(tx, community.id, found.user_id)
        # /cases answers in the group: a safeguarding alert is never shown there (SPEC §5), not even as a line
        # saying who it was about. Facilitators already have it privately.
        listed = [case for case in listed if CaseAction.ALERT not in case.actions]
        if not listed:
            return [reply(event, self.m("mod_cases_none"))]
        lines = [self.m("mod_cases_header", whose=self.m("mod_cases_whose") if found.user_id else "")]
        lines += [await self.case_line(case, event.chat.platform) for case in listed]
        return [reply(event, "\n".join(lines))]

    async def case_line(self, case: CaseView, platform: Platform) -> str:
        """Never the evidence: the group may read this; evidence is for private alerts only."""
        m = self.m
        marks = (m("mod_case_dry_mark") if case.dry_run else "") + (m("mod_case_undone_mark") if case.undone else "")
        return m("mod_case_line", number=case.number, action=self.service.action_names(case), clause=case.clause,
                 target=await self.service.staff_label(platform, case.target_user_id),
                 actor=m("mod_actor_bot") if case.actor == "bot" else await self.service.staff_label(platform,
                                                                                                    case.actor),
                 when=self.local(case.created_at), marks=marks)

    async def undo(self, call: CommandCall) -> Sequence[a.Step]:
        event, community, now = call.event, self.community(call), self.ctx.clock.now()
        number = parse_case_number(call.args)
        if number is None:
            raise Refused(self.m("mod_usage_undo"))
        async with self.ctx.db.unit_of_work() as tx:
            case = await store.case_by_number(tx, community.id, number)
        if case is None:
            raise Refused(self.m("mod_unknown_case", number=number))
        plan = reversal(case)
        if isinstance(plan, UndoRefusal):
            raise Refused(self.m(f"mod_undo_{plan.value}", number=number))
        async with self.ctx.db.unit_of_work() as tx:
            if not await store.mark_reversed(tx, case.id, by=event.sender.user.id, now=now):
                raise Refused(self.m("mod_undo_already_undone", number=number))
            await timers.cancel(tx, unban_timer_key(community.id, case.number), now)
        steps = self.reversing_steps(community, case, plan)

        async def answer(results: list[a.ActionResult]) -> list[a.Step]:
            failed = next((r for r in results if not r.ok), None)
            if failed is not None:
                return [reply(event, self.m("mod_failed", number=number, problem=str(failed.error).rstrip(".")))]
            note = self.m("mod_undo_note_delete") if CaseAction.DELETE in case.actions else ""
            return [reply(event, self.m("mod_undo_done", number=number, note=note))]

        return [a.FollowUp(tuple(steps), answer)]

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


def _with_reason(step: a.Action, reason: str) -> a.Action:
    return replace(step, reason=reason[:200])


def _numbered(notice: a.Action, number: int) -> a.Action:
    """Notices are written before the case number exists; fill it in."""
    if isinstance(notice, a.SendMessage) and "{number}" in notice.text:
        return replace(notice, text=notice.text.replace("{number}", str(number)))
    return notice
