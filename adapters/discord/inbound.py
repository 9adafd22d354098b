"""Gateway events → core events: messages and edits, slash commands and button presses (acknowledged in time),
being added to or removed from a server, members joining and leaving."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any, Final

import discord

from adapters.discord import translate
from adapters.discord.slash_commands import CommandTable, read_invocation
from adapters.discord.errors import platform_errors
from adapters.discord.interactions import PRESS_ACK_AFTER, PendingInteractions
from adapters.discord.members import Members
from adapters.discord.rights import member_rights
from bot.adapter import ChatFilter, hears_everything
from bot.clock import Clock
from bot.errors import Forbidden, PlatformError
from bot.events import Event
from bot.rights import MemberRights

log = logging.getLogger(__name__)

AUDIT_BOT_ADD: Final = 28
# The BOT_ADD audit entry can trail GUILD_CREATE by a moment.
AUDIT_LOG_ATTEMPTS, AUDIT_LOG_PAUSE = 3, 0.5


class Inbound:
    def __init__(self, client: discord.Client, members: Members, pending: PendingInteractions, clock: Clock,
                 deliver: Callable[[Event | None], Awaitable[None]], commands: CommandTable,
                 hears: ChatFilter = hears_everything) -> None:
        self._client = client
        self._hears = hears
        self._commands = commands
        self._members = members
        self._pending = pending
        self._clock = clock
        self._deliver = deliver
        self.ready = asyncio.Event()

    def attach(self) -> None:
        """discord.py calls `client.on_<event>` for each dispatched event."""
        for name in ("on_ready", "on_message", "on_raw_message_edit", "on_interaction", "on_guild_join",
                     "on_guild_remove", "on_member_join", "on_raw_member_remove", "on_guild_role_update",
                     "on_guild_role_delete", "on_member_update"):
            setattr(self._client, name, getattr(self, name))

    def _is_me(self, user: discord.abc.User) -> bool:
        me = self._client.user
        return me is not None and user.id == me.id

    async def on_ready(self) -> None:
        self.ready.set()

    async def on_message(self, message: discord.Message) -> None:
        if not self._is_me(message.author) and self._heard(message):
            if isinstance(message.author, discord.Member):
                self._members.learn(message.author)
            await self._deliver(translate.message_received(message))

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        # Link previews arrive as MESSAGE_UPDATE too; only a changed text has an edited_timestamp.
        if payload.data.get("edited_timestamp") is None or self._is_me(payload.message.author):
            return
        if self._heard(payload.message):
            await self._deliver(translate.message_received(payload.message, edited=True))

    def _heard(self, message: discord.Message) -> bool:
        """Chat where the bot is deaf (not a community, or no session and no listening) is dropped here,
        untranslated: most of a server's traffic, at the cost of one lookup in memory."""
        guild_id = message.guild.id if message.guild else None
        return self._hears(translate.chat_ref(message.channel.id, guild_id), translate.chat_kind(guild_id))

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is discord.InteractionType.application_command:
            await self._command(interaction)
        elif interaction.type is discord.InteractionType.component:
            await self._press(interaction)

    async def _command(self, interaction: discord.Interaction) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        invocation = read_invocation(self._commands, data)
        if invocation is None:
            log.warning("ignoring unknown application command %r (a stale registration?)", data.get("name"))
            return
        try:
            await interaction.response.defer()  # within Discord's 3 s, however long the core takes
        except discord.HTTPException as error:
            log.warning("could not acknowledge interaction %s in time: %s", interaction.id, error.status)
        self._pending.add_command(interaction)
        try:
            author = await self._target_author(interaction, data, invocation.target_message)
            await self._deliver(translate.command_received(interaction, invocation, author))
        finally:
            await self._pending.finish_command(interaction)

    async def _target_author(self, interaction: discord.Interaction, data: dict[str, Any],
                             message_id: str | None) -> str | None:
        if message_id is None:
            return None
        resolved = (data.get("resolved") or {}).get("messages") or {}
        if message_id in resolved:
            return str(resolved[message_id]["author"]["id"])
        try:
            with platform_errors(f"read message {message_id}"):
                message = await self._client.http.get_message(interaction.channel_id or 0, int(message_id))
        except PlatformError:
            return None
        return str(message["author"]["id"])

    async def _press(self, interaction: discord.Interaction) -> None:
        event = translate.button_pressed(interaction)
        if event is None:
            return
        press = self._pending.add_press(interaction)

        async def ack_if_slow() -> None:
            await asyncio.sleep(PRESS_ACK_AFTER)
            with suppress(discord.HTTPException):
                await press.acknowledge()

        watchdog = asyncio.create_task(ack_if_slow())
        try:
            await self._deliver(event)
        finally:
            watchdog.cancel()
            with suppress(discord.HTTPException):
                await press.acknowledge()

    async def on_guild_join(self, guild: discord.Guild) -> None:
        added_by, verified = await self._who_added(guild)
        me = guild.me
        joined_at = me.joined_at if me is not None and me.joined_at else self._clock.now()
        bot_user = self._client.user
        assert bot_user is not None  # logged in: guild events come after READY
        try:
            info = await self._members.info(guild.id, bot_user.id)
            rights = info.rights
        except PlatformError:
            rights = member_rights(me.guild_permissions) if me is not None else MemberRights()
        channel = announce_channel(guild)
        await self._deliver(translate.bot_added(guild, channel.id if channel else None, joined_at,
                                                added_by=added_by, verified=verified, bot_rights=rights))

    async def _who_added(self, guild: discord.Guild) -> tuple[str | None, bool]:
        """The audit log's latest BOT_ADD naming this bot. Without View Audit Log the adder stays unknown and
        the event says so (SPEC §3): the core then treats the add as unverified."""
        bot_id = str(self._client.user.id) if self._client.user else ""
        for attempt in range(AUDIT_LOG_ATTEMPTS):
            try:
                with platform_errors(f"read the audit log of server {guild.id}"):
                    data = await self._client.http.get_audit_logs(guild.id, limit=10, action_type=AUDIT_BOT_ADD)
            except Forbidden:
                log.info("no audit-log access in server %s: the adder is unverified", guild.id)
                return None, False
            except PlatformError as error:
                log.warning("could not read the audit log of server %s: %s", guild.id, error)
                return None, False
            for entry in data.get("audit_log_entries", ()):
                if str(entry.get("target_id")) == bot_id and entry.get("user_id"):
                    return str(entry["user_id"]), True
            if attempt < AUDIT_LOG_ATTEMPTS - 1:
                await asyncio.sleep(AUDIT_LOG_PAUSE)
        return None, False

    # -- the bot's rights, re-read when a server admin changes them (not only at start-up) ---------------------

    async def on_guild_role_update(self, before: discord.Role, after: discord.Role) -> None:
        guild = after.guild
        me = guild.me
        if me is not None and (after.is_default() or any(role.id == after.id for role in me.roles)):
            await self._rights_changed(guild)

    async def on_guild_role_delete(self, role: discord.Role) -> None:
        await self._rights_changed(role.guild)  # it may have been one of the bot's: its list is already updated

    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        if before.roles != after.roles or before.timed_out_until != after.timed_out_until:
            self._members.forget(after.guild.id, after.id)  # what their messages taught is out of date
        if self._is_me(after) and before.roles != after.roles:
            await self._rights_changed(after.guild)

    async def _rights_changed(self, guild: discord.Guild) -> None:
        me = guild.me
        if me is None:
            return
        self._members.forget(guild.id, me.id)
        await self._deliver(translate.bot_rights_changed(guild.id, member_rights(me.guild_permissions),
                                                         self._clock.now()))

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        self._members.forget(guild.id)
        await self._deliver(translate.bot_removed(guild.id, self._clock.now()))

    async def on_member_join(self, member: discord.Member) -> None:
        self._members.forget(member.guild.id, member.id)
        await self._deliver(translate.member_joined(member.guild.id, member.id,
                                                    member.joined_at or self._clock.now()))

    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        self._members.forget(payload.guild_id, payload.user.id)
        if not self._is_me(payload.user):
            await self._deliver(translate.member_left(payload.guild_id, payload.user.id, self._clock.now()))


def announce_channel(guild: discord.Guild) -> discord.TextChannel | None:
    """Where a server-wide notice goes: the system channel, else the first text channel the bot may post in."""
    me = guild.me
    candidates = [guild.system_channel] if guild.system_channel else []
    candidates += sorted(guild.text_channels, key=lambda c: c.position)
    for channel in candidates:
        if me is None or channel.permissions_for(me).send_messages:
            return channel
    return None
