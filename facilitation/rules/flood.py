"""Flood: more than N messages in M seconds from one person. Pure: the person's recent send times in, the
new times and the decision out."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class FloodCheck:
    history: tuple[datetime, ...]  # what to keep for this person
    flooding: bool


def check_flood(history: tuple[datetime, ...], sent_at: datetime, *, max_messages: int,
                window: timedelta) -> FloodCheck:
    """Add `sent_at` to the person's window and say whether it now holds more than `max_messages`.
    On a trip the window starts afresh, so one burst is one offence rather than one per extra message.
    `history` is kept oldest first, so the moments still inside the window are a slice found by bisection
    (a busy person's window holds dozens; this runs for every post)."""
    kept = history[bisect_right(history, sent_at - window):]
    if kept and kept[-1] > sent_at:  # the clock stepped back: keep the order the bisection relies on
        kept = tuple(sorted((*kept, sent_at)))
    else:
        kept += (sent_at,)
    if len(kept) > max_messages:
        return FloodCheck(history=(), flooding=True)
    return FloodCheck(history=kept, flooding=False)
