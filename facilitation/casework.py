"""Casework referrals: a reference the resident can quote, and the council's reply deadline in working days
(weekends and England-and-Wales bank holidays excluded)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from enum import StrEnum
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


# -- following a referral through ---------------------------------------------------------------------------------

class ReferralStatus(StrEnum):
    OPEN = "open"  # the council owes the resident a reply
    REPLIED = "replied"  # the council says it replied
    CLOSED = "closed"
    OVERDUE = "overdue"  # the reply date passed while open, or the resident says no reply came


class CaseworkMove(StrEnum):
    REPLY = "reply"  # the operator records the council's reply
    CLOSE = "close"  # the operator closes it
    DUE = "due"  # the reply date passed
    RESIDENT_YES = "resident_yes"  # the resident confirms they got a reply
    RESIDENT_NO = "resident_no"  # the resident says they didn't


class CaseworkRefusal(StrEnum):
    ALREADY_CLOSED = "casework_already_closed"
    ALREADY_REPLIED = "casework_already_replied"


def next_status(status: ReferralStatus, move: CaseworkMove) -> ReferralStatus | CaseworkRefusal | None:
    """The status after `move`; a refusal for an operator's move that makes no sense; None when a timer or the
    resident's answer has nothing to change (they never override a closed referral)."""
    if move == CaseworkMove.DUE:
        return ReferralStatus.OVERDUE if status == ReferralStatus.OPEN else None
    if status == ReferralStatus.CLOSED:
        return None if move in (CaseworkMove.RESIDENT_YES, CaseworkMove.RESIDENT_NO) \
            else CaseworkRefusal.ALREADY_CLOSED
    if move == CaseworkMove.REPLY:
        return CaseworkRefusal.ALREADY_REPLIED if status == ReferralStatus.REPLIED else ReferralStatus.REPLIED
    if move in (CaseworkMove.CLOSE, CaseworkMove.RESIDENT_YES):
        return ReferralStatus.CLOSED
    return ReferralStatus.OVERDUE  # RESIDENT_NO


def resident_check_day(reply_due: date, working_days: int) -> date:
    """When the resident is asked whether a reply came: `working_days` working days after the reply date, on
    the same calendar as the deadline."""
    return reply_deadline(reply_due, working_days)


def kept_after_retention(status: ReferralStatus) -> bool:
    """A referral past its retention period is still kept while the council owes a reply: it goes once it is
    closed or its retention ends, whichever is later."""
    return status != ReferralStatus.CLOSED
