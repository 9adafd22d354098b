"""The Discord adapter: a discord.py client run inside the caller's event loop, implementing
`bot.adapter.Adapter`. Events come in through `inbound`; this module carries the core's actions out."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Sequence
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any

import discord
from discord.http import handle_message_parameters
from discord.utils import MISSING, snowflake_time

from adapters.discord import client as discord_client
from adapters.discord.slash_commands import CommandTable
from adapters.discord.errors import PRIVILEGED_INTENTS_SENTENCE, platform_errors
from adapters.discord.inbound import Inbound, announce_channel
from adapters.discord.interactions import PendingInteractions
from adapters.discord.members import Members
from adapters.plain_text import discord_plain
from adapters.discord.outbound import NO_MENTIONS, button_view, fit, reference, split_text
from adapters.discord.rights import RoleInfo, guild_permissions, missing_permissions
from bot.actions import Target
from bot.adapter import ChatFilter, EventSink, hears_everything
from bot.clock import Clock
from bot.errors import ActionRefused, BotNotInChat, ConfigurationError, NotFound, PlatformUnavailable
from bot.events import Event
from bot.features import CommandSpec
from bot.health import ReceiverHealth
from bot.refs import Button, ChatRef, MessageRef, Platform, UserRef
from bot.rights import AdapterCapabilities, MemberInfo, MemberRights, MemberStatus
from config.messages import Messages
from config.settings import DiscordSettings

log = logging.getLogger(__name__)

# How long stop() waits for deliveries in progress before closing the connection anyway.
STOP_GRACE_SECONDS = 10.0

MAX_TIMEOUT = timedelta(days=28)
BULK_DELETE_MAX_AGE = timedelta(days=14)
MAX_SLOW_MODE_SECONDS = 21600
DEFAULT_REASON = "surgerybot"
RECONNECT_DELAY_SECONDS = 2.0
MAX_RECONNECT_DELAY_SECONDS = 300.0
# New gateway sessions kept back from the daily budget for restarts by hand.
IDENTIFY_RESERVE = 10


def _ending(connection: asyncio.Task[None] | None) -> BaseException | str:
    """Why a gateway connection task ended, for the log and the health file."""
    if connection is None:
        return "never started"
    if connection.cancelled():
        return "its task was cancelled"
    error = connection.exception()
    return error if error is not None else "it returned"


class DiscordAdapter:
    platform = Platform.DISCORD
    capabilities = AdapterCapabilities(max_message_length=2000, max_mute_seconds=int(MAX_TIMEOUT.total_seconds()),
                                       bulk_delete_max_age_seconds=int(BULK_DELETE_MAX_AGE.total_seconds()))

    def __init__(self, settings: DiscordSettings, clock: Clock, *, start_timeout: float = 60.0,
                 guild_ready_timeout: float = 2.0) -> None:
        token = settings.token.get_secret_value().strip() if settings.token else ""
        if not token:
            raise ConfigurationError("Set SURGERYBOT_DISCORD__TOKEN to the bot token from the Discord Developer "
                                     "Portal to run the Discord adapter.")
        self._settings = settings
        self._token = token
        self.clock = clock
        self._start_timeout = start_timeout
        self._guild_ready_timeout = guild_ready_timeout
        self._client: discord.Client | None = None
        self._members: Members | None = None
        self._pending = PendingInteractions()
        self._connection: asyncio.Task[None] | None = None
        self._sink: EventSink | None = None
        self._dm_channels: dict[str, str] = {}
        self._redactor: discord_client.RedactSecret | None = None
        self._stopping = False
        # Deliveries in progress: stop() lets them finish so no unit of work is cancelled half-way.
        self._inflight: set[asyncio.Task[object]] = set()
        self._commands = CommandTable()
        self._hears: ChatFilter = hears_everything
        self._watchdog: asyncio.Task[None] | None = None
        self._connected_at: datetime | None = None
        self._gateway_problem: str | None = None
        self._shard_ids: list[int] | None = None
        self._shard_count: int | None = None
        # The first wait before remaking a lost gateway connection; it doubles with each failed attempt.
        self.reconnect_delay = RECONNECT_DELAY_SECONDS
        # Discord's gateway serves every connected instance: no receiver lease is needed.
        self.receive_updates = True
        self.acknowledges_updates = False  # gateway events are not redelivered by acknowledgement

    @property
    def single_receiver(self) -> bool:
        return False

    def set_commands(self, commands: Sequence[CommandSpec]) -> None:
        self._commands = CommandTable.from_specs(commands, self.capabilities)

    async def start_receiving(self) -> None:
        """On an instance started without shards, once it has claimed some: connect the gateway for them."""
        if self._watchdog is not None:
            self._stopping = False  # events had only been ignored since a lost claim
            return
        old = self._client
        if old is not None:
            with suppress(Exception):
                await old.close()
        self._stopping = False
        await self._connect()
        self._watchdog = asyncio.create_task(self._keep_connected(), name="discord-gateway-watchdog")

    # -- lifecycle -----------------------------------------------------------------------------------------

    async def start(self, sink: EventSink, hears: ChatFilter = hears_everything) -> None:
        self._sink, self._hears, self._stopping = sink, hears, False
        self._redactor = discord_client.redact_in_logs(self._token, ("adapters.discord",))
        discord_client.point_at(self._settings.api_base_url)
        try:
            if self.receive_updates:
                await self._connect()
            else:  # another instance receives every shard: REST only, to send; the gateway comes with shards
                client = self._new_client()
                await self._log_in(client)
        except BaseException:
            await self.stop()
            raise
        if self.receive_updates:
            self._watchdog = asyncio.create_task(self._keep_connected(), name="discord-gateway-watchdog")

    @property
    def shards_per_instance(self) -> int | None:
        return self._settings.shards_per_instance

    async def advised_shard_count(self) -> int | None:
        """The number of shards: as set, else Discord's advice (GET /gateway/bot), read with a REST-only login."""
        if self._settings.shard_count:
            return self._settings.shard_count
        discord_client.point_at(self._settings.api_base_url)
        client = discord_client.build_client(self._settings, guild_ready_timeout=self._guild_ready_timeout)
        try:
            with platform_errors("read the gateway's advice"):
                await client.login(self._token)
                shards, _, _ = await client.http.get_bot_gateway()
            return int(shards)
        finally:
            await client.close()

    def receive_shards(self, shard_ids: Sequence[int], shard_count: int) -> None:
        """Connect only these shards (claimed by this instance) when receiving starts."""
        self._shard_ids, self._shard_count = sorted(shard_ids), shard_count

    def _new_client(self) -> discord.Client:
        client = discord_client.build_client(self._settings, guild_ready_timeout=self._guild_ready_timeout,
                                             shard_ids=self._shard_ids, shard_count=self._shard_count)
        partial = self._shard_count is not None and len(self._shard_ids or ()) < self._shard_count
        self._client, self._members = client, Members(client, self.clock, partial_shards=partial)
        return client

    async def _connect(self) -> None:
        """A new client, logged in, its gateway connection running and ready (or the reason it is not)."""
        client = self._new_client()
        inbound = Inbound(client, self._who, self._pending, self.clock, self._deliver, self._commands, self._hears)
        inbound.attach()
        try:
            await self._log_in(client)
        except BaseException:
            await client.close()
            raise
        self._connection = asyncio.create_task(self._stay_connected(client), name="discord-gateway")
        ready = asyncio.create_task(inbound.ready.wait())
        done, _ = await asyncio.wait({ready, self._connection}, timeout=self._start_timeout,
                                     return_when=asyncio.FIRST_COMPLETED)
        if ready in done:
            self._connected_at = self.clock.now()
            return
        ready.cancel()
        if self._connection in done:
            await client.close()
            self._connection.result()  # raises the translated reason
        await client.close()
        with suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(self._connection, timeout=10)
        raise PlatformUnavailable(f"Discord's gateway did not become ready within {self._start_timeout:.0f} s")

    async def _keep_connected(self) -> None:
        """The gateway connection's supervisor. discord.py resumes after ordinary drops by itself, but some
        endings (an unexpected close code, a payload its parser chokes on, the task cancelled) end the connection
        for good: then a new one is made, after a back-off that doubles up to `MAX_RECONNECT_DELAY_SECONDS`
        (and waits for Discord's identify budget, see `_log_in`). Only a refused token or intents stop it."""
        attempt = 0
        while not self._stopping:
            connection = self._connection
            if connection is not None:
                await asyncio.wait({connection})
            if self._stopping:
                return
            self._connected_at = None
            reason = _ending(connection)
            if isinstance(reason, ConfigurationError):
                self._gateway_problem = str(reason)
                log.critical("the Discord gateway connection ended and can't be remade: %s", reason)
                return
            attempt += 1
            delay = min(self.reconnect_delay * 2 ** (attempt - 1), MAX_RECONNECT_DELAY_SECONDS)
            self._gateway_problem = f"gateway connection lost ({reason}); reconnect attempt {attempt}"
            log.critical("the Discord gateway connection ended (%s); reconnecting in %.1f s", reason, delay)
            await asyncio.sleep(delay)
            if self._stopping:
                return
            old = self._client
            if old is not None:
                with suppress(Exception):
                    await old.close()
            try:
                await self._connect()
            except ConfigurationError as error:
                self._gateway_problem = str(error)
                log.critical("reconnecting to the Discord gateway failed for good: %s", error)
                return
            except Exception as error:
                log.warning("reconnecting to the Discord gateway failed: %s", error)
                continue
            log.warning("reconnected to the Discord gateway after %d attempt(s)", attempt)
            attempt, self._gateway_problem = 0, None

    def receiver_health(self) -> ReceiverHealth:
        if not self.receive_updates:
            return ReceiverHealth(True, "standing by: other instances receive every shard")
        if self._stopping:
            return ReceiverHealth(True, "stopping")
        if self._connection is None or self._connection.done() or self._connected_at is None:
            return ReceiverHealth(False, self._gateway_problem or "not connected to the gateway")
        return ReceiverHealth(True, f"gateway connected since {self._connected_at.isoformat(timespec='seconds')}")

    async def check(self) -> str:
        """For `surgerybot check`: log in over REST and read the gateway's address, without connecting."""
        redactor = discord_client.redact_in_logs(self._token, ("adapters.discord",))
        discord_client.point_at(self._settings.api_base_url)
        client = discord_client.build_client(self._settings, guild_ready_timeout=self._guild_ready_timeout)
        try:
            try:
                with platform_errors("log in"):
                    await client.login(self._token)
                    _, gateway_url, _ = await client.http.get_bot_gateway()
            except discord.LoginFailure:
                raise ConfigurationError("Discord refused the token in SURGERYBOT_DISCORD__TOKEN.") from None
            servers = await self._permission_report(client)
            return "\n".join([f"logged in as {client.user} (gateway {gateway_url})", *servers])
        finally:
            await client.close()
            discord_client.stop_redacting(redactor)

    @staticmethod
    async def _permission_report(client: discord.Client) -> list[str]:
        """One line per server the bot is in: every permission it uses granted, or which are missing. Read over
        REST (server list, roles, the bot's own member), so it needs no gateway connection."""
        say, me = Messages(), client.user
        assert me is not None  # login() has read the bot's user
        with platform_errors("list the bot's servers"):
            guilds = await client.http.get_guilds(200, with_counts=False)
        if not guilds:
            return [say("discord_check_no_servers")]
        lines = []
        for guild in guilds:
            with platform_errors(f"read the bot's permissions in server {guild['id']}"):
                roles = {str(r["id"]): RoleInfo(int(r["position"]), int(r["permissions"]))
                         for r in await client.http.get_roles(guild["id"])}
                member = await client.http.get_member(guild["id"], me.id)
            granted = guild_permissions((str(r) for r in member.get("roles", ())), roles, str(guild["id"]))
            missing = [] if guild.get("owner") else missing_permissions(granted)  # an owner holds every one
            lines.append(say("discord_check_server_missing", server=guild["name"],
                             missing=", ".join(say(need.label) for need in missing)) if missing
                         else say("discord_check_server_ok", server=guild["name"]))
        return lines

    async def _log_in(self, client: discord.Client) -> None:
        try:
            with platform_errors("log in"):
                await client.login(self._token)
                _, gateway_url, limit = await client.http.get_bot_gateway()
                discord_client.use_gateway(gateway_url)
                await self._within_identify_budget(limit)
                assert client.application_id is not None  # login() reads it from the application's info
                await client.http.bulk_upsert_global_commands(client.application_id, self._commands.payloads())
        except discord.LoginFailure:
            raise ConfigurationError("Discord refused the token in SURGERYBOT_DISCORD__TOKEN; copy the bot token "
                                     "again from the Developer Portal (Bot → Reset Token).") from None

    async def _within_identify_budget(self, limit: Any) -> None:
        """Discord allows a bot only so many new gateway sessions a day (`session_start_limit`); past it the
        token is reset. A connection that keeps failing must not spend the budget: wait for its reset instead."""
        try:
            remaining, reset_after = int(limit["remaining"]), float(limit["reset_after"]) / 1000
        except (KeyError, TypeError, ValueError):
            return
        if remaining <= IDENTIFY_RESERVE:
            log.critical("Discord's daily gateway session budget is spent (%d left); waiting %.0f s for it to "
                         "reset before connecting", remaining, reset_after)
            self._gateway_problem = "waiting for Discord's daily gateway session budget to reset"
            await asyncio.sleep(reset_after)

    async def _stay_connected(self, client: discord.Client) -> None:
        try:
            await client.connect(reconnect=True)
        except discord.PrivilegedIntentsRequired:
            log.critical(PRIVILEGED_INTENTS_SENTENCE)
            raise ConfigurationError(PRIVILEGED_INTENTS_SENTENCE) from None
        except discord.ConnectionClosed as error:
            if error.code == 4004:
                raise ConfigurationError("Discord refused the token in SURGERYBOT_DISCORD__TOKEN (gateway close "
                                         "code 4004).") from None
            raise PlatformUnavailable(f"Discord closed the gateway (code {error.code})") from None

    async def stop_receiving(self) -> None:
        """The gateway can't be paused without closing it; events arriving from now on are not handed on."""
        self._stopping = True

    async def stop(self) -> None:
        self._stopping = True
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is not None:
            watchdog.cancel()
            await asyncio.gather(watchdog, return_exceptions=True)
        if self._inflight:  # finish what the core is doing (it may still reply) before the connection goes
            await asyncio.wait(set(self._inflight), timeout=STOP_GRACE_SECONDS)
        if self._client is not None:
            await self._client.close()
        if self._connection is not None:
            with suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(self._connection, timeout=10)
        if self._redactor is not None:
            discord_client.stop_redacting(self._redactor)
        self._client = self._connection = self._sink = self._redactor = None

    async def _deliver(self, event: Event | None) -> None:
        if event is None or self._sink is None or self._stopping:
            return
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            await self._sink(event)
        except Exception:  # one failing update must not stop the gateway; the core logs its own detail too
            log.exception("the core failed to handle %s", event.update_key)
        finally:
            if task is not None:
                self._inflight.discard(task)

    @property
    def _http(self) -> discord.http.HTTPClient:
        if self._client is None:
            raise PlatformUnavailable("the Discord adapter is not started")
        return self._client.http

    @property
    def _who(self) -> Members:
        if self._members is None:
            raise PlatformUnavailable("the Discord adapter is not started")
        return self._members

    # -- where things go --------------------------------------------------------------------------------

    async def _channel(self, target: Target) -> ChatRef:
        """The channel a target names: a user means their DM channel; a server-wide ref (id == server id)
        means the server's announcement channel."""
        if isinstance(target, UserRef):
            if target.id not in self._dm_channels:
                with platform_errors(f"open a direct message with user {target.id}"):
                    channel = await self._http.start_private_message(int(target.id))
                self._dm_channels[target.id] = str(channel["id"])
            return ChatRef(Platform.DISCORD, self._dm_channels[target.id])
        if target.space_id and target.id == target.space_id:
            announce = announce_channel(await self._who.guild(target.space_id))
            if announce is None:
                raise NotFound(f"Discord server {target.space_id} has no channel the bot may post in")
            return ChatRef(Platform.DISCORD, str(announce.id), target.space_id)
        return target

    @staticmethod
    def _guild_id(chat: ChatRef) -> int:
        if not chat.space_id:
            raise ActionRefused("That only works in a Discord server, not in a direct message.")
        return int(chat.space_id)

    # -- messages -----------------------------------------------------------------------------------------

    async def send_message(self, target: Target, text: str, *, buttons: tuple[Button, ...] = (),
                           reply_to: MessageRef | None = None, answers: str | None = None) -> MessageRef:
        chat = await self._channel(target)
        parts = split_text(discord_plain(text), self.capabilities.max_message_length)
        first: str | None = None
        for index, part in enumerate(parts):
            view = button_view(buttons) if buttons and index == len(parts) - 1 else MISSING
            if index == 0 and answers and (answered := await self._answer_command(answers, part, view)) is not None:
                first = answered
                continue
            params = handle_message_parameters(content=part, view=view, allowed_mentions=NO_MENTIONS,
                                               message_reference=reference(reply_to) if index == 0 else MISSING)
            with params, platform_errors(f"send a message to channel {chat.id}"):
                sent = await self._http.send_message(int(chat.id), params=params)
            first = first or str(sent["id"])
        return MessageRef(chat, first or "")

    async def _answer_command(self, interaction_id: str, text: str, view: discord.ui.View) -> str | None:
        """The slash command this message answers is waiting on "thinking…": the reply replaces it, so people see
        which command it answers. Only an explicit answer does: with several commands in flight in one channel, the
        next post there may belong to another. Returns None when nothing waits or the token has lapsed."""
        interaction = self._pending.take_command(interaction_id)
        if interaction is None:
            return None
        try:
            message = await interaction.edit_original_response(content=text, view=view or MISSING,
                                                               allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as error:
            log.info("interaction %s could not be answered (%s); posting instead", interaction.id, error.status)
            return None
        return str(message.id)

    async def edit_message(self, message: MessageRef, text: str, *, buttons: tuple[Button, ...] = ()) -> None:
        text = fit(discord_plain(text), self.capabilities.max_message_length)
        params = handle_message_parameters(content=text, view=button_view(buttons) if buttons else None,
                                           allowed_mentions=NO_MENTIONS)
        with params, platform_errors(f"edit message {message.id} in channel {message.chat.id}"):
            await self._http.edit_message(int(message.chat.id), int(message.id), params=params)

    async def delete_message(self, message: MessageRef, *, reason: str = "") -> None:
        with platform_errors(f"delete message {message.id} in channel {message.chat.id}"):
            await self._http.delete_message(int(message.chat.id), int(message.id), reason=reason or DEFAULT_REASON)

    async def delete_messages(self, messages: Sequence[MessageRef], *, reason: str = "") -> None:
        """Bulk delete where Discord allows it (2–100 messages of one channel, all under 14 days old); single
        deletes for the rest."""
        now = self.clock.now()
        by_channel: dict[str, list[MessageRef]] = {}
        for message in messages:
            by_channel.setdefault(message.chat.id, []).append(message)
        for channel_id, refs in by_channel.items():
            young = [r for r in refs if now - snowflake_time(int(r.id)) < BULK_DELETE_MAX_AGE - timedelta(minutes=1)]
            singles = [r for r in refs if r not in young]
            for start in range(0, len(young), 100):
                chunk = young[start:start + 100]
                if len(chunk) < 2:
                    singles += chunk
                    continue
                with platform_errors(f"bulk-delete {len(chunk)} messages in channel {channel_id}"):
                    await self._http.delete_messages(int(channel_id), [int(r.id) for r in chunk],
                                                     reason=reason or DEFAULT_REASON)
            for ref in singles:
                await self.delete_message(ref, reason=reason)

    async def pin_message(self, message: MessageRef) -> None:
        with platform_errors(f"pin message {message.id} in channel {message.chat.id}"):
            await self._http.pin_message(int(message.chat.id), int(message.id), reason=DEFAULT_REASON)

    async def send_file(self, target: Target, filename: str, content: bytes, *, caption: str = "") -> MessageRef:
        chat = await self._channel(target)
        file = discord.File(io.BytesIO(content), filename=filename)
        caption = fit(discord_plain(caption), self.capabilities.max_message_length)
        params = handle_message_parameters(content=caption or MISSING,
                                           file=file, allowed_mentions=NO_MENTIONS)
        with params, platform_errors(f"send file {filename!r} to channel {chat.id}"):
            sent = await self._http.send_message(int(chat.id), params=params)
        return MessageRef(chat, str(sent["id"]))

    # -- members ------------------------------------------------------------------------------------------

    async def mute_member(self, chat: ChatRef, user: UserRef, until: datetime, *, reason: str = "") -> None:
        left = until - self.clock.now()
        if left > MAX_TIMEOUT:
            raise ActionRefused("Discord timeouts last at most 28 days; use a ban for anything longer.")
        if left <= timedelta(0):
            raise ActionRefused("A timeout must end in the future.")
        guild = self._guild_id(chat)
        await self._who.check_below_bot(guild, int(user.id), "time out", must_be_member=True)
        with platform_errors(f"time out user {user.id} in server {guild}"):
            await self._http.edit_member(guild, int(user.id), reason=reason or DEFAULT_REASON,
                                         communication_disabled_until=until.isoformat())
        self._who.forget(guild, int(user.id))

    async def unmute_member(self, chat: ChatRef, user: UserRef, *, reason: str = "") -> None:
        guild = self._guild_id(chat)
        await self._who.check_below_bot(guild, int(user.id), "lift the timeout of", must_be_member=True)
        with platform_errors(f"lift the timeout of user {user.id} in server {guild}"):
            await self._http.edit_member(guild, int(user.id), reason=reason or DEFAULT_REASON,
                                         communication_disabled_until=None)
        self._who.forget(guild, int(user.id))

    async def ban_member(self, chat: ChatRef, user: UserRef, until: datetime | None = None, *,
                         reason: str = "") -> None:
        # Discord bans have no end: a timed ban is lifted by the core's durable timer calling unban_member.
        guild = self._guild_id(chat)
        await self._who.check_below_bot(guild, int(user.id), "ban", must_be_member=False)
        with platform_errors(f"ban user {user.id} in server {guild}"):
            await self._http.ban(int(user.id), guild, delete_message_seconds=0, reason=reason or DEFAULT_REASON)
        self._who.forget(guild, int(user.id))

    async def unban_member(self, chat: ChatRef, user: UserRef, *, reason: str = "") -> None:
        guild = self._guild_id(chat)
        with platform_errors(f"unban user {user.id} in server {guild}"):
            await self._http.unban(int(user.id), guild, reason=reason or DEFAULT_REASON)

    async def kick_member(self, chat: ChatRef, user: UserRef, *, reason: str = "") -> None:
        guild = self._guild_id(chat)
        await self._who.check_below_bot(guild, int(user.id), "kick", must_be_member=True)
        with platform_errors(f"kick user {user.id} from server {guild}"):
            await self._http.kick(int(user.id), guild, reason=reason or DEFAULT_REASON)
        self._who.forget(guild, int(user.id))

    async def set_slow_mode(self, chat: ChatRef, seconds: int, *, reason: str = "") -> None:
        if not 0 <= seconds <= MAX_SLOW_MODE_SECONDS:
            raise ActionRefused("Discord slow mode is between 0 seconds and 6 hours.")
        with platform_errors(f"set slow mode in channel {chat.id}"):
            await self._http.edit_channel(int(chat.id), reason=reason or DEFAULT_REASON, rate_limit_per_user=seconds)

    @property
    def bot_user_id(self) -> str | None:
        me = self._client.user if self._client else None
        return str(me.id) if me else None

    async def leave_chat(self, chat: ChatRef) -> None:
        if not chat.space_id:
            return  # a direct message has nothing to leave
        guild = int(chat.space_id)
        with platform_errors(f"leave server {guild}"):
            await self._http.leave_guild(guild)
        self._who.forget(guild)

    async def answer_button(self, chat: ChatRef, press_id: str, text: str = "") -> None:
        press = self._pending.press(press_id)
        if press is None:
            raise NotFound(f"button press {press_id} is unknown or older than 15 minutes")
        with platform_errors(f"answer button press {press_id}"):
            await press.acknowledge(fit(discord_plain(text), self.capabilities.max_message_length))

    async def get_member(self, chat: ChatRef, user: UserRef) -> MemberInfo:
        if not chat.space_id:
            return MemberInfo(MemberStatus.MEMBER)  # the other side of a direct message
        return await self._who.info(int(chat.space_id), int(user.id))

    async def get_bot_rights(self, chat: ChatRef) -> MemberRights:
        if not chat.space_id:
            return MemberRights()
        me = self._client.user if self._client else None
        if me is None:
            raise PlatformUnavailable("the Discord adapter is not connected")
        info = await self._who.info(int(chat.space_id), me.id)
        if not info.is_present:
            raise BotNotInChat(f"the bot is not a member of Discord server {chat.space_id}")
        return info.rights
