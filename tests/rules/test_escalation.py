"""The escalation ladder: warn → mute 10 min → mute 24 h → removal; warnings expire; never a ban."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from facilitation.rules.escalation import (
    DEFAULT_LADDER,
    EscalationStep,
    PriorOffence,
    StepKind,
    counting_offences,
    next_step,
    parse_ladder,
    parse_step,
)
from tests.rules.refusals import refused

NOW = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)
EXPIRY = timedelta(days=30)


def offences(*days_ago: float, undone: bool = False) -> list[PriorOffence]:
    return [PriorOffence(at=NOW - timedelta(days=d), undone=undone) for d in days_ago]


@pytest.mark.parametrize(("prior", "expected"), [
    ([], EscalationStep(StepKind.WARN)),
    (offences(1), EscalationStep(StepKind.MUTE, timedelta(minutes=10))),
    (offences(1, 2), EscalationStep(StepKind.MUTE, timedelta(hours=24))),
    (offences(1, 2, 3), EscalationStep(StepKind.REMOVE)),
    (offences(1, 2, 3, 4, 5, 6), EscalationStep(StepKind.REMOVE)),  # stays on the last rung
])
def test_default_ladder(prior: list[PriorOffence], expected: EscalationStep) -> None:
    assert next_step(prior, DEFAULT_LADDER, NOW, EXPIRY) == expected


def test_expired_warnings_do_not_count() -> None:
    assert next_step(offences(31, 45), DEFAULT_LADDER, NOW, EXPIRY).kind == StepKind.WARN
    assert next_step(offences(29, 45), DEFAULT_LADDER, NOW, EXPIRY) == DEFAULT_LADDER[1]


def test_undone_cases_do_not_count() -> None:
    prior = offences(1, 2, undone=True) + offences(3)
    assert counting_offences(prior, NOW, EXPIRY) == 1


def test_no_step_of_the_default_ladder_is_a_ban() -> None:
    assert {step.kind for step in DEFAULT_LADDER} <= {StepKind.WARN, StepKind.MUTE, StepKind.REMOVE}
    assert "ban" not in {kind.value for kind in StepKind}


@pytest.mark.parametrize(("text", "step"), [
    ("warn", EscalationStep(StepKind.WARN)),
    ("Mute 90m", EscalationStep(StepKind.MUTE, timedelta(minutes=90))),
    ("remove", EscalationStep(StepKind.REMOVE)),
])
def test_parse_step(text: str, step: EscalationStep) -> None:
    assert parse_step(text) == step


@pytest.mark.parametrize(("text", "fragment"), [
    ("ban", "can't include a ban"),
    ("ban 1d", "can't include a ban"),
    ("kick", "can't include a ban"),
    ("mute", "isn't an escalation step"),
    ("mute 10x", "isn't a duration"),
    ("mute 30s", "too short"),
    ("mute 29d", "too long"),
    ("mute 0", "isn't a duration"),
    ("shout", "isn't an escalation step"),
    ("", "can't be empty"),
])
def test_parse_step_refuses(text: str, fragment: str) -> None:
    with refused(fragment):
        parse_step(text)


def test_ladder_round_trips_through_its_text() -> None:
    assert parse_ladder([str(step) for step in DEFAULT_LADDER]) == DEFAULT_LADDER
    assert [str(step) for step in DEFAULT_LADDER] == ["warn", "mute 10m", "mute 1d", "remove"]


def test_ladder_limits() -> None:
    with refused("at least one step"):
        parse_ladder([])
    with refused("at most 10 steps"):
        parse_ladder(["warn"] * 11)


def test_next_step_needs_a_ladder() -> None:
    with pytest.raises(ValueError):
        next_step([], (), NOW, EXPIRY)
