"""The base of the project's own exceptions, and the one `config/` raises: a setting that can't be used."""

from __future__ import annotations


class SurgeryBotError(Exception):
    """Base of every error the core raises on purpose."""


class ConfigurationError(SurgeryBotError):
    """A setting is missing or invalid; the message is one plain sentence naming the variable."""
