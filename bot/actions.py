"""Actions: what the core wants done on a platform, in the imperative. Pure decisions return them; the
executor records an audit row and then asks the right adapter to carry each one out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.refs import Button, ChatRef, MessageRef, Platform, UserRef

Target = ChatRef | UserRef  # a UserRef target means "in a private chat with that user"


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    # Why the bot did it, for the audit row (a rule clause, a command, "consent"); never message content.
    reason: str = ""

    @property
    def platform(self) -> Platform:
        raise NotImplementedError


@dataclass(frozen=True, slots=True, kw_only=True)
class SendMessage(Action):
    target: Target
    text: str
    buttons: tuple[Button, ...] = ()
    reply_to: MessageRef | None = None
    # The command this message answers (CommandReceived.interaction_id). Discord then completes that slash
    # command's "thinking…" placeholder with it; platforms without interactions ignore it.
    answers: str | None = None
    # Set when the caller wants to recognise the sent message later (e.g. a question's vote message).
    tag: str | None = None
    # For a private notice: what to send instead when the platform refuses to reach the person privately
    # (they never opened a chat with the bot, blocked it, or closed their DMs). The caller decides, because
    # only it knows which group the notice concerns and whether naming the person there is safe.
    if_unreachable: SendMessage | None = None
    # A private note the platform won't deliver now is kept and delivered when the person next /starts the bot
    # (bot/storage/held_notes.py), so it is never simply lost. Off for a redelivery, which must not loop.
    hold_if_unreachable: bool = True

    @property
    def platform(self) -> Platform:
        return self.target.platform


@dataclass(frozen=True, slots=True, kw_only=True)
class EditMessage(Action):
    message: MessageRef
    text: str
    buttons: tuple[Button, ...] = ()

    @property
    def platform(self) -> Platform:
        return self.message.chat.platform


@dataclass(frozen=True, slots=True, kw_only=True)
class DeleteMessage(Action):
    message: MessageRef
    sent_at: datetime | None = None  # lets the executor refuse deletes the platform would reject

    @property
    def platform(self) -> Platform:
        return self.message.chat.platform


@dataclass(frozen=True, slots=True, kw_only=True)
class PinMessage(Action):
    message: MessageRef

    @property
    def platform(self) -> Platform:
        return self.message.chat.platform


@dataclass(frozen=True, slots=True, kw_only=True)
class SendFile(Action):
    target: Target
    filename: str
    content: bytes
    caption: str = ""

    @property
    def platform(self) -> Platform:
        return self.target.platform


@dataclass(frozen=True, slots=True, kw_only=True)
class _MemberAction(Action):
    chat: ChatRef
    user: UserRef

    @property
    def platform(self) -> Platform:
        return self.chat.platform


@dataclass(frozen=True, slots=True, kw_only=True)
class MuteMember(_MemberAction):
    until: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class UnmuteMember(_MemberAction):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class BanMember(_MemberAction):
    until: datetime | None = None  # None: until unbanned


@dataclass(frozen=True, slots=True, kw_only=True)
class UnbanMember(_MemberAction):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class KickMember(_MemberAction):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class SetSlowMode(Action):
    """Seconds each member must wait between messages in a chat; 0 turns slow mode off."""

    chat: ChatRef
    seconds: int

    @property
    def platform(self) -> Platform:
        return self.chat.platform


@dataclass(frozen=True, slots=True, kw_only=True)
class LeaveChat(Action):
    chat: ChatRef

    @property
    def platform(self) -> Platform:
        return self.chat.platform


@dataclass(frozen=True, slots=True, kw_only=True)
class AnswerButton(Action):
    """Acknowledge a button press (Telegram answerCallbackQuery / Discord interaction response)."""

    chat: ChatRef
    press_id: str
    text: str = ""

    @property
    def platform(self) -> Platform:
        return self.chat.platform


@dataclass(frozen=True, slots=True)
class ActionResult:
    action: Action
    ok: bool
    message: MessageRef | None = None
    error: Exception | None = None


ResultsHandler = Callable[[list[ActionResult]], Awaitable[Sequence["Step"]]]


@dataclass(frozen=True, slots=True)
class FollowUp:
    """Do `actions`, then hand their results (a sent message's ref, a failure) to `then`; the steps it returns
    are done next. This is how a handler learns what happened without calling the executor itself: the
    dispatcher carries the results back, and whatever `then` writes is one more unit of work of its own."""

    actions: tuple[Action, ...]
    then: ResultsHandler


Step = Action | FollowUp
