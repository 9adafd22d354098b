"""The question queue (SPEC §4): states, ordering, votes and staff moves, as pure decisions over frozen data.

Order: most votes first; then quiet voices (a resident's first question in the session before anyone's
second); then the time it was asked. Every move is reversible with /reopen."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from facilitation.numbers import whole_number
from facilitation.sessions import FINAL_STATES, SessionState

MAX_QUESTION_LENGTH = 1000


class QuestionState(StrEnum):
    PENDING = "pending"  # strict mode: waiting for a facilitator's approval
    QUEUED = "queued"
    LIVE = "live"
    ANSWERED = "answered"
    PARKED = "parked"
    DISMISSED = "dismissed"
    REFERRED = "referred"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"  # taken back by its asker while it waited (never by staff, so never reopened)


OPEN_QUESTION_STATES = frozenset({QuestionState.PENDING, QuestionState.QUEUED, QuestionState.LIVE})
RESOLVED_STATES = frozenset({QuestionState.ANSWERED, QuestionState.PARKED, QuestionState.DISMISSED,
                             QuestionState.REFERRED, QuestionState.MERGED})
# What "unanswered" means at close: still waiting, or parked for later.
UNANSWERED_STATES = frozenset({QuestionState.PENDING, QuestionState.QUEUED, QuestionState.LIVE,
                               QuestionState.PARKED})


class Visibility(StrEnum):
    PUBLIC = "public"  # asked in the group, under the asker's name
    ANONYMOUS = "anonymous"  # posted by the bot without a name; staff can still see who
    PRIVATE = "private"  # only the host and facilitators ever see it


@dataclass(frozen=True, slots=True)
class QuestionView:
    id: int
    session_id: int
    number: int
    text: str
    state: QuestionState
    visibility: Visibility
    asked_at: datetime
    asker_person_id: int | None = None
    asker_platform: str | None = None
    asker_user_id: str | None = None
    asker_name: str = ""  # only kept for public questions
    community_id: int | None = None
    votes: int = 0  # own votes plus those of questions merged into it, each person counted once
    note: str = ""
    merged_into_id: int | None = None
    message_chat_id: str | None = None
    message_id: str | None = None
    carried_from_id: int | None = None
    # In a joint surgery, the name of the community it was asked in (empty otherwise), shown with it.
    community_label: str = ""
    # Its vote message in the other joined chats: (platform, chat id, message id).
    copies: tuple[tuple[str, str, str], ...] = ()


def quiet_voice_flags(questions: list[QuestionView]) -> dict[int, bool]:
    """Question id → True when it is its asker's first question in the session (any state)."""
    first: dict[int, QuestionView] = {}
    for q in sorted(questions, key=lambda q: (q.asked_at, q.number)):
        if q.asker_person_id is not None and q.asker_person_id not in first:
            first[q.asker_person_id] = q
    return {q.id: q.asker_person_id is None or first[q.asker_person_id].id == q.id for q in questions}


def order_queue(questions: list[QuestionView]) -> list[QuestionView]:
    """The queued questions in the order the host should take them."""
    first_time = quiet_voice_flags(questions)
    queued = [q for q in questions if q.state == QuestionState.QUEUED]
    return sorted(queued, key=lambda q: (-q.votes, not first_time[q.id], q.asked_at, q.number))


class AskProblem(StrEnum):
    EMPTY = "ask_empty"
    TOO_LONG = "ask_too_long"
    NO_SESSION = "ask_no_session"


def _has_visible_text(text: str) -> bool:
    # Zero-width spaces, joiners and direction marks (category Cf) are invisible: a question made only of them
    # would be posted as a blank "❓ #7 from …:" line.
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text)


def check_question_text(text: str) -> AskProblem | None:
    cleaned = text.strip()
    if not _has_visible_text(cleaned):
        return AskProblem.EMPTY
    if len(cleaned) > MAX_QUESTION_LENGTH:
        return AskProblem.TOO_LONG
    return None


def initial_state(strict: bool) -> QuestionState:
    return QuestionState.PENDING if strict else QuestionState.QUEUED


# -- votes ----------------------------------------------------------------------------------------------------

class VoteOutcome(StrEnum):
    ADDED = "vote_added"
    WITHDRAWN = "vote_withdrawn"
    OWN_QUESTION = "vote_own_question"
    SESSION_OVER = "vote_session_over"
    QUESTION_CLOSED = "vote_question_closed"


