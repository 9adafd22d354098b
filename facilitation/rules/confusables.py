"""Characters that look like Latin letters, from Unicode's own confusables data (UTS #39, `confusables.txt`) as
the confusable-homoglyphs package ships it, instead of a hand-picked list: a blocklisted word with any letter
swapped for a look-alike (Cyrillic `а`, Greek `ο`, mathematical `𝐚`, Cherokee `Ꭺ`, …) still meets its term.

The package stores confusables.txt as a symmetric table (each character → the characters it is confusable with),
so the letter a character stands for is found as its class: every character linked, directly or through the
class's prototype, to an ASCII letter. The package holds the whole of confusables.txt in memory once imported
(~14 MiB for the life of the process), so the bot ships the derived table instead (facilitation/rules/lookalikes.py,
written by scripts/build_lookalikes.py; a test derives it again from the installed package and compares). It
becomes a `str.translate` table on first use, so matching cost does not grow with the size of the data."""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from functools import cache

from facilitation.rules.lookalikes import LOOKALIKES
from facilitation.rules.lookalikes import SOURCE as SOURCE

_LATIN = frozenset(string.ascii_letters)

# Lower-case letters that look like Latin ones but which UTS #39 does not list, because it compares glyphs
# case-sensitively: Cyrillic `н` is a small capital H there (`ʜ`), not `h`. People swap these in all the same.
LOWERCASE_LOOKALIKES: Mapping[str, str] = {
    "в": "b", "к": "k", "м": "m", "н": "h", "п": "n", "т": "t", "ш": "w", "ь": "b",
    "β": "b", "ε": "e", "η": "n", "κ": "k", "μ": "u", "τ": "t", "χ": "x", "ω": "w",
}


def _classes(table: Mapping[str, Iterable[Mapping[str, str]]]) -> list[set[str]]:
    """The confusable classes: connected groups of the symmetric table (union-find)."""
    parent: dict[str, str] = {}

    def root(item: str) -> str:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for source, entries in table.items():
        for entry in entries:
            a, b = root(source), root(entry["c"])
            if a != b:
                parent[a] = b
    groups: dict[str, set[str]] = {}
    for item in parent:
        groups.setdefault(root(item), set()).add(item)
    return list(groups.values())


def _latin_of(group: set[str]) -> str | None:
    """The Latin spelling a class stands for: its one letter (lower case; `I` and `l` share a class, and the
    matching skeleton folds both to `i` anyway), else its shortest all-Latin sequence (`ӕ` → `ae`), else None."""
    letters = sorted({item.lower() for item in group if len(item) == 1 and item in _LATIN})
    if letters:
        return "l" if "l" in letters else letters[0]
    spellings = sorted({item.lower() for item in group if item and all(c in _LATIN for c in item)},
                       key=lambda s: (len(s), s))
    return spellings[0] if spellings else None


def latin_lookalikes() -> Mapping[str, str]:
    """Every single non-ASCII character UTS #39 finds confusable with a Latin letter (or a short run of them),
    mapped to that letter in lower case: the shipped table."""
    return LOOKALIKES


def package_source() -> str:
    """The package whose data the table comes from, and what that was generated from (recorded in the shipped
    table for reviews and audits; the package's data was regenerated from Unicode's security/latest
    confusables.txt on 2024-01-30: Unicode 15.1). Needs the `dev` extra."""
    from importlib.metadata import version

    return f"confusable-homoglyphs {version('confusable-homoglyphs')} (Unicode confusables.txt, UTS #39, 15.1)"


def derive_from_package() -> dict[str, str]:
    """`latin_lookalikes` worked out from the installed confusable-homoglyphs (the `dev` extra): what
    scripts/build_lookalikes.py writes and the tests compare with the shipped table."""
    from confusable_homoglyphs.confusables import confusables_data

    folds: dict[str, str] = {}
    for group in _classes(confusables_data):
        latin = _latin_of(group)
        if latin is None:
            continue
        for item in group:
            if len(item) == 1 and not item.isascii():
                folds[item] = latin
    return folds


@cache
def fold_table() -> dict[int, str]:
    """`str.translate` table: the UTS #39 look-alikes, then the lower-case ones it leaves out."""
    return {ord(c): latin for c, latin in {**latin_lookalikes(), **LOWERCASE_LOOKALIKES}.items()}
