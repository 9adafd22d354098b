"""The Telegram platform, on python-telegram-bot 22 (Bot API over HTTP, polling or webhook)."""

from adapters.telegram.adapter import TelegramAdapter

__all__ = ["TelegramAdapter"]
