"""Splitting long texts for Telegram, whose 4,096-character limit is counted in UTF-16 code units."""

from __future__ import annotations


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int) -> list[str]:
    """Parts of at most `limit` UTF-16 units, cut after the last newline, else the last space, else anywhere.

    Whitespace at a cut stays with the part before it, so joining the parts gives the text back; parts that
    would be only whitespace are dropped, since Telegram refuses empty messages.
    """
    parts: list[str] = []
    rest = text
    while utf16_length(rest) > limit:
        cut = _fitting_prefix_length(rest, limit)
        window = rest[:cut]
        boundary = window.rfind("\n")
        if boundary <= 0:
            boundary = window.rfind(" ")
        end = boundary + 1 if boundary > 0 else cut
        parts.append(rest[:end])
        rest = rest[end:]
    parts.append(rest)
    return [part for part in parts if part.strip()]


def _fitting_prefix_length(text: str, limit: int) -> int:
    """How many code points fit in `limit` UTF-16 units (astral characters such as emoji take two)."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)
