"""How fast one person may send commands: a token bucket per person, decided purely. A burst (a stuck key, a
script, `/ask` fifty times) is refused past its allowance with one plain word, then quietly until the person
slows down, so it costs the bot almost nothing and never delays anyone else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Verdict(StrEnum):
    TAKE = "take"
    REFUSE_AND_SAY = "refuse_and_say"  # the first refusal of a burst: tell the person once
    REFUSE_QUIETLY = "refuse_quietly"  # they were told; answering each would be a flood of our own


@dataclass(frozen=True, slots=True)
class Bucket:
    tokens: float
    at: datetime
    told: bool = False


def take(bucket: Bucket | None, now: datetime, *, burst: int, refill_seconds: float) -> tuple[Bucket, Verdict]:
    """Spend one token if there is one. `burst` commands may come at once; one more every `refill_seconds`."""
    if bucket is None:
        bucket = Bucket(tokens=float(burst), at=now)
    elapsed = max(0.0, (now - bucket.at).total_seconds())
    tokens = min(float(burst), bucket.tokens + elapsed / refill_seconds)
    if tokens >= 1.0:
        return Bucket(tokens=tokens - 1.0, at=now), Verdict.TAKE
    if bucket.told:
        return Bucket(tokens=tokens, at=now, told=True), Verdict.REFUSE_QUIETLY
    return Bucket(tokens=tokens, at=now, told=True), Verdict.REFUSE_AND_SAY
