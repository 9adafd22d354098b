"""Mentions as people write them in a command's words: `@name` (Telegram, local) and `<@id>` (a Discord user
option, read back into words). Each adapter marks them here and resolves what it can, so the core never parses
platform syntax: it gets `CommandReceived.mentions` (resolved accounts) and `mention_words` (what to leave out of
a command's own words)."""

from __future__ import annotations

import re

_MENTION = re.compile(r"^(?:<@!?[0-9]{1,25}>|@\w{1,64})$")
_NAME = re.compile(r"^@\w{1,64}$")


def mention_words(args: str) -> tuple[str, ...]:
    """The words of `args` that are mentions, in order, as written."""
    return tuple(word for word in args.split() if _MENTION.match(word))


def mention_names(words: tuple[str, ...]) -> tuple[str, ...]:
    """The mentions written as a name a reader can recognise (`@alice`), for echoing back; ids are not names."""
    return tuple(word for word in words if _NAME.match(word))
