"""Who a moderation command is about: the member replied to, mentioned, or named by numeric id; and what
is left of the arguments (a duration, a reason). Pure, so every platform's wording parses one way. The adapters
find the mentions (`CommandReceived.mention_words`) and resolve them; nothing here knows a platform's syntax."""

from __future__ import annotations

import re
from dataclasses import dataclass

_USER_ID = re.compile(r"^[0-9]{1,25}$")


@dataclass(frozen=True, slots=True)
class Targeted:
    user_id: str | None
    rest: str  # the arguments without the mention or id


def find_target(args: str, *, mentions: tuple[str, ...], mention_words: tuple[str, ...], reply_to_sender: str | None,
                allow_id: bool = True) -> Targeted:
    """A mention wins (it is explicit), then the message replied to, then a numeric id as the first word.
    `mentions` are the accounts the platform resolved; `mention_words` every mention as written in `args`."""
    words = args.split()
    written = set(mention_words)
    named = [w for w in words if w in written]
    rest = [w for w in words if w not in written]
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
