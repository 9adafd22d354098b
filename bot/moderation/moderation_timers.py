"""The moderation feature's durable timers: lifting session-long mutes and locks at close, the end of a timed mute
or ban, and the end of a timed slow mode; with the keys that let a later command cancel them. `attempt` counts
the tries already made: a lift the platform failed is scheduled again with it one higher."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.features import TimerKind


@dataclass(frozen=True, slots=True)
class LiftAtClose:
    """A session closed: lift the session-long mutes and locks in its communities."""

    community_ids: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"what": "session_closed", "community_ids": list(self.community_ids)}


@dataclass(frozen=True, slots=True)
class BanEnds:
    community_id: int
    chat_id: str | None
    user_id: str
    case: int
    attempt: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"what": "unban", "community_id": self.community_id, "chat_id": self.chat_id, "user_id": self.user_id,
                "case": self.case, "attempt": self.attempt}


@dataclass(frozen=True, slots=True)
class MuteEnds:
    """The end of a mute the bot chose. Telegram lifts its own restrictions and Discord its timeouts, but a
    platform that misread the end (Telegram takes one under 30 s as forever) must not leave someone muted."""

    community_id: int
    chat_id: str | None
    user_id: str
    case: int
    attempt: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"what": "unmute", "community_id": self.community_id, "chat_id": self.chat_id,
                "user_id": self.user_id, "case": self.case, "attempt": self.attempt}


@dataclass(frozen=True, slots=True)
class SlowModeEnds:
    community_id: int
    chat_id: str
    attempt: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"what": "slowmode_off", "community_id": self.community_id, "chat_id": self.chat_id,
                "attempt": self.attempt}


ModerationTimer = LiftAtClose | BanEnds | MuteEnds | SlowModeEnds
# The timers that lift one thing on one platform, and so can be tried again on their own.
SingleLift = BanEnds | MuteEnds | SlowModeEnds


def moderation_timer(data: Mapping[str, Any]) -> ModerationTimer:
    match data.get("what"):
        case "session_closed":
            return LiftAtClose(tuple(int(c) for c in data.get("community_ids", [])))
        case "unban":
            chat_id = data.get("chat_id")
            return BanEnds(int(data["community_id"]), str(chat_id) if chat_id is not None else None,
                           str(data["user_id"]), int(data.get("case") or 0), int(data.get("attempt") or 0))
        case "unmute":
            chat_id = data.get("chat_id")
            return MuteEnds(int(data["community_id"]), str(chat_id) if chat_id is not None else None,
                            str(data["user_id"]), int(data.get("case") or 0), int(data.get("attempt") or 0))
        case "slowmode_off":
            return SlowModeEnds(int(data["community_id"]), str(data["chat_id"]), int(data.get("attempt") or 0))
    raise ValueError(f"unknown moderation timer {data.get('what')!r}")


MODERATION_TIMER: TimerKind[ModerationTimer] = TimerKind("moderation", moderation_timer)


def unban_timer_key(community_id: int, number: int) -> str:
    return f"mod:unban:{community_id}:{number}"


def mute_timer_key(community_id: int, user_id: str) -> str:
    """One per person: a later mute replaces the end of an earlier one rather than being lifted by it."""
    return f"mod:unmute:{community_id}:{user_id}"


def slowmode_timer_key(community_id: int, chat_id: str) -> str:
    return f"mod:slowmode:{community_id}:{chat_id}"


def lift_key(timer: SingleLift) -> str:
    match timer:
        case BanEnds():
            return unban_timer_key(timer.community_id, timer.case)
        case MuteEnds():
            return mute_timer_key(timer.community_id, timer.user_id)
        case SlowModeEnds():
            return slowmode_timer_key(timer.community_id, timer.chat_id)
