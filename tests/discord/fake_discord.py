"""A fake Discord on 127.0.0.1 for end-to-end tests: the REST routes the adapter uses and a gateway websocket
(HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, sequenced dispatches, RESUME), over a small world of
guilds, channels, roles, members and an audit log. Every REST call is recorded. The real discord.py talks to it."""

from __future__ import annotations

import itertools
import json
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from aiohttp import WSMsgType, web

DISCORD_EPOCH_MS = 1420070400000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
KICK_MEMBERS, BAN_MEMBERS, ADMINISTRATOR, MANAGE_CHANNELS, MANAGE_GUILD = 1 << 1, 1 << 2, 1 << 3, 1 << 4, 1 << 5
VIEW_AUDIT_LOG, VIEW_CHANNEL, SEND_MESSAGES, MANAGE_MESSAGES = 1 << 7, 1 << 10, 1 << 11, 1 << 13
READ_MESSAGE_HISTORY, MODERATE_MEMBERS, PIN_MESSAGES = 1 << 16, 1 << 40, 1 << 51
EVERYONE_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY
# What the install link asks for; Manage Channels is what slow mode needs.
BOT_PERMISSIONS = (EVERYONE_PERMISSIONS | MANAGE_MESSAGES | KICK_MEMBERS | BAN_MEMBERS | MODERATE_MEMBERS
                   | VIEW_AUDIT_LOG | MANAGE_CHANNELS)
INTENT_MEMBERS, INTENT_MESSAGE_CONTENT = 1 << 1, 1 << 15


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """discord.py only parses a body whose Content-Type is exactly application/json (no charset)."""
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={"Content-Type": "application/json", **(headers or {})})


def iso(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).isoformat()


class DiscordError(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass
class User:
    id: str
    name: str
    bot: bool = False

    def payload(self) -> dict[str, Any]:
        return {"id": self.id, "username": self.name.lower(), "global_name": self.name, "discriminator": "0",
                "avatar": None, "bot": self.bot, "public_flags": 0}


@dataclass
class Role:
    id: str
    name: str
    position: int
    permissions: int

    def payload(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "color": 0, "hoist": False, "position": self.position,
                "permissions": str(self.permissions), "managed": False, "mentionable": False, "flags": 0}


@dataclass
class Member:
    user: User
    roles: list[str]
    joined_at: str = field(default_factory=iso)
    timeout_until: str | None = None


@dataclass
class Channel:
    id: str
    name: str
    guild_id: str | None = None
    recipient: str | None = None  # DM channels
    position: int = 0
    rate_limit_per_user: int = 0  # slow mode, in seconds


@dataclass
class Message:
    id: str
    channel_id: str
    author_id: str
    content: str
    components: list[Any] = field(default_factory=list)
    filenames: list[str] = field(default_factory=list)
    reply_to: str | None = None
    pinned: bool = False
    deleted: bool = False
    ephemeral: bool = False
    loading: bool = False  # a deferred interaction's "thinking…" placeholder
    timestamp: str = field(default_factory=iso)
    edited: str | None = None


@dataclass
class Guild:
    id: str
    name: str
    owner_id: str
    roles: dict[str, Role] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)
    channels: list[str] = field(default_factory=list)
    bans: dict[str, str] = field(default_factory=dict)
    audit_log: list[dict[str, Any]] = field(default_factory=list)

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]


@dataclass
class Interaction:
    id: str
    token: str
    kind: int
    channel_id: str
    guild_id: str | None
    user_id: str
    message_id: str | None = None  # component interactions: the message whose button was pressed
    responses: list[int] = field(default_factory=list)
    original_id: str | None = None


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    reason: str | None
    status: int
    at: float


@dataclass
class Session:
    id: str
    shard: tuple[int, int]
    seq: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    ws: web.WebSocketResponse | None = None


Handler = Callable[..., Awaitable[Any]]


