"""A started `TelegramAdapter` talking to a `FakeBotApi` over HTTP, with a supergroup (owner, admin, member)
where the bot is an admin. Satisfies the adapter contract's `ContractHarness`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from adapters.telegram import TelegramAdapter
from bot.actions import Target
from tests.clock import FakeClock
from bot.events import Event
from bot.refs import ChatRef, MessageRef, Platform, UserRef
from config.settings import TelegramSettings
from tests.declared import declared_commands
from tests.telegram.fake_bot_api import TOKEN, FakeBotApi, expired
from tests.telegram.fake_world import BOT_ID, FakeChat, FakeMember, FakeUser, all_rights
from tests.waiting import eventually

WAIT_SECONDS = 5.0


def telegram_settings(api: FakeBotApi, **overrides: object) -> TelegramSettings:
    return TelegramSettings(token=TOKEN, api_base_url=api.base_url, poll_timeout=5, **overrides)


class TelegramHarness:
    def __init__(self, api: FakeBotApi, clock: FakeClock) -> None:
        self.api, self.clock = api, clock
        world = api.world
        self.owner_user = world.add_user("Olu", "olu")
        self.admin_user = world.add_user("Ada", "ada")
        self.member_user = world.add_user("Mo", "mo")
        self.chat = world.add_group("Riverside Residents", owner=self.owner_user, admins=(self.admin_user,),
                                    members=(self.member_user,),
                                    bot=FakeMember("administrator", rights=all_rights()))
        world.started.add(self.member_user.id)
        self.group = self.chat_ref(self.chat)
        self.owner, self.admin, self.member = (self.user_ref(u) for u in (self.owner_user, self.admin_user,
                                                                          self.member_user))
        self.received: list[Event] = []
        self.adapter: TelegramAdapter | None = None

    async def start(self, **adapter_options: object) -> TelegramHarness:
        settings = adapter_options.pop("settings", None) or telegram_settings(self.api)
        self.adapter = TelegramAdapter(settings, self.clock, **adapter_options)  # type: ignore[arg-type]
        self.adapter.set_commands(declared_commands())
        await self.adapter.start(self._sink)
        return self

    async def stop(self) -> None:
        if self.adapter is not None:
            await self.adapter.stop()

    async def _sink(self, event: Event) -> None:
        self.received.append(event)

    # -- refs ----------------------------------------------------------------------------------------------

    @staticmethod
    def chat_ref(chat: FakeChat) -> ChatRef:
        return ChatRef(Platform.TELEGRAM, str(chat.id))

    @staticmethod
    def user_ref(user: FakeUser) -> UserRef:
        return UserRef(Platform.TELEGRAM, str(user.id))

    def now(self) -> datetime:
        return self.clock.now()

    # -- waiting for the adapter ------------------------------------------------------------------------

    async def wait_until(self, condition: Callable[[], object], what: str = "condition") -> None:
        await eventually(condition, what, timeout=WAIT_SECONDS, interval=0.01)

    async def event_for(self, update_id: int) -> Event:
        key = f"telegram:{update_id}"
        await self.wait_until(lambda: any(e.update_key == key for e in self.received), key)
        return next(e for e in self.received if e.update_key == key)

    async def processed(self, update_id: int) -> None:
        """Wait until the poller has moved past `update_id` (for updates that rightly make no event)."""
        await self.wait_until(lambda: any(int(c.params.get("offset") or 0) > update_id
                                          for c in self.api.calls_named("getUpdates")), f"offset > {update_id}")

    # -- the ContractHarness -------------------------------------------------------------------------------

    async def user_sends(self, user: UserRef, chat: ChatRef, text: str) -> Event:
        update_id = self.api.user_sends(self.api.world.users[int(user.id)], self.api.world.chats[int(chat.id)],
                                        text)
        return await self.event_for(update_id)

    async def press_button(self, user: UserRef, message: MessageRef, data: str) -> Event:
        update_id, _ = self.api.press_button(self.api.world.users[int(user.id)],
                                             self.api.world.chats[int(message.chat.id)], int(message.id), data)
        return await self.event_for(update_id)

    def texts_in(self, target: Target) -> list[str]:
        return [m.text for m in self.api.bot_messages(int(target.id)) if m.document is None]

    def files_in(self, target: Target) -> list[str]:
        return [m.document[0] for m in self.api.bot_messages(int(target.id)) if m.document is not None]

    def is_pinned(self, message: MessageRef) -> bool:
        return int(message.id) in self.api.world.chats[int(message.chat.id)].pinned

    def is_muted(self, chat: ChatRef, user: UserRef) -> bool:
        member = self.api.world.chats[int(chat.id)].member(int(user.id))
        return (member.status == "restricted" and not member.permissions.get("can_send_messages")
                and not expired(member, self.clock.now()))

    def is_member(self, chat: ChatRef, user: UserRef) -> bool:
        return self.api.world.chats[int(chat.id)].member(int(user.id)).present

    def bot_is_member(self, chat: ChatRef) -> bool:
        return self.api.world.chats[int(chat.id)].member(BOT_ID).present


def fresh_clock() -> FakeClock:
    return FakeClock(datetime.now(UTC).replace(microsecond=0))
