"""What every part of `surgerybot demo` plays on: the local world, the real App on a SQLite file, a scripted
clock, and the transcript that prints who said what and what the bot did."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from adapters.local import LocalAdapter, LocalWorld
from adapters.local.world import LocalChat, LocalMessage, LocalUser, PostRefused
from bot.app import App
from bot.demo.clock import OPENING, ScriptedClock
from bot.operator import Operator
from config.settings import CouncilSettings, Language, Settings

Print = Callable[[str], None]


# A line longer than this (the 1,000-character question) is cut to its start and its length: the reader needs to
# know it was long, not to scroll past it.
LONG_LINE = 500
SHORT_EDIT = 70


def cut(text: str, limit: int = LONG_LINE) -> str:
    return "\n".join(line if len(line) <= limit else f"{line[:60]}… ({len(line):,} characters)"
                     for line in text.split("\n"))


class Transcript:
    """Prints people's actions as they happen and the bot's platform calls as they appear in the world, in the
    words people see: button labels, names and times, never callback data or internal ids."""

    def __init__(self, world: LocalWorld, clock: ScriptedClock, out: Print) -> None:
        self.world, self.clock, self.out = world, clock, out
        self.seen = 0
        self.sections = 0
        self.recent: list[str] = []  # this section's lines, for parts that narrate what went unsaid

    def _chat_name(self, chat_id: str | None) -> str:
        chat = self.world.chats.get(chat_id or "")
        if chat is None:
            return chat_id or "?"
        return f"private chat with {chat.title}" if chat.kind == "private" else chat.title

    def name_of(self, user_id: object) -> str:
        user = self.world.users.get(str(user_id))
        return user.name if user else "someone"

    def author_of(self, chat_id: str | None, message_id: object) -> str:
        chat = self.world.chats.get(chat_id or "")
        message = next((m for m in chat.messages if m.id == str(message_id)), None) if chat else None
        return self.name_of(message.sender_id) if message else "someone"

    def _print(self, line: str) -> None:
        self.recent.append(line)
        self.out(line)

    def stamp(self) -> str:
        """The time; the day too once the story has left the surgery evening."""
        now = self.clock.now()
        return now.strftime("%H:%M") if now.date() == OPENING.date() else now.strftime("%a %d %b %H:%M")

    def heading(self, text: str) -> None:
        """Sections are numbered here, in the order they run, whichever part of the script plays them."""
        self.sections += 1
        title = f"{self.sections}. {text}"
        self.recent = []
        self.out(f"\n── {title} " + "─" * max(0, 70 - len(title)))

    def person(self, who: str, where: str, what: str) -> None:
        self._print(f"[{self.stamp()}] {who} in {where}: {cut(what)}")

    def operator(self, what: str) -> None:
        self._print(f"[{self.stamp()}] operator$ {what}")

    def note(self, what: str) -> None:
        self._print(f"         {what}")

    def skip(self) -> int:
        """Pass over the bot's calls so far without printing them (a note says what they were); how many."""
        skipped = len(self.world.calls) - self.seen
        self.seen = len(self.world.calls)
        return skipped

    @staticmethod
    def _labels(call_args: dict) -> str:
        labels = call_args.get("labels") or ()
        return f"  [{' | '.join(labels)}]" if labels else ""

    def _line(self, method: str, chat_id: str | None, args: dict, where: str | None = None) -> str | None:
        """One bot call as a reader would describe it; None for reads that change nothing people see."""
        where = where or self._chat_name(chat_id)
        match method:
            case "get_member":
                return None
            case "send_message":
                text = cut(args["text"]).replace("\n", "\n           ")
                return f"🤖 → {where}: {text}{self._labels(args)}"
            case "send_file":
                return f"🤖 → {where}: 📎 {args['filename']} ({args['size']} bytes)"
            case "edit_message":
                first = args["text"].split("\n")[0]
                shown = first if len(first) <= SHORT_EDIT else first[:SHORT_EDIT] + "…"
                return f"🤖 ✎ updates its message in {where}: “{shown}”{self._labels(args)}"
            case "answer_button":
                toast = args.get("text")
                return f"🤖 ↳ answers the press, seen only by who pressed: “{toast}”" if toast else None
            case "pin_message":
                return f"🤖 📌 pins that message in {where}"
            case "delete_message":
                return f"🤖 🗑 deletes {self.author_of(chat_id, args['message_id'])}'s message in {where}"
            case "mute_member":
                until = datetime.fromisoformat(args["until"]).strftime("%H:%M")
                return f"🤖 🔇 mutes {self.name_of(args['user_id'])} in {where} until {until}"
            case "unmute_member":
                return f"🤖 🔈 lets {self.name_of(args['user_id'])} post again in {where}"
            case "ban_member":
                return f"🤖 ⛔ bans {self.name_of(args['user_id'])} from {where}"
            case "unban_member":
                return f"🤖 lifts {self.name_of(args['user_id'])}'s ban in {where}"
            case "kick_member":
                return f"🤖 👋 removes {self.name_of(args['user_id'])} from {where}"
            case "set_slow_mode":
                seconds = args["seconds"]
                return f"🤖 🐢 sets slow mode in {where}: " + (f"{seconds} seconds" if seconds else "off")
            case "leave_chat":
                return f"🤖 👋 leaves {where}"
        return f"🤖 {method.replace('_', ' ')} in {where}"

    def _where_all(self, chat_ids: list[str | None]) -> str:
        chats = [self.world.chats.get(chat_id or "") for chat_id in chat_ids]
        if len(chats) > 1 and all(chat is not None and chat.kind == "private" for chat in chats):
            return "private chats with " + " and ".join(chat.title for chat in chats if chat is not None)
        return " and ".join(self._chat_name(chat_id) for chat_id in chat_ids)

    def flush(self) -> None:
        """Print the bot's new calls. The same message sent to several chats in a row (a joint surgery's groups,
        every facilitator) is one line naming them all."""
        calls = self.world.calls[self.seen:]
        self.seen = len(self.world.calls)
        i = 0
        while i < len(calls):
            call, chat_ids = calls[i], [calls[i].chat_id]
            if call.method in ("send_message", "edit_message"):
                same = (call.method, call.args.get("text"), tuple(call.args.get("labels") or ()))
                while i + 1 < len(calls) and calls[i + 1].chat_id not in chat_ids and same == (
                        calls[i + 1].method, calls[i + 1].args.get("text"),
                        tuple(calls[i + 1].args.get("labels") or ())):
                    i += 1
                    chat_ids.append(calls[i].chat_id)
            line = self._line(call.method, call.chat_id, call.args, self._where_all(chat_ids))
            if line is not None:
                self._print(f"[{self.stamp()}] {line}")
            i += 1


