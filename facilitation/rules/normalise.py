"""Text normalisation for matching, so `$h!t`, `ЅНІТ`, `SHÏT` and `sh` + zero-width space + `it` all meet the
same term. The result is a matching skeleton, never shown: case-folded words separated by single spaces."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from facilitation.rules.confusables import fold_table

# Digits stand in for letters wherever they appear. `l` folds into `i` as well, because `1` and `|` are
# used for both and the skeleton only needs text and terms to agree, not to stay readable.
LEET_ALWAYS = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "l": "i"}
# Symbols stand in for letters only at the start or inside a word (`$hit`, `sh!t`); at the end of a word
# they are punctuation (`stop!`).
LEET_SYMBOLS = {"@": "a", "$": "s", "!": "i", "|": "i", "€": "e", "£": "l"}

_SYMBOL_BEFORE_WORD = re.compile("[" + re.escape("".join(LEET_SYMBOLS)) + r"](?=[^\W_])")
_SEPARATORS = re.compile(r"[\W_]+")
# Three or more one-letter words in a row are a word spelt out to dodge a filter: `s h i t`.
_SPELT_OUT = re.compile(r"(?<!\S)(?:\w )(?:\w )+\w(?!\S)")


@cache
def _invisible_table() -> dict[int, None]:
    """Format characters (zero-width spaces and joiners, bidi controls, soft hyphens) and the marks that
    decorate a letter without changing it. Built once, over the planes where they live."""
    table: dict[int, None] = {}
    planes = (range(0x20000), range(0xE0000, 0xE1000))
    for plane in planes:
        for code in plane:
            if unicodedata.category(chr(code)) in ("Cf", "Mn", "Me"):
                table[code] = None
    return table


@cache
def _letter_table() -> dict[int, str]:
    """Look-alike letters (facilitation/rules/confusables.py) and leetspeak digits, in one translation."""
    mapping = {**{chr(code): latin for code, latin in fold_table().items()}, **LEET_ALWAYS}
    # After the folds above `l` is spelt `i`, so look-alikes and digits mapping to `l` follow it.
    return {ord(source): target.translate({ord("l"): "i"}) for source, target in mapping.items()}


def normalise(text: str) -> str:
    """Fold `text` to its matching skeleton: drop invisible characters, decompose (NFKD) and strip
    diacritics, case-fold, fold homoglyphs and leetspeak, turn every run of separators into one space and
    join words spelt out letter by letter. Idempotent; never raises on any `str`."""
    if text.isascii():
        return _fold_ascii(text)
    return _fold_symbols_and_separators(_fold_unicode(text))


@cache
def _ascii_table() -> bytes:
    """For plain ASCII, what `_fold_symbols_and_separators` does after the symbols, character by character:
    the letter folds (digits, `l`), then every separator (anything but a letter or digit) becomes a space."""
    table = bytearray(range(128))
    for code in range(128):
        folded = chr(code).translate(_letter_table())
        assert len(folded) == 1 and folded.isascii(), "an ASCII fold must stay one ASCII character"
        table[code] = ord(" ") if _SEPARATORS.fullmatch(folded) else ord(folded)
    return bytes(table) + bytes(128)  # never used: the text is ASCII


def _fold_ascii(text: str) -> str:
    """The skeleton of plain ASCII (most messages): no invisible characters, decompositions or marks, and case
    folding is lower case. The same skeleton as the full path (tests/rules/test_normalise.py checks) for a
    fraction of the work: one table lookup per byte, then a split to collapse the spaces."""
    text = text.lower()
    if "@" in text or "$" in text or "!" in text or "|" in text:  # the ASCII ones of LEET_SYMBOLS
        text = _SYMBOL_BEFORE_WORD.sub(lambda match: LEET_SYMBOLS[match.group()], text)
    words = text.encode("ascii").translate(_ascii_table()).split()
    skeleton = b" ".join(words).decode("ascii")
    if 1 in map(len, words):  # only a one-letter word can start a word spelt out letter by letter
        return _SPELT_OUT.sub(lambda match: match.group().replace(" ", ""), skeleton)
    return skeleton


def _fold_unicode(text: str) -> str:
    invisible = _invisible_table()
    letters = _letter_table()
    text = text.translate(invisible)
    if not text.isascii():
        # Look-alikes are folded as written first (UTS #39 compares the characters people see: `ſ` looks like
        # `f`, though NFKD makes it `s`), and again below, after case folding and decomposition made more.
        # Plain ASCII (most messages) has no look-alikes, and its leetspeak is folded below.
        text = text.translate(letters)
    # NFKD before and after case folding (the NFKC_Casefold recipe) so that folding cannot re-introduce
    # a composed character; marks are dropped after the last decomposition.
    text = unicodedata.normalize("NFKD", text).casefold()
    return unicodedata.normalize("NFKD", text).translate(invisible)


def _fold_symbols_and_separators(text: str) -> str:
    text = _SYMBOL_BEFORE_WORD.sub(lambda match: LEET_SYMBOLS[match.group()], text)
    text = text.translate(_letter_table())
    text = _SEPARATORS.sub(" ", text).strip()
    return _SPELT_OUT.sub(lambda match: match.group().replace(" ", ""), text)


def prepare_for_matching(text: str) -> str:
    """The skeleton padded with a space each side, so ` term ` matches whole words only."""
    return f" {normalise(text)} "

