"""Who a moderation command is about: the member replied to, mentioned, or named by numeric id; and what
is left of the arguments (a duration, a reason). Pure, so every platform's wording parses one way."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A Discord user option arrives as `<@123>`; Telegram and local mentions as `@name`.
_MENTION = re.compile(r"^(?:<@!?\d{1,25}>|@\w{1,64})$")
_USER_ID = re.compile(r"^\d{1,25}$")


@dataclass(frozen=True, slots=True)
class Targeted:
    user_id: str | None
    rest: str  # the arguments without the mention or id


def find_target(args: str, *, mentions: tuple[str, ...], reply_to_sender: str | None,
                allow_id: bool = True) -> Targeted:
    """A mention wins (it is explicit), then the message replied to, then a numeric id as the first word."""
    words = args.split()
    named = [w for w in words if _MENTION.match(w)]
    rest = [w for w in words if not _MENTION.match(w)]
    if mentions:
        return Targeted(mentions[0], " ".join(rest))
    if reply_to_sender is not None:
        return Targeted(reply_to_sender, " ".join(rest))
    if named:
        return Targeted(None, " ".join(rest))  # an @name the platform could not resolve to an account
    if allow_id and rest and _USER_ID.match(rest[0]):
        return Targeted(rest[0], " ".join(rest[1:]))
    return Targeted(None, " ".join(rest))


def first_word(text: str) -> tuple[str, str]:
    head, _, tail = text.strip().partition(" ")
    return head, tail.strip()
