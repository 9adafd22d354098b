"""What the retention periods (SPEC §6) make due for deletion, as cut-off instants: anything older than its
category's cut-off goes. Pure: the storage layer turns the cut-offs into deletes, the timer into a daily run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class Category(StrEnum):
    """What a purge removes, in the order it reports them."""

    SESSIONS = "sessions"  # finished sessions, with their report
    QUESTIONS = "questions"  # the questions of those sessions (and of left communities)
    VOTES = "votes"
    CASEWORK = "casework_references"  # casework references made from session questions
    DRAFTS = "ask_drafts"  # unfinished private /ask drafts past their expiry
    CASES = "moderation_cases"
    AUDIT = "audit_rows"
    LEFT_COMMUNITIES = "left_communities"  # groups that removed the bot: everything but the do-not-rejoin mark
    PEOPLE = "people"  # people nothing refers to any more
    PROCESSED_UPDATES = "processed_updates"
    TIMERS = "finished_timers"
    BAN_REQUESTS = "ban_requests"  # two-person-rule requests, decided or expired
    HELD_NOTES = "held_private_notes"  # private notes never collected with /start, as old as finished sessions


@dataclass(frozen=True, slots=True)
class Periods:
    session_days: int = 180
    case_days: int = 365
    audit_days: int = 730
    left_community_days: int = 30
    processed_update_days: int = 3


@dataclass(frozen=True, slots=True)
class Cutoffs:
    """Each field is the instant before which rows of that kind are due (compared with their own timestamp:
    a session's end, a case's creation, an audit row's time, a community's departure …)."""

    now: datetime
    sessions: datetime
    cases: datetime
    audit: datetime
    left_communities: datetime
    processed_updates: datetime

    def as_dict(self) -> dict[str, str]:
        return {"sessions_ended_before": self.sessions.isoformat(), "cases_before": self.cases.isoformat(),
                "audit_before": self.audit.isoformat(), "communities_left_before": self.left_communities.isoformat(),
                "updates_before": self.processed_updates.isoformat()}


def cutoffs(now: datetime, periods: Periods) -> Cutoffs:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return Cutoffs(now=now, sessions=now - timedelta(days=periods.session_days),
                   cases=now - timedelta(days=periods.case_days), audit=now - timedelta(days=periods.audit_days),
                   left_communities=now - timedelta(days=periods.left_community_days),
                   processed_updates=now - timedelta(days=periods.processed_update_days))


def session_due(*, finished: bool, ended_at: datetime, cut: Cutoffs) -> bool:
    """A session's content goes `session_days` after it ended; a session still running or to come never does."""
    return finished and ended_at < cut.sessions


def community_due(*, left: bool, left_at: datetime | None, cut: Cutoffs) -> bool:
    return left and left_at is not None and left_at < cut.left_communities


def next_run(now: datetime, zone: ZoneInfo, hour: int) -> datetime:
    """The next `hour`:00 in the council's timezone strictly after `now` (a quiet hour, once a day)."""
    local = now.astimezone(zone)
    candidate = datetime.combine(local.date(), time(hour), tzinfo=zone)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), time(hour), tzinfo=zone)
    return candidate.astimezone(now.tzinfo)
