"""Outbound rate limiting that keeps moderation ahead of chatter: Telegram's per-group message budget
(20 a minute) is spent on messages, so a backlog of replies must not hold back a mute or a delete."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter

# Calls that are not messages to a chat: they skip the group and overall message budgets. A 429 still
# pauses them, with everything else, until Telegram's retry_after has passed.
UNTHROTTLED_ENDPOINTS = frozenset({
    "restrictChatMember", "banChatMember", "unbanChatMember", "deleteMessage", "answerCallbackQuery",
    "getChatMember", "leaveChat", "pinChatMessage", "getMe", "setMyCommands", "deleteWebhook", "setWebhook",
})


class ModerationFirstRateLimiter(AIORateLimiter):
    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        if endpoint in UNTHROTTLED_ENDPOINTS:
            # The parent picks its limiters from data["chat_id"]; without it, it applies none but still retries.
            data = {}
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
