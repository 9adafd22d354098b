"""Opt-in listening (SPEC §6): `/surgery listening status|on|off`, and, only where a community admin turned it
on, a count per council theme and day. The message handler sees chat only through the privacy gate and
stores theme counts: never the text, never who wrote it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bot.actions import Action, AnswerButton, EditMessage
from bot.command_router import CommandRouter, CommandSpec, GroupCall, Refused, Where, reply
from bot.context import Context
from bot.events import ButtonPressed, MessageReceived
from bot.features import ButtonRoute, Feature, Subcommand, on
from bot.message_gate import MessageGate
from bot.refs import Button
from bot.roles import RoleService
from bot.storage import audit, communities, listening
from facilitation.consent import CommunityView
from facilitation.listening import Themes, local_day
from facilitation.processing import Purpose
from facilitation.roles import Refusal, Role, authorise

# No ":on:"-style words in button data: some consoles (the demo transcript) render those as emoji.
LISTEN_ON = "listen-on"
LISTEN_CANCEL = "listen-cancel"


class ListeningHandlers:
    def __init__(self, ctx: Context, router: CommandRouter, roles: RoleService, gate: MessageGate) -> None:
        self.ctx = ctx
        self.router = router
        self.roles = roles
        self.gate = gate
        self.themes = Themes.from_settings(ctx.settings.listening.themes)

    def feature(self) -> Feature:
        # Ordinary chat only ever arrives through the privacy gate (the dispatcher refuses anything else).
        return Feature(
            "listening",
            commands=(CommandSpec("surgery listening", self.command,
                                  "opt-in theme counts, no text kept: status, on or off", where=Where.GROUP,
                                  subcommands=(Subcommand("on", "turn listening on"),
                                               Subcommand("off", "turn listening off"),
                                               Subcommand("status", "what listening collects"))),),
            buttons=(ButtonRoute(LISTEN_ON + ":", self.on_button), ButtonRoute(LISTEN_CANCEL, self.on_button)),
            events=(on(MessageReceived, self.message_handler()),),
        )

    def message_handler(self) -> Callable[[MessageReceived], Awaitable[Any]]:
        """The only way listening sees chat: through the gate, for communities with listening on."""
        return self.gate.guard(Purpose.LISTENING, self.on_message)

    def _explain(self, enabled: bool | None) -> str:
        """What listening does, led by its state, or (None) by the proposal to turn it on: an admin who just
        asked for it should first read what is being proposed, not that it is off."""
        m = self.ctx.messages
        lead = m("listening_proposal") if enabled is None else \
            m("listening_status", state=m("listening_state_on" if enabled else "listening_state_off"))
        return lead + "\n" + m("listening_explain", themes=", ".join(self.themes.names))

    async def command(self, call: GroupCall) -> Sequence[Action]:
        m, event, community = self.ctx.messages, call.event, call.community
        verb = (call.args.split() or ["status"])[0].lower()
        async with self.ctx.db.unit_of_work() as tx:
            enabled = await listening.is_enabled(tx, community.id)
        if verb == "status":
            return [reply(event, self._explain(enabled))]
        if verb not in ("on", "off"):
            raise Refused("listening_usage")
        standing = await self.roles.standing(event.chat, event.sender, community.id)
        # Turning listening on widens what the bot processes, so it needs a named admin; off never harms.
        refusal = authorise(Role.COMMUNITY_ADMIN, standing, destructive=verb == "on")
        if refusal == Refusal.ANONYMOUS_ADMIN:
            raise Refused("anonymous_admin_refused")
        if refusal is not None:
            raise Refused("listening_not_admin")
        if verb == "off":
            changed = await self._switch(community, False, event.sender.user.id)
            return [reply(event, m("listening_off" if changed else "listening_already_off"))]
        if enabled:
            return [reply(event, m("listening_already_on"))]
        buttons = (Button(m("listening_button_on"), f"{LISTEN_ON}:{community.id}"),
                   Button(m("cancel_button"), LISTEN_CANCEL))
        return [reply(event, self._explain(None) + "\n\n" + m("listening_confirm"), buttons=buttons)]

    async def _switch(self, community: CommunityView, enabled: bool, actor: str) -> bool:
        async with self.ctx.db.unit_of_work() as tx:
            changed = await listening.set_enabled(tx, community.id, enabled)
            if changed:
                await audit.record(tx, at=self.ctx.clock.now(), platform=community.platform,
                                   chat_id=community.space_id, actor=actor,
                                   action="listening_on" if enabled else "listening_off", outcome="recorded")
        return changed

    async def on_button(self, event: ButtonPressed) -> Sequence[Action]:
        if not (event.data == LISTEN_CANCEL or event.data.startswith(LISTEN_ON + ":")):
            return []  # another feature's button
        m = self.ctx.messages
        toast = AnswerButton(chat=event.chat, press_id=event.press_id, reason="/surgery listening")
        async with self.ctx.db.unit_of_work() as tx:
            community = await communities.community_by_space(tx, str(event.chat.platform), event.chat.space)
        if community is None or not community.is_active:
            return [AnswerButton(chat=event.chat, press_id=event.press_id, text=m("button_expired"))]
        # Whoever presses must be a named admin right now: the button sits in the group for everyone to see.
        standing = await self.roles.standing(event.chat, event.sender, community.id)
        if authorise(Role.COMMUNITY_ADMIN, standing, destructive=True) is not None:
            return [AnswerButton(chat=event.chat, press_id=event.press_id, text=m("button_not_for_you"))]
        if event.data == LISTEN_CANCEL:
            return [toast, EditMessage(message=event.message, text=self._explain(False), reason="/surgery listening")]
        if event.data != f"{LISTEN_ON}:{community.id}":
            return [AnswerButton(chat=event.chat, press_id=event.press_id, text=m("button_expired"))]
        changed = await self._switch(community, True, event.sender.user.id)
        return [toast, EditMessage(message=event.message,
                                   text=m("listening_on" if changed else "listening_already_on"),
                                   reason="/surgery listening")]

    async def on_message(self, event: MessageReceived, community: CommunityView) -> None:
        """Count the themes this message touches. The text goes no further than this function."""
        if event.sender.is_bot or event.edited:  # an edit would count the same message twice
            return None
        themes = self.themes.found_in(event.text)
        if themes:
            day = local_day(event.occurred_at, self.ctx.settings.council.zone)
            async with self.ctx.db.unit_of_work() as tx:
                await listening.add_counts(tx, community.id, day, themes)
        return None
