"""Whose language the messages being rendered are for, while the core handles one event or timer.

The dispatcher (and the timer service) decides the reader's language once per event — the community's setting
in a group, the person's choice or platform language in private — and every message rendered while that event is
decided and carried out follows it. A context variable is used because it follows the event's own task (and the
tasks it starts) and nothing else: concurrent events in other chats keep their own language."""

from __future__ import annotations

from contextvars import ContextVar, Token

_reader_language: ContextVar[str | None] = ContextVar("surgerybot_reader_language", default=None)


def reader_language() -> str | None:
    return _reader_language.get()


class reading_in:  # lower case: used like the function it was, `with reading_in(language):`
    """Render in `language` (en, cy or both) inside the block; None leaves the current choice. (A small class
    rather than a generator-based context manager: every event enters one.)"""

    __slots__ = ("_language", "_token")

    def __init__(self, language: str | None) -> None:
        self._language = language
        self._token: Token[str | None] | None = None

    def __enter__(self) -> None:
        if self._language is not None:
            self._token = _reader_language.set(self._language)

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _reader_language.reset(self._token)
            self._token = None
