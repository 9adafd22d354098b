"""The executor: carries out actions on the right adapter, with an audit row written *before* each platform call
(a batch's rows together, usually in the event's own transaction) and the batch's outcomes together after.
Platform limits are checked here first, so a bad request never reaches a platform. Only the dispatcher calls it:
handlers return actions (and `FollowUp`s when they need the results)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import actions as a
from bot.adapter import Adapter
from bot.clock import Clock
from bot.errors import ActionRefused, BotNotInChat, ChatMigrated, Forbidden, PlatformError
from bot.refs import ChatRef, MessageRef, Platform, UserRef
from bot.rights import AdapterCapabilities
from bot.action_codec import encode_action
from bot.storage import audit, held_notes
from bot.storage import outbox as outbox_rows
from bot.storage.database import Database

log = logging.getLogger(__name__)

LeftChatHook = Callable[[ChatRef], Awaitable[None]]
MigratedHook = Callable[[ChatRef, ChatRef], Awaitable[None]]

# How late after its decision an action may be carried out and still pass a lower bound on how long it lasts.
# The decision checked the bound exactly at its own moment; checking it again milliseconds (or a 429's pause)
# later would refuse the shortest mute every time. Adapters keep the end safe at the moment of each call.
LATE_BY = timedelta(seconds=10)


def _where(action: a.Action) -> tuple[str | None, str | None]:
    """(chat id, target) of an action, for the audit row."""
    match action:
        case a.SendMessage(target=UserRef() as user) | a.SendFile(target=UserRef() as user):
            return None, f"user:{user.id}"
        case a.SendMessage(target=ChatRef() as chat) | a.SendFile(target=ChatRef() as chat):
            return chat.id, None
        case a.EditMessage(message=m) | a.DeleteMessage(message=m) | a.PinMessage(message=m):
            return m.chat.id, f"message:{m.id}"
        case a.MuteMember() | a.UnmuteMember() | a.BanMember() | a.UnbanMember() | a.KickMember():
            return action.chat.id, f"user:{action.user.id}"
        case a.LeaveChat(chat=chat) | a.AnswerButton(chat=chat) | a.SetSlowMode(chat=chat):
            return chat.id, None
    return None, None


def _chat_of(action: a.Action) -> ChatRef | None:
    """The chat an action happens in, if any (a private message to a person has none)."""
    chat = getattr(action, "chat", None) or getattr(action, "target", None)
    if chat is None and hasattr(action, "message"):
        chat = action.message.chat
    return chat if isinstance(chat, ChatRef) else None


def _moved(action: a.Action, new_id: str) -> a.Action | None:
    """The same action in the chat's new place; None for one about a message, whose id belonged to the old
    chat."""
    match action:
        case a.SendMessage(target=ChatRef() as chat) | a.SendFile(target=ChatRef() as chat):
            return replace(action, target=replace(chat, id=new_id))
        case a.MuteMember() | a.UnmuteMember() | a.BanMember() | a.UnbanMember() | a.KickMember() \
                | a.SetSlowMode() | a.LeaveChat():
            return replace(action, chat=replace(action.chat, id=new_id))
    return None


def check_limits(action: a.Action, limits: AdapterCapabilities, now: datetime, *,
                 late_by: timedelta = timedelta(0)) -> None:
    """Refuse, in plain words, what the platform would reject or silently misread. `late_by`: how long after
    the decision this check may come (see `LATE_BY`)."""
    match action:
        case a.MuteMember(until=until):
            seconds = (until - now).total_seconds()
            if limits.min_mute_seconds is not None and seconds + late_by.total_seconds() < limits.min_mute_seconds:
                raise ActionRefused(f"a mute must last at least {limits.min_mute_seconds} seconds here")
            if limits.max_mute_seconds is not None and seconds > limits.max_mute_seconds:
                raise ActionRefused(f"a mute can last at most {limits.max_mute_seconds // 86400} days here")
        case a.DeleteMessage(sent_at=sent_at) if sent_at is not None and limits.max_delete_age_seconds:
            if (now - sent_at).total_seconds() > limits.max_delete_age_seconds:
                hours = limits.max_delete_age_seconds // 3600
                raise ActionRefused(f"messages older than {hours} hours can't be deleted here")
        case a.PinMessage() if not limits.supports_pin:
            raise ActionRefused("pinning isn't available here")
        case a.SetSlowMode() if not limits.supports_slow_mode:
            raise ActionRefused(f"{action.platform.value.title()} doesn't let bots set slow mode; a group admin "
                                "can turn it on in the group's settings")


def _outcome(result: a.ActionResult) -> str:
    return "ok" if result.ok else f"{type(result.error).__name__}: {result.error}"


def _unreachable(result: a.ActionResult) -> a.SendMessage | None:
    """The private notice that could not reach its person, if that is what failed. A bot removed from a chat is
    not a person who can't be reached: that goes to the left-chat hooks instead."""
    action = result.action
    if (not result.ok and isinstance(action, a.SendMessage) and isinstance(action.target, UserRef)
            and isinstance(result.error, Forbidden) and not isinstance(result.error, BotNotInChat)):
        return action
    return None


