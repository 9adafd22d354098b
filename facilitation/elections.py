"""Pre-election periods: while one is in force in a community, councillor surgeries pause there (no scheduling,
no opening, and those already scheduled inside it are cancelled). Facilitation, moderation, privacy and casework
go on. Pure rules; the runtime loads the periods and carries the decisions out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo


@dataclass(frozen=True, slots=True)
class ElectionPeriod:
    id: int
    name: str
    starts_at: datetime  # the first day's midnight, council time (as UTC)
    ends_at: datetime  # exclusive: midnight after the last day
    community_ids: frozenset[int] = frozenset()  # empty: every community

    def covers(self, community_id: int) -> bool:
        return not self.community_ids or community_id in self.community_ids

    def in_force(self, at: datetime) -> bool:
        return self.starts_at <= at < self.ends_at

    def overlaps(self, starts_at: datetime, ends_at: datetime) -> bool:
        return starts_at < self.ends_at and self.starts_at < ends_at

    def last_day(self, zone: tzinfo) -> datetime:
        """The last day it covers (for "ends on ..."), as a moment within that day in council time."""
        return (self.ends_at - timedelta(seconds=1)).astimezone(zone)


def period_bounds(first_day: date, last_day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """Whole days in the council's time zone: from the first day's midnight to the midnight after the last."""
    if last_day < first_day:
        raise ValueError("the end date is before the start date")
    starts = datetime.combine(first_day, time(0), tzinfo=zone)
    ends = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone)
    return starts.astimezone(timezone.utc), ends.astimezone(timezone.utc)  # every datetime inside is UTC


def blocking_period(periods: Iterable[ElectionPeriod], community_ids: Sequence[int], *, now: datetime,
                    starts_at: datetime | None = None, ends_at: datetime | None = None,
                    councillor_hosted: bool = True) -> ElectionPeriod | None:
    """The period that stops a councillor surgery in these communities: one in force now (scheduling or opening
    during a period is itself publicity), or one the surgery's own time overlaps. A surgery hosted by a council
    officer, with no councillor, is never stopped."""
    if not councillor_hosted:
        return None
    for period in sorted(periods, key=lambda p: p.starts_at):
        if not any(period.covers(c) for c in community_ids):
            continue
        if period.in_force(now):
            return period
        if starts_at is not None and ends_at is not None and period.overlaps(starts_at, ends_at):
            return period
    return None


@dataclass(frozen=True, slots=True)
class Slot:
    session_id: int
    community_ids: tuple[int, ...]
    starts_at: datetime
    ends_at: datetime
    councillor_hosted: bool = True


def to_cancel(period: ElectionPeriod, scheduled: Iterable[Slot]) -> list[Slot]:
    """The scheduled councillor surgeries a period cancels: those in a community it covers whose time overlaps it."""
    return [slot for slot in scheduled
            if slot.councillor_hosted and any(period.covers(c) for c in slot.community_ids)
            and period.overlaps(slot.starts_at, slot.ends_at)]
