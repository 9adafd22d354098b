"""Moderation as one feature for the App to wire: its commands, the rules' gated message handler, join
times, the two-person ban buttons, its durable timers and the privacy gate's "scope: always" lookup."""

from __future__ import annotations

from bot.command_router import CommandRouter
from bot.context import Context
from bot.events import MemberJoined, MessageReceived
from bot.features import ButtonRoute, Feature, TimerRoute, on
from bot.moderation.bans import BAN_CANCEL, BAN_CONFIRM
from bot.moderation.facilitator_commands import FacilitatorCommands
from bot.moderation.lifting import Lifts
from bot.moderation.policy_commands import PolicyCommands
from bot.moderation.reports import ReportCommands
from bot.moderation.moderation_timers import MODERATION_TIMER
from bot.moderation.rules import AutomaticRules
from bot.moderation.service import ModerationService
from bot.message_gate import MessageGate
from bot.roles import RoleService

__all__ = ["MODERATION_TIMER", "ModerationFeature"]


class ModerationFeature:
    def __init__(self, ctx: Context, router: CommandRouter, roles: RoleService, gate: MessageGate) -> None:
        self.service = ModerationService(ctx, roles)
        self.policy = PolicyCommands(ctx, router, roles, self.service)
        self.commands = FacilitatorCommands(ctx, router, roles, self.service)
        self.reports = ReportCommands(ctx, router, self.service)
        self.rules = AutomaticRules(ctx, roles, self.service, gate)
        self.lifts = Lifts(ctx, self.service)
        self.gate = gate

    def feature(self) -> Feature:
        self.gate.widen_scope_with(self.service.scope_always)
        return Feature(
            "moderation",
            commands=self.policy.commands() + self.commands.commands() + self.reports.commands(),
            buttons=(ButtonRoute(BAN_CONFIRM, self.commands.bans.on_ban_button),
                     ButtonRoute(BAN_CANCEL, self.commands.bans.on_ban_button)),
            timers=(TimerRoute(MODERATION_TIMER, self.lifts.on_timer),),
            events=(on(MessageReceived, self.rules.message_handler()), on(MemberJoined, self.rules.on_member_joined)),
        )
