"""Who is who in a server: members read over REST (cached briefly), roles and owner from the gateway's guild
cache, and the role-hierarchy check Discord applies to moderation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

import discord

from adapters.discord.errors import platform_errors
from adapters.discord.rights import RoleInfo, member_info, top_role_position
from bot.clock import Clock
from bot.errors import ActionRefused, BotNotInChat, Forbidden, NotFound, PlatformError
from bot.rights import MemberInfo, MemberStatus

if TYPE_CHECKING:  # discord.types is for type checkers; importing it at run time is circular
    from discord.types.member import MemberWithUser

# SPEC §2: live platform checks may be cached for at most 60 seconds.
RELEARN_AFTER = timedelta(seconds=20)
MEMBER_CACHE_TTL = timedelta(seconds=60)


class Members:
    def __init__(self, client: discord.Client, clock: Clock, *, partial_shards: bool = False) -> None:
        self._client = client
        self._clock = clock
        self._cache: dict[tuple[int, int], tuple[datetime, MemberWithUser | None]] = {}
        # True when this instance connects only some shards (or none): its cache lacks the other servers.
        self._partial_shards = partial_shards

    async def guild(self, guild_id: str | int) -> discord.Guild:
        """The server from the gateway's cache; over REST when another instance receives its shard (so its
        absence from this instance's cache does not mean the bot left it)."""
        guild = self._client.get_guild(int(guild_id))
        if guild is not None:
            return guild
        if not self._partial_shards:
            raise BotNotInChat(f"the bot is not in Discord server {guild_id}")
        try:
            with platform_errors(f"read Discord server {guild_id}"):
                return await self._client.fetch_guild(int(guild_id), with_counts=False)
        except (NotFound, Forbidden):
            raise BotNotInChat(f"the bot is not in Discord server {guild_id}") from None

    @staticmethod
    def roles(guild: discord.Guild) -> dict[str, RoleInfo]:
        return {str(role.id): RoleInfo(role.position, role.permissions.value) for role in guild.roles}

    def forget(self, guild_id: int, user_id: int | None = None) -> None:
        for key in [k for k in self._cache if k[0] == guild_id and user_id in (None, k[1])]:
            del self._cache[key]

    def learn(self, member: discord.Member) -> None:
        """A message brings its author's roles and timeout as of now: the rights checks its handling makes
        (is the sender an admin?) are then answered without a REST call per person per minute. Learned at most
        every RELEARN_AFTER per member (a change of roles or timeout reported by the gateway drops what was
        learned at once: Inbound.on_member_update): building the roles list on every message of a busy session
        was a noticeable share of handling it."""
        now = self._clock.now()
        known = self._cache.get((member.guild.id, member.id))
        if known is not None and known[1] is not None and now - known[0] < RELEARN_AFTER:
            return
        until = member.timed_out_until
        data = {"user": {"id": str(member.id)}, "roles": [str(role.id) for role in member.roles],
                "communication_disabled_until": until.isoformat() if until else None}
        self._cache[(member.guild.id, member.id)] = (now, cast("MemberWithUser", data))

    async def raw(self, guild_id: int, user_id: int) -> MemberWithUser | None:
        """The member object, or None when the user is not in the server."""
        now = self._clock.now()
        cached = self._cache.get((guild_id, user_id))
        if cached is not None and now - cached[0] < MEMBER_CACHE_TTL:
            return cached[1]
        try:
            with platform_errors(f"read member {user_id} of server {guild_id}"):
                data = await self._client.http.get_member(guild_id, user_id)
        except NotFound:
            data = None
        self._cache[(guild_id, user_id)] = (now, data)
        return data

    async def info(self, guild_id: int, user_id: int) -> MemberInfo:
        guild = await self.guild(guild_id)
        data = await self.raw(guild_id, user_id)
        if data is None:
            return MemberInfo(MemberStatus.BANNED if await self._is_banned(guild_id, user_id) else MemberStatus.LEFT)
        return member_info(data, owner_id=str(guild.owner_id), roles=self.roles(guild), everyone_id=str(guild.id),
                           now=self._clock.now())

    async def _is_banned(self, guild_id: int, user_id: int) -> bool:
        try:
            with platform_errors(f"read the ban of {user_id} in server {guild_id}"):
                await self._client.http.get_ban(user_id, guild_id)
        except PlatformError:  # not banned (404), or the bot may not read bans: either way not known banned
            return False
        return True

    async def check_below_bot(self, guild_id: int, user_id: int, verb: str, *, must_be_member: bool) -> None:
        """Discord refuses moderation on the owner and on anyone whose highest role is not below the bot's;
        saying so before the call gives staff a message they can act on instead of a bare 403."""
        guild = await self.guild(guild_id)
        if guild.owner_id == user_id:
            raise ActionRefused(f"The bot cannot {verb} the server owner.")
        target = await self.raw(guild_id, user_id)
        if target is None:
            if must_be_member:
                raise NotFound(f"user {user_id} is not a member of Discord server {guild_id}")
            return
        me = self._client.user
        bot = await self.raw(guild_id, me.id) if me else None
        if bot is None:
            raise BotNotInChat(f"the bot is not in Discord server {guild_id}")
        roles = self.roles(guild)
        theirs = top_role_position((str(r) for r in target.get("roles", ())), roles)
        ours = top_role_position((str(r) for r in bot.get("roles", ())), roles)
        if theirs >= ours:
            raise ActionRefused(
                f"The bot cannot {verb} this member: their highest role ({self._role_name(guild, target)}) is not "
                f"below the bot's highest role ({self._role_name(guild, bot)}). A server admin can move the bot's "
                f"role above theirs in Server Settings → Roles.")

    @staticmethod
    def _role_name(guild: discord.Guild, member: MemberWithUser) -> str:
        ids = {int(r) for r in member.get("roles", ())}
        held = [role for role in guild.roles if role.id in ids]
        top = max(held, key=lambda role: role.position, default=None)
        return f"'{top.name}', position {top.position}" if top else "none"
