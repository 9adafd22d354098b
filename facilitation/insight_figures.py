"""The council-wide picture (`surgerybot insight`): surgeries held per month and per community, people taking
part, questions asked / answered / referred, the median wait from asking to being taken, casework replied on time,
moderation cases per rule with appeals upheld, communities joined and left, and listening themes per week.

Pure: storage hands in figures it already aggregated in SQL (InsightFacts), this module buckets them by the
council's months and weeks and fills the gaps, so a chart shows a quiet month as a zero, not as nothing."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any


@dataclass(frozen=True, slots=True)
class RuleCases:
    rule: str  # the rule clause, or "manual"
    cases: int
    dry_run: int  # logged only: the rule was in dry-run
    reversed: int
    appeals_upheld: int  # undone by someone other than who took the action (appeals go to another facilitator)


@dataclass(frozen=True, slots=True)
class CaseworkOnTime:
    due: int  # referrals whose reply date fell in the period
    replied_on_time: int


@dataclass(frozen=True, slots=True)
class CommunityChange:
    at: datetime
    change: str  # "joined" or "left"
    community: str


@dataclass(frozen=True, slots=True)
class InsightFacts:
    """What storage aggregated for the period (and community, when one was chosen)."""
    held_at: tuple[datetime, ...]  # when each surgery held in the period opened
    per_community: tuple[tuple[str, int], ...]  # community → surgeries held
    participants: int
    asked: int
    answered: int
    referred: int
    median_wait_seconds: float | None
    casework: CaseworkOnTime | None  # None until casework status is recorded
    cases: tuple[RuleCases, ...]
    appeals: int | None  # appeals made (not recorded per community: None when one was chosen)
    community_changes: tuple[CommunityChange, ...]
    listening: tuple[tuple[str, str, int], ...]  # (council day YYYY-MM-DD, theme, count)
    listening_communities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Insight:
    first_day: date | None
    last_day: date | None
    community: str | None
    surgeries: int
    surgeries_per_month: tuple[tuple[str, int], ...]  # ("2026-11", n)
    surgeries_per_community: tuple[tuple[str, int], ...]
    participants: int
    asked: int
    answered: int
    referred: int
    median_wait_minutes: float | None
    casework: CaseworkOnTime | None
    cases: tuple[RuleCases, ...]
    appeals: int | None
    joined_left_per_month: tuple[tuple[str, int, int], ...]  # (month, joined, left)
    community_changes: tuple[CommunityChange, ...]
    themes: tuple[str, ...]
    themes_per_week: tuple[tuple[str, tuple[int, ...]], ...]  # ("2026-W49", counts in `themes` order)
    listening_communities: tuple[str, ...]


def month_key(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def week_key(value: date) -> str:
    year, week, _ = value.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _months(first: date, last: date) -> Iterator[str]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield f"{year:04d}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _weeks(first: date, last: date) -> Iterator[str]:
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        yield week_key(monday)
        monday += timedelta(days=7)


def _span(days: Sequence[date], first: date | None, last: date | None) -> tuple[date, date] | None:
    start = first or (min(days) if days else None)
    end = last or (max(days) if days else None)
    if start is None or end is None or start > end:
        return None
    return start, end


def per_month(days: Sequence[date], first: date | None, last: date | None) -> tuple[tuple[str, int], ...]:
    """Count per council month, every month of the period present (a quiet one as 0)."""
    span = _span(days, first, last)
    if span is None:
        return ()
    counted = Counter(month_key(d) for d in days)
    return tuple((month, counted[month]) for month in _months(*span))


def themes_per_week(rows: Sequence[tuple[str, str, int]], first: date | None,
                    last: date | None) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[int, ...]], ...]]:
    days = [date.fromisoformat(day) for day, _, _ in rows]
    span = _span(days, first, last)
    themes = tuple(sorted({theme for _, theme, _ in rows}))
    if span is None or not themes:
        return themes, ()
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for day, theme, count in rows:
        totals[week_key(date.fromisoformat(day))][theme] += count
    return themes, tuple((week, tuple(totals[week][t] for t in themes)) for week in _weeks(*span))


def insight(facts: InsightFacts, zone: tzinfo, *, first_day: date | None = None, last_day: date | None = None,
            community: str | None = None) -> Insight:
    held_days = [at.astimezone(zone).date() for at in facts.held_at]
    change_days = [c.at.astimezone(zone).date() for c in facts.community_changes]
    joined = per_month([d for d, c in zip(change_days, facts.community_changes, strict=True) if c.change == "joined"],
                       first_day or (min(change_days) if change_days else None),
                       last_day or (max(change_days) if change_days else None))
    left = dict(per_month([d for d, c in zip(change_days, facts.community_changes, strict=True)
                           if c.change == "left"],
                          first_day or (min(change_days) if change_days else None),
                          last_day or (max(change_days) if change_days else None)))
    themes, weekly = themes_per_week(facts.listening, first_day, last_day)
    return Insight(
        first_day=first_day, last_day=last_day, community=community, surgeries=len(facts.held_at),
        surgeries_per_month=per_month(held_days, first_day, last_day),
        surgeries_per_community=tuple(sorted(facts.per_community, key=lambda p: (-p[1], p[0]))),
        participants=facts.participants, asked=facts.asked, answered=facts.answered, referred=facts.referred,
        median_wait_minutes=(round(facts.median_wait_seconds / 60, 1) if facts.median_wait_seconds is not None
                             else None),
        casework=facts.casework, cases=facts.cases, appeals=facts.appeals,
        joined_left_per_month=tuple((month, n, left.get(month, 0)) for month, n in joined),
        community_changes=facts.community_changes, themes=themes, themes_per_week=weekly,
        listening_communities=facts.listening_communities)


def as_json(found: Insight, when: Callable[[datetime], str] = datetime.isoformat) -> dict[str, Any]:
    """For other tools: plain numbers and strings; `when` writes a time (the CLI: ISO 8601 in the council's zone)."""
    return {
        "period": {"from": found.first_day.isoformat() if found.first_day else None,
                   "to": found.last_day.isoformat() if found.last_day else None, "community": found.community},
        "surgeries_held": found.surgeries,
        "surgeries_per_month": dict(found.surgeries_per_month),
        "surgeries_per_community": dict(found.surgeries_per_community),
        "people_taking_part": found.participants,
        "questions": {"asked": found.asked, "answered": found.answered, "referred": found.referred},
        "median_minutes_from_asking_to_taken": found.median_wait_minutes,
        "casework_replied_on_time": (
            {"due": found.casework.due, "replied_on_time": found.casework.replied_on_time}
            if found.casework is not None else None),
        "moderation_cases_per_rule": {
            r.rule: {"cases": r.cases, "dry_run": r.dry_run, "reversed": r.reversed,
                     "appeals_upheld": r.appeals_upheld} for r in found.cases},
        "appeals_made": found.appeals,
        "communities_joined_and_left_per_month": {m: {"joined": j, "left": lft}
                                                  for m, j, lft in found.joined_left_per_month},
        "community_changes": [{"at": when(c.at), "change": c.change, "community": c.community}
                              for c in found.community_changes],
        "listening_themes_per_week": {week: dict(zip(found.themes, counts, strict=True))
                                      for week, counts in found.themes_per_week},
        "listening_communities": list(found.listening_communities),
    }
