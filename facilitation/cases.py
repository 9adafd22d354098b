"""Moderation cases as the product knows them (SPEC §5): what a case did, which earlier cases count towards
the escalation ladder, and what undoing one means. Pure: storage hands these views in and out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from facilitation.numbers import whole_number
from facilitation.rules.escalation import EscalationStep, PriorOffence, StepKind

MANUAL = "manual"  # the clause of a case a facilitator made by command
# Case numbers are stored as 64-bit integers; a longer number typed by someone cannot name a case and must not
# reach the database (SQLite and PostgreSQL both refuse it with an overflow error).
_MAX_CASE_DIGITS = 9


def parse_case_number(word: str) -> int | None:
    """`4` or `#4` → 4; anything else (words, negatives, absurdly long numbers) → None."""
    return whole_number(word.strip().removeprefix("#"), max_digits=_MAX_CASE_DIGITS)


class CaseAction(StrEnum):
    WARN = "warn"
    MUTE = "mute"
    UNMUTE = "unmute"
    SESSION_REMOVAL = "session_removal"  # the ladder's last step: muted until the session closes
    DELETE = "delete"
    KICK = "kick"
    BAN = "ban"
    UNBAN = "unban"
    SLOWMODE = "slowmode"
    LOCK = "lock"
    UNLOCK = "unlock"
    ALERT = "alert"  # a private alert to facilitators only (safeguarding)


# What counts as an offence on a person's record for the ladder.
OFFENCES = frozenset({CaseAction.WARN, CaseAction.MUTE, CaseAction.SESSION_REMOVAL})


def join_actions(actions: Sequence[CaseAction]) -> str:
    return "+".join(dict.fromkeys(action.value for action in actions))


def split_actions(text: str) -> tuple[CaseAction, ...]:
    return tuple(CaseAction(part) for part in text.split("+") if part in CaseAction._value2member_map_)


@dataclass(frozen=True, slots=True)
class CaseView:
    id: int
    community_id: int
    number: int
    actions: tuple[CaseAction, ...]
    clause: str
    actor: str  # a platform user id, or "bot" for automatic rules
    target_user_id: str | None
    reason: str
    evidence: str  # staff only
    dry_run: bool
    created_at: datetime
    expires_at: datetime | None
    reversed_at: datetime | None
    reversed_by: str | None
    chat_id: str | None
    lifts_at_close: bool

    @property
    def automatic(self) -> bool:
        return self.clause != MANUAL

    @property
    def undone(self) -> bool:
        return self.reversed_at is not None


def prior_offences(cases: Sequence[CaseView]) -> list[PriorOffence]:
    """A person's cases that count towards the ladder: real (not dry-run) warnings, mutes and removals."""
    return [PriorOffence(at=case.created_at, undone=case.undone) for case in cases
            if not case.dry_run and OFFENCES.intersection(case.actions)]


def step_action(step: EscalationStep) -> CaseAction:
    return {StepKind.WARN: CaseAction.WARN, StepKind.MUTE: CaseAction.MUTE,
            StepKind.REMOVE: CaseAction.SESSION_REMOVAL}[step.kind]


class UndoRefusal(StrEnum):
    ALREADY_UNDONE = "already_undone"
    DRY_RUN = "dry_run"  # nothing was done, so nothing to reverse
    NOTHING_TO_REVERSE = "nothing_to_reverse"  # an unmute, an unban: undo the original case instead


def reversal(case: CaseView) -> tuple[CaseAction, ...] | UndoRefusal:
    """The platform steps that reverse `case` (possibly none: a deleted message can't come back, yet the
    case stops counting towards the ladder), or why it can't be undone."""
    if case.undone:
        return UndoRefusal.ALREADY_UNDONE
    if case.dry_run:
        return UndoRefusal.DRY_RUN
    if set(case.actions) <= {CaseAction.UNMUTE, CaseAction.UNBAN, CaseAction.UNLOCK}:
        return UndoRefusal.NOTHING_TO_REVERSE
    steps: list[CaseAction] = []
    if {CaseAction.MUTE, CaseAction.SESSION_REMOVAL} & set(case.actions):
        steps.append(CaseAction.UNMUTE)
    if CaseAction.BAN in case.actions:
        steps.append(CaseAction.UNBAN)
    if CaseAction.LOCK in case.actions:
        steps.append(CaseAction.UNLOCK)
    if CaseAction.SLOWMODE in case.actions:
        steps.append(CaseAction.SLOWMODE)  # i.e. slow mode off
    return tuple(steps)
