"""What every moderation path shares: the community's policy (cached briefly), who is staff, writing a case
before acting, carrying the actions out, posting the case to the moderation log, and telling facilitators
privately — including, in plain words, when the platform refused."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Unpack


from bot import actions as a
from bot.context import Context
from bot.event_context import CommunityFacts
from bot.handlers.question_posts import home_chat
from bot.moderation import mute_ends
from bot.refs import ChatRef, Platform, UserRef
from bot.roles import RoleService
from bot.storage import cases as case_store
from bot.storage import people
from bot.storage.policies import PolicyRecord
from facilitation.cases import CaseAction, CaseView
from facilitation.consent import CommunityView
from facilitation.rules.policy import DEFAULT_POLICY
from facilitation.sessions import SessionView

log = logging.getLogger(__name__)

NAME_MEMORY = 5_000


@dataclass(frozen=True, slots=True)
class Outcome:
    case: CaseView
    results: list[a.ActionResult]

    @property
    def failure(self) -> str | None:
        """The first refusal of a moderation step, in the adapter's plain words."""
        for result in self.results:
            if not result.ok and not isinstance(result.action, a.SendMessage):
                return str(result.error).rstrip(".")
        return None


OutcomeHandler = Callable[[Outcome], Awaitable[Sequence[a.Step]]]


def chat_in(community: CommunityView, chat_id: str | None) -> ChatRef:
    """A chat of a community by id (a Discord channel carries its server); the home chat when unknown."""
    if not chat_id:
        return home_chat(community)
    space = community.space_id if chat_id != community.space_id else None
    return ChatRef(Platform(community.platform), chat_id, space)


