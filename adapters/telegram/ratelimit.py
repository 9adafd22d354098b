"""Outbound rate limiting that keeps moderation ahead of chatter: Telegram's per-group message budget
(20 a minute) is spent on messages, so a backlog of replies must not hold back a mute or a delete.

A restriction's end is an absolute `until_date`, and Telegram reads one under 30 s away as *forever*. PTB's
limiter resends the very same request after a 429, seconds later; so each attempt re-reads the end against the
clock at that moment and widens it to a safe minimum when it has come too close."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

from telegram.ext import AIORateLimiter

from bot.clock import Clock

# Calls that are not messages to a chat: they skip the group and overall message budgets. A 429 still
# pauses them, with everything else, until Telegram's retry_after has passed.
UNTHROTTLED_ENDPOINTS = frozenset({
    "restrictChatMember", "banChatMember", "unbanChatMember", "deleteMessage", "answerCallbackQuery",
    "getChatMember", "leaveChat", "pinChatMessage", "getMe", "setMyCommands", "deleteWebhook", "setWebhook",
})
# Calls whose `until_date` Telegram reads as forever when it is under 30 s from its own clock.
TIMED_ENDPOINTS = frozenset({"restrictChatMember", "banChatMember"})
# The shortest restriction the bot makes there: Telegram's 30 s and one second to spare (PTB also truncates the
# end to a whole second, so the widened end is rounded up).
SAFE_UNTIL = timedelta(seconds=31)


def safe_until(until: datetime, now: datetime) -> datetime:
    """`until` if it is still at least `SAFE_UNTIL` ahead of `now`; otherwise the nearest whole second that is."""
    floor = now + SAFE_UNTIL
    if floor.microsecond:
        floor = floor.replace(microsecond=0) + timedelta(seconds=1)
    return max(until, floor)


class ModerationFirstRateLimiter(AIORateLimiter):
    def __init__(self, clock: Clock, **options: Any) -> None:
        super().__init__(**options)
        self._clock = clock

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        if endpoint in TIMED_ENDPOINTS and isinstance(data.get("until_date"), datetime):
            callback = self._at_attempt_time(callback, data)
        if endpoint in UNTHROTTLED_ENDPOINTS:
            # The parent picks its limiters from data["chat_id"]; without it, it applies none but still retries.
            data = {}
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)

    def _at_attempt_time(self, callback: Callable[..., Coroutine[Any, Any, Any]],
                         data: dict[str, Any]) -> Callable[..., Coroutine[Any, Any, Any]]:
        """The request's `data` is the dict PTB sends on every attempt: adjust its end just before each."""
        chosen: datetime = data["until_date"]

        async def attempt(*args: Any, **kwargs: Any) -> Any:
            data["until_date"] = safe_until(chosen, self._clock.now())
            return await callback(*args, **kwargs)

        return attempt
