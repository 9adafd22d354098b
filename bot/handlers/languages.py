"""Choosing the language the bot writes in: a community admin sets the group's (/surgery language en|cy|both),
a person their own for private messages (/language en|cy). The reply already speaks the new choice."""

from __future__ import annotations

from collections.abc import Sequence

from bot.actions import Action
from bot.command_router import CommandCall, CommandRouter, CommandSpec, GroupCall, Refused, Where, reply
from bot.context import Context
from bot.features import Arg, ArgKind, Feature
from bot.storage import audit, languages
from config.messages import reading_in
from facilitation.roles import Role

GROUP_CHOICES = ("en", "cy", "both")
PERSON_CHOICES = ("en", "cy")


def welsh_welcome_due(ctx: Context) -> bool:
    """Where the council's default is Welsh or bilingual, or the reader reads Welsh (a group set to cy or both,
    a person who chose Welsh), /about and the transparency notice say that writing in Welsh is welcome."""
    return ctx.settings.council.language.value in ("cy", "both") or ctx.messages.language in ("cy", "both")


class LanguageHandlers:
    def __init__(self, ctx: Context, router: CommandRouter) -> None:
        self.ctx = ctx
        self.router = router

    def feature(self) -> Feature:
        return Feature("languages", commands=(
            CommandSpec("surgery language", self.group_language, "the group's language: en, cy or both",
                        role=Role.COMMUNITY_ADMIN, where=Where.GROUP,
                        args=(Arg("language", "en, cy or both (Welsh first)", ArgKind.CHOICE, required=True,
                                  choices=GROUP_CHOICES),)),
            CommandSpec("language", self.person_language, "the language I write to you in: en or cy",
                        where=Where.PRIVATE,
                        args=(Arg("language", "en or cy", ArgKind.CHOICE, required=True, choices=PERSON_CHOICES),)),
        ))

    async def group_language(self, call: GroupCall) -> Sequence[Action]:
        event, now = call.event, self.ctx.clock.now()
        choice = call.args.strip().lower()
        if choice not in GROUP_CHOICES:
            raise Refused("language_usage_group")
        async with self.ctx.db.unit_of_work() as tx:
            await languages.set_community_language(tx, call.community.id, choice)
            await audit.record(tx, at=now, platform=str(event.chat.platform), actor=event.sender.user.id,
                               action="community_language", target=f"community:{call.community.id}",
                               reason=choice, outcome="recorded")
        with reading_in(choice):
            m = self.ctx.messages
            text = m("language_set_group", language=m(f"language_name_{choice}"))
        return [reply(event, text)]

    async def person_language(self, call: CommandCall) -> Sequence[Action]:
        event, now = call.event, self.ctx.clock.now()
        choice = call.args.strip().lower()
        if choice not in PERSON_CHOICES:
            raise Refused("language_usage_private")
        async with self.ctx.db.unit_of_work() as tx:
            await languages.choose_person_language(tx, str(event.sender.user.platform), event.sender.user.id,
                                                   choice, now)
        with reading_in(choice):
            m = self.ctx.messages
            text = m("language_set_private", language=m(f"language_name_{choice}"))
        return [reply(event, text)]
