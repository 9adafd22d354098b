"""The adapter protocol: the whole surface the core needs from a platform. Each platform package implements
it and keeps its own types to itself; every method takes and returns only `bot` vocabulary and raises only
`bot.errors` exceptions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.actions import Target
from bot.events import Event
from bot.features import CommandSpec
from bot.health import ReceiverHealth
from bot.refs import Button, ChatKind, ChatRef, MessageRef, Platform, UserRef
from bot.rights import AdapterCapabilities, MemberInfo, MemberRights

# What the sink answers (the dispatcher's: whether it did anything) is none of the adapter's business.
EventSink = Callable[[Event], Awaitable[object]]
# Whether the core may read ordinary chat (`MessageReceived`) from a chat right now, answered from memory.
# False is a promise that such a message would be ignored (the bot is deaf there), so an adapter may drop it
# without translating it; True only means "hand it on". Commands, presses and membership always go to the sink.
ChatFilter = Callable[[ChatRef, ChatKind], bool]


def hears_everything(chat: ChatRef, kind: ChatKind) -> bool:
    return True


class Unsharded:
    """The shard members of `Adapter` for a platform whose updates come in one stream (Telegram, local)."""

    @property
    def shards_per_instance(self) -> int | None:
        """Updates are not sharded here: nothing to split between instances."""
        return None

    async def advised_shard_count(self) -> int | None:
        return None

    def receive_shards(self, shard_ids: Sequence[int], shard_count: int) -> None:
        """One stream is shard 0 of 1; the App never asks for anything else here (`shards_per_instance` is None),
        and a caller that does has confused this adapter with a sharded one."""
        if list(shard_ids) != [0] or shard_count != 1:
            raise ValueError(f"updates of this platform come in one stream, not shards {list(shard_ids)} "
                             f"of {shard_count}")


@runtime_checkable
class Adapter(Protocol):
    platform: Platform
    capabilities: AdapterCapabilities
    # False on an instance that does not hold the deployment's receiver lease: it sends, and stands by.
    receive_updates: bool
    # True where the platform redelivers what the adapter has not acknowledged (Telegram's getUpdates offset).
    # Its sink then returns as soon as the core has durably decided an event, before the event's platform calls,
    # so one busy chat (say, one at Telegram's 20 messages a minute) never holds back other chats' updates.
    acknowledges_updates: bool

    @property
    def single_receiver(self) -> bool:
        """True where the platform serves one receiver per token (Telegram polling): the App then lets only the
        instance holding the receiver lease receive."""

    @property
    def bot_user_id(self) -> str | None:
        """The bot's own user id once started, so the core can refuse to moderate the bot itself."""

    @property
    def shards_per_instance(self) -> int | None:
        """Where the platform splits its events into shards (Discord) and several instances should share them:
        how many shards one instance claims. None: no splitting (every instance receives everything, or the
        platform has no shards)."""

    async def advised_shard_count(self) -> int | None:
        """How many shards the platform's events come in (as configured, or as the platform advises)."""

    def receive_shards(self, shard_ids: Sequence[int], shard_count: int) -> None:
        """Before `start` / `start_receiving`: receive only these shards."""

    def set_commands(self, commands: Sequence[CommandSpec]) -> None:
        """The declared commands, before `start`: the adapter builds its menus or slash commands from them (and
        reads a platform's structured invocations back into `/verb args` text with them)."""

    async def start(self, sink: EventSink, hears: ChatFilter = hears_everything) -> None:
        """Connect and begin delivering events to `sink`. Returns once connected; delivery goes on in tasks.
        Ordinary chat from a chat `hears` says no to may be dropped at the door (see `ChatFilter`)."""

    async def start_receiving(self) -> None:
        """Begin receiving updates on an instance started with `receive_updates` False (it took the lease)."""

    async def stop_receiving(self) -> None:
        """Stop taking new updates but keep sending, so work already accepted can finish before `stop`."""

    async def check(self) -> str:
        """For `surgerybot check`: reach the platform with the configured credentials, say what answered."""

    def receiver_health(self) -> ReceiverHealth:
        """For the health file: whether updates are coming in as they should (a standby is healthy)."""

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

    async def set_slow_mode(self, chat: ChatRef, seconds: int, *, reason: str = "") -> None:
        """Where `capabilities.supports_slow_mode` is False this raises ActionRefused (the executor checks first)."""

    async def leave_chat(self, chat: ChatRef) -> None: ...

    async def answer_button(self, chat: ChatRef, press_id: str, text: str = "") -> None: ...

    async def get_member(self, chat: ChatRef, user: UserRef) -> MemberInfo:
        """A member's status and rights; adapters may cache for at most 60 seconds."""

    async def get_bot_rights(self, chat: ChatRef) -> MemberRights: ...
