"""The core's own exceptions. Adapters translate platform errors into these exactly once, so nothing past
`adapters/` ever has to know a Telegram or Discord exception type."""

from __future__ import annotations

# The base and the configuration error live in the neutral vocabulary, which config/ may import.
from vocabulary.errors import ConfigurationError as ConfigurationError
from vocabulary.errors import SurgeryBotError as SurgeryBotError


class UserInputError(SurgeryBotError):
    """Something a person typed cannot be used; the message is safe to show them."""


class PlatformError(SurgeryBotError):
    """A platform call failed. `retryable` says whether trying later can help."""

    retryable = False


class Forbidden(PlatformError):
    """The bot lacks the right, or was removed from the chat, or the user blocked it."""


class NotFound(PlatformError):
    """The chat, user or message does not exist (any more)."""


class RateLimited(PlatformError):
    retryable = True

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ChatMigrated(PlatformError):
    """Telegram moved a group to a supergroup with a new id."""

    def __init__(self, message: str, new_chat_id: str) -> None:
        super().__init__(message)
        self.new_chat_id = new_chat_id


class PlatformUnavailable(PlatformError):
    """Network trouble, a timeout or a 5xx."""

    retryable = True


class ActionRefused(PlatformError):
    """The core refused to make a call the platform would reject or misread (a 20 s Telegram mute means
    "forever"; a message older than 48 h cannot be deleted). The message is plain and safe for staff."""


class BotNotInChat(Forbidden):
    """The platform says the bot was removed from (or never was in) the chat: the community has left."""