class ModerationService:
    def __init__(self, ctx: Context, roles: RoleService) -> None:
        self.ctx = ctx
        self.roles = roles
        self._names: dict[tuple[Platform, str], str] = {}

    # -- policy -------------------------------------------------------------------------------------------

    async def policy(self, community_id: int) -> PolicyRecord:
        """From the context cache: a stored policy change (here or in another process) is followed at once."""
        facts = await self.ctx.cache.facts(community_id)
        return facts.policy if facts is not None else PolicyRecord(current=DEFAULT_POLICY, approved=None)

    @staticmethod
    def scope_always(facts: CommunityFacts) -> bool:
        """For the privacy gate: the *approved* policy widens the rules' scope to every message."""
        approved = facts.policy.approved
        return approved is not None and approved.scope.value == "always"

    # -- people -----------------------------------------------------------------------------------------------

    def bot_user_id(self, platform: Platform) -> str | None:
        adapter = self.ctx.adapters.get(platform)
        return adapter.bot_user_id if adapter is not None else None

    async def facilitators(self, community: CommunityView) -> list[UserRef]:
        async with self.ctx.db.unit_of_work() as tx:
            found = await people.list_facilitators(tx, community.id)
        return [UserRef(Platform(f.platform), f.user_id) for f in found if f.platform == community.platform]

    def remember_name(self, user: UserRef, name: str) -> None:
        """Names seen on commands and session chat, in memory only, so replies can say who is meant."""
        if name:
            self._names[(user.platform, user.id)] = name
            while len(self._names) > NAME_MEMORY:
                del self._names[next(iter(self._names))]

    async def _held_name(self, platform: Platform, user_id: str) -> str:
        name = self._names.get((platform, user_id))
        if not name:
            async with self.ctx.db.unit_of_work() as tx:
                name = await case_store.display_name_for(tx, str(platform), user_id)
        return name or ""

    async def name_of(self, platform: Platform, user_id: str | None) -> str:
        """A display name the bot already holds; else a neutral phrase."""
        if user_id is None:
            return self.ctx.messages("mod_member")
        return await self._held_name(platform, user_id) or self.ctx.messages("mod_member")

    async def staff_label(self, platform: Platform, user_id: str | None) -> str:
        """For staff: the name they recognise where the bot holds one, and the id they can act on (/mute 123)."""
        if not user_id:
            return self.ctx.messages("mod_nobody")
        name = await self._held_name(platform, user_id)
        return self.ctx.messages("mod_person_with_id", name=name, id=user_id) if name else user_id

    # -- cases ------------------------------------------------------------------------------------------------

    async def open_case(self, community: CommunityView, **fields: Unpack[case_store.CaseFields]) -> CaseView:
        """Write the numbered case in its own unit of work: it exists before anything happens on a platform.
        A timed mute's end is scheduled with it."""
        now = self.ctx.clock.now()
        async with self.ctx.db.unit_of_work() as tx:
            case = await case_store.open_case(tx, community_id=community.id, now=now, **fields)
            if CaseAction.MUTE in case.actions and case.expires_at and case.target_user_id and not case.dry_run:
                # Committed with the case: a mute the platform misread, or a crash, never outlives its end.
                await mute_ends.schedule_mute_end(tx, community.id, case.chat_id, case.target_user_id,
                                                  case.number, case.expires_at, now)
                self.ctx.timers.notify()
        log.info("case %s/%s opened: %s %s", community.id, case.number, "+".join(case.actions), case.clause)
        return case

    def carry_out(self, community: CommunityView, case: CaseView, steps: Sequence[a.Action],
                  notices: Sequence[a.Action] = (), *, then: OutcomeHandler | None = None) -> list[a.Step]:
        """The case's platform steps; once their results are back, the notices (which say what happened, so
        they go after it), the moderation log entry, and whatever `then` makes of the outcome."""

        async def after(results: list[a.ActionResult]) -> list[a.Step]:
            outcome = Outcome(case, results)
            more: list[a.Step] = list(notices) if outcome.failure is None else []
            more += await self.modlog_entry(community, case)
            if then is not None:
                more += await then(outcome)
            return more

        return [a.FollowUp(tuple(steps), after)]

    def action_names(self, case: CaseView) -> str:
        m = self.ctx.messages
        return m.join(", ", (m(f"mod_action_{action.value}") for action in case.actions))

    async def modlog_entry(self, community: CommunityView, case: CaseView) -> list[a.Action]:
        # A safeguarding alert is never shown anywhere but privately, and the log chat may be the group itself.
        if CaseAction.ALERT in case.actions:
            return []
        modlog = (await self.policy(community.id)).current.modlog_chat_id
        if not modlog:
            return []
        m = self.ctx.messages
        text = m("mod_modlog_entry", number=case.number, action=self.action_names(case), clause=case.clause,
                 target=case.target_user_id or m("mod_nobody"),
                 actor=m("mod_actor_bot") if not case.actor.isdigit() and case.automatic else case.actor,
                 reason=case.reason or m("mod_no_reason"))
        return [a.SendMessage(target=chat_in(community, modlog), text=text, reason=f"case {case.number}")]

    async def safeguarding_recipients(self, community: CommunityView, session: SessionView | None) -> list[UserRef]:
        """Who hears a safeguarding alert: the community's facilitators; with none, the session's host (its
        councillor, where they linked an account on this platform, or the council officer hosting it) and the
        council's safeguarding accounts (`council.safeguarding_accounts`), so that an alert never goes nowhere."""
        found = await self.facilitators(community)
        if found:
            return found
        recipients: list[UserRef] = []
        if session is not None:
            async with self.ctx.db.unit_of_work() as tx:
                host = await people.host_identity(tx, session, community.platform)
            if host is not None:
                recipients.append(UserRef(Platform(community.platform), host))
        for account in self.ctx.settings.council.safeguarding_accounts:
            platform, _, user_id = account.partition(":")
            user = UserRef(Platform(platform), user_id)
            if user not in recipients:
                recipients.append(user)
        if not recipients:
            log.warning("safeguarding alert in community %s reaches nobody: no facilitators, no host account, "
                        "and SURGERYBOT_COUNCIL__SAFEGUARDING_ACCOUNTS is empty", community.id)
        return recipients

    async def tell_facilitators(self, community: CommunityView, text: str, *, reason: str,
                                exclude: frozenset[str] = frozenset()) -> list[a.Action]:
        """Private messages to the community's facilitators (never in the group)."""
        return [a.SendMessage(target=user, text=text, reason=reason)
                for user in await self.facilitators(community) if user.id not in exclude]

    def failure_report(self, community: CommunityView) -> OutcomeHandler:
        """A missing right or a refused call, said to facilitators in plain words (for automatic actions;
        a command's issuer hears it in the reply)."""

        async def report(outcome: Outcome) -> list[a.Step]:
            problem = outcome.failure
            if problem is None:
                return []
            m = self.ctx.messages
            text = m("mod_failed_alert", chat=community.name, number=outcome.case.number,
                     action=self.action_names(outcome.case), problem=problem)
            return list(await self.tell_facilitators(community, text, reason="moderation failed"))

        return report
