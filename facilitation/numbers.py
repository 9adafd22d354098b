"""Whole numbers as people type them (a question, case or request number). Only ASCII digits count: Python's
`str.isdigit()` also says yes to `²` or `١`, which `int()` then refuses or reads as a number nobody typed."""

from __future__ import annotations

import re

_ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)
# Numbers the bot stores are 64-bit integers; a longer one typed by someone can name nothing and must not reach
# the database, where SQLite and PostgreSQL both refuse it with an overflow error.
MAX_DIGITS = 9


def whole_number(text: str, *, max_digits: int = MAX_DIGITS) -> int | None:
    """`"42"` → 42; anything else (words, signs, spaces inside, `²`, too many digits) → None."""
    if len(text) > max_digits or not _ASCII_DIGITS.fullmatch(text):
        return None
    return int(text)


def is_ascii_digits(text: str) -> bool:
    return _ASCII_DIGITS.fullmatch(text) is not None
