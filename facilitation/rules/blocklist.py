"""Blocklist matching: community terms on an Aho–Corasick automaton over normalised text, so the cost
follows the message length, not the number of terms; admin-written patterns on RE2 (linear time)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick
import re2

from facilitation.problems import InputProblem
from facilitation.rules.normalise import normalise

# RE2 refuses nested repeats past 1000 and bounds its own memory; these keep one admin's typo from costing
# every message: a pattern must be short, and so must the text a pattern is run over.
MAX_PATTERN_LENGTH = 300
MAX_PATTERNS = 50
DEFAULT_INPUT_CAP = 4096
_PATTERN_MEMORY = 8 << 20


@dataclass(frozen=True, slots=True)
class TermMatch:
    """Which term matched (as the admin wrote it). Staff-only evidence: never posted in the group."""

    term: str


class TermMatcher:
    """An automaton built once per term set. Terms are normalised like messages and padded with spaces so
    only whole words and phrases match; a term ending in `*` matches any word that starts with it."""

    __slots__ = ("_automaton", "size")

    def __init__(self, terms: Iterable[str]) -> None:
        self._automaton: ahocorasick.Automaton | None = None
        automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        for term in terms:
            key = _term_key(term)
            if key:
                automaton.add_word(key, term)
        self.size = len(automaton)
        if self.size:
            automaton.make_automaton()
            self._automaton = automaton

    def first_match(self, prepared: str) -> TermMatch | None:
        """The first term found in `prepared` (the output of `normalise.prepare_for_matching`)."""
        if self._automaton is None:
            return None
        for _end, term in self._automaton.iter(prepared):
            return TermMatch(term)
        return None


def _term_key(term: str) -> str:
    prefix = term.strip().endswith("*")
    skeleton = normalise(term.strip().rstrip("*"))
    if not skeleton:
        return ""
    return f" {skeleton}" if prefix else f" {skeleton} "


@lru_cache(maxsize=64)
def term_matcher(terms: frozenset[str]) -> TermMatcher:
    """The automaton for a term set, built on first use and kept while the set is in use."""
    return TermMatcher(terms)


def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # a bad admin pattern is reported to the admin, not to stderr
    options.max_mem = _PATTERN_MEMORY
    return options


def compile_pattern(pattern: str) -> re2._Regexp:
    """Compile one admin-written pattern (case-insensitive) on RE2, or raise `InputProblem` (`pattern_*`)."""
    if not pattern.strip():
        raise InputProblem("pattern_empty")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise InputProblem("pattern_too_long", most=MAX_PATTERN_LENGTH)
    try:
        return re2.compile(f"(?i:{pattern})", _options())
    except re2.error as error:
        raise InputProblem("pattern_invalid", problem=_re2_problem(error)) from None


def _re2_problem(error: re2.error) -> str:
    """RE2 says `missing ): (a+`; people need the part before the echo of their own pattern."""
    detail = error.args[0] if error.args else ""
    text = detail.decode(errors="replace") if isinstance(detail, bytes) else str(detail)
    return text.split(": ", 1)[0] or "not a valid pattern"


@dataclass(frozen=True, slots=True)
class PatternMatch:
    index: int  # position in the policy's pattern list, 1-based for people


class PatternMatcher:
    """All of a policy's patterns in one RE2 set: one linear pass over the (capped) text finds any of them."""

    __slots__ = ("_set", "input_cap", "size")

    def __init__(self, patterns: tuple[str, ...], input_cap: int = DEFAULT_INPUT_CAP) -> None:
        self.input_cap = input_cap
        self.size = len(patterns)
        self._set: re2.Set | None = None
        if patterns:
            regex_set = re2.Set.SearchSet(_options())
            for pattern in patterns:
                compile_pattern(pattern)  # the same checks and message as at `/surgery policy set`
                regex_set.Add(f"(?i:{pattern})")
            regex_set.Compile()
            self._set = regex_set

    def first_match(self, text: str) -> PatternMatch | None:
        if self._set is None:
            return None
        found = self._set.Match(text[: self.input_cap])
        return PatternMatch(min(found) + 1) if found else None


@lru_cache(maxsize=64)
def pattern_matcher(patterns: tuple[str, ...], input_cap: int = DEFAULT_INPUT_CAP) -> PatternMatcher:
    return PatternMatcher(patterns, input_cap)
