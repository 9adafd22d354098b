"""The adapter protocol: the whole surface the core needs from a platform. Each platform package implements
it and keeps its own types to itself; every method takes and returns only `bot` vocabulary and raises only
`bot.errors` exceptions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.actions import Target
from bot.events import Event
from bot.refs import Button, ChatRef, MessageRef, Platform, UserRef
from bot.rights import AdapterCapabilities, MemberInfo, MemberRights

EventSink = Callable[[Event], Awaitable[None]]


@runtime_checkable
class Adapter(Protocol):
    platform: Platform
    capabilities: AdapterCapabilities

    async def start(self, sink: EventSink) -> None:
        """Connect and begin delivering events to `sink`. Returns once connected; delivery goes on in tasks."""

    async def stop(self) -> None: ...

    async def send_message(
        self,
        target: Target,
        text: str,
        *,
        buttons: tuple[Button, ...] = (),
        reply_to: MessageRef | None = None,
        answers: str | None = None,
    ) -> MessageRef:
        """Send plain text (never markup from users). Long texts are split; the first part's ref is returned.
        `answers` names the command interaction this message completes, where the platform has such a thing."""

    async def edit_message(self, message: MessageRef, text: str, *, buttons: tuple[Button, ...] = ()) -> None: ...

    async def delete_message(self, message: MessageRef, *, reason: str = "") -> None: ...

    async def pin_message(self, message: MessageRef) -> None: ...

    async def send_file(self, target: Target, filename: str, content: bytes, *, caption: str = "") -> MessageRef: ...

    async def mute_member(self, chat: ChatRef, user: UserRef, until: datetime, *, reason: str = "") -> None:
        """Member actions take the case's reason for the platform's own audit log, where it has one."""

    async def unmute_member(self, chat: ChatRef, user: UserRef, *, reason: str = "") -> None: ...

    async def ban_member(self, chat: ChatRef, user: UserRef, until: datetime | None = None, *,
                         reason: str = "") -> None: ...

    async def unban_member(self, chat: ChatRef, user: UserRef, *, reason: str = "") -> None: ...

    async def kick_member(self, chat: ChatRef, user: UserRef, *, reason: str = "") -> None: ...

    async def leave_chat(self, chat: ChatRef) -> None: ...

    async def answer_button(self, chat: ChatRef, press_id: str, text: str = "") -> None: ...

    async def get_member(self, chat: ChatRef, user: UserRef) -> MemberInfo:
        """A member's status and rights; adapters may cache for at most 60 seconds."""

    async def get_bot_rights(self, chat: ChatRef) -> MemberRights: ...
