"""The command router: finds the command, checks where it may be used and who may use it (in the core, not
by hiding menu entries), then calls its handler. A refusal is one plain line that reveals nothing else.

Handlers refuse one way: `raise Refused(key, **values)`, a catalogue key and its values; the router renders it
into a reply here, in one place. A command in a group gets a `GroupCall`, whose community is always there."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from bot.actions import Action, SendMessage, Step
from bot.context import Context
from bot.events import CommandReceived
from bot.features import CommandSpec, Where
from bot.refs import Button, ChatKind
from bot.roles import RoleService
from bot.storage.database import Redelivered
from facilitation.consent import CommunityView
from facilitation.problems import InputProblem
from facilitation.roles import ROLE_NAME_KEY, Refusal, Role, Standing, authorise
from facilitation.throttle import Bucket, Verdict, take

log = logging.getLogger(__name__)

REMEMBERED_SENDERS = 50_000

__all__ = ["CommandCall", "CommandHandler", "CommandRouter", "CommandSpec", "GroupCall", "Refused", "Where", "reply"]


@dataclass(frozen=True, slots=True)
class CommandCall:
    event: CommandReceived
    args: str  # what follows the command (and its subcommand)
    community: CommunityView | None
    standing: Standing


@dataclass(frozen=True, slots=True)
class GroupCall(CommandCall):
    """A command in a group whose community the router found (active, or dormant for `dormant_ok` commands).
    Every `Where.GROUP` command that is not `dormant_ok` is called with one."""

    community: CommunityView


class Refused(Exception):
    """A command that can't go ahead: a message catalogue key and its values, rendered by the router as the one
    line the issuer gets."""

    def __init__(self, key: str, /, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


CommandHandler = Callable[[CommandCall], Awaitable[Sequence[Step]]]


def reply(event: CommandReceived, text: str, *, buttons: tuple[Button, ...] = ()) -> SendMessage:
    """A reply in the chat the command came from, answering that command (Discord: its slash interaction)."""
    return SendMessage(target=event.chat, text=text, reply_to=event.message, answers=event.interaction_id,
                       reason=f"/{event.name}", buttons=buttons)


class CommandRouter:
    def __init__(self, ctx: Context, roles: RoleService) -> None:
        self.ctx = ctx
        self.roles = roles
        self.specs: dict[str, CommandSpec] = {}
        # Each person's command allowance, in memory (a restart forgives everyone); the oldest are forgotten.
        self._buckets: OrderedDict[tuple[str, str], Bucket] = OrderedDict()

    def add(self, spec: CommandSpec) -> None:
        self.specs[spec.name] = spec

    def resolve(self, event: CommandReceived) -> tuple[CommandSpec | None, str]:
        if event.name == "surgery":
            sub, _, rest = event.args.strip().partition(" ")
            return self.specs.get(f"surgery {sub.lower()}"), rest.strip()
        return self.specs.get(event.name), event.args

    async def handle(self, event: CommandReceived) -> Sequence[Action]:
        m = self.ctx.messages
        spec, args = self.resolve(event)
        private = event.chat_kind == ChatKind.PRIVATE
        if spec is None and not private and event.name != "surgery":
            return []  # in a group, an unknown command is probably another bot's; stay quiet
        verdict = self._throttle(event)
        if verdict == Verdict.REFUSE_QUIETLY:
            return []
        if verdict == Verdict.REFUSE_AND_SAY:
            return [reply(event, m("commands_too_fast"))]
        if spec is None:
            if event.name == "surgery":
                return [reply(event, m("surgery_usage"))]
            return [reply(event, m("unknown_command_private", command=event.name))]
        if spec.where == Where.PRIVATE and not private:
            return [reply(event, m("private_only"))]
        if spec.where == Where.GROUP and private:
            return [reply(event, m("group_only"))]
        community = None
        if not private:
            community = await self.ctx.cache.community_in(str(event.chat.platform), event.chat.space)
            if (community is None or not community.is_active) and not spec.dormant_ok:
                return [reply(event, m("inactive_group"))]
        standing = Standing()
        if spec.role != Role.ANYONE:
            standing = await self.roles.standing(event.chat, event.sender, community.id if community else None)
            refusal = authorise(spec.role, standing, destructive=spec.destructive)
            if refusal is not None:
                log.info("refused /%s for user=%s chat=%s: %s", spec.name, event.sender.user.id, event.chat,
                         refusal)
                if refusal == Refusal.ANONYMOUS_ADMIN:
                    return [reply(event, m("anonymous_admin_refused"))]
                return [reply(event, m("not_allowed", role=m(ROLE_NAME_KEY[spec.role])))]
        call = GroupCall(event, args, community, standing) if community is not None \
            else CommandCall(event, args, None, standing)
        try:
            return await spec.handler(call)
        except Refused as refusal:
            # Rendered like a domain problem: a value that is itself a problem reads as part of the sentence.
            return [reply(event, m.problem(InputProblem(refusal.key, **refusal.values)))]
        except Redelivered:
            raise  # not a failure: the dispatcher skips the whole event
        except Exception:
            # Any other failure is a bug or an outage. Whoever typed the command gets one kind line instead of
            # silence; staff get the detail in the log (ids only, never the command's text). The handler's own
            # units of work were savepoints, so what it half-wrote is already rolled back.
            log.exception("/%s failed for user=%s chat=%s (update %s)", spec.name, event.sender.user.id, event.chat,
                          event.update_key)
            return [reply(event, m("command_failed"))]

    def _throttle(self, event: CommandReceived) -> Verdict:
        key = (str(event.sender.user.platform), event.sender.user.id)
        limits = self.ctx.settings.limits
        bucket, verdict = take(self._buckets.pop(key, None), self.ctx.clock.now(), burst=limits.command_burst,
                               refill_seconds=limits.command_refill_seconds)
        self._buckets[key] = bucket
        while len(self._buckets) > REMEMBERED_SENDERS:
            self._buckets.popitem(last=False)
        if verdict != Verdict.TAKE:
            log.info("command /%s from user=%s chat=%s refused: too many at once (%s)", event.name,
                     event.sender.user.id, event.chat, verdict.value)
        return verdict

    async def allowed_for(self, event: CommandReceived, community: CommunityView | None) -> list[CommandSpec]:
        """The commands this sender may use here, for /help."""
        private = event.chat_kind == ChatKind.PRIVATE
        if private:
            councillor = await self.ctx.cache.councillor_id(str(event.chat.platform), event.sender.user.id)
            standing = Standing(is_councillor=councillor is not None, councillor_id=councillor)
        else:
            standing = await self.roles.standing(event.chat, event.sender, community.id if community else None)
        staff = standing.is_community_admin or standing.is_facilitator or standing.is_councillor
        adapter = self.ctx.adapters.get(event.chat.platform)
        allowed = []
        for spec in self.specs.values():
            if (spec.where == Where.PRIVATE and not private) or (spec.where == Where.GROUP and private):
                continue
            if adapter is not None and not spec.offered_on(adapter.capabilities):
                continue  # the platform would always refuse it (Telegram: /slowmode)
            if spec.staff_help_only and not staff:
                continue
            if authorise(spec.role, standing, destructive=spec.destructive) is None:
                allowed.append(spec)
        return allowed
