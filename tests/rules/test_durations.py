"""Durations as facilitators type them (`/mute 10m`, ladder steps): property tests on the parser."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from config.messages import Messages
from facilitation.durations import format_duration, parse_duration
from facilitation.problems import InputProblem
from tests.rules.refusals import refused

UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


@settings(max_examples=300)
@given(st.integers(min_value=1, max_value=400 * 86400))
def test_format_then_parse_round_trips(seconds: int) -> None:
    value = timedelta(seconds=seconds)
    assert parse_duration(format_duration(value)) == value


@settings(max_examples=300)
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=999_999), st.sampled_from("smhdwSMHDW")),
                min_size=1, max_size=10))
def test_parts_add_up(parts: list[tuple[int, str]]) -> None:
    total = sum(number * UNIT_SECONDS[unit.lower()] for number, unit in parts)
    assume(total > 0)
    text = "".join(f"{number}{unit}" for number, unit in parts)
    assert parse_duration(text) == timedelta(seconds=total)


@settings(max_examples=500)
@given(st.text(max_size=60))
def test_never_raises_anything_but_an_input_problem(text: str) -> None:
    try:
        value = parse_duration(text, minimum=timedelta(seconds=31), maximum=timedelta(days=366))
    except InputProblem as problem:
        assert Messages().problem(problem)  # always a sentence to show
    else:
        assert timedelta(seconds=31) <= value <= timedelta(days=366)


@pytest.mark.parametrize("text", ["0", "0m", "0s0m", "-5m", "10x", "", "   ", "m", "5", "1.5h", "ten minutes",
                                  "5m-", "1h 30"])
def test_rejects_malformed_or_empty(text: str) -> None:
    with refused():
        parse_duration(text)


def test_enforces_the_maximum() -> None:
    with refused("too long"):
        parse_duration("400d", maximum=timedelta(days=366))
    assert parse_duration("366d", maximum=timedelta(days=366)) == timedelta(days=366)


def test_enforces_the_minimum() -> None:
    with refused("too short"):
        parse_duration("20s", minimum=timedelta(seconds=31))


@pytest.mark.parametrize(("text", "expected"), [("90s", timedelta(seconds=90)), ("10m", timedelta(minutes=10)),
                                                ("2h", timedelta(hours=2)), ("1d", timedelta(days=1)),
                                                ("1h30m", timedelta(minutes=90)), ("2W", timedelta(weeks=2))])
def test_accepts_the_documented_forms(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


def test_an_absurdly_long_duration_is_an_input_problem() -> None:
    with refused("too long"):
        parse_duration("999999w" * 200, maximum=timedelta(days=366))
