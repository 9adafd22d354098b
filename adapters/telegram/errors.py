"""Telegram errors translated once into the core's exceptions, so nothing past this package catches a PTB type."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from telegram import error as tg

from bot.errors import (
    BotNotInChat,
    ChatMigrated,
    ConfigurationError,
    Forbidden,
    NotFound,
    PlatformError,
    PlatformUnavailable,
    RateLimited,
)

# Telegram says "the bot is gone" in several wordings, with 403 (and, for basic groups, sometimes 400).
_NOT_IN_CHAT = ("bot was kicked", "bot is not a member", "bot was removed")
_NOT_FOUND = ("not found", "message to delete not found", "message can't be deleted", "query is too old",
              "query id is invalid")
_NO_RIGHTS = ("not enough rights", "user is an administrator", "can't remove chat owner", "chat_admin_required",
              "can't restrict self", "have no rights", "method is available only for supergroups",
              "can't demote chat creator", "participant_id_invalid")


def _retry_after_seconds(error: tg.RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns while it moves retry_after from int to timedelta
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def translate_error(error: tg.TelegramError) -> Exception:
    """The core's exception for a PTB exception. The wording stays Telegram's: it is for staff and logs."""
    text = error.message
    lowered = text.lower()
    if isinstance(error, tg.RetryAfter):
        return RateLimited(text, _retry_after_seconds(error))
    if isinstance(error, tg.ChatMigrated):
        return ChatMigrated(text, str(error.new_chat_id))
    if isinstance(error, tg.InvalidToken):
        return ConfigurationError("Telegram rejected the bot token; check SURGERYBOT_TELEGRAM__TOKEN.")
    if any(phrase in lowered for phrase in _NOT_IN_CHAT):
        return BotNotInChat(text)
    if isinstance(error, tg.Forbidden):
        return Forbidden(text)
    if isinstance(error, tg.BadRequest):
        if any(phrase in lowered for phrase in _NO_RIGHTS):
            return Forbidden(text)
        if any(phrase in lowered for phrase in _NOT_FOUND):
            return NotFound(text)
        return PlatformError(text)
    if isinstance(error, (tg.NetworkError, tg.Conflict)):  # TimedOut, 5xx, and "terminated by other getUpdates"
        return PlatformUnavailable(text)
    return PlatformError(text)


@contextmanager
def platform_call() -> Iterator[None]:
    """Wrap every Bot API call: the PTB error becomes the core's, keeping the original as the cause for logs."""
    try:
        yield
    except tg.TelegramError as error:
        raise translate_error(error) from error