def decide_vote(question: QuestionView, session_state: SessionState, voter_person_id: int,
                already_voted: bool) -> VoteOutcome:
    """Pressing 👍 toggles: a second press withdraws the vote."""
    if session_state in FINAL_STATES:
        return VoteOutcome.SESSION_OVER
    if question.asker_person_id == voter_person_id:
        return VoteOutcome.OWN_QUESTION
    if question.state not in (QuestionState.QUEUED, QuestionState.LIVE, QuestionState.PENDING):
        return VoteOutcome.QUESTION_CLOSED
    return VoteOutcome.WITHDRAWN if already_voted else VoteOutcome.ADDED


# -- staff moves ----------------------------------------------------------------------------------------------

class Move(StrEnum):
    APPROVE = "approve"
    NEXT = "next"
    ANSWER = "answered"
    PARK = "park"
    DISMISS = "dismiss"
    REFER = "refer"
    MERGE = "merge"
    REOPEN = "reopen"


MOVE_TARGET = {
    Move.APPROVE: QuestionState.QUEUED,
    Move.NEXT: QuestionState.LIVE,
    Move.ANSWER: QuestionState.ANSWERED,
    Move.PARK: QuestionState.PARKED,
    Move.DISMISS: QuestionState.DISMISSED,
    Move.REFER: QuestionState.REFERRED,
    Move.MERGE: QuestionState.MERGED,
    Move.REOPEN: QuestionState.QUEUED,
}


class MoveProblem(StrEnum):
    NOT_PENDING = "move_not_pending"
    NOT_QUEUED = "move_not_queued"
    ALREADY_CLOSED = "move_already_closed"
    ALREADY_OPEN = "move_already_open"
    SAME_QUESTION = "move_same_question"
    TARGET_CLOSED = "move_target_closed"
    SESSION_NOT_RUNNING = "move_session_not_running"
    SESSION_OVER = "move_session_over"


def check_move(move: Move, question: QuestionView, session_state: SessionState,
               into: QuestionView | None = None) -> MoveProblem | None:
    """Whether staff may make `move` on `question` now (`into`: the question a merge keeps)."""
    if session_state in FINAL_STATES:
        return MoveProblem.SESSION_OVER
    match move:
        case Move.APPROVE:
            return None if question.state == QuestionState.PENDING else MoveProblem.NOT_PENDING
        case Move.NEXT:
            if session_state != SessionState.OPEN:
                return MoveProblem.SESSION_NOT_RUNNING
            return None if question.state == QuestionState.QUEUED else MoveProblem.NOT_QUEUED
        case Move.ANSWER | Move.PARK | Move.DISMISS | Move.REFER:
            return None if question.state in OPEN_QUESTION_STATES else MoveProblem.ALREADY_CLOSED
        case Move.MERGE:
            assert into is not None
            if into.id == question.id:
                return MoveProblem.SAME_QUESTION
            if into.state not in OPEN_QUESTION_STATES:
                return MoveProblem.TARGET_CLOSED
            return None if question.state in OPEN_QUESTION_STATES else MoveProblem.ALREADY_CLOSED
        case Move.REOPEN:
            # A live question can be put back too ("not now, later in this session").
            return None if question.state in RESOLVED_STATES | {QuestionState.LIVE} else MoveProblem.ALREADY_OPEN
    return None


class WithdrawProblem(StrEnum):
    NOT_YOURS = "withdraw_not_yours"
    NOT_WAITING = "withdraw_not_waiting"
    SESSION_OVER = "withdraw_session_over"


# A question its asker may still take back: not yet on the floor.
WITHDRAWABLE_STATES = frozenset({QuestionState.PENDING, QuestionState.QUEUED})


def check_withdraw(question: QuestionView, platform: str, user_id: str,
                   session_state: SessionState) -> WithdrawProblem | None:
    """Whether this person may take back this question now: only its own asker, only while it waits."""
    if question.asker_platform != platform or question.asker_user_id != user_id:
        return WithdrawProblem.NOT_YOURS
    if session_state in FINAL_STATES:
        return WithdrawProblem.SESSION_OVER
    return None if question.state in WITHDRAWABLE_STATES else WithdrawProblem.NOT_WAITING


def parse_one_number(args: str) -> int | None:
    """Exactly one whole number above zero, typed `3` or `#3` (ASCII digits): `/withdraw 3`, `/surgery join 3`."""
    words = args.split()
    if len(words) != 1:
        return None
    number = parse_number(words[0])
    return number if number is not None and number > 0 else None


def parse_target(args: str) -> tuple[int | None, str]:
    """`#4 off topic` → (4, "off topic"); `off topic` → (None, "off topic"). Staff may name a question by
    number; without one the command is about the live question."""
    words = args.strip().split(maxsplit=1)
    number = whole_number(words[0][1:]) if words and words[0].startswith("#") else None
    if number is not None:
        return number, words[1] if len(words) > 1 else ""
    return None, args.strip()


def parse_number(word: str) -> int | None:
    return whole_number(word.strip().lstrip("#"))
