"""The attempt counters for one-time codes (facilitation/code_attempts.py decides), kept in memory: a restart
forgives everyone, like the command allowance. Separate counters for invitation codes and `/link` codes, each per
person and per chat."""

from __future__ import annotations

import logging
from collections import OrderedDict
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.refs import ChatRef, UserRef
from config.settings import LimitSettings
from facilitation.code_attempts import AttemptLimit, Tries, after_failure, locked_until

log = logging.getLogger(__name__)

REMEMBERED = 50_000  # people and chats; the oldest are forgotten first


class CodeAttempts:
    def __init__(self, limits: LimitSettings, clock: Clock) -> None:
        self.clock = clock
        window, cool_down = timedelta(minutes=limits.code_attempt_window_minutes), \
            timedelta(minutes=limits.code_cool_down_minutes)
        self._limits = {"person": AttemptLimit(limits.code_attempts_per_person, window, cool_down),
                        "chat": AttemptLimit(limits.code_attempts_per_chat, window, cool_down)}
        self._tries: OrderedDict[tuple[str, str, str, str], Tries] = OrderedDict()

    def _keys(self, kind: str, person: UserRef | None, chat: ChatRef) -> list[tuple[str, str, str, str]]:
        keys = [(kind, "chat", str(chat.platform), chat.space)]
        if person is not None:
            keys.append((kind, "person", str(person.platform), person.id))
        return keys

    def locked_until(self, kind: str, person: UserRef | None, chat: ChatRef) -> datetime | None:
        return locked_until((self._tries.get(key) for key in self._keys(kind, person, chat)), self.clock.now())

    def failed(self, kind: str, person: UserRef | None, chat: ChatRef) -> None:
        now = self.clock.now()
        for key in self._keys(kind, person, chat):
            tries = after_failure(self._tries.pop(key, None), now, self._limits[key[1]])
            self._tries[key] = tries
            if tries.locked_until is not None:
                log.warning("too many wrong %s codes from %s %s: cooling down until %s", kind, key[1], key[3],
                            tries.locked_until.isoformat(timespec="seconds"))
        while len(self._tries) > REMEMBERED:
            self._tries.popitem(last=False)

    def succeeded(self, kind: str, person: UserRef | None, chat: ChatRef) -> None:
        for key in self._keys(kind, person, chat):
            self._tries.pop(key, None)
