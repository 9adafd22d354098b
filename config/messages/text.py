"""A rendered message that remembers how it was made, so that it can be made again in another language.

A handler renders for the reader of the event it handles. A message that reaches someone else — a private note
sent during a group event, a joint surgery's other groups, whatever a timer says — is made again in its own
reader's language where the event's actions are gathered (bot/localise.py), instead of every handler asking.

Pieces joined with `+` or `Messages.join` stay remakeable, and a bilingual message built that way reads all its
Welsh, then all its English. An f-string or `str.join` gives a plain `str`, fixed in the language it was made in
(and, bilingual, interleaved piece by piece): build messages with `+` and `Messages.join`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


class _Made:
    """One rendered piece: its text in each language, made when first asked for."""

    __slots__ = ("make", "made")

    def __init__(self, make: Callable[[str], str]) -> None:
        self.make = make
        self.made: dict[str, str] = {}

    def __call__(self, language: str) -> str:
        text = self.made.get(language)
        if text is None:
            text = self.made[language] = self.make(language)
        return text


Piece = str | _Made  # plain text reads the same in every language


def _one(pieces: tuple[Piece, ...], language: str) -> str:
    return "".join(piece if isinstance(piece, str) else piece(language) for piece in pieces)


def _both(cy: str, en: str) -> str:
    if cy == en:
        return en
    if "\n" in cy or "\n" in en or len(cy) + len(en) > 80:
        return f"{cy}\n\n{en}"
    return f"{cy} / {en}"  # a short label or line: both on one line


class Text(str):
    """Reads as rendered in `language` (en, cy or both; "" when made of pieces rendered in different ones)."""

    language: str
    pieces: tuple[Piece, ...]

    @staticmethod
    def made(make: Callable[[str], str], language: str) -> Text:
        """`make(en or cy)` renders the message in that language."""
        return _text((_Made(make),), language)

    def __new__(cls, value: str = "", pieces: tuple[Piece, ...] = (), language: str = "") -> Text:
        text = super().__new__(cls, value)
        text.pieces = pieces or (value,)
        text.language = language
        return text

    def in_language(self, language: str) -> Text:
        """The same message made again in `language` (en, cy or both)."""
        return self if language == self.language else _text(self.pieces, language)

    def reads_in(self, language: str) -> str:
        """Its plain text in one language, en or cy: what a bilingual message holds for that language."""
        return _one(self.pieces, language)

    def __add__(self, other: str) -> str:
        if not isinstance(other, str):
            return NotImplemented
        return _concat([self, other])

    def __radd__(self, other: str) -> str:
        if not isinstance(other, str):
            return NotImplemented
        return _concat([other, self])

    # An action holding a Text is copied or stored as its plain text: only the core's own actions remake it.
    def __reduce__(self) -> tuple[Any, ...]:
        return str, (str(self),)

    def __copy__(self) -> Text:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Text:
        return self


class Bilingual(Text):
    """A message in both languages: the Welsh, then the English."""


def _text(pieces: tuple[Piece, ...], language: str) -> Text:
    if language == "both":
        return Bilingual(_both(_one(pieces, "cy"), _one(pieces, "en")), pieces, "both")
    return Text(_one(pieces, language), pieces, language)


def _pieces(value: str) -> tuple[Piece, ...]:
    return value.pieces if isinstance(value, Text) else (value,)


def _concat(items: list[str]) -> str:
    """The items one after another: plain text if none was rendered; else remakeable, and a bilingual whole
    reads the Welsh of every item, then the English of every item."""
    languages = {item.language for item in items if isinstance(item, Text)}
    if not languages:
        return "".join(items)
    pieces = tuple(piece for item in items for piece in _pieces(item))
    language = languages.pop() if len(languages) == 1 else ""
    if language == "both":
        return _text(pieces, "both")
    return Text("".join(items), pieces, language)  # (made of different languages: as it reads now)


def join(separator: str, parts: Iterable[str]) -> str:
    """`separator.join(parts)` that keeps rendered parts remakeable, and bilingual ones Welsh first."""
    items: list[str] = []
    for index, part in enumerate(parts):
        items += [separator, part] if index else [part]
    return _concat(items)


def changed(text: str, change: Callable[[str], str]) -> str:
    """`change(text)` that stays remakeable: the same change is made to the text in every language (a number
    filled in once it is known, a full stop dropped)."""
    if not isinstance(text, Text):
        return change(text)
    piece = _Made(lambda language: change(text.reads_in(language)))
    if text.language:
        return _text((piece,), text.language)
    return Text(change(text), (piece,), "")  # pieces in different languages: changed as they read now


def in_language(value: Any, language: str) -> Any:
    """A value for a template rendered in `language` (en or cy): a rendered message in that same language."""
    return value.reads_in(language) if isinstance(value, Text) else value
