"""Opt-in listening (SPEC §6): which of the council's themes a message touches. Only the theme names leave
this module: the caller counts them per community and day and never keeps the text or its author."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from facilitation.rules.normalise import normalise, prepare_for_matching


@dataclass(frozen=True, slots=True)
class Themes:
    """Theme → keywords, folded once to the same skeleton as the text they are matched against."""

    keywords: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def from_settings(cls, themes: Mapping[str, Sequence[str]]) -> Themes:
        folded = []
        for theme, words in themes.items():
            skeletons = tuple(sorted({f" {s} " for s in (normalise(w) for w in words) if s}))
            if skeletons:
                folded.append((theme.strip().lower(), skeletons))
        return cls(tuple(sorted(folded)))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.keywords)

    def found_in(self, text: str) -> frozenset[str]:
        """The themes whose keywords appear in `text` as whole words (each theme at most once)."""
        skeleton = prepare_for_matching(text)
        return frozenset(name for name, words in self.keywords if any(w in skeleton for w in words))


def local_day(at: datetime, zone: ZoneInfo) -> str:
    """The council's calendar day of `at`, as the counts table keys it (YYYY-MM-DD)."""
    return at.astimezone(zone).date().isoformat()
