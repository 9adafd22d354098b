"""`/surgery policy [set <key> <value> | approve]` and `/surgery modlog here`: admins see, change one key of,
and approve the community's policy; facilitators may see it. Every change makes a new, unapproved version."""

from __future__ import annotations

from collections.abc import Sequence

from bot.actions import Action
from bot.command_router import CommandRouter, CommandSpec, GroupCall, Refused, Where, reply
from bot.context import Context
from bot.features import Arg, Subcommand
from bot.moderation.service import ModerationService
from bot.roles import RoleService
from bot.storage import audit
from bot.storage import policies as store
from config.policy_text import render_policy
from facilitation.rules.policy import Policy, RuleMode, policy_keys, set_value, shown_value, value_shape
from facilitation.problems import InputProblem
from facilitation.roles import Refusal, Role, authorise


class PolicyCommands:
    def __init__(self, ctx: Context, router: CommandRouter, roles: RoleService, service: ModerationService) -> None:
        self.ctx = ctx
        self.router = router
        self.roles = roles
        self.service = service

    def commands(self) -> tuple[CommandSpec, ...]:
        return (
            CommandSpec("surgery policy", self.policy, "see, change (admins) or approve (admins) the rules",
                        where=Where.GROUP, subcommands=(
                            Subcommand("show", "show the current rules"),
                            Subcommand("set", "change one rule", (Arg("key", "Rule name", required=True),
                                                                   Arg("value", "New value", required=True))),
                            Subcommand("approve", "approve the current rules"))),
            CommandSpec("surgery modlog", self.modlog, "post moderation cases in this chat: here",
                        role=Role.COMMUNITY_ADMIN, where=Where.GROUP, destructive=True,
                        subcommands=(Subcommand("here", "post cases in this channel"),)),
        )

    async def policy(self, call: GroupCall) -> Sequence[Action]:
        m, event, community = self.ctx.messages, call.event, call.community
        words = call.args.split(maxsplit=2)
        verb = words[0].lower() if words else "show"
        standing = await self.roles.standing(event.chat, event.sender, community.id)
        if verb == "show":
            if not (standing.is_facilitator or authorise(Role.COMMUNITY_ADMIN, standing, destructive=False) is None):
                raise Refused("policy_staff_only")
            record = await self.service.policy(community.id)
            return [reply(event, render_policy(record.current, default_contact=self.contact,
                                               approved_version=record.approved_version, messages=m))]
        if verb not in ("set", "approve"):
            raise Refused("policy_usage")
        # Changing what the rules do to residents needs a named admin, like every other destructive command.
        refusal = authorise(Role.COMMUNITY_ADMIN, standing, destructive=True)
        if refusal == Refusal.ANONYMOUS_ADMIN:
            raise Refused("anonymous_admin_refused")
        if refusal is not None:
            raise Refused("policy_admins_only")
        if verb == "approve":
            return [reply(event, await self._approve(community.id, event.sender.user.id, community.platform))]
        if len(words) < 3:
            # No value yet: say what can be set and what it takes, rather than making the admin guess.
            record = await self.service.policy(community.id)
            return [reply(event, self._settings(record.current, words[1] if len(words) == 2 else None))]
        return [reply(event, await self._set(community.id, words[1], words[2], event.sender.user.id,
                                             community.platform))]

    def _settings(self, policy: Policy, key: str | None) -> str:
        """Every key with its value now and the values it takes; or just `key`'s, when one is named."""
        m = self.ctx.messages

        def takes(name: str) -> str:
            shape = value_shape(name)
            return m(shape.code, **shape.values)

        if key is not None:
            name = key.strip().lower()
            try:
                return m("policy_setting_one", setting=name, value=shown_value(policy, name), takes=takes(name))
            except InputProblem as problem:
                return m.problem(problem)
        lines = [m("policy_settings_header")]
        lines += [m("policy_setting_line", setting=name, value=shown_value(policy, name), takes=takes(name))
                  for name in policy_keys()]
        return m.join("\n", lines)

    @property
    def contact(self) -> str:
        return self.ctx.settings.council.safeguarding_contact

    async def _set(self, community_id: int, key: str, raw: str, actor: str, platform: str) -> str:
        m, now = self.ctx.messages, self.ctx.clock.now()
        async with self.ctx.db.unit_of_work() as tx:
            record = await store.load(tx, community_id)
            try:
                changed = set_value(record.current, key, raw)
            except InputProblem as problem:
                return m.problem(problem)
            setting = key.strip().lower()
            if changed is record.current:
                return m("policy_unchanged", setting=setting, value=shown_value(changed, setting))
            await store.save(tx, community_id, changed, by=actor, now=now)
            await audit.record(tx, at=now, platform=platform, actor=actor, action="policy_set",
                               target=f"community:{community_id}", reason=setting, outcome="recorded")
        return m("policy_changed", version=changed.version, setting=setting, value=shown_value(changed, setting))

    async def _approve(self, community_id: int, actor: str, platform: str) -> str:
        m, now = self.ctx.messages, self.ctx.clock.now()
        async with self.ctx.db.unit_of_work() as tx:
            record = await store.load(tx, community_id)
            approved = await store.approve(tx, community_id, record.current, by=actor, now=now)
            if approved:
                await audit.record(tx, at=now, platform=platform, actor=actor, action="policy_approve",
                                   target=f"community:{community_id}", reason=f"version {record.current.version}",
                                   outcome="recorded")
        if not approved:
            return m("policy_already_approved", version=record.current.version)
        text = m("policy_approved", version=record.current.version)
        if record.current.safeguarding.mode == RuleMode.DRY_RUN:
            text += "\n" + m("policy_safeguarding_hint")
        return text

    async def modlog(self, call: GroupCall) -> Sequence[Action]:
        """Where cases go is not a rule about residents, so moving it keeps the approval it had."""
        m, event, community, now = self.ctx.messages, call.event, call.community, self.ctx.clock.now()
        if call.args.strip().lower() != "here":
            raise Refused("modlog_usage")
        async with self.ctx.db.unit_of_work() as tx:
            record = await store.load(tx, community.id)
            changed = set_value(record.current, "modlog_chat_id", event.chat.id)
            if changed is not record.current:
                keep = record.approved_version == record.current.version
                await store.save(tx, community.id, changed, by=event.sender.user.id, now=now, approved=keep)
                await audit.record(tx, at=now, platform=community.platform, actor=event.sender.user.id,
                                   action="modlog_here", chat_id=event.chat.id, outcome="recorded")
        return [reply(event, m("modlog_set"))]
