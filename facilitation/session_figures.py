"""The figures of one surgery for its report page: questions by outcome, votes per question, the timeline of
questions asked and taken, participation per community, moderation cases by rule and outcome, and the follow-ups
accepted after close. Pure: storage hands in facts (never an asker's name or platform id; askers and voters only
as opaque numbers to count), the page renders what comes out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from facilitation.queue import UNANSWERED_STATES, QuestionState, Visibility

# The outcomes a report shows, in this order; every question has exactly one, so they add up to the questions asked.
OUTCOMES = ("answered", "referred", "parked", "dismissed", "merged", "unanswered")
# Questions still waiting (or on the floor) when the session ended were not reached.
_NOT_REACHED = frozenset({QuestionState.PENDING, QuestionState.QUEUED, QuestionState.LIVE})
# Bin widths for the timeline, smallest first: the first that keeps it to at most this many bins is used.
# The closing summary's "unanswered" (facilitation/summary.py): not reached, or parked.
_SUMMARY_UNANSWERED = frozenset(state.value for state in UNANSWERED_STATES)
_BIN_MINUTES = (5, 10, 15, 30, 60, 120, 240, 720, 1440)
_MAX_BINS = 24


@dataclass(frozen=True, slots=True)
class QuestionFact:
    number: int
    state: QuestionState
    visibility: Visibility
    votes: int
    text: str  # shown only for public and anonymous questions
    community: str  # the community it was asked from ("" when unknown)
    asker: int | None  # an opaque person number, to count people; never shown
    asked_at: datetime
    taken_at: datetime | None


@dataclass(frozen=True, slots=True)
class CaseFact:
    clause: str  # the rule clause, or "manual"
    actions: str  # e.g. "warn" or "delete+mute"
    community: str
    dry_run: bool
    reversed: bool


@dataclass(frozen=True, slots=True)
class FollowUpFact:
    number: int  # the question's number in this session
    reference: str
    accepted_at: datetime
    reply_due: datetime


@dataclass(frozen=True, slots=True)
class SessionFacts:
    id: int
    topic: str
    host: str
    state: str
    mode: str
    communities: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    carried_to: int | None
    questions: tuple[QuestionFact, ...]
    voters: frozenset[int]  # opaque person numbers of everyone who voted
    cases: tuple[CaseFact, ...]
    follow_ups: tuple[FollowUpFact, ...]  # referrals made after the session closed
    summary_states: Mapping[int, str]  # question number → state in the report stored at close ({} if none)


@dataclass(frozen=True, slots=True)
class QuestionRow:
    number: int
    label: str  # the question's text, or "(private question)"
    outcome: str
    votes: int
    community: str
    reference: str | None  # a follow-up's casework reference


@dataclass(frozen=True, slots=True)
class TimelineBin:
    start: datetime | None  # None: before the session opened
    asked: int
    taken: int


@dataclass(frozen=True, slots=True)
class CommunityShare:
    community: str
    questions: int
    askers: int


@dataclass(frozen=True, slots=True)
class CaseCount:
    rule: str
    action: str
    outcome: str  # "taken", "reversed" or "dry run"
    count: int


@dataclass(frozen=True, slots=True)
class Change:
    number: int
    was: str
    now: str
    reference: str | None
    at: datetime | None


@dataclass(frozen=True, slots=True)
class SessionFigures:
    outcomes: tuple[tuple[str, int], ...]  # (outcome, questions) in OUTCOMES order
    questions: tuple[QuestionRow, ...]
    participants: int
    timeline: tuple[TimelineBin, ...]
    bin_minutes: int
    communities: tuple[CommunityShare, ...]
    cases: tuple[CaseCount, ...]
    follow_ups: tuple[FollowUpFact, ...]
    changes: tuple[Change, ...]  # what differs from the summary stored at close

    @property
    def asked(self) -> int:
        return len(self.questions)


PRIVATE_LABEL = "(private question)"


def outcome_of(state: QuestionState, followed_up: bool = False) -> str:
    """One word for where a question ended: a follow-up accepted after close makes an unreached or parked one
    referred, as the casework it became."""
    if followed_up and (state in _NOT_REACHED or state == QuestionState.PARKED):
        return QuestionState.REFERRED.value
    return "unanswered" if state in _NOT_REACHED else state.value


def question_label(visibility: Visibility, text: str) -> str:
    return PRIVATE_LABEL if visibility == Visibility.PRIVATE else text


def bin_width(span: timedelta) -> int:
    """Minutes per timeline bin: the finest that keeps the session to at most _MAX_BINS bins."""
    minutes = max(span.total_seconds() / 60, 1)
    return next((w for w in _BIN_MINUTES if minutes / w <= _MAX_BINS), _BIN_MINUTES[-1])


def timeline(questions: Sequence[QuestionFact], opened_at: datetime | None,
             ended_at: datetime | None) -> tuple[tuple[TimelineBin, ...], int]:
    """Questions asked and taken per bin from the opening to the close (or the last thing that happened); those
    asked before it opened go in one bin of their own first."""
    events = [q.asked_at for q in questions] + [q.taken_at for q in questions if q.taken_at is not None]
    start = opened_at or (min(events) if events else None)
    if start is None:
        return (), _BIN_MINUTES[0]
    end = max([start, *(e for e in events if e >= start), *([ended_at] if ended_at else [])])
    width = bin_width(end - start)
    step = timedelta(minutes=width)
    count = max(1, int((end - start) / step) + (1 if (end - start) % step else 0))
    asked = Counter(int((q.asked_at - start) / step) for q in questions if q.asked_at >= start)
    taken = Counter(int((q.taken_at - start) / step) for q in questions
                    if q.taken_at is not None and q.taken_at >= start)
    last = count - 1
    # An event exactly at the end belongs to the last bin, not one past it.
    asked[last] += asked.pop(count, 0)
    taken[last] += taken.pop(count, 0)
    bins = [TimelineBin(start + i * step, asked[i], taken[i]) for i in range(count)]
    early_asked = sum(1 for q in questions if q.asked_at < start)
    early_taken = sum(1 for q in questions if q.taken_at is not None and q.taken_at < start)
    if early_asked or early_taken:
        bins.insert(0, TimelineBin(None, early_asked, early_taken))
    return tuple(bins), width


def _communities(facts: SessionFacts) -> tuple[CommunityShare, ...]:
    names = list(dict.fromkeys([*facts.communities, *(q.community for q in facts.questions if q.community)]))
    shares = []
    for name in names:
        mine = [q for q in facts.questions if q.community == name]
        shares.append(CommunityShare(name, len(mine), len({q.asker for q in mine if q.asker is not None})))
    return tuple(shares)


def case_outcome(case: CaseFact) -> str:
    return "dry run" if case.dry_run else "reversed" if case.reversed else "taken"


def _cases(cases: Sequence[CaseFact]) -> tuple[CaseCount, ...]:
    counted = Counter((c.clause, c.actions, case_outcome(c)) for c in cases)
    return tuple(CaseCount(rule, action, outcome, n) for (rule, action, outcome), n in sorted(counted.items()))


def figures(facts: SessionFacts) -> SessionFigures:
    references = {f.number: f.reference for f in facts.follow_ups}
    rows = tuple(QuestionRow(q.number, question_label(q.visibility, q.text),
                             outcome_of(q.state, q.number in references), q.votes, q.community,
                             references.get(q.number))
                 for q in sorted(facts.questions, key=lambda q: q.number))
    tally = Counter(r.outcome for r in rows)
    people = {q.asker for q in facts.questions if q.asker is not None} | facts.voters
    bins, width = timeline(facts.questions, facts.opened_at, facts.closed_at)
    accepted = {f.number: f.accepted_at for f in facts.follow_ups}
    changes = []
    for row in rows:
        was = facts.summary_states.get(row.number)
        if was is None:
            continue
        was_outcome = outcome_of(QuestionState(was)) if was in QuestionState._value2member_map_ else was
        if was_outcome != row.outcome:
            changes.append(Change(row.number, was_outcome, row.outcome, row.reference, accepted.get(row.number)))
    return SessionFigures(
        outcomes=tuple((name, tally[name]) for name in OUTCOMES), questions=rows, participants=len(people),
        timeline=bins, bin_minutes=width, communities=_communities(facts), cases=_cases(facts.cases),
        follow_ups=tuple(sorted(facts.follow_ups, key=lambda f: f.number)), changes=tuple(changes))


def reflect_follow_ups(report: dict[str, Any], follow_ups: Sequence[FollowUpFact]) -> dict[str, Any]:
    """The report stored at close, brought up to date: a follow-up accepted after close shows as referred, with
    its reference, and the counts follow. The summary's own counts stay under `counts_at_close`."""
    if not follow_ups:
        return report
    updated = {**report, "questions": [dict(q) for q in report.get("questions", [])],
               "counts": dict(report.get("counts", {})), "counts_at_close": report.get("counts", {})}
    counts = updated["counts"]
    by_number = {q.get("number"): q for q in updated["questions"]}
    for follow_up in follow_ups:
        question = by_number.get(follow_up.number)
        if question is None or question.get("state") == QuestionState.REFERRED.value:
            continue
        was = str(question.get("state"))
        question.update(state=QuestionState.REFERRED.value, reference=follow_up.reference,
                        referred_after_close=follow_up.accepted_at.isoformat())
        counts["referred"] = counts.get("referred", 0) + 1
        if was in _SUMMARY_UNANSWERED:
            counts["unanswered"] = max(counts.get("unanswered", 0) - 1, 0)
        if was == QuestionState.PARKED.value:
            counts["parked"] = max(counts.get("parked", 0) - 1, 0)
    updated["follow_ups_after_close"] = [
        {"question": f.number, "reference": f.reference, "accepted_at": f.accepted_at.isoformat(),
         "reply_due": f.reply_due.isoformat()} for f in follow_ups]
    return updated
