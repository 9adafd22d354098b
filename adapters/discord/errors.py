"""Discord and network failures translated, once, into the core's exceptions (SPEC §7: nothing past
`adapters/` knows a discord.py type). Messages name the operation, never the token."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp
import discord

from bot import errors

# Discord JSON error codes that mean "the bot is not in that server (any more)".
_GONE_CODES = {10004}  # Unknown Guild
PRIVILEGED_INTENTS_SENTENCE = (
    "Discord refused the bot's privileged gateway intents (close code 4014): open the Discord Developer Portal "
    "(https://discord.com/developers/applications), choose this application, go to Bot → Privileged Gateway "
    "Intents, enable 'Message Content Intent' and 'Server Members Intent', save, and start surgerybot again."
)


def _describe(error: discord.HTTPException) -> str:
    return f"HTTP {error.status}, code {error.code}: {error.text or 'no detail'}"


@contextmanager
def platform_errors(what: str) -> Iterator[None]:
    """Wrap one platform call; `what` says what was attempted, e.g. "delete message 12 in channel 3"."""
    try:
        yield
    except discord.RateLimited as error:  # longer than max_ratelimit_timeout: give up rather than hang
        raise errors.RateLimited(f"Discord rate-limited {what}", error.retry_after) from None
    except discord.Forbidden as error:
        raise errors.Forbidden(f"Discord refused {what} ({_describe(error)})") from None
    except discord.NotFound as error:
        if error.code in _GONE_CODES:
            raise errors.BotNotInChat(f"the bot is not in that server: {what} ({_describe(error)})") from None
        raise errors.NotFound(f"not found on Discord: {what} ({_describe(error)})") from None
    except discord.DiscordServerError as error:
        raise errors.PlatformUnavailable(f"Discord failed {what} ({_describe(error)})") from None
    except discord.HTTPException as error:
        if error.status == 429:  # a 429 discord.py would not retry (e.g. from a proxy without Via)
            raise errors.RateLimited(f"Discord rate-limited {what}", 1.0) from None
        raise errors.PlatformError(f"Discord rejected {what} ({_describe(error)})") from None
    except discord.GatewayNotFound:
        raise errors.PlatformUnavailable(f"Discord's gateway could not be found while trying to {what}") from None
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
        raise errors.PlatformUnavailable(f"network trouble talking to Discord: {what} ({type(error).__name__})") \
            from None
