"""A catalogue entry whose wording depends on a number: English gives the singular and the plural, each
language's `.po` file gives as many forms as its grammar has (Welsh six), chosen by gettext's plural rule."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Plural:
    one: str
    other: str
    count: str = "n"  # the field whose value picks the form
