"""What the bot posts is plain text: its own templates carry no markup, and much of it is what residents typed
(questions, reasons, notes) or chose as names. Two things in such text could make the council's bot say
something it never meant, and both are neutralised here, at the last step before a platform call:

- bidirectional controls: an override (U+202E) or an unclosed isolate in a name reverses or reorders the rest
  of the bot's line ("Trojan Source", CVE-2021-42574). The explicit embedding, override and isolate controls are
  removed on every platform; the implicit marks (LRM, RLM, ALM) stay, as right-to-left writers need them and they
  reorder nothing beyond their neighbours.
- Markdown (Discord only; Telegram is sent without a parse mode): `[Pay your council tax](https://evil.example)`
  would become a masked link posted by the council, `# ...` a headline, `||x||` a spoiler. Every character that
  starts Markdown is escaped, except inside bare URLs, which must stay clickable and unchanged."""

from __future__ import annotations

import re

# LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BIDI_TABLE = {ord(c): None for c in BIDI_CONTROLS}

# A bare URL as Discord finds one (the pattern discord.py uses for the same purpose).
_URL = r"(?:https?|steam)://[^\s<]+[^<.,:;\"'\]\s]"
# Escaped anywhere: emphasis, strike, spoiler, code, the backslash itself, and the brackets of a masked link
# (escaping each bracket, not the first of a `[..](..)` span, so a second link later in the text can't survive).
_INLINE = r"[\\*_~|`\[\]]"
# Escaped at the start of a line only, where they mean a heading, subtext, block quote or list.
_LINE_START = r"^[ \t]*[#>\-+]"
_MARKDOWN = re.compile(rf"(?P<url>{_URL})|(?P<inline>{_INLINE})|(?P<line>{_LINE_START})", re.MULTILINE)


def without_bidi_controls(text: str) -> str:
    return text.translate(_BIDI_TABLE)


def _escape(match: re.Match[str]) -> str:
    if match["url"] is not None:
        # Left as it is so it stays a working link, but for brackets: a URL never needs a raw one, and a masked
        # link must not be able to hide after something Discord's own URL rule would end earlier than ours.
        return re.sub(r"([\[\]])", r"\\\1", match["url"])
    found = match.group()
    # A line-start marker keeps its indentation; the backslash goes right before the marker.
    return found[:-1] + "\\" + found[-1]


def escape_markdown(text: str) -> str:
    """`text` as Discord shows it literally: no formatting, no masked links; bare URLs untouched."""
    return _MARKDOWN.sub(_escape, text)


def discord_plain(text: str) -> str:
    return escape_markdown(without_bidi_controls(text))
