"""Small bounded memories the adapter keeps between calls: member lookups (≤ 60 s), message send times (for
the 48-hour delete limit), who recently joined (Telegram reports a join twice) and @username → id."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Bounded(Generic[K, V]):
    """A dict that forgets its oldest entries past `size`, so a long-running bot does not grow without end."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)

    def get(self, key: K) -> V | None:
        return self._items.get(key)

    def pop(self, key: K) -> None:
        self._items.pop(key, None)


class Expiring(Generic[K, V]):
    """Values that count as unknown once `ttl` has passed on the injected clock."""

    def __init__(self, ttl: timedelta, size: int = 10_000) -> None:
        self._ttl = ttl
        self._items: Bounded[K, tuple[datetime, V]] = Bounded(size)

    def put(self, key: K, value: V, now: datetime) -> None:
        self._items.put(key, (now, value))

    def get(self, key: K, now: datetime) -> V | None:
        entry = self._items.get(key)
        if entry is None or now - entry[0] > self._ttl:
            return None
        return entry[1]

    def pop(self, key: K) -> None:
        self._items.pop(key)
