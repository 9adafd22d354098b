"""Whose language the messages being rendered are for, while the core handles one event or timer.

The dispatcher (and the timer service) decides the reader's language once per event — the community's setting
in a group, the person's choice or platform language in private — and every message rendered while that event is
decided and carried out follows it. A context variable is used because it follows the event's own task (and the
tasks it starts) and nothing else: concurrent events in other chats keep their own language."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_reader_language: ContextVar[str | None] = ContextVar("surgerybot_reader_language", default=None)


def reader_language() -> str | None:
    return _reader_language.get()


@contextmanager
def reading_in(language: str | None) -> Iterator[None]:
    """Render in `language` (en, cy or both) inside the block; None leaves the current choice."""
    if language is None:
        yield
        return
    token = _reader_language.set(language)
    try:
        yield
    finally:
        _reader_language.reset(token)
