"""The command menus Telegram shows (`setMyCommands`), generated from the core's declared commands: one list for
groups and one for private chats, within Telegram's limits."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.features import CommandSpec, menu_commands
from config.messages import Messages
from bot.rights import AdapterCapabilities

# Telegram's limits for setMyCommands: names of 1–32 lower-case letters, digits or underscores, descriptions of
# 1–256 characters, at most 100 commands per scope.
NAME = re.compile(r"[a-z0-9_]{1,32}")
MAX_DESCRIPTION = 256
MAX_COMMANDS = 100

Menu = tuple[tuple[str, str], ...]


def _within_limits(entries: list[tuple[str, str]]) -> Menu:
    return tuple((name, description[:MAX_DESCRIPTION]) for name, description in entries
                 if NAME.fullmatch(name) and description)[:MAX_COMMANDS]


# Telegram shows a menu set for a language_code to people whose app is in that language; English is the default.
MENU_LANGUAGES = ("cy",)


def menus(commands: Sequence[CommandSpec], capabilities: AdapterCapabilities,
          language: str = "en") -> tuple[Menu, Menu]:
    """(group menu, private menu): the commands usable there that Telegram does not always refuse, described in
    `language`."""
    say: Callable[[str, str], str] = Messages(language).code_text
    return (_within_limits(menu_commands(commands, capabilities, private=False, say=say)),
            _within_limits(menu_commands(commands, capabilities, private=True, say=say)))
