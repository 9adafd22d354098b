"""Heat: a burst of flagged messages, or a rapid back-and-forth between two people, calls for a cool-down
(slow mode for a few minutes) and a facilitator alert. Pure: the chat's recent history in, the decision out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from vocabulary.refs import UserRef


class HeatTrigger(StrEnum):
    BURST = "burst"  # several flagged messages close together
    EXCHANGE = "exchange"  # two people going back and forth fast


@dataclass(frozen=True, slots=True)
class HeatThresholds:
    burst_messages: int
    burst_window: timedelta
    exchange_messages: int
    exchange_window: timedelta
    cool_down: timedelta


@dataclass(frozen=True, slots=True)
class HeatState:
    flagged: tuple[datetime, ...] = ()
    recent: tuple[tuple[datetime, UserRef], ...] = ()  # the chat's latest posts, oldest first
    cooling_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class HeatCheck:
    state: HeatState
    trigger: HeatTrigger | None = None
    pair: tuple[UserRef, ...] = ()  # the two people, for an exchange
    cooling_until: datetime | None = None


def _exchange_pair(recent: tuple[tuple[datetime, UserRef], ...], size: int) -> tuple[UserRef, ...]:
    """The two people when the last `size` posts are all theirs and the speaker changed at least every
    other post; an empty tuple otherwise."""
    if len(recent) < size:
        return ()
    authors = [author for _, author in recent[-size:]]
    # Most chat is many people, not two: say so after a few comparisons, without hashing everyone. Ids are
    # compared before whole refs (cheaper, and refs of one platform differ by id alone).
    first, second = authors[-1], None
    for author in authors:
        if author.id != first.id or author != first:
            if second is None:
                second = author
            elif author.id != second.id or author != second:
                return ()
    people = tuple(dict.fromkeys(authors))
    switches = sum(1 for before, after in zip(authors, authors[1:]) if before != after)
    if len(people) == 2 and switches >= size // 2:
        return tuple(sorted(people, key=str))
    return ()


def check_heat(state: HeatState, *, author: UserRef, flagged: bool, counted: bool, now: datetime,
               thresholds: HeatThresholds) -> HeatCheck:
    """Record one post (`counted`: a new post, not an edit; `flagged`: another rule objected to it) and
    decide. While a cool-down runs nothing re-triggers; after a trigger the windows start afresh."""
    if state.cooling_until is not None and now < state.cooling_until:
        return HeatCheck(state=state)
    # `t > now - window` is `now - t < window` (whole microseconds both ways), one subtraction per post.
    flagged_times: tuple[datetime, ...] = ()
    if state.flagged:  # nearly always empty: most posts break no rule
        since = now - thresholds.burst_window
        flagged_times = tuple([t for t in state.flagged if t > since])
    if flagged:
        flagged_times += (now,)
    since = now - thresholds.exchange_window
    recent = tuple([item for item in state.recent if item[0] > since])
    if counted:
        recent = (recent + ((now, author),))[-thresholds.exchange_messages:]
    until = now + thresholds.cool_down
    if len(flagged_times) >= thresholds.burst_messages:
        return HeatCheck(HeatState(cooling_until=until), HeatTrigger.BURST, cooling_until=until)
    pair = _exchange_pair(recent, thresholds.exchange_messages)
    if pair:
        return HeatCheck(HeatState(cooling_until=until), HeatTrigger.EXCHANGE, pair, until)
    return HeatCheck(state=HeatState(flagged=flagged_times, recent=recent))
