"""Facilitator commands (SPEC §5, §8): /warn, /mute, /unmute, /remove, /kick, /ban (confirmed by a second
facilitator), /unban, /slowmode, /lock, /unlock, /cases and /undo. Each checks its target and the platform's
limits first, writes the case, then acts, and answers the issuer in one line — with the platform's refusal in
plain words when it did not happen."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bot import actions as a
from bot.command_router import CommandRouter, CommandSpec, GroupCall, Where
from bot.context import Context
from bot.features import Arg, ArgKind
from bot.moderation.bans import BanRule
from bot.moderation.case_commands import CaseCommands
from bot.moderation.chat_controls import ChatControls
from bot.moderation.member_actions import MemberActions
from bot.moderation.service import ModerationService
from bot.rights import Capability
from bot.roles import RoleService
from facilitation.roles import Role

GroupHandler = Callable[[GroupCall], Awaitable[Sequence[a.Step]]]


class FacilitatorCommands:
    """The facilitator commands as one declaration; each concern lives in its own module."""

    def __init__(self, ctx: Context, router: CommandRouter, roles: RoleService, service: ModerationService) -> None:
        self.ctx = ctx
        self.router = router
        self.service = service
        self.members = MemberActions(ctx, roles, service)
        self.bans = BanRule(ctx, roles, service)
        self.cases = CaseCommands(ctx, roles, service)
        self.controls = ChatControls(ctx, roles, service)

    def commands(self) -> tuple[CommandSpec, ...]:
        member = Arg("user", "The member", ArgKind.USER, required=True)
        reason = Arg("reason", "Why (shown in the case log)")
        message = Arg("message", "Message link or ID", ArgKind.MESSAGE, required=True)

        def spec(name: str, handler: GroupHandler, summary: str, *args: Arg, **extra: Any) -> CommandSpec:
            return CommandSpec(name, self._guarded(handler), summary, role=Role.FACILITATOR, where=Where.GROUP,
                               args=args, **extra)

        return (
            spec("warn", self.members.warn, "warn a member: reply or mention, [reason]", member, reason),
            spec("mute", self.members.mute, "mute a member: <duration> [reason]", member,
                 Arg("duration", "e.g. 10m, 2h, 1d", required=True), reason),
            spec("unmute", self.members.unmute, "let a muted member post again", member),
            spec("remove", self.members.remove, "delete the message you reply to: [reason]", message, reason,
                 message_action="Remove message"),
            spec("kick", self.members.kick, "remove a member from the group (if the rules allow)", member, reason),
            spec("ban", self.bans.ban, "ban a member: [duration] [reason]; a second facilitator confirms", member,
                 Arg("duration", "e.g. 7d (empty: until unbanned)"), reason),
            spec("unban", self.members.unban, "lift a ban", member),
            spec("slowmode", self.controls.slowmode, "slow mode: <seconds> or off",
                 Arg("seconds", "Seconds between messages, or off", required=True), needs=(Capability.SLOW_MODE,)),
            spec("lock", self.controls.lock, "only staff and the resident with the floor may post"),
            spec("unlock", self.controls.unlock, "everyone may post again"),
            spec("cases", self.cases.cases, "the latest moderation cases: [member]",
                 Arg("user", "The member", ArgKind.USER)),
            spec("undo", self.cases.undo, "reverse a case: <number>", Arg("case", "Case number", ArgKind.NUMBER, True)),
            spec("redact", self.cases.redact, "clear the reason typed for a case: <number>",
                 Arg("case", "Case number", ArgKind.NUMBER, True)),
        )

    def _guarded(self, handler: GroupHandler) -> GroupHandler:
        async def run(call: GroupCall) -> Sequence[a.Step]:
            self.service.remember_name(call.event.sender.user, call.event.sender.display_name)
            return await handler(call)

        run.__qualname__ = getattr(handler, "__qualname__", "moderation")
        return run
