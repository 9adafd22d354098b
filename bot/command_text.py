"""Parsing `/verb@botname args` out of message text. Shared by the text-command platforms (Telegram, local)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMAND = re.compile(r"^/(?P<name>[A-Za-z0-9_]{1,32})(?:@(?P<bot>[A-Za-z0-9_]{1,64}))?(?:\s+(?P<args>.*))?$", re.S)


@dataclass(frozen=True, slots=True)
class CommandText:
    name: str
    args: str
    addressed_to: str | None  # the @botname suffix, if any


def parse_command_text(text: str) -> CommandText | None:
    """`/Ask@SurgeryBot  why?` → CommandText("ask", "why?", "SurgeryBot"); plain chat → None."""
    match = _COMMAND.match(text.strip())
    if not match:
        return None
    return CommandText(match["name"].lower(), (match["args"] or "").strip(), match["bot"])


def is_for_bot(command: CommandText, bot_username: str | None) -> bool:
    """A command with another bot's @name is not ours; one without a name is for every bot in the chat."""
    if command.addressed_to is None or bot_username is None:
        return True
    return command.addressed_to.lower() == bot_username.lower()
