"""The garbage collector's settings for a running bot.

A bot allocates many short-lived objects per event (the platform library's message objects, events, verdicts) on
top of a large heap of long-lived ones built at start (modules, the platform library's guild and member caches, the
context cache). With CPython's default thresholds (700 / 10 / 10) the collector scans that long-lived heap again and
again: in the Discord open-session benchmark it took a sizeable share of the product's time (docs/benchmarks.md,
"Issue 11 — third pass"). Two standard remedies, both cheap:

- `gc.freeze()` once start-up is done moves everything alive then into a permanent generation that later
  collections skip;
- a larger young generation makes collections rarer; objects that die young (nearly all per-event ones) are
  freed by reference counting anyway, the collector only exists for cycles.

Both are undone at stop, so a process that starts and stops bots (the tests, the benchmarks' bare runs) is left
as it was."""

from __future__ import annotations

import gc

YOUNG_GENERATION = 10_000
MIDDLE_GENERATION = 20


_before: list[tuple[int, int, int]] = []  # the thresholds each running bot found, restored at its stop


def settle_after_start() -> None:
    young, middle, old = gc.get_threshold()
    _before.append((young, middle, old))
    if young and young < YOUNG_GENERATION:  # 0 means someone turned collection off: leave that alone
        gc.set_threshold(YOUNG_GENERATION, max(middle, MIDDLE_GENERATION), old)
    gc.freeze()


def release_at_stop() -> None:
    gc.unfreeze()
    if _before:
        gc.set_threshold(*_before.pop())
