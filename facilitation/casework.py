"""Casework referrals: a reference the resident can quote, and the council's reply deadline in working days
(weekends and England-and-Wales bank holidays excluded)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

import holidays

_REFERENCE = re.compile(r"^SRG-(\d{4})-(\d{6})$")


def reference(year: int, sequence: int) -> str:
    """`SRG-2026-000123`: the year of referral and a number that never repeats."""
    return f"SRG-{year:04d}-{sequence:06d}"


def parse_reference(text: str) -> tuple[int, int] | None:
    match = _REFERENCE.match(text.strip().upper())
    return (int(match[1]), int(match[2])) if match else None


@lru_cache(maxsize=16)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def reply_deadline(referred_on: date, working_days: int = 10) -> date:
    """The date by which the council replies: `working_days` full working days after the referral day (the
    day itself does not count, as a referral late on a Friday must not lose a day)."""
    day, remaining = referred_on, working_days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