class FakeDiscord:
    def __init__(self, token: str = "fake-discord-token-Zm9vYmFy.s3cr3t") -> None:
        self.token = token
        self._ids = itertools.count(1)
        self.bot = User(self.snowflake(), "SurgeryBot", bot=True)
        self.application_id = self.snowflake()
        self.users: dict[str, User] = {self.bot.id: self.bot}
        self.guilds: dict[str, Guild] = {}
        self.channels: dict[str, Channel] = {}
        self.messages: dict[str, Message] = {}
        self.interactions: dict[str, Interaction] = {}
        self.commands: list[dict[str, Any]] = []
        # Users whose privacy settings refuse direct messages from the bot (Discord answers 403, code 50007).
        self.dms_closed: set[str] = set()
        self.calls: list[Call] = []
        self.gateway_ops: list[tuple[int, Any]] = []
        self.sessions: dict[str, Session] = {}
        self.shard_count = 1
        self.refuse_privileged_intents = False
        self.heartbeat_interval_ms = 41250
        self._rate_limits: list[tuple[str, re.Pattern[str], float]] = []
        self._failures: list[tuple[str, re.Pattern[str], DiscordError]] = []
        self._runner: web.AppRunner | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self.port = 0
        self._routes: list[tuple[str, re.Pattern[str], Handler, bool]] = []
        self._register_routes()

    # -- ids and server lifecycle -------------------------------------------------------------------------

    def snowflake(self, at: datetime | None = None) -> str:
        millis = int((at.timestamp() if at else time.time()) * 1000)
        return str(((millis - DISCORD_EPOCH_MS) << 22) | (next(self._ids) & 0x3FFFFF))

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- building the world -------------------------------------------------------------------------------

    def add_user(self, name: str) -> User:
        user = User(self.snowflake(), name)
        self.users[user.id] = user
        return user

    def add_guild(self, name: str, owner: User, *, bot_permissions: int = BOT_PERMISSIONS,
                  bot_position: int = 2) -> Guild:
        """A guild with @everyone, a bot role (the bot is not yet a member), and a #general system channel."""
        guild = Guild(self.snowflake(), name, owner.id)
        guild.roles[guild.id] = Role(guild.id, "@everyone", 0, EVERYONE_PERMISSIONS)
        bot_role = Role(self.snowflake(), "SurgeryBot", bot_position, bot_permissions)
        guild.roles[bot_role.id] = bot_role
        self.guilds[guild.id] = guild
        self.add_channel(guild, "general")
        self.add_member(guild, owner)
        return guild

    def bot_role(self, guild: Guild) -> Role:
        return next(role for role in guild.roles.values() if role.name == "SurgeryBot")

    def add_role(self, guild: Guild, name: str, position: int, permissions: int = 0) -> Role:
        role = Role(self.snowflake(), name, position, permissions)
        guild.roles[role.id] = role
        return role

    def add_channel(self, guild: Guild, name: str) -> Channel:
        channel = Channel(self.snowflake(), name, guild.id, position=len(guild.channels))
        self.channels[channel.id] = channel
        guild.channels.append(channel.id)
        return channel

    def add_member(self, guild: Guild, user: User, *roles: Role) -> Member:
        member = Member(user, [role.id for role in roles])
        guild.members[user.id] = member
        return member

    def place_bot(self, guild: Guild) -> None:
        """Make the bot a member before the client connects (it then arrives in READY, not as a new join)."""
        self.add_member(guild, self.bot, self.bot_role(guild))

    # -- queries tests ask --------------------------------------------------------------------------------

    def bot_texts(self, channel_id: str) -> list[str]:
        return [m.content for m in self.messages.values()
                if m.channel_id == channel_id and m.author_id == self.bot.id and not m.deleted
                and not m.ephemeral and not m.loading and not m.filenames]

    def dm_with(self, user: User) -> Channel:
        channel = self.dm_channel(user.id)
        if channel is None:
            channel = Channel(self.snowflake(), "dm", recipient=user.id)
            self.channels[channel.id] = channel
        return channel

    def dm_channel(self, user_id: str) -> Channel | None:
        return next((c for c in self.channels.values() if c.recipient == user_id), None)

    @property
    def interactions_by_id(self) -> dict[str, Interaction]:
        return {i.id: i for i in self.interactions.values()}

    def calls_to(self, method: str, pattern: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and re.search(pattern, c.path)]

    def rate_limit_next(self, method: str, pattern: str, retry_after: float) -> None:
        """The next matching request gets a 429 with the headers and body Discord sends."""
        self._rate_limits.append((method, re.compile(pattern), retry_after))

    def fail_next(self, method: str, pattern: str, status: int, code: int = 0, message: str = "") -> None:
        """The next matching request gets this error instead of its answer (discord.py itself retries 500, 502,
        504 and 524 a few times; a 503 reaches the adapter at once)."""
        self._failures.append((method, re.compile(pattern), DiscordError(status, code, message or f"{status} error")))

    # -- the platform acting (gateway dispatches) ----------------------------------------------------------

    def _shard_of(self, guild_id: str | None) -> int:
        return (int(guild_id) >> 22) % self.shard_count if guild_id else 0

    def _current_session(self, shard_id: int) -> Session | None:
        live = [s for s in self.sessions.values() if s.shard[0] == shard_id]
        return live[-1] if live else None

    async def dispatch(self, event: str, data: dict[str, Any], guild_id: str | None = None) -> None:
        session = self._current_session(self._shard_of(guild_id))
        if session is not None:
            await self._send_dispatch(session, event, data)

    async def _send_dispatch(self, session: Session, event: str, data: dict[str, Any]) -> None:
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.sent.append(frame)
        if session.ws is not None and not session.ws.closed:
            await session.ws.send_str(json.dumps(frame))

    async def bot_joins(self, guild: Guild, added_by: User) -> None:
        """The bot is added to `guild` by `added_by` (audit log BOT_ADD) and receives GUILD_CREATE."""
        self.place_bot(guild)
        guild.audit_log.insert(0, {"id": self.snowflake(), "action_type": 28, "target_id": self.bot.id,
                                   "user_id": added_by.id, "changes": [], "options": None, "reason": None})
        await self.dispatch("GUILD_CREATE", self.guild_payload(guild, new_join=True), guild.id)

    async def user_posts(self, user: User, channel: Channel, text: str, *, reply_to: Message | None = None,
                         at: datetime | None = None) -> Message:
        message = Message(self.snowflake(at), channel.id, user.id, text, reply_to=reply_to.id if reply_to else None,
                          timestamp=iso(at))
        self.messages[message.id] = message
        await self.dispatch("MESSAGE_CREATE", self.message_payload(message, with_member=True), channel.guild_id)
        return message

    async def user_edits(self, message: Message, text: str) -> None:
        message.content, message.edited = text, iso()
        channel = self.channels[message.channel_id]
        await self.dispatch("MESSAGE_UPDATE", self.message_payload(message, with_member=True), channel.guild_id)

    async def member_joins(self, guild: Guild, user: User) -> None:
        member = self.add_member(guild, user)
        await self.dispatch("GUILD_MEMBER_ADD", {**self.member_payload(member), "guild_id": guild.id}, guild.id)

    async def role_changes(self, guild: Guild, role: Role, permissions: int) -> None:
        """A server admin edits a role's permissions (GUILD_ROLE_UPDATE)."""
        role.permissions = permissions
        await self.dispatch("GUILD_ROLE_UPDATE", {"guild_id": guild.id, "role": role.payload()}, guild.id)

    async def member_roles_change(self, guild: Guild, user: User, *roles: Role) -> None:
        """A server admin gives or takes roles (GUILD_MEMBER_UPDATE)."""
        member = guild.members[user.id]
        member.roles = [role.id for role in roles]
        await self.dispatch("GUILD_MEMBER_UPDATE", {**self.member_payload(member), "guild_id": guild.id}, guild.id)

    async def member_leaves(self, guild: Guild, user: User) -> None:
        guild.members.pop(user.id, None)
        await self.dispatch("GUILD_MEMBER_REMOVE", {"guild_id": guild.id, "user": user.payload()}, guild.id)

    async def invoke(self, user: User, channel: Channel, text: str) -> Interaction:
        """`user` runs a slash command typed as `/name words…`, parsed against the registered commands."""
        words = text.removeprefix("/").split()
        command = next((c for c in self.commands if c["name"] == words[0] and c.get("type", 1) == 1), None)
        if command is None:
            raise AssertionError(f"/{words[0]} is not registered (registered: {[c['name'] for c in self.commands]})")
        resolved: dict[str, Any] = {}
        data = {"id": command["id"], "name": command["name"], "type": 1,
                "options": self._options(command.get("options", []), words[1:], resolved, channel)}
        if resolved:
            data["resolved"] = resolved
        return await self._interact(2, user, channel, data)

    async def invoke_message_menu(self, user: User, message: Message, name: str) -> Interaction:
        channel = self.channels[message.channel_id]
        command = next(c for c in self.commands if c["name"] == name and c.get("type") == 3)
        data = {"id": command["id"], "name": name, "type": 3, "target_id": message.id,
                "resolved": {"messages": {message.id: self.message_payload(message)}}}
        return await self._interact(2, user, channel, data)

    async def press(self, user: User, message: Message, custom_id: str) -> Interaction:
        channel = self.channels[message.channel_id]
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._interact(3, user, channel, data, message=message)

    async def drop_gateway(self, code: int = 4000) -> None:
        """Close every gateway connection as a network failure would; sessions stay resumable."""
        for session in self.sessions.values():
            if session.ws is not None:
                ws, session.ws = session.ws, None
                await ws.close(code=code, message=b"dropped by the test")

    def _options(self, defs: list[dict[str, Any]], words: list[str], resolved: dict[str, Any],
                 channel: Channel) -> list[dict[str, Any]]:
        if defs and defs[0]["type"] in (1, 2):
            sub = next(d for d in defs if d["name"] == words[0])
            return [{"type": sub["type"], "name": sub["name"],
                     "options": self._options(sub.get("options", []), words[1:], resolved, channel)}]
        options = []
        for index, definition in enumerate(defs):
            if not words:
                break
            kind = definition["type"]
            if kind == 3 and index == len(defs) - 1:
                value: Any = " ".join(words)
                words = []
            else:
                value, words = words[0], words[1:]
            if kind == 6:
                value = value.strip("<@!>")
                user = self.users[value]
                resolved.setdefault("users", {})[value] = user.payload()
                guild = self.guilds.get(channel.guild_id or "")
                if guild and value in guild.members:
                    member = self.member_payload(guild.members[value])
                    member.pop("user")
                    resolved.setdefault("members", {})[value] = member
            elif kind == 4:
                value = int(value)
            options.append({"type": kind, "name": definition["name"], "value": value})
        return options

    async def _interact(self, kind: int, user: User, channel: Channel, data: dict[str, Any], *,
                        message: Message | None = None) -> Interaction:
        interaction = Interaction(self.snowflake(), secrets.token_urlsafe(24), kind, channel.id, channel.guild_id,
                                  user.id, message.id if message else None)
        self.interactions[interaction.token] = interaction
        payload: dict[str, Any] = {
            "id": interaction.id, "application_id": self.application_id, "type": kind, "data": data,
            "channel_id": channel.id, "channel": self.channel_payload(channel), "token": interaction.token,
            "version": 1, "app_permissions": str(BOT_PERMISSIONS), "locale": "en-GB", "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
            "authorizing_integration_owners": {"0": channel.guild_id} if channel.guild_id else {},
            "context": 0 if channel.guild_id else 1,
        }
        if channel.guild_id:
            guild = self.guilds[channel.guild_id]
            payload["guild_id"] = guild.id
            payload["guild_locale"] = "en-GB"
            member = self.member_payload(guild.members[user.id])
            member["permissions"] = str(self.permissions(guild, user.id))
            payload["member"] = member
        else:
            payload["user"] = user.payload()
        if message is not None:
            payload["message"] = self.message_payload(message)
        await self.dispatch("INTERACTION_CREATE", payload, channel.guild_id)
        return interaction

    # -- payloads ------------------------------------------------------------------------------------------

    def member_payload(self, member: Member) -> dict[str, Any]:
        return {"user": member.user.payload(), "roles": list(member.roles), "joined_at": member.joined_at,
                "deaf": False, "mute": False, "flags": 0, "pending": False, "nick": None, "avatar": None,
                "premium_since": None, "communication_disabled_until": member.timeout_until}

    def channel_payload(self, channel: Channel) -> dict[str, Any]:
        if channel.guild_id is None:
            return {"id": channel.id, "type": 1, "last_message_id": None, "flags": 0,
                    "recipients": [self.users[channel.recipient].payload()] if channel.recipient else []}
        return {"id": channel.id, "type": 0, "name": channel.name, "guild_id": channel.guild_id,
                "position": channel.position, "permission_overwrites": [], "nsfw": False, "parent_id": None,
                "topic": None, "last_message_id": None, "rate_limit_per_user": channel.rate_limit_per_user,
                "flags": 0}

    def guild_payload(self, guild: Guild, *, new_join: bool = False) -> dict[str, Any]:
        """After READY, Discord marks a guild `unavailable: false`; a guild the bot just joined has no such key,
        which is how discord.py tells on_guild_join from on_guild_available."""
        bot = guild.members.get(self.bot.id)
        payload = {
            "id": guild.id, "name": guild.name, "owner_id": guild.owner_id, "icon": None, "splash": None,
            "discovery_splash": None, "banner": None, "description": None, "features": [], "emojis": [],
            "stickers": [], "roles": [role.payload() for role in guild.roles.values()],
            "channels": [self.channel_payload(self.channels[c]) for c in guild.channels],
            "members": [self.member_payload(m) for m in guild.members.values()],
            "member_count": len(guild.members), "large": False, "unavailable": False,
            "joined_at": bot.joined_at if bot else iso(), "threads": [], "presences": [], "voice_states": [],
            "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [],
            "system_channel_id": guild.channels[0] if guild.channels else None, "system_channel_flags": 0,
            "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "mfa_level": 0, "nsfw_level": 0, "premium_tier": 0,
            "preferred_locale": "en-GB", "premium_progress_bar_enabled": False,
        }
        if new_join:
            del payload["unavailable"]
        return payload

    def message_payload(self, message: Message, *, with_member: bool = False) -> dict[str, Any]:
        channel = self.channels[message.channel_id]
        payload: dict[str, Any] = {
            "id": message.id, "channel_id": message.channel_id, "author": self.users[message.author_id].payload(),
            "content": message.content, "timestamp": message.timestamp, "edited_timestamp": message.edited,
            "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [], "embeds": [],
            "attachments": [{"id": self.snowflake(), "filename": name, "size": 1, "url": f"http://x/{name}",
                             "proxy_url": f"http://x/{name}"} for name in message.filenames],
            "pinned": message.pinned, "type": 19 if message.reply_to else 0, "components": message.components,
            "flags": 64 if message.ephemeral else (128 if message.loading else 0),
        }
        if channel.guild_id:
            payload["guild_id"] = channel.guild_id
            guild = self.guilds[channel.guild_id]
            if with_member and message.author_id in guild.members:
                member = self.member_payload(guild.members[message.author_id])
                member.pop("user")
                payload["member"] = member
        if message.reply_to:
            payload["message_reference"] = {"type": 0, "message_id": message.reply_to,
                                            "channel_id": message.channel_id, "guild_id": channel.guild_id}
            original = self.messages.get(message.reply_to)
            payload["referenced_message"] = self.message_payload(original) if original else None
        return payload

    # -- permissions as Discord computes them ---------------------------------------------------------------

    def permissions(self, guild: Guild, user_id: str) -> int:
        if user_id == guild.owner_id:
            return (1 << 53) - 1
        member = guild.members.get(user_id)
        value = guild.everyone.permissions
        for role_id in member.roles if member else ():
            value |= guild.roles[role_id].permissions
        return (1 << 53) - 1 if value & ADMINISTRATOR else value

    def top_position(self, guild: Guild, user_id: str) -> int:
        member = guild.members.get(user_id)
        return max((guild.roles[r].position for r in member.roles), default=0) if member else 0

    def _bot_needs(self, guild: Guild, bit: int) -> None:
        if not self.permissions(guild, self.bot.id) & bit:
            raise DiscordError(403, 50013, "Missing Permissions")

    def _above_target(self, guild: Guild, user_id: str) -> None:
        if user_id == guild.owner_id or self.top_position(guild, user_id) >= self.top_position(guild, self.bot.id):
            raise DiscordError(403, 50013, "Missing Permissions")

    def _guild(self, guild_id: str) -> Guild:
        guild = self.guilds.get(guild_id)
        if guild is None or self.bot.id not in guild.members:
            raise DiscordError(404, 10004, "Unknown Guild")
        return guild

    def _channel(self, channel_id: str) -> Channel:
        channel = self.channels.get(channel_id)
        if channel is None:
            raise DiscordError(404, 10003, "Unknown Channel")
        if channel.guild_id and self.bot.id not in self.guilds[channel.guild_id].members:
            raise DiscordError(403, 50001, "Missing Access")
        return channel

    def _message(self, channel_id: str, message_id: str) -> Message:
        self._channel(channel_id)
        message = self.messages.get(message_id)
        if message is None or message.deleted or message.channel_id != channel_id:
            raise DiscordError(404, 10008, "Unknown Message")
        return message

    # -- REST -------------------------------------------------------------------------------------------------

    def _register_routes(self) -> None:
        s = r"(\d+)"
        table: list[tuple[str, str, Handler, bool]] = [
            ("GET", "/users/@me", self._me, True),
            ("GET", "/users/@me/guilds", self._my_guilds, True),
            ("GET", "/oauth2/applications/@me", self._application, True),
            ("GET", "/gateway/bot", self._gateway_bot, True),
            ("PUT", f"/applications/{s}/commands", self._put_commands, True),
            ("POST", "/users/@me/channels", self._open_dm, True),
            ("DELETE", f"/users/@me/guilds/{s}", self._leave_guild, True),
            ("PATCH", f"/channels/{s}", self._edit_channel, True),
            ("POST", f"/channels/{s}/messages/bulk-delete", self._bulk_delete, True),
            ("PUT", f"/channels/{s}/messages/pins/{s}", self._pin, True),
            ("DELETE", f"/channels/{s}/messages/pins/{s}", self._unpin, True),
            ("POST", f"/channels/{s}/messages", self._post_message, True),
            ("GET", f"/channels/{s}/messages/{s}", self._get_message, True),
            ("PATCH", f"/channels/{s}/messages/{s}", self._edit_message, True),
            ("DELETE", f"/channels/{s}/messages/{s}", self._delete_message, True),
            ("GET", f"/guilds/{s}", self._get_guild, True),
            ("GET", f"/guilds/{s}/audit-logs", self._audit_log, True),
            ("GET", f"/guilds/{s}/roles", self._roles, True),
            ("GET", f"/guilds/{s}/members/{s}", self._get_member, True),
            ("PATCH", f"/guilds/{s}/members/{s}", self._edit_member, True),
            ("DELETE", f"/guilds/{s}/members/{s}", self._kick, True),
            ("GET", f"/guilds/{s}/bans/{s}", self._get_ban, True),
            ("PUT", f"/guilds/{s}/bans/{s}", self._ban, True),
            ("DELETE", f"/guilds/{s}/bans/{s}", self._unban, True),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", self._callback, False),
            ("POST", r"/webhooks/(\d+)/([^/]+)", self._followup, False),
            ("PATCH", r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", self._edit_response, False),
            ("DELETE", r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", self._delete_response, False),
        ]
        self._routes = [(method, re.compile(f"^{path}$"), handler, auth) for method, path, handler, auth in table]

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body = await self._body(request)
        reason = request.headers.get("X-Audit-Log-Reason")
        reason = unquote(reason) if reason is not None else None  # discord.py percent-encodes it, as Discord expects
        response = await self._respond(request, path, body)
        self.calls.append(Call(request.method, path, dict(request.query), body, reason, response.status,
                               time.monotonic()))
        return response

    async def _respond(self, request: web.Request, path: str, body: Any) -> web.Response:
        for index, (method, pattern, retry_after) in enumerate(self._rate_limits):
            if method == request.method and pattern.search(path):
                del self._rate_limits[index]
                return json_response(
                    {"message": "You are being rate limited.", "retry_after": retry_after, "global": False,
                     "code": 0}, status=429,
                    headers={"Via": "1.1 google", "Retry-After": str(max(1, round(retry_after))),
                             "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
                             "X-RateLimit-Reset-After": str(retry_after), "X-RateLimit-Bucket": "fakebucket",
                             "X-RateLimit-Scope": "user",
                             "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}"})
        for index, (method, pattern, failure) in enumerate(self._failures):
            if method == request.method and pattern.search(path):
                del self._failures[index]
                return json_response({"message": failure.message, "code": failure.code}, status=failure.status)
        for method, pattern, handler, auth in self._routes:
            match = pattern.match(path)
            if match is None or method != request.method:
                continue
            if auth and request.headers.get("Authorization") != f"Bot {self.token}":
                return json_response({"message": "401: Unauthorized", "code": 0}, status=401)
            try:
                result = await handler(*match.groups(), body=body, query=request.query)
            except DiscordError as error:
                return json_response({"message": error.message, "code": error.code}, status=error.status)
            if result is None:
                return web.Response(status=204)
            return json_response(result)
        return json_response({"message": f"404: Not Found ({request.method} {path})", "code": 0}, status=404)

    @staticmethod
    async def _body(request: web.Request) -> Any:
        if request.content_type == "multipart/form-data":
            form = await request.post()
            body = json.loads(str(form.get("payload_json", "{}")))
            body["_files"] = [field.filename for key, field in form.items() if key.startswith("files[")]
            return body
        if request.can_read_body:
            text = await request.text()
            return json.loads(text) if text else None
        return None

    async def _me(self, **_: Any) -> dict[str, Any]:
        return {**self.bot.payload(), "verified": True, "mfa_enabled": False, "flags": 0}

    async def _my_guilds(self, **_: Any) -> list[dict[str, Any]]:
        return [{"id": guild.id, "name": guild.name, "icon": None, "owner": guild.owner_id == self.bot.id,
                 "permissions": str(self.permissions(guild, self.bot.id)), "features": []}
                for guild in self.guilds.values() if self.bot.id in guild.members]

    async def _application(self, **_: Any) -> dict[str, Any]:
        return {"id": self.application_id, "name": "SurgeryBot", "icon": None, "description": "",
                "bot_public": False, "bot_require_code_grant": False, "verify_key": "00", "flags": 0,
                "owner": self.bot.payload(), "team": None, "summary": "", "rpc_origins": []}

    async def _get_guild(self, guild_id: str, **_: Any) -> dict[str, Any]:
        guild = self._guild(guild_id)
        if self.bot.id not in guild.members:
            raise DiscordError(403, 50001, "Missing Access")
        return {k: v for k, v in self.guild_payload(guild).items() if k not in ("channels", "members")}

    async def _gateway_bot(self, **_: Any) -> dict[str, Any]:
        return {"url": self.gateway_url, "shards": self.shard_count,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}}

    async def _put_commands(self, application_id: str, *, body: Any, **_: Any) -> list[dict[str, Any]]:
        if application_id != self.application_id:
            raise DiscordError(403, 50001, "Missing Access")
        self.commands = [{**command, "id": self.snowflake(), "application_id": application_id, "version": "1"}
                         for command in body]
        return self.commands

    async def _open_dm(self, *, body: Any, **_: Any) -> dict[str, Any]:
        recipient = str(body["recipient_id"])
        if recipient not in self.users:
            raise DiscordError(400, 50007, "Cannot send messages to this user")
        return self.channel_payload(self.dm_with(self.users[recipient]))

    async def _leave_guild(self, guild_id: str, **_: Any) -> None:
        guild = self._guild(guild_id)
        guild.members.pop(self.bot.id)
        await self.dispatch("GUILD_DELETE", {"id": guild.id}, guild.id)

    def _new_message(self, channel_id: str, body: dict[str, Any], *, author: str | None = None,
                     ephemeral: bool = False) -> Message:
        content = body.get("content") or ""
        if len(content) > 2000:
            raise DiscordError(400, 50035, "Invalid Form Body: content must be 2000 or fewer in length.")
        reference = (body.get("message_reference") or {}).get("message_id")
        message = Message(self.snowflake(), channel_id, author or self.bot.id, content,
                          components=body.get("components") or [], filenames=body.get("_files", []),
                          reply_to=str(reference) if reference else None, ephemeral=ephemeral)
        self.messages[message.id] = message
        return message

    async def _post_message(self, channel_id: str, *, body: Any, **_: Any) -> dict[str, Any]:
        channel = self._channel(channel_id)
        if channel.guild_id:
            self._bot_needs(self.guilds[channel.guild_id], SEND_MESSAGES)
        elif channel.recipient in self.dms_closed:
            raise DiscordError(403, 50007, "Cannot send messages to this user")
        return self.message_payload(self._new_message(channel_id, body))

    async def _get_message(self, channel_id: str, message_id: str, **_: Any) -> dict[str, Any]:
        return self.message_payload(self._message(channel_id, message_id))

    async def _edit_message(self, channel_id: str, message_id: str, *, body: Any, **_: Any) -> dict[str, Any]:
        message = self._message(channel_id, message_id)
        if message.author_id != self.bot.id:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        self._apply_edit(message, body)
        return self.message_payload(message)

    @staticmethod
    def _apply_edit(message: Message, body: dict[str, Any]) -> None:
        if "content" in body:
            message.content = body["content"] or ""
        if "components" in body:
            message.components = body["components"] or []
        message.loading, message.edited = False, iso()

    async def _delete_message(self, channel_id: str, message_id: str, **_: Any) -> None:
        message = self._message(channel_id, message_id)
        channel = self.channels[channel_id]
        if message.author_id != self.bot.id and channel.guild_id:
            self._bot_needs(self.guilds[channel.guild_id], MANAGE_MESSAGES)
        message.deleted = True

    async def _edit_channel(self, channel_id: str, *, body: Any, **_: Any) -> dict[str, Any]:
        """Only what the bot changes: slow mode. Discord wants Manage Channels for it, and 0 to 21600 seconds."""
        channel = self._channel(channel_id)
        if channel.guild_id is None:
            raise DiscordError(403, 50003, "Cannot execute action on a DM channel")
        self._bot_needs(self.guilds[channel.guild_id], MANAGE_CHANNELS)
        if "rate_limit_per_user" in body:
            seconds = body["rate_limit_per_user"]
            if not isinstance(seconds, int) or not 0 <= seconds <= 21600:
                raise DiscordError(400, 50035, "Invalid Form Body")
            channel.rate_limit_per_user = seconds
        return self.channel_payload(channel)

    async def _bulk_delete(self, channel_id: str, *, body: Any, **_: Any) -> None:
        channel = self._channel(channel_id)
        if channel.guild_id:
            self._bot_needs(self.guilds[channel.guild_id], MANAGE_MESSAGES)
        ids = [str(i) for i in body["messages"]]
        if not 2 <= len(ids) <= 100:
            raise DiscordError(400, 50016, "Provide at least 2 and fewer than 100 messages to delete")
        for message_id in ids:
            self._message(channel_id, message_id).deleted = True

    async def _pin(self, channel_id: str, message_id: str, **_: Any) -> None:
        message = self._message(channel_id, message_id)
        channel = self.channels[channel_id]
        if channel.guild_id and not self.permissions(self.guilds[channel.guild_id], self.bot.id) & (
                MANAGE_MESSAGES | PIN_MESSAGES):
            raise DiscordError(403, 50013, "Missing Permissions")
        message.pinned = True

    async def _unpin(self, channel_id: str, message_id: str, **_: Any) -> None:
        self._message(channel_id, message_id).pinned = False

    async def _audit_log(self, guild_id: str, *, query: Any, **_: Any) -> dict[str, Any]:
        guild = self._guild(guild_id)
        self._bot_needs(guild, VIEW_AUDIT_LOG)
        entries = guild.audit_log
        if "action_type" in query:
            entries = [e for e in entries if str(e["action_type"]) == query["action_type"]]
        entries = entries[: int(query.get("limit", 50))]
        users = {e["user_id"] for e in entries} | {e["target_id"] for e in entries}
        return {"audit_log_entries": entries, "users": [self.users[u].payload() for u in users if u in self.users],
                "integrations": [], "webhooks": [], "guild_scheduled_events": [], "threads": [],
                "application_commands": [], "auto_moderation_rules": []}

    async def _roles(self, guild_id: str, **_: Any) -> list[dict[str, Any]]:
        return [role.payload() for role in self._guild(guild_id).roles.values()]

    async def _get_member(self, guild_id: str, user_id: str, **_: Any) -> dict[str, Any]:
        guild = self._guild(guild_id)
        if user_id not in guild.members:
            raise DiscordError(404, 10007, "Unknown Member")
        return self.member_payload(guild.members[user_id])

    async def _edit_member(self, guild_id: str, user_id: str, *, body: Any, **_: Any) -> dict[str, Any]:
        guild = self._guild(guild_id)
        if user_id not in guild.members:
            raise DiscordError(404, 10007, "Unknown Member")
        if "communication_disabled_until" in body:
            self._bot_needs(guild, MODERATE_MEMBERS)
            self._above_target(guild, user_id)
            if self.permissions(guild, user_id) & ADMINISTRATOR:
                raise DiscordError(403, 50013, "Missing Permissions")
            until = body["communication_disabled_until"]
            if until and (datetime.fromisoformat(until) - datetime.now(UTC)).total_seconds() > 28 * 86400:
                raise DiscordError(400, 50035, "Invalid Form Body: communication_disabled_until too far")
            guild.members[user_id].timeout_until = until
        return self.member_payload(guild.members[user_id])

    async def _kick(self, guild_id: str, user_id: str, **_: Any) -> None:
        guild = self._guild(guild_id)
        self._bot_needs(guild, KICK_MEMBERS)
        if user_id not in guild.members:
            raise DiscordError(404, 10007, "Unknown Member")
        self._above_target(guild, user_id)
        del guild.members[user_id]

    async def _get_ban(self, guild_id: str, user_id: str, **_: Any) -> dict[str, Any]:
        guild = self._guild(guild_id)
        self._bot_needs(guild, BAN_MEMBERS)
        if user_id not in guild.bans:
            raise DiscordError(404, 10026, "Unknown Ban")
        return {"user": self.users[user_id].payload(), "reason": guild.bans[user_id]}

    async def _ban(self, guild_id: str, user_id: str, **_: Any) -> None:
        guild = self._guild(guild_id)
        self._bot_needs(guild, BAN_MEMBERS)
        if user_id in guild.members:
            self._above_target(guild, user_id)
            del guild.members[user_id]
        guild.bans[user_id] = ""

    async def _unban(self, guild_id: str, user_id: str, **_: Any) -> None:
        guild = self._guild(guild_id)
        self._bot_needs(guild, BAN_MEMBERS)
        if guild.bans.pop(user_id, None) is None:
            raise DiscordError(404, 10026, "Unknown Ban")

    # -- interaction responses ---------------------------------------------------------------------------

    def _interaction(self, token: str) -> Interaction:
        interaction = self.interactions.get(token)
        if interaction is None:
            raise DiscordError(401, 50027, "Invalid Webhook Token")
        return interaction

    async def _callback(self, interaction_id: str, token: str, *, body: Any, **_: Any) -> dict[str, Any]:
        interaction = self._interaction(token)
        if interaction.id != interaction_id:
            raise DiscordError(404, 10062, "Unknown interaction")
        if interaction.responses:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        kind, data = body["type"], body.get("data") or {}
        interaction.responses.append(kind)
        ephemeral = bool(int(data.get("flags") or 0) & 64)
        resource: dict[str, Any] = {"type": kind}
        if kind in (4, 5):
            message = self._new_message(interaction.channel_id, data, ephemeral=ephemeral)
            message.loading = kind == 5
            interaction.original_id = message.id
            resource["message"] = self.message_payload(message)
        elif kind == 7 and interaction.message_id:
            self._apply_edit(self.messages[interaction.message_id], data)
        return {"interaction": {"id": interaction.id, "type": interaction.kind,
                                "response_message_id": interaction.original_id,
                                "response_message_loading": kind == 5,
                                "response_message_ephemeral": ephemeral},
                "resource": resource}

    async def _followup(self, application_id: str, token: str, *, body: Any, **_: Any) -> dict[str, Any]:
        interaction = self._interaction(token)
        if not interaction.responses:
            raise DiscordError(404, 10015, "Unknown Webhook")
        ephemeral = bool(int(body.get("flags") or 0) & 64)
        message = self._new_message(interaction.channel_id, body, ephemeral=ephemeral)
        return self.message_payload(message)

    def _response_message(self, interaction: Interaction, message_id: str) -> Message:
        if message_id == "@original":
            message_id = interaction.original_id or interaction.message_id or ""
        message = self.messages.get(message_id)
        if message is None or message.deleted:
            raise DiscordError(404, 10008, "Unknown Message")
        return message

    async def _edit_response(self, application_id: str, token: str, message_id: str, *, body: Any,
                             **_: Any) -> dict[str, Any]:
        interaction = self._interaction(token)
        message = self._response_message(interaction, message_id)
        self._apply_edit(message, body)
        return self.message_payload(message)

    async def _delete_response(self, application_id: str, token: str, message_id: str, **_: Any) -> None:
        interaction = self._interaction(token)
        self._response_message(interaction, message_id).deleted = True

    # -- gateway ------------------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.add(ws)
        try:
            await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}}))
            async for frame in ws:
                if frame.type is not WSMsgType.TEXT:
                    break
                message = json.loads(frame.data)
                self.gateway_ops.append((message["op"], message.get("d")))
                await self._on_gateway_op(ws, message["op"], message.get("d"))
        finally:
            self._sockets.discard(ws)
            for session in self.sessions.values():
                if session.ws is ws:
                    session.ws = None
        return ws

    async def _on_gateway_op(self, ws: web.WebSocketResponse, op: int, data: Any) -> None:
        if op == 1:
            await ws.send_str(json.dumps({"op": 11}))
        elif op == 2:
            await self._identify(ws, data)
        elif op == 6:
            session = self.sessions.get(data.get("session_id", ""))
            if session is None or data.get("token") != self.token:
                await ws.send_str(json.dumps({"op": 9, "d": False}))
                return
            session.ws = ws
            for frame in [f for f in session.sent if f["s"] > (data.get("seq") or 0)]:
                await ws.send_str(json.dumps(frame))
            await self._send_dispatch(session, "RESUMED", {})

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        if data.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        if self.refuse_privileged_intents and int(data.get("intents", 0)) & (INTENT_MEMBERS | INTENT_MESSAGE_CONTENT):
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        shard = tuple(data.get("shard") or (0, 1))
        session = Session(secrets.token_hex(8), (int(shard[0]), int(shard[1])), ws=ws)
        self.sessions[session.id] = session
        guilds = [g for g in self.guilds.values()
                  if self.bot.id in g.members and self._shard_of(g.id) == session.shard[0]]
        await self._send_dispatch(session, "READY", {
            "v": 10, "user": self.bot.payload(), "guilds": [{"id": g.id, "unavailable": True} for g in guilds],
            "session_id": session.id, "resume_gateway_url": self.gateway_url, "shard": list(session.shard),
            "application": {"id": self.application_id, "flags": 0}, "private_channels": [], "relationships": [],
        })
        for guild in guilds:
            await self._send_dispatch(session, "GUILD_CREATE", self.guild_payload(guild))
