"""Actions as JSON text and back, for the outbox (bot/outbox.py): an action committed before its platform call is
stored so that a process killed before the call can be replaced by one that makes it."""

from __future__ import annotations

import base64
import dataclasses
import json
from datetime import datetime
from typing import Any

from bot import actions as a
from bot.refs import Button, ChatRef, MessageRef, Platform, UserRef

# Every type an action may hold, by name. Anything else is a programming error, found by the codec's tests.
_TYPES: dict[str, type] = {cls.__name__: cls for cls in (
    a.SendMessage, a.EditMessage, a.DeleteMessage, a.PinMessage, a.SendFile, a.MuteMember, a.UnmuteMember,
    a.BanMember, a.UnbanMember, a.KickMember, a.SetSlowMode, a.LeaveChat, a.AnswerButton,
    ChatRef, UserRef, MessageRef, Button)}


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Platform):
        return {"$platform": value.value}
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode()}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(item) for item in value]}
    if dataclasses.is_dataclass(value) and type(value).__name__ in _TYPES:
        return {"$type": type(value).__name__,
                **{f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    raise TypeError(f"an action cannot hold a {type(value).__name__} in the outbox")


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "$platform" in value:
        return Platform(value["$platform"])
    if "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if "$bytes" in value:
        return base64.b64decode(value["$bytes"])
    if "$tuple" in value:
        return tuple(_decode(item) for item in value["$tuple"])
    cls = _TYPES[value["$type"]]
    return cls(**{name: _decode(item) for name, item in value.items() if name != "$type"})


def encode_action(action: a.Action) -> str:
    return json.dumps(_encode(action), ensure_ascii=False, separators=(",", ":"))


def decode_action(text: str) -> a.Action:
    action = _decode(json.loads(text))
    if not isinstance(action, a.Action):
        raise ValueError("the outbox row does not hold an action")
    return action
