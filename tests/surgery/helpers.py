"""Small helpers for surgery scenarios on the local adapter."""

from __future__ import annotations

from adapters.local.world import BOT_USER_ID, LocalChat, LocalMessage, LocalUser
from tests.scenario import Scenario


def question_message(s: Scenario, chat: LocalChat, number: int) -> LocalMessage:
    for message in chat.messages:
        if message.sender_id == BOT_USER_ID and message.text.startswith(f"❓ #{number} "):
            return message
    raise AssertionError(f"no message for question #{number} in {chat.title}")


async def vote(s: Scenario, user: LocalUser, chat: LocalChat, number: int) -> str:
    """Press 👍 under question `number`; returns the toast the bot answered with."""
    message = question_message(s, chat, number)
    vote_buttons = [b for b in message.buttons if b.data.startswith("vote:")]
    data = vote_buttons[0].data if vote_buttons else "vote:0"
    await s.adapter.press_button(user, chat, message.id, data)
    return s.calls("answer_button")[-1].args["text"]


async def press(s: Scenario, user: LocalUser, chat: LocalChat, label: str) -> None:
    """Press the button labelled `label` on the bot's latest message that has it."""
    for message in reversed(chat.messages):
        for button in message.buttons:
            if button.label == label:
                await s.adapter.press_button(user, chat, message.id, button.data)
                return
    raise AssertionError(f"no button {label!r} in {chat.title}")


def bot_texts_since(s: Scenario, chat: LocalChat, mark: int) -> list[str]:
    return [m.text for m in chat.messages[mark:] if m.sender_id == BOT_USER_ID]


async def surgery_ready(s: Scenario, when: str = "today 18:30 1h Bins") -> None:
    """An active community, Jane linked as councillor, Priya a facilitator, and a session scheduled."""
    await s.invite_and_join()
    await s.link_councillor(s.jane)
    await s.say(s.ada, s.riverside, "/surgery facilitator add @Priya")
    await s.say(s.jane, s.riverside, f"/surgery schedule {when}")
