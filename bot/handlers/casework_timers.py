"""The durable timers of a casework referral: at its reply date (open → overdue, the host told) and some working
days later (the resident asked once whether a reply came). Armed when the referral is made."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import timers
from bot.features import TimerKind
from config.settings import Settings
from facilitation.casework import resident_check_day

# The resident is asked in the morning, council time, not at the stroke of midnight.
CHECK_AT = time(10, 0)


@dataclass(frozen=True, slots=True)
class CaseworkTimer:
    referral_id: int
    what: str  # "due" or "check"

    def to_dict(self) -> dict[str, Any]:
        return {"referral_id": self.referral_id, "what": self.what}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CaseworkTimer:
        return cls(int(data["referral_id"]), str(data.get("what", "")))


CASEWORK_TIMER = TimerKind("casework", CaseworkTimer.from_dict)


def casework_key(referral_id: int, what: str) -> str:
    return f"casework:{referral_id}:{what}"


def check_time(settings: Settings, reply_due: datetime) -> datetime:
    zone = settings.council.zone
    day = resident_check_day(reply_due.astimezone(zone).date(), settings.sessions.casework_check_days)
    return datetime.combine(day, CHECK_AT, tzinfo=zone)


async def arm(tx: AsyncSession, settings: Settings, referral_id: int, reply_due: datetime, now: datetime) -> None:
    await timers.schedule(tx, CASEWORK_TIMER, CaseworkTimer(referral_id, "due"), due_at=reply_due, now=now,
                          key=casework_key(referral_id, "due"))
    await timers.schedule(tx, CASEWORK_TIMER, CaseworkTimer(referral_id, "check"),
                          due_at=check_time(settings, reply_due), now=now, key=casework_key(referral_id, "check"))
