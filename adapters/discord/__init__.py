"""Discord: the adapter on discord.py. Platform types stay inside this package."""

from adapters.discord.adapter import DiscordAdapter

__all__ = ["DiscordAdapter"]
