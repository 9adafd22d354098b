"""The adapter contract on the in-memory local platform."""

from __future__ import annotations

from datetime import datetime

import pytest

from adapters.local import LocalAdapter, LocalWorld
from bot.actions import Target
from tests.clock import FakeClock
from bot.events import Event
from bot.refs import ChatRef, MessageRef, UserRef
from bot.rights import MemberRights
from tests.contract.adapter_contract import AdapterContract


class LocalHarness:
    def __init__(self) -> None:
        self.clock = FakeClock()
        self.world = LocalWorld()
        self.adapter = LocalAdapter(self.world, self.clock)
        owner = self.world.add_user("Olu")
        admin = self.world.add_user("Ada")
        member = self.world.add_user("Mo")
        chat = self.world.add_group("Riverside Residents", owner=owner, admins=(admin,), members=(member,))
        chat.members.add("1000")
        chat.bot_rights = MemberRights.all()
        self.group = self.adapter.chat_ref(chat)
        self.admin = self.adapter.user_ref(admin)
        self.member = self.adapter.user_ref(member)
        self.received: list[Event] = []

    async def _sink(self, event: Event) -> None:
        self.received.append(event)

    def now(self) -> datetime:
        return self.clock.now()

    async def user_sends(self, user: UserRef, chat: ChatRef, text: str) -> Event:
        return await self.adapter.user_sends(self.world.users[user.id], self.world.chats[chat.id], text)

    async def press_button(self, user: UserRef, message: MessageRef, data: str) -> Event:
        return await self.adapter.press_button(self.world.users[user.id], self.world.chats[message.chat.id],
                                               message.id, data)

    def _chat_id(self, target: Target) -> str:
        return target.id

    def texts_in(self, target: Target) -> list[str]:
        chat = self.world.chats.get(target.id)
        return [m.text for m in chat.messages if not m.deleted and m.sender_id == "1000" and m.filename is None] \
            if chat else []

    def files_in(self, target: Target) -> list[str]:
        chat = self.world.chats.get(target.id)
        return [m.filename for m in chat.messages if m.filename] if chat else []

    def is_pinned(self, message: MessageRef) -> bool:
        return any(m.pinned for m in self.world.chats[message.chat.id].messages if m.id == message.id)

    def is_muted(self, chat: ChatRef, user: UserRef) -> bool:
        until = self.world.chats[chat.id].muted_until.get(user.id)
        return until is not None and until > self.clock.now()

    def is_member(self, chat: ChatRef, user: UserRef) -> bool:
        return user.id in self.world.chats[chat.id].members

    def bot_is_member(self, chat: ChatRef) -> bool:
        return self.world.bot_is_member(chat.id)


@pytest.fixture
async def harness() -> LocalHarness:
    harness = LocalHarness()
    await harness.adapter.start(harness._sink)
    return harness


class TestLocalAdapterContract(AdapterContract):
    pass
