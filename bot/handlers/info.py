"""/about, /privacy and /help: answered everywhere, in every state, including dormant. (A private /start answers
with /about too; it lives with consent, which owns /start.)"""

from __future__ import annotations

from collections.abc import Sequence

from bot.actions import Action
from bot.command_router import CommandCall, CommandRouter, CommandSpec, reply
from bot.context import Context
from bot.features import Feature, summary_context
from bot.handlers.languages import welsh_welcome_due


class InfoHandlers:
    def __init__(self, ctx: Context, router: CommandRouter) -> None:
        self.ctx = ctx
        self.router = router

    def feature(self) -> Feature:
        return Feature("info", commands=(
            CommandSpec("about", self.about, "who runs me and what I do", dormant_ok=True),
            CommandSpec("privacy", self.privacy, "what I store, for how long, and your rights", dormant_ok=True),
            CommandSpec("help", self.help, "what you can do here", dormant_ok=True),
        ))

    async def about(self, call: CommandCall) -> Sequence[Action]:
        m = self.ctx.messages
        text = m("about") + ("\n" + m("welsh_welcome") if welsh_welcome_due(self.ctx) else "")
        return [reply(call.event, text)]

    async def privacy(self, call: CommandCall) -> Sequence[Action]:
        return [reply(call.event, self.ctx.messages("privacy"))]

    async def help(self, call: CommandCall) -> Sequence[Action]:
        m = self.ctx.messages
        specs = await self.router.allowed_for(call.event, call.community)
        lines = [m("help_header")]
        lines += [m("help_line", command=spec.name, summary=m.code_text(summary_context(spec.name), spec.summary))
                  for spec in specs]
        return [reply(call.event, m.join("\n", lines))]  # a bilingual help: all its Welsh, then all its English
