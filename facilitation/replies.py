"""Private answers (SPEC §4): `/reply <n> <text>` relays the host's answer to the asker of a private or
anonymous question. Pure: reading the command, and which questions may be answered this way."""

from __future__ import annotations

from dataclasses import dataclass

from facilitation.queue import QuestionState, QuestionView, Visibility, parse_number

# States in which a private answer also settles the question (the group hears "#n answered privately").
SETTLED_BY_REPLY = frozenset({QuestionState.QUEUED, QuestionState.LIVE, QuestionState.PENDING,
                              QuestionState.PARKED})
MAX_REPLY_LENGTH = 3000


@dataclass(frozen=True, slots=True)
class ReplyCommand:
    number: int
    text: str


def parse_reply(args: str) -> ReplyCommand | None:
    """`3 Your bins go out on Tuesdays` or `#3 …`: a question number (ASCII digits), then the answer. None when
    either is missing or the number isn't one."""
    words = args.strip().split(maxsplit=1)
    if len(words) != 2:
        return None
    number = parse_number(words[0])
    text = words[1].strip()
    if number is None or not text:
        return None
    return ReplyCommand(number, text[:MAX_REPLY_LENGTH])


def answerable_privately(q: QuestionView) -> bool:
    """Only a question whose asker is not public, and who is still known (an erased asker can't be reached)."""
    return q.visibility != Visibility.PUBLIC and q.asker_user_id is not None and q.asker_platform is not None