class DemoStage:
    """The App, its local world and the operator, wired as production wires them; the script's parts act on it."""

    def __init__(self, database: Path, out: Print, language: str = "en") -> None:
        self.clock = ScriptedClock()
        self.world = LocalWorld()
        self.adapter = LocalAdapter(self.world, self.clock)
        # `language` is the council's default (`surgerybot demo --language cy`): every group and chat speaks it.
        self.settings = Settings(database_url=f"sqlite+aiosqlite:///{database}", _env_file=None,
                                 council=CouncilSettings(language=Language(language)))
        self.app = App(self.settings, adapters=[self.adapter], clock=self.clock)
        self.operator = Operator(self.app.db, self.settings, self.clock)
        self.t = Transcript(self.world, self.clock, out)

    def label(self, key: str, **values: object) -> str:
        """A button label or text as the bot writes it in the demo's language, to find what to press."""
        return self.app.ctx.messages.speaking(self.settings.council.language.value)(key, **values)

    async def say(self, user: LocalUser, chat: LocalChat, text: str, *, reply_to: LocalMessage | None = None) -> None:
        where = "private chat" if chat.kind == "private" else chat.title
        whom = f"  (replying to {self.t.name_of(reply_to.sender_id)})" if reply_to is not None else ""
        self.t.person(user.name, where, text + whom)
        try:
            await self.adapter.user_sends(user, chat, text, reply_to=reply_to)
        except PostRefused as refused:
            self.t.note(f"(the platform refuses the message: {refused}; neither the group nor the bot sees it)")
        self.t.flush()

    async def press(self, user: LocalUser, chat: LocalChat, label: str) -> LocalMessage:
        """Press the newest button with this label in the chat; the message it was under."""
        message = next(m for m in reversed(chat.messages) if any(b.label == label for b in m.buttons))
        button = next(b for b in message.buttons if b.label == label)
        where = "private chat" if chat.kind == "private" else chat.title
        self.t.person(user.name, where, f"(presses “{label}”)")
        await self.adapter.press_button(user, chat, message.id, button.data)
        self.t.flush()
        return message

    async def advance(self, delta: timedelta) -> None:
        self.clock.advance(delta)
        if delta < timedelta(days=1):
            self.t.note(f"(time passes: {delta})")
        else:
            self.t.note(f"(time passes: {delta.days} days, to {self.clock.now():%a %d %b %Y, %H:%M})")
        await self.app.timers.run_due()
        self.t.flush()

    async def advance_to(self, when: datetime) -> None:
        """Jump to a later moment of the story; every durable timer due meanwhile fires, as it would have."""
        await self.advance(when - self.clock.now())
