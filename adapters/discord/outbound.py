"""Shaping what the bot posts: splitting long texts, stateless buttons, replies that never ping anyone."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from adapters.plain_text import without_bidi_controls
from bot.refs import Button, MessageRef

if TYPE_CHECKING:  # discord.types is for type checkers; importing it at run time is circular
    from discord.types.message import MessageReference as MessageReferencePayload

NO_MENTIONS = discord.AllowedMentions.none()


def split_text(text: str, limit: int) -> list[str]:
    """Parts of at most `limit` characters, cut after a newline or space where one is near the end; every
    character is kept, so joining the parts gives the text back."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n"), window.rfind(" ")) + 1
        if cut < limit // 2:  # no natural break in the second half: cut hard rather than post a stub
            cut = limit
        if cut > 1 and _ends_in_escape(rest[:cut]):
            cut -= 1  # never part an escaping backslash from what it escapes (adapters/plain_text.py)
        parts.append(rest[:cut])
        rest = rest[cut:]
    parts.append(rest)
    return parts


def fit(text: str, limit: int) -> str:
    """`text` cut to `limit` characters (escaping may have lengthened it), without a dangling escape at the end."""
    cut = text[:limit]
    return cut[:-1] if len(text) > limit and _ends_in_escape(cut) else cut


def _ends_in_escape(part: str) -> bool:
    backslashes = len(part) - len(part.rstrip("\\"))
    return backslashes % 2 == 1


def button_view(buttons: tuple[Button, ...]) -> discord.ui.View:
    """Components whose custom_id is the core's `Button.data`. The view is stopped before it is sent so
    discord.py never keeps it in memory: presses are read raw in `on_interaction`, which is what makes them work
    after a restart without re-registering anything."""
    view = discord.ui.View(timeout=None)
    for button in buttons[:25]:  # Discord: 5 rows of 5
        view.add_item(discord.ui.Button(label=without_bidi_controls(button.label)[:80], custom_id=button.data,
                                        style=discord.ButtonStyle.secondary))
    view.stop()
    return view


def reference(reply_to: MessageRef | None) -> MessageReferencePayload | None:
    """The message_reference field of a message payload (the raw HTTP call takes the JSON form, not the object)."""
    if reply_to is None:
        return None
    return discord.MessageReference(message_id=int(reply_to.id), channel_id=int(reply_to.chat.id),
                                    guild_id=int(reply_to.chat.space_id) if reply_to.chat.space_id else None,
                                    fail_if_not_exists=False).to_message_reference_dict()