class CarriedOutElsewhere(PlatformError):
    """Another instance took this action from the outbox (it found this one's rows and judged it gone)."""
def _stand_in(result: a.ActionResult) -> a.SendMessage | None:
    """What to send when a private notice could not reach its person."""
    missed = _unreachable(result)
    return missed.if_unreachable if missed is not None else None


class Executor:
    def __init__(self, db: Database, adapters: Mapping[Platform, Adapter], clock: Clock, *,
                 instance: str | None = None) -> None:
        self.db = db
        self.adapters = dict(adapters)
        self.clock = clock
        # Set by the App (bot/outbox.py): actions recorded in an event's transaction then also go to the outbox,
        # under this instance's name, and leave it just before their call.
        self.instance = instance
        self._outboxed: set[int] = set()
        self._left_chat_hooks: list[LeftChatHook] = []
        self._migrated_hooks: list[MigratedHook] = []

    def on_bot_not_in_chat(self, hook: LeftChatHook) -> None:
        """Called when a platform says the bot is no longer in a chat (e.g. a 403 after being removed)."""
        self._left_chat_hooks.append(hook)

    def on_chat_migrated(self, hook: MigratedHook) -> None:
        """Called with (old, new) when a call meets a chat that moved to a new id (a Telegram upgrade)."""
        self._migrated_hooks.append(hook)

    async def record(self, tx: AsyncSession, actions: Sequence[a.Action], *, outbox: bool = False) -> list[int]:
        """Pending audit rows for `actions`, in the caller's transaction (the event's one write), before any call.
        With `outbox` (the dispatcher's event transactions) each action is also put in the outbox, so that it is
        carried out even if this process dies before getting to it."""
        now = self.clock.now()
        rows = []
        for action in actions:
            chat_id, target = _where(action)
            rows.append(dict(at=now, platform=str(action.platform), action=type(action).__name__, chat_id=chat_id,
                             target=target, reason=action.reason))
        ids = await audit.record_many(tx, rows)
        if outbox and self.instance is not None:
            # A button's spinner cannot be answered after a restart (Telegram gives ~15 s): not worth a row.
            kept = [(row_id, encode_action(action)) for row_id, action in zip(ids, actions, strict=True)
                    if not isinstance(action, a.AnswerButton)]
            await outbox_rows.add(tx, kept, at=now, owner=self.instance)
            self._outboxed.update(row_id for row_id, _ in kept)
        return ids

    async def _take_from_outbox(self, audit_ids: Sequence[int]) -> set[int]:
        """Just before the calls: delete the batch's outbox rows, committed, so that from here on a crash leaves
        these actions as "may have happened" (never carried out twice). Returns the ids that were no longer
        there: another instance already took them, and they must not be carried out here."""
        mine = [row_id for row_id in audit_ids if row_id in self._outboxed]
        if not mine:
            return set()
        self._outboxed.difference_update(mine)
        async with self.db.unit_of_work() as tx:
            owned = await outbox_rows.take(tx, mine)
        return set(mine) - owned

    async def execute(self, actions: Iterable[a.Action], *, audit_ids: Sequence[int] | None = None
                      ) -> list[a.ActionResult]:
        """Carry out `actions` in order. Their audit rows are written first, together (unless the caller already
        wrote them in its own transaction: `audit_ids`), and their outcomes together after the last call."""
        actions = list(actions)
        if not actions:
            return []
        taken: set[int] = set()
        if audit_ids is None:
            async with self.db.unit_of_work() as tx:
                audit_ids = await self.record(tx, actions)
        else:
            taken = await self._take_from_outbox(audit_ids)
        results = []
        outcomes: list[tuple[int, str]] = []
        stand_ins: set[tuple[object, str]] = set()
        held: list[a.SendMessage] = []
        for action, row_id in zip(actions, audit_ids, strict=True):
            if row_id in taken:
                results.append(a.ActionResult(action, False, error=CarriedOutElsewhere("another instance")))
                continue
            result = await self._attempt(action)
            results.append(result)
            outcomes.append((row_id, _outcome(result)))
            missed = _unreachable(result)
            if missed is not None and missed.hold_if_unreachable:
                held.append(missed)
            stand_in = _stand_in(result)
            # One line per person and group is enough, however many notices to them failed in this batch.
            if stand_in is not None and (stand_in.target, stand_in.text) not in stand_ins:
                stand_ins.add((stand_in.target, stand_in.text))
                await self.perform(stand_in)
        async with self.db.unit_of_work() as tx:
            await audit.set_outcomes(tx, outcomes)
            for note in held:
                await held_notes.hold(tx, platform=str(note.platform), user_id=note.target.id, text=note.text,
                                      buttons=note.buttons, reason=note.reason, now=self.clock.now())
        return results

    async def perform(self, action: a.Action) -> a.ActionResult:
        """One action with its own audit row before the call and its outcome after."""
        return (await self.execute([action]))[0]

    async def _attempt(self, action: a.Action) -> a.ActionResult:
        result = await self._try(action)
        if isinstance(result.error, ChatMigrated):
            # The stored ids follow the chat (the hooks), and this call goes to where the chat is now, once.
            old = _chat_of(action)
            moved = _moved(action, result.error.new_chat_id)
            if old is not None:
                await self._chat_migrated(old, ChatRef(old.platform, result.error.new_chat_id))
            if moved is not None:
                return await self._try(moved)
        return result

    async def _chat_migrated(self, old: ChatRef, new: ChatRef) -> None:
        for hook in self._migrated_hooks:
            try:
                await hook(old, new)
            except Exception:
                log.exception("chat-migrated hook failed for chat=%s -> %s", old, new)

    async def _try(self, action: a.Action) -> a.ActionResult:
        try:
            adapter = self.adapters.get(action.platform)
            if adapter is None:
                raise ActionRefused(f"no {action.platform} adapter is running")
            check_limits(action, adapter.capabilities, self.clock.now(), late_by=LATE_BY)
            message = await self._call(adapter, action)
            return a.ActionResult(action, True, message=message)
        except PlatformError as error:
            chat_id, target = _where(action)
            log.warning("%s on chat=%s target=%s failed: %s: %s", type(action).__name__, chat_id, target,
                        type(error).__name__, error)
            if isinstance(error, BotNotInChat) and chat_id is not None:
                await self._bot_not_in_chat(action)
            return a.ActionResult(action, False, error=error)

    async def _bot_not_in_chat(self, action: a.Action) -> None:
        chat = _chat_of(action)
        if chat is not None:
            for hook in self._left_chat_hooks:
                try:
                    await hook(chat)
                except Exception:
                    log.exception("left-chat hook failed for chat=%s", chat)

    @staticmethod
    async def _call(adapter: Adapter, action: a.Action) -> MessageRef | None:
        match action:
            case a.SendMessage():
                return await adapter.send_message(action.target, action.text, buttons=action.buttons,
                                                  reply_to=action.reply_to, answers=action.answers)
            case a.EditMessage():
                await adapter.edit_message(action.message, action.text, buttons=action.buttons)
            case a.DeleteMessage():
                await adapter.delete_message(action.message, reason=action.reason)
            case a.PinMessage():
                await adapter.pin_message(action.message)
            case a.SendFile():
                return await adapter.send_file(action.target, action.filename, action.content,
                                               caption=action.caption)
            case a.MuteMember():
                await adapter.mute_member(action.chat, action.user, action.until, reason=action.reason)
            case a.UnmuteMember():
                await adapter.unmute_member(action.chat, action.user, reason=action.reason)
            case a.BanMember():
                await adapter.ban_member(action.chat, action.user, action.until, reason=action.reason)
            case a.UnbanMember():
                await adapter.unban_member(action.chat, action.user, reason=action.reason)
            case a.KickMember():
                await adapter.kick_member(action.chat, action.user, reason=action.reason)
            case a.SetSlowMode():
                await adapter.set_slow_mode(action.chat, action.seconds, reason=action.reason)
            case a.LeaveChat():
                await adapter.leave_chat(action.chat)
            case a.AnswerButton():
                await adapter.answer_button(action.chat, action.press_id, action.text)
            case _:
                raise ActionRefused(f"unknown action {type(action).__name__}")
        return None
