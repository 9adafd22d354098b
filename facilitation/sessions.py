"""The surgery session state machine (SPEC §4): scheduled → open ⇄ paused → closed, or cancelled.

Pure: `(session, command, now) -> Transition | Refusal`. The handler stores the new state, (re)arms or cancels
the session's durable timers, and announces `Transition.announce` (a message key) to the session's groups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from facilitation.roles import Standing


class SessionState(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"
    CANCELLED = "cancelled"


LIVE_STATES = frozenset({SessionState.OPEN, SessionState.PAUSED})
# A session takes questions from the moment it is scheduled until it closes.
ACCEPTING_STATES = frozenset({SessionState.SCHEDULED, SessionState.OPEN, SessionState.PAUSED})
FINAL_STATES = frozenset({SessionState.CLOSED, SessionState.CANCELLED})


class ModerationMode(StrEnum):
    PERMISSIVE = "permissive"  # questions go straight to the queue
    STRICT = "strict"  # a facilitator approves each question first


class SessionCommand(StrEnum):
    OPEN = "open"
    AUTO_OPEN = "auto_open"  # the start-time timer
    PAUSE = "pause"
    RESUME = "resume"
    EXTEND = "extend"
    CANCEL = "cancel"
    CLOSE = "close"
    AUTO_CLOSE = "auto_close"  # the end-time timer


class SessionRefusal(StrEnum):
    ALREADY_OPEN = "already_open"
    NOT_OPEN = "not_open"
    NOT_PAUSED = "not_paused"
    IS_PAUSED = "is_paused"
    ALREADY_OVER = "already_over"
    ANOTHER_OPEN = "another_open"
    RUNNING_USE_CLOSE = "running_use_close"
    NOT_STARTED_USE_CANCEL = "not_started_use_cancel"
    TOO_LONG = "too_long"
    OVERLAP = "overlap"
    NOTHING_TO_DO = "nothing_to_do"  # a timer that came due after a person already acted


@dataclass(frozen=True, slots=True)
class SessionView:
    id: int
    councillor_id: int | None  # None: hosted by a council officer (a facilitator), which an election period allows
    host_name: str  # the councillor's name, or the officer's display name ("" once they asked to be forgotten)
    topic: str
    state: SessionState
    mode: ModerationMode
    starts_at: datetime
    ends_at: datetime
    community_ids: tuple[int, ...] = ()
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    live_question_id: int | None = None
    floor_user_id: str | None = None
    floor_until: datetime | None = None
    # The community it was scheduled in; the others joined it (a joint surgery). None for an old row.
    home_community_id: int | None = None
    # An officer host's own account, for what a councillor's linked account is used for (private nudges, questions,
    # join requests). None for a councillor's surgery, and once the officer asked to be forgotten.
    officer_platform: str | None = None
    officer_user_id: str | None = None

    @property
    def councillor_hosted(self) -> bool:
        return self.councillor_id is not None

    def hosted_by_officer(self, platform: str, user_id: str) -> bool:
        return self.councillor_id is None and self.officer_user_id is not None \
            and (self.officer_platform, self.officer_user_id) == (platform, user_id)

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def is_joint(self) -> bool:
        return len(self.community_ids) > 1

    def steered_from(self, community_id: int) -> bool:
        """Whether facilitators of `community_id` may run the whole session (open, /next, close): those of the
        community it was scheduled in. A joined community's facilitators keep to their own questions."""
        return self.home_community_id is None or community_id == self.home_community_id


@dataclass(frozen=True, slots=True)
class Transition:
    session: SessionView  # the session after the change
    announce: str  # message key for the groups
    rearm: bool = False  # re-schedule the warning and close timers (new end time)
    stop_timers: bool = False  # cancel every pending timer of the session


