"""The automatic rules on session chat (SPEC §5). Messages arrive only through the privacy gate; the rules act
only under the community's approved policy, in its scope. One case per message (one escalation however many
rules fired), written before any platform call; dry-run verdicts are logged as "would have …" and do nothing.
The lock (`/lock`) is enforced here too, and session close lifts session-scoped mutes and locks."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import actions as a
from bot import timers
from bot.context import Context
from bot.events import MemberJoined, MessageReceived
from bot.moderation.moderation_timers import (
    MODERATION_TIMER,
    LiftAtClose,
    SlowModeEnds,
    slowmode_timer_key,
)
from bot.moderation.chat_controls import lacks_slow_mode_right
from bot.moderation.service import ModerationService
from bot.message_gate import MessageGate
from bot.refs import ChatRef, Platform, UserRef
from bot.roles import RoleService
from bot.storage import cases as store
from bot.storage import joins
from config.policy_text import reason
from facilitation.cases import CaseAction, CaseView, prior_offences, step_action
from facilitation.consent import CommunityView
from facilitation.durations import format_duration
from facilitation.rules.links import contains_link
from facilitation.rules.policy import Policy, RuleMode, Scope
from facilitation.processing import Purpose
from facilitation.roles import Standing
from facilitation.rules.engine import (
    Effect,
    MAX_TEXT,
    MessageFacts,
    Rule,
    RulesState,
    Verdict,
    acting_effects,
    applies,
    evaluate,
)
from facilitation.rules.escalation import EscalationStep, StepKind, next_step
from facilitation.sessions import SessionView

log = logging.getLogger(__name__)

# "Removed from the session" is a mute lifted at close; it must still fit every platform (Discord: 28 days).
SESSION_REMOVAL_MUTE = timedelta(days=28) - timedelta(minutes=1)
# With scope "always" and no session to end, removal lasts a day.
REMOVAL_WITHOUT_SESSION = timedelta(days=1)
JOIN_MEMORY = 50_000


def facts_from_message(event: MessageReceived, *, joined_at: datetime | None, exempt: bool) -> MessageFacts:
    """The facts the rules judge, taken from the platform-neutral event at the edge."""
    return MessageFacts(
        author=event.sender.user, message_id=event.message.id, text=event.text, sent_at=event.occurred_at,
        edited=event.edited, joined_at=joined_at, exempt=exempt or event.sender.is_bot,
    )


class AutomaticRules:
    def __init__(self, ctx: Context, roles: RoleService, service: ModerationService, gate: MessageGate) -> None:
        self.ctx = ctx
        self.roles = roles
        self.service = service
        self.gate = gate
        # Seconds-to-minutes of rule memory per community; a restart only resets the counters.
        self._states: dict[int, RulesState] = {}
        # When members joined, for the newcomer-links rule (ids and times, no content): stored (bot/storage/
        # joins.py) and remembered here, None for a member not seen joining.
        self._joined: OrderedDict[tuple[int, str], datetime | None] = OrderedDict()
        self._joins_read: set[int] = set()  # communities whose stored joins are all in `_joined`

    def message_handler(self) -> Callable[[MessageReceived], Awaitable[Any]]:
        """The only way the rules see chat: through the gate, while a session is open (or scope "always")."""
        return self.gate.guard(Purpose.SESSION, self.on_message)

    async def on_member_joined(self, event: MemberJoined) -> None:
        facts = await self.ctx.cache.facts_in(str(event.chat.platform), event.chat.space)
        if facts is None:
            return  # not a community: nothing to remember
        async with self.ctx.db.unit_of_work() as tx:
            await joins.record_join(tx, facts.community.id, event.user.id, event.occurred_at)
        self._remember_join(facts.community.id, event.user.id, event.occurred_at)

    def _remember_join(self, community_id: int, user_id: str, at: datetime | None) -> None:
        self._joined[(community_id, user_id)] = at
        self._joined.move_to_end((community_id, user_id))
        while len(self._joined) > JOIN_MEMORY:
            (forgotten, _), _ = self._joined.popitem(last=False)
            self._joins_read.discard(forgotten)  # no longer all held: read again when next asked

    async def _joined_at(self, community_id: int, user_id: str) -> datetime | None:
        """When the member joined, from memory, else from the database: the community's joins in one read, the
        first time any member is asked about (once per community and process, rather than once per member: a
        session's first minutes would otherwise hold every chatting resident's first message behind a read).
        A member without a row was not seen joining, which is remembered too."""
        key = (community_id, user_id)
        if key in self._joined:
            return self._joined[key]
        if community_id not in self._joins_read:
            async with self.ctx.db.read() as tx:
                found = await joins.joins_in(tx, community_id)
            for member, member_joined in found:
                if (community_id, member) not in self._joined:  # a join seen since the read is newer
                    self._remember_join(community_id, member, member_joined)
            if len(found) < JOIN_MEMORY // 2:  # else they can't all be held, and each member is read alone
                self._joins_read.add(community_id)
            if key in self._joined:
                return self._joined[key]
        at: datetime | None = None  # all the community's joins are held: this member was not seen joining
        if community_id not in self._joins_read:
            async with self.ctx.db.read() as tx:
                at = await joins.joined_at(tx, community_id, user_id)
        self._remember_join(community_id, user_id, at)
        return at

    # -- a message ------------------------------------------------------------------------------------------------

    async def on_message(self, event: MessageReceived, community: CommunityView) -> list[a.Step]:
        """Everything here is answered from the context cache: benign chat reads and writes nothing."""
        if event.sender.is_bot:
            return []
        self.service.remember_name(event.sender.user, event.sender.display_name)
        facts = self.ctx.cache.held(community.id) or await self.ctx.cache.facts(community.id)
        if facts is None:
            return []
        policy = facts.policy.approved
        rules_apply = policy is not None and applies(policy, facts.session_open)
        lock = facts.locks.get(event.chat.id)
        if lock is None and not rules_apply:
            return []
        # Staff are exempt. Facilitators and councillors are known from the cache. Whether the poster is a platform
        # admin takes a call to the platform (per person, cached a minute): waiting for it here would hold every
        # other post in the chat behind it, so it is asked in the background and waited for only when the
        # answer changes what happens to this post (a lock, or a rule that would act).
        exempt = _is_staff(await self.roles.recorded_standing(event.chat, event.sender, community.id))
        admin = None if exempt else self.roles.known_admin(event.chat, event.sender.user)
        exempt = exempt or admin is True
        if lock is not None and not exempt and not _holds_floor(facts.session, event.sender.user,
                                                                self.ctx.clock.now()):
            if admin is False or not await self.roles.is_platform_admin(event.chat, event.sender.user):
                return [a.DeleteMessage(message=event.message, sent_at=event.occurred_at,
                                        reason=f"lock (case {lock.number})")]
            exempt = True
        if not rules_apply or policy is None:
            return []
        key = (community.id, event.sender.user.id)
        if key in self._joined:
            joined = self._joined[key]
        elif policy.links.mode == RuleMode.OFF or not contains_link(event.text[:MAX_TEXT]):
            # Only the newcomer-links rule asks when someone joined, and only about a post with a link: reading
            # it for any other post held a session's first burst behind a read (and, with it, every message
            # queued in the chat's lane after it).
            joined = None
        else:
            joined = await self._joined_at(*key)
        message = facts_from_message(event, joined_at=joined, exempt=exempt)
        verdicts = self._judge(community.id, message, policy)
        if verdicts and admin is None and not exempt \
                and await self.roles.is_platform_admin(event.chat, event.sender.user):
            return []  # an admin after all (this one post was counted, as a resident's; the next will not be)
        steps: list[a.Step] = []
        about_message = [v for v in verdicts if v.rule != Rule.HEAT]
        if about_message:
            steps += await self._message_case(event, community, policy, message, about_message, facts.session,
                                              facts.session_open)
        for verdict in verdicts:
            if verdict.rule == Rule.HEAT:
                steps += await self._heat(event, community, policy, verdict)
        return steps

    def _judge(self, community_id: int, message: MessageFacts, policy: Policy) -> list[Verdict]:
        now = self.ctx.clock.now()
        state = self._states.get(community_id, RulesState())
        # No await between reading and writing the state: concurrent messages can't lose each other's counts.
        new_state, verdicts = evaluate(message, state, policy, now,
                                       default_contact=self.ctx.settings.council.safeguarding_contact)
        self._states[community_id] = new_state
        return verdicts

    async def _message_case(self, event: MessageReceived, community: CommunityView, policy: Policy,
                            message: MessageFacts, verdicts: list[Verdict], session: SessionView | None,
                            session_open: bool) -> list[a.Step]:
        m, now = self.ctx.messages, self.ctx.clock.now()
        acting = acting_effects(verdicts)
        dry_run = not acting
        effects = acting or frozenset(e for v in verdicts for e in v.effects)
        step = await self._ladder_step(community, message.author, policy, now) if Effect.ESCALATE in effects else None
        actions: list[CaseAction] = []
        if Effect.DELETE_MESSAGE in effects:
            actions.append(CaseAction.DELETE)
        if step is not None:
            actions.append(step_action(step))
        if Effect.ALERT_FACILITATORS in effects:
            actions.append(CaseAction.ALERT)
        until = self._mute_until(step, now, session_open)
        lifts = step is not None and step.kind != StepKind.WARN and (
            step.kind == StepKind.REMOVE or policy.scope == Scope.SESSION)
        case = await self.service.open_case(
            community, actions=tuple(actions), clause=",".join(v.clause for v in verdicts), actor="bot",
            target_user_id=message.author.id, reason=m.join("; ", (reason(v, m) for v in verdicts)),
            evidence="; ".join(v.evidence for v in verdicts if v.evidence), dry_run=dry_run,
            expires_at=until, chat_id=event.chat.id, lifts_at_close=lifts and not dry_run)
        if dry_run:
            return list(await self.service.modlog_entry(community, case))
        steps: list[a.Action] = []
        notices: list[a.Action] = []
        why = f"case {case.number}: {case.clause}"
        if Effect.DELETE_MESSAGE in acting:
            steps.append(a.DeleteMessage(message=event.message, sent_at=message.sent_at, reason=why))
        if step is not None:
            steps += self._step_actions(step, event.chat, message.author, until, why)
            notices += self._step_notices(step, event, community, case, until)
        if Effect.INVITE_PRIVATE_RESEND in acting:
            notices.append(self._personal_data_note(event, community, verdicts))
        if Effect.ALERT_FACILITATORS in acting:
            concern = next(v for v in verdicts if Effect.ALERT_FACILITATORS in v.effects and v.acts)
            text = m("rule_safeguarding_alert", person=event.sender.display_name or message.author.id,
                     chat=community.name, contact=concern.contact)
            notices += [a.SendMessage(target=user, text=text, reason=f"case {case.number}")
                        for user in await self.service.safeguarding_recipients(community, session)]
        return self.service.carry_out(community, case, steps, notices, then=self.service.failure_report(community))

    async def _ladder_step(self, community: CommunityView, author: UserRef, policy: Policy,
                           now: datetime) -> EscalationStep:
        async with self.ctx.db.unit_of_work() as tx:
            record = await store.record_of(tx, community.id, author.id)
        return next_step(prior_offences(record), policy.escalation.steps, now, policy.escalation.warning_expiry)

    @staticmethod
    def _mute_until(step: EscalationStep | None, now: datetime, session_open: bool) -> datetime | None:
        if step is None or step.kind == StepKind.WARN:
            return None
        if step.kind == StepKind.MUTE and step.duration is not None:
            return now + step.duration
        return now + (SESSION_REMOVAL_MUTE if session_open else REMOVAL_WITHOUT_SESSION)

    @staticmethod
    def _step_actions(step: EscalationStep, chat: ChatRef, author: UserRef, until: datetime | None,
                      why: str) -> list[a.Action]:
        if step.kind == StepKind.WARN or until is None:
            return []
        return [a.MuteMember(chat=chat, user=author, until=until, reason=why)]

    def _step_notices(self, step: EscalationStep, event: MessageReceived, community: CommunityView,
                      case: CaseView, until: datetime | None) -> list[a.Action]:
        """Every automatic action cites its clause in public; the person also hears privately how to appeal."""
        m = self.ctx.messages
        name = event.sender.display_name or m("mod_member")
        clause, number = case.clause, case.number
        # The case's reason ("flood: applied the next escalation step") is for staff; the resident hears the rule.
        plain_key = f"rule_plain_{clause.partition(':')[0]}"
        plain = m(plain_key if plain_key in m.catalogue else "rule_plain_other")
        if step.kind == StepKind.WARN:
            public = m("rule_warn_public", name=name, clause=clause, number=number)
            private = m("mod_told_you_warn", chat=community.name, number=number, reason=plain)
        else:
            assert until is not None
            if step.kind == StepKind.MUTE and step.duration is not None:
                public = m("rule_mute_public", name=name, duration=format_duration(step.duration), clause=clause,
                           number=number)
            else:
                public = m("rule_removal_public", name=name, clause=clause, number=number)
            local = m.datetime(until, self.ctx.settings.council.zone)
            private = m("mod_told_you_mute", chat=community.name, until=local, number=number, reason=plain)
        return [a.SendMessage(target=event.chat, text=public, reason=f"case {number}"),
                a.SendMessage(target=event.sender.user, text=private, reason=f"case {number}")]

    def _personal_data_note(self, event: MessageReceived, community: CommunityView,
                            verdicts: list[Verdict]) -> a.SendMessage:
        """Privately, never in the group. If the person can't be reached privately they are asked, by name, to
        open a chat: the note (and the data) are never posted."""
        m = self.ctx.messages
        kinds: list[str] = []
        for verdict in verdicts:
            if verdict.rule == Rule.PERSONAL_DATA:
                kinds += [m(f"policy_kind_{kind}") for kind in verdict.clause.partition(":")[2].split(",") if kind]
        stand_in = None
        if event.sender.display_name:
            how_key = f"open_chat_how_{event.chat.platform.value}"
            how = m(how_key if how_key in m.catalogue else "open_chat_how")
            stand_in = a.SendMessage(target=event.chat, reason="personal data note: unreachable privately",
                                     text=m("private_note_unreachable", name=event.sender.display_name, how=how))
        return a.SendMessage(target=event.sender.user, reason="personal data note", if_unreachable=stand_in,
                             text=m("rule_personal_data_note", chat=community.name, kinds=m.join(", ", kinds)))

    async def _heat(self, event: MessageReceived, community: CommunityView, policy: Policy,
                    verdict: Verdict) -> list[a.Step]:
        """A cool-down: slow mode for a few minutes where the platform has it, lifted by a durable timer."""
        m, now = self.ctx.messages, self.ctx.clock.now()
        minutes = policy.heat.cool_down_minutes
        case = await self.service.open_case(community, actions=(CaseAction.SLOWMODE,), clause=verdict.clause,
                                            actor="bot", target_user_id=None, reason=reason(verdict, m),
                                            dry_run=not verdict.acts, chat_id=event.chat.id,
                                            expires_at=verdict.slow_mode.until if verdict.slow_mode else None)
        if not verdict.acts:
            return list(await self.service.modlog_entry(community, case))
        adapter = self.ctx.adapters.get(event.chat.platform)
        steps: list[a.Action] = []
        if adapter is not None and adapter.capabilities.supports_slow_mode and verdict.slow_mode is not None \
                and not lacks_slow_mode_right(community):
            steps.append(a.SetSlowMode(chat=event.chat, seconds=verdict.slow_mode.interval_seconds,
                                       reason=f"case {case.number}: {verdict.clause}"))
            async with self.ctx.db.unit_of_work() as tx:
                await _schedule_slowmode_off(tx, community, event.chat, verdict.slow_mode.until, now)
            self.ctx.timers.notify()
            alert = m("rule_heat_alert", chat=community.name, clause=verdict.clause, minutes=minutes)
            public = m("rule_heat_public", minutes=minutes)
        else:
            alert = m("rule_heat_alert_no_slow_mode", chat=community.name, clause=verdict.clause)
            public = m("rule_heat_public_no_slow_mode")
        notices: list[a.Action] = [a.SendMessage(target=event.chat, text=public, reason=f"case {case.number}")]
        notices += await self.service.tell_facilitators(community, alert, reason=f"case {case.number}")
        return self.service.carry_out(community, case, steps, notices, then=self.service.failure_report(community))

    # -- timers and session close ---------------------------------------------------------------------------------

    async def on_session_closing(self, tx: AsyncSession, view: SessionView, now: datetime) -> None:
        """Called inside the close's own unit of work: a durable timer due now lifts the session's mutes and
        locks, so a crash right after closing still lifts them on restart."""
        await timers.schedule(tx, MODERATION_TIMER, LiftAtClose(tuple(view.community_ids)), due_at=now, now=now,
                              key=f"mod:close:{view.id}")
        self.ctx.timers.notify()



def _is_staff(standing: Standing) -> bool:
    return standing.is_community_admin or standing.is_facilitator or standing.is_councillor \
        or standing.is_anonymous_admin or standing.officer_host_of is not None


def _holds_floor(view: SessionView | None, user: UserRef, now: datetime) -> bool:
    return (view is not None and view.floor_user_id == user.id and view.floor_until is not None
            and now < view.floor_until)


async def _schedule_slowmode_off(tx: AsyncSession, community: CommunityView, chat: ChatRef, until: datetime,
                                 now: datetime) -> None:
    await timers.schedule(tx, MODERATION_TIMER, SlowModeEnds(community.id, chat.id), due_at=until, now=now,
                          key=slowmode_timer_key(community.id, chat.id))
