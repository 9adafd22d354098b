"""The moderation feature's durable timers: lifting session-long mutes and locks at close, the end of a timed ban,
and the end of a timed slow mode; with the keys that let a later command cancel them."""

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

    def to_dict(self) -> dict[str, Any]:
        return {"what": "unban", "community_id": self.community_id, "chat_id": self.chat_id, "user_id": self.user_id,
                "case": self.case}


@dataclass(frozen=True, slots=True)
class SlowModeEnds:
    community_id: int
    chat_id: str

    def to_dict(self) -> dict[str, Any]:
        return {"what": "slowmode_off", "community_id": self.community_id, "chat_id": self.chat_id}


ModerationTimer = LiftAtClose | BanEnds | SlowModeEnds


def moderation_timer(data: Mapping[str, Any]) -> ModerationTimer:
    match data.get("what"):
        case "session_closed":
            return LiftAtClose(tuple(int(c) for c in data.get("community_ids", [])))
        case "unban":
            chat_id = data.get("chat_id")
            return BanEnds(int(data["community_id"]), str(chat_id) if chat_id is not None else None,
                           str(data["user_id"]), int(data.get("case") or 0))
        case "slowmode_off":
            return SlowModeEnds(int(data["community_id"]), str(data["chat_id"]))
    raise ValueError(f"unknown moderation timer {data.get('what')!r}")


MODERATION_TIMER: TimerKind[ModerationTimer] = TimerKind("moderation", moderation_timer)


def unban_timer_key(community_id: int, number: int) -> str:
    return f"mod:unban:{community_id}:{number}"


def slowmode_timer_key(community_id: int, chat_id: str) -> str:
    return f"mod:slowmode:{community_id}:{chat_id}"
