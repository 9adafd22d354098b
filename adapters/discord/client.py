"""Building the discord.py client: intents, sharding, the REST/gateway seam, and keeping the token out of logs."""

from __future__ import annotations

import logging

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from config.settings import DiscordSettings

# A 429 asking for a longer wait than this becomes bot.errors.RateLimited instead of blocking the action.
MAX_RATELIMIT_WAIT = 30.0


def intents() -> discord.Intents:
    """Only what the bot uses. `message_content` (privileged) lets session rules read messages; `members`
    (privileged) brings joins and leaves. Both must be enabled in the Developer Portal, or Discord closes the
    gateway with 4014."""
    wanted = discord.Intents.none()
    wanted.guilds = True  # GUILD_CREATE / GUILD_DELETE: added to and removed from servers, roles
    wanted.guild_messages = True
    wanted.dm_messages = True
    wanted.message_content = True
    wanted.members = True
    return wanted


def point_at(api_base_url: str) -> None:
    """discord.py reads its REST base from a class attribute; every Route built afterwards uses it."""
    Route.BASE = api_base_url.rstrip("/")


def use_gateway(url: str) -> None:
    """The gateway URL the operator's REST base advertised in `GET /gateway/bot` (discord.py's plain client
    would otherwise always dial wss://gateway.discord.gg)."""
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)


def build_client(settings: DiscordSettings, *, guild_ready_timeout: float,
                 shard_ids: list[int] | None = None, shard_count: int | None = None) -> discord.Client:
    """`shard_ids`: only these shards of `settings.shard_count` (several instances splitting the gateway)."""
    # The bot never joins voice: the "PyNaCl / davey is not installed" warnings would only alarm operators.
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
    options: dict = dict(
        intents=intents(),
        chunk_guilds_at_startup=False,  # members are read over REST when needed, not cached by the thousand
        max_messages=None,  # the core keeps what it needs; no message cache
        guild_ready_timeout=guild_ready_timeout,
        allowed_mentions=discord.AllowedMentions.none(),
        max_ratelimit_timeout=MAX_RATELIMIT_WAIT,
    )
    if settings.application_id:
        options["application_id"] = int(settings.application_id)
    if shard_ids is not None:
        return discord.AutoShardedClient(shard_ids=shard_ids, shard_count=shard_count or settings.shard_count,
                                         **options)
    if settings.shard_count == 1:
        return discord.Client(**options)
    if settings.shard_count:
        options["shard_count"] = settings.shard_count
    return discord.AutoShardedClient(**options)


class RedactSecret(logging.Filter):
    """Replaces a secret in log records. Filters on a logger do not apply to its children, so it is attached
    to every discord.* logger (and aiohttp's) rather than to the root."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secret:
            return True
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = message.replace(self.secret, "[redacted]"), None
        if record.exc_text and self.secret in record.exc_text:
            record.exc_text = record.exc_text.replace(self.secret, "[redacted]")
        return True


def redact_in_logs(secret: str, extra_loggers: tuple[str, ...] = ()) -> RedactSecret:
    redactor = RedactSecret(secret)
    names = [name for name in logging.root.manager.loggerDict if name.split(".")[0] in ("discord", "aiohttp")]
    for name in {"discord", *names, *extra_loggers}:
        logging.getLogger(name).addFilter(redactor)
    return redactor


def stop_redacting(redactor: RedactSecret) -> None:
    for name in list(logging.root.manager.loggerDict):
        logger = logging.root.manager.loggerDict[name]
        if isinstance(logger, logging.Logger):
            logger.removeFilter(redactor)
    logging.getLogger("discord").removeFilter(redactor)
