"""The escalation ladder: which step (warn, mute for a while, removal from the session — never a ban) applies
to a person's next offence, given their earlier offences that have neither expired nor been undone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from facilitation.durations import format_duration, parse_duration
from facilitation.problems import InputProblem

# Telegram refuses restrictions under 31 s and Discord timeouts over 28 days, so a ladder step must fit both.
MIN_MUTE = timedelta(minutes=1)
MAX_MUTE = timedelta(days=28)
MAX_STEPS = 10


class StepKind(StrEnum):
    WARN = "warn"
    MUTE = "mute"
    REMOVE = "remove"  # removed from the session: the wiring mutes until the session closes


@dataclass(frozen=True, slots=True)
class EscalationStep:
    kind: StepKind
    duration: timedelta | None = None  # for MUTE only

    def __str__(self) -> str:
        return f"mute {format_duration(self.duration)}" if self.duration else self.kind.value


DEFAULT_LADDER = (
    EscalationStep(StepKind.WARN),
    EscalationStep(StepKind.MUTE, timedelta(minutes=10)),
    EscalationStep(StepKind.MUTE, timedelta(hours=24)),
    EscalationStep(StepKind.REMOVE),
)


def parse_step(text: str) -> EscalationStep:
    """`warn`, `mute 10m` or `remove`; anything else (notably `ban` or `kick`) raises `InputProblem`."""
    words = text.split()
    if not words:
        raise InputProblem("ladder_step_empty")
    kind = words[0].lower()
    if kind in ("ban", "kick"):
        raise InputProblem("ladder_no_ban")
    if kind == StepKind.MUTE and len(words) == 2:
        return EscalationStep(StepKind.MUTE, parse_duration(words[1], minimum=MIN_MUTE, maximum=MAX_MUTE))
    if kind in (StepKind.WARN, StepKind.REMOVE) and len(words) == 1:
        return EscalationStep(StepKind(kind))
    raise InputProblem("ladder_step_unknown", step=text.strip()[:30])


def parse_ladder(steps: Sequence[str]) -> tuple[EscalationStep, ...]:
    if not steps:
        raise InputProblem("ladder_empty")
    if len(steps) > MAX_STEPS:
        raise InputProblem("ladder_too_long", most=MAX_STEPS)
    return tuple(parse_step(step) for step in steps)


@dataclass(frozen=True, slots=True)
class PriorOffence:
    """One earlier case against the person that counts towards the ladder (automatic or a manual /warn)."""

    at: datetime
    undone: bool = False


def counting_offences(prior: Sequence[PriorOffence], now: datetime, expiry: timedelta) -> int:
    return sum(1 for offence in prior if not offence.undone and now - offence.at < expiry)


def next_step(prior: Sequence[PriorOffence], ladder: Sequence[EscalationStep], now: datetime,
              expiry: timedelta) -> EscalationStep:
    """The step for the next offence: the first for a clean record, then one rung per live offence, staying
    on the last rung once it is reached."""
    if not ladder:
        raise ValueError("an escalation ladder needs at least one step")
    return ladder[min(counting_offences(prior, now, expiry), len(ladder) - 1)]