def decide(session: SessionView, command: SessionCommand, now: datetime, *, other_open: bool = False,
           extend_by: timedelta | None = None, max_duration: timedelta | None = None,
           next_start: datetime | None = None) -> Transition | SessionRefusal:
    """What `command` does to `session` at `now`. `other_open`: another session is open or paused in one of
    its communities. `next_start`: when the next session in those communities starts (for extend)."""
    state = session.state
    if state in FINAL_STATES:
        return SessionRefusal.NOTHING_TO_DO if command in (SessionCommand.AUTO_OPEN, SessionCommand.AUTO_CLOSE) \
            else SessionRefusal.ALREADY_OVER
    match command:
        case SessionCommand.OPEN | SessionCommand.AUTO_OPEN:
            if state != SessionState.SCHEDULED:
                if command == SessionCommand.AUTO_OPEN:
                    return SessionRefusal.NOTHING_TO_DO
                return SessionRefusal.ALREADY_OPEN if state == SessionState.OPEN else SessionRefusal.IS_PAUSED
            if other_open:
                return SessionRefusal.ANOTHER_OPEN
            # Opening early keeps the advertised end time, so residents' calendars stay right.
            opened = replace(session, state=SessionState.OPEN, opened_at=now, starts_at=min(session.starts_at, now))
            return Transition(opened, "session_opened", rearm=True)
        case SessionCommand.PAUSE:
            if state != SessionState.OPEN:
                return SessionRefusal.NOT_OPEN if state == SessionState.SCHEDULED else SessionRefusal.IS_PAUSED
            return Transition(replace(session, state=SessionState.PAUSED), "session_paused")
        case SessionCommand.RESUME:
            if state != SessionState.PAUSED:
                return SessionRefusal.NOT_PAUSED
            return Transition(replace(session, state=SessionState.OPEN), "session_resumed")
        case SessionCommand.EXTEND:
            assert extend_by is not None
            new_end = max(session.ends_at, now) + extend_by
            if max_duration is not None and new_end - session.starts_at > max_duration:
                return SessionRefusal.TOO_LONG
            if next_start is not None and new_end > next_start:
                return SessionRefusal.OVERLAP
            return Transition(replace(session, ends_at=new_end), "session_extended", rearm=True)
        case SessionCommand.CANCEL:
            if state != SessionState.SCHEDULED:
                return SessionRefusal.RUNNING_USE_CLOSE
            return Transition(replace(session, state=SessionState.CANCELLED, closed_at=now), "session_cancelled",
                              stop_timers=True)
        case SessionCommand.CLOSE | SessionCommand.AUTO_CLOSE:
            if state == SessionState.SCHEDULED:
                if command == SessionCommand.AUTO_CLOSE:
                    return SessionRefusal.NOTHING_TO_DO
                return SessionRefusal.NOT_STARTED_USE_CANCEL
            closed = replace(session, state=SessionState.CLOSED, closed_at=now, live_question_id=None,
                             floor_user_id=None, floor_until=None)
            return Transition(closed, "session_closed", stop_timers=True)
    raise ValueError(f"unknown command {command}")


@dataclass(frozen=True, slots=True)
class Slot:
    starts_at: datetime
    ends_at: datetime


def overlaps(start: datetime, end: datetime, others: list[Slot]) -> bool:
    return any(start < other.ends_at and other.starts_at < end for other in others)


class HostRefusal(StrEnum):
    NOT_STAFF = "schedule_needs_councillor"  # neither a councillor nor a facilitator
    NOT_A_COUNCILLOR = "schedule_host_not_councillor"  # a facilitator mentioned someone who isn't one


def choose_host(standing: Standing, mentioned: Sequence[int | None]) -> int | None | HostRefusal:
    """Who hosts a surgery being scheduled: a councillor hosts their own; a facilitator schedules for the linked
    councillor they mention, or, mentioning nobody, hosts it themselves as a council officer (None). `mentioned`:
    the councillor id of each person the command mentions, None for someone who isn't a linked councillor (a
    mention is meant as the host, so it is never quietly dropped)."""
    if standing.councillor_id is not None:
        return standing.councillor_id
    if not standing.is_facilitator:
        return HostRefusal.NOT_STAFF
    if not mentioned:
        return None
    return next((c for c in mentioned if c is not None), HostRefusal.NOT_A_COUNCILLOR)


def may_host(standing: Standing, view: SessionView) -> bool:
    """The session's own councillor or officer host, or a facilitator of the community. A councillor does not
    host a colleague's session: the router only knows they are *a* councillor, so handlers check ownership here."""
    if standing.is_facilitator or standing.officer_host_of == view.id:
        return True
    return is_session_councillor(standing, view.councillor_id)


def is_session_councillor(standing: Standing, session_councillor_id: int | None) -> bool:
    return standing.is_councillor and standing.councillor_id is not None \
        and standing.councillor_id == session_councillor_id


def may_steer(standing: Standing, view: SessionView, community_id: int) -> bool:
    """Run the whole session from this community's chat: its councillor or officer host from any joined chat, or a facilitator
    of the community it was scheduled in (moderation stays per community in a joint surgery)."""
    if is_session_councillor(standing, view.councillor_id) or standing.officer_host_of == view.id:
        return True
    return standing.is_facilitator and view.steered_from(community_id)


def timer_key(session_id: int, what: str) -> str:
    return f"session:{session_id}:{what}"


def reminder_due_times(starts_at: datetime, offsets: list[timedelta], now: datetime) -> list[tuple[timedelta,
                                                                                                   datetime]]:
    """The reminders still worth sending: a reminder whose time has already passed is skipped, not sent late."""
    return [(offset, starts_at - offset) for offset in sorted(offsets, reverse=True) if starts_at - offset > now]
