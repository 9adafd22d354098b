"""The adapter contract: one suite every adapter must pass (local, Telegram, Discord).

Use it by subclassing `AdapterContract` in a test module that provides a `harness` fixture satisfying
`ContractHarness`: a started adapter wired to a (fake) platform with a group, an admin and a member."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

import pytest

from bot.actions import Target
from bot.adapter import Adapter
from bot.errors import PlatformError
from bot.events import ButtonPressed, CommandReceived, Event, MessageReceived
from bot.refs import Button, ChatRef, MessageRef, UserRef
from bot.rights import MemberRights


class ContractHarness(Protocol):
    adapter: Adapter
    group: ChatRef
    admin: UserRef  # an admin (not the owner) of `group`
    member: UserRef  # an ordinary member of `group`
    received: list[Event]  # every event the adapter delivered to its sink, in order

    def now(self) -> datetime: ...

    async def user_sends(self, user: UserRef, chat: ChatRef, text: str) -> Event:
        """Make the platform deliver `text` from `user`; return the event the adapter produced."""

    async def press_button(self, user: UserRef, message: MessageRef, data: str) -> Event: ...

    def texts_in(self, target: Target) -> list[str]:
        """Texts the bot has posted in that chat (or private chat with that user), oldest first, not deleted."""

    def files_in(self, target: Target) -> list[str]: ...

    def is_pinned(self, message: MessageRef) -> bool: ...

    def is_muted(self, chat: ChatRef, user: UserRef) -> bool: ...

    def is_member(self, chat: ChatRef, user: UserRef) -> bool: ...

    def bot_is_member(self, chat: ChatRef) -> bool: ...


class AdapterContract:
    async def test_send_message_is_visible(self, harness: ContractHarness) -> None:
        ref = await harness.adapter.send_message(harness.group, "Hello, residents <b>&</b>")
        assert isinstance(ref, MessageRef) and ref.chat.id == harness.group.id
        assert harness.texts_in(harness.group)[-1] == "Hello, residents <b>&</b>"

    async def test_long_message_is_split_and_loses_nothing(self, harness: ContractHarness) -> None:
        limit = harness.adapter.capabilities.max_message_length
        text = ("Ünïcödé 🙂 " * 1000)[: limit + 900]
        before = len(harness.texts_in(harness.group))
        await harness.adapter.send_message(harness.group, text)
        parts = harness.texts_in(harness.group)[before:]
        assert len(parts) >= 2
        assert all(len(part) <= limit for part in parts)
        assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")

    async def test_private_message_to_a_user(self, harness: ContractHarness) -> None:
        await harness.adapter.send_message(harness.member, "Your question was received.")
        assert harness.texts_in(harness.member)[-1] == "Your question was received."

    async def test_edit_message(self, harness: ContractHarness) -> None:
        ref = await harness.adapter.send_message(harness.group, "Question 1 · 0 votes",
                                                 buttons=(Button("👍 0", "vote:1"),))
        await harness.adapter.edit_message(ref, "Question 1 · 1 vote", buttons=(Button("👍 1", "vote:1"),))
        assert "Question 1 · 1 vote" in harness.texts_in(harness.group)

    async def test_delete_own_message(self, harness: ContractHarness) -> None:
        ref = await harness.adapter.send_message(harness.group, "to be deleted")
        await harness.adapter.delete_message(ref)
        assert "to be deleted" not in harness.texts_in(harness.group)

    async def test_pin_message(self, harness: ContractHarness) -> None:
        ref = await harness.adapter.send_message(harness.group, "Transparency notice")
        await harness.adapter.pin_message(ref)
        assert harness.is_pinned(ref)

    async def test_send_file(self, harness: ContractHarness) -> None:
        await harness.adapter.send_file(harness.group, "surgery.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                                        caption="Add it to your calendar")
        assert "surgery.ics" in harness.files_in(harness.group)

    async def test_mute_then_unmute(self, harness: ContractHarness) -> None:
        await harness.adapter.mute_member(harness.group, harness.member, harness.now() + timedelta(minutes=10))
        assert harness.is_muted(harness.group, harness.member)
        await harness.adapter.unmute_member(harness.group, harness.member)
        assert not harness.is_muted(harness.group, harness.member)

    async def test_kick_removes_member(self, harness: ContractHarness) -> None:
        await harness.adapter.kick_member(harness.group, harness.member)
        assert not harness.is_member(harness.group, harness.member)

    async def test_ban_then_unban(self, harness: ContractHarness) -> None:
        await harness.adapter.ban_member(harness.group, harness.member)
        assert not harness.is_member(harness.group, harness.member)
        await harness.adapter.unban_member(harness.group, harness.member)

    async def test_restricting_an_admin_is_refused(self, harness: ContractHarness) -> None:
        with pytest.raises(PlatformError):
            await harness.adapter.mute_member(harness.group, harness.admin, harness.now() + timedelta(minutes=10))

    async def test_leave_chat(self, harness: ContractHarness) -> None:
        await harness.adapter.leave_chat(harness.group)
        assert not harness.bot_is_member(harness.group)

    async def test_member_status_and_rights(self, harness: ContractHarness) -> None:
        admin = await harness.adapter.get_member(harness.group, harness.admin)
        member = await harness.adapter.get_member(harness.group, harness.member)
        assert admin.is_admin and not member.is_admin and member.is_present
        rights = await harness.adapter.get_bot_rights(harness.group)
        assert isinstance(rights, MemberRights)

    async def test_command_becomes_command_received(self, harness: ContractHarness) -> None:
        event = await harness.user_sends(harness.member, harness.group, "/about")
        assert isinstance(event, CommandReceived)
        assert event.name == "about" and event.sender.user == harness.member and event.chat.id == harness.group.id
        assert event.update_key

    async def test_command_with_arguments(self, harness: ContractHarness) -> None:
        event = await harness.user_sends(harness.member, harness.group, "/ask When will the bins be collected?")
        assert isinstance(event, CommandReceived)
        assert event.name == "ask" and event.args == "When will the bins be collected?"

    async def test_plain_message_becomes_message_received(self, harness: ContractHarness) -> None:
        event = await harness.user_sends(harness.member, harness.group, "just chatting 👋")
        assert isinstance(event, MessageReceived) and event.text == "just chatting 👋"

    async def test_button_press(self, harness: ContractHarness) -> None:
        ref = await harness.adapter.send_message(harness.group, "Vote?", buttons=(Button("👍", "vote:7"),))
        event = await harness.press_button(harness.member, ref, "vote:7")
        assert isinstance(event, ButtonPressed) and event.data == "vote:7" and event.sender.user == harness.member
        await harness.adapter.answer_button(harness.group, event.press_id, "Vote counted")

    async def test_each_update_has_its_own_key(self, harness: ContractHarness) -> None:
        first = await harness.user_sends(harness.member, harness.group, "one")
        second = await harness.user_sends(harness.member, harness.group, "two")
        assert first.update_key != second.update_key
