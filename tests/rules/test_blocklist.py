"""Blocklist terms on Aho–Corasick and admin patterns on RE2."""

from __future__ import annotations

import random
import string

import pytest

from facilitation.rules.blocklist import (
    MAX_PATTERN_LENGTH,
    PatternMatcher,
    TermMatcher,
    compile_pattern,
    pattern_matcher,
    term_matcher,
)
from facilitation.rules.normalise import prepare_for_matching
from tests.rules.refusals import refused


def first(matcher: TermMatcher, text: str) -> str | None:
    match = matcher.first_match(prepare_for_matching(text))
    return match.term if match else None


@pytest.fixture
def matcher() -> TermMatcher:
    return TermMatcher(["idiot", "shut up", "scum*", "Crétin"])


@pytest.mark.parametrize("text", ["you IDIOT", "1d10t!", "ιdιοt", "id\u200biot", "i d i o t", "shut   up",
                                  "SHUT-UP", "scumbag", "what a crétin", "CRETIN"])
def test_matches_through_the_tricks(matcher: TermMatcher, text: str) -> None:
    assert first(matcher, text) is not None


@pytest.mark.parametrize("text", ["idiotic plan", "shutup", "the scupper", "hello there", "", "shut the door up"])
def test_matches_whole_words_only(matcher: TermMatcher, text: str) -> None:
    assert first(matcher, text) is None


def test_reports_the_term_as_the_admin_wrote_it(matcher: TermMatcher) -> None:
    assert first(matcher, "cretin") == "Crétin"
    assert first(matcher, "scumbags") == "scum*"


def test_empty_term_set_matches_nothing() -> None:
    assert TermMatcher([]).first_match(" anything ") is None
    assert TermMatcher(["!!!", "   "]).size == 0


def test_automaton_is_built_once_per_term_set() -> None:
    terms = frozenset({"alpha", "beta"})
    assert term_matcher(terms) is term_matcher(frozenset({"beta", "alpha"}))
    assert term_matcher(terms) is not term_matcher(frozenset({"alpha"}))


def test_ten_thousand_terms() -> None:
    rng = random.Random(7)
    terms = {"".join(rng.choices(string.ascii_lowercase, k=rng.randint(6, 12))) for _ in range(10_000)}
    matcher = TermMatcher(terms | {"needleword"})
    assert matcher.size == len(terms) + 1
    assert first(matcher, "a long message with the NEEDLEW0RD inside " * 50) == "needleword"
    assert first(matcher, "an ordinary message about bins and parking " * 90) is None


def test_pattern_is_case_insensitive_and_searches_anywhere() -> None:
    patterns = PatternMatcher((r"free\s+crypto", r"\bwin\b.*\bprize\b"))
    assert patterns.first_match("Get FREE   crypto now").index == 1
    assert patterns.first_match("you win a prize").index == 2
    assert patterns.first_match("nothing to see") is None


def test_pathological_pattern_runs_in_linear_time() -> None:
    patterns = pattern_matcher(("(a+)+$",))
    # Backtracking engines take exponential time on this; RE2 answers at once.
    assert patterns.first_match("a" * 3000 + "!") is None
    assert patterns.first_match("a" * 30 + "!" + "a" * 5) is not None


def test_patterns_only_see_the_capped_input() -> None:
    patterns = PatternMatcher(("secret",), input_cap=256)
    assert patterns.first_match("x" * 251 + "secret") is None
    assert patterns.first_match("x" * 200 + "secret") is not None


@pytest.mark.parametrize(("pattern", "fragment"), [
    ("(a+", "missing )"),
    ("(?<=x)y", "look-arounds"),
    (r"(\w)\1", "back-references"),
    ("a{2000}", "invalid repetition size"),
    ("   ", "can't be empty"),
    ("a" * (MAX_PATTERN_LENGTH + 1), "too long"),
])
def test_invalid_patterns_are_refused_with_a_sentence(pattern: str, fragment: str) -> None:
    with refused(fragment):
        compile_pattern(pattern)


def test_matcher_refuses_an_invalid_pattern() -> None:
    with refused("missing )"):
        PatternMatcher(("ok", "(bad"))
