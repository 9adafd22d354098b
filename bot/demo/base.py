"""What every part of `surgerybot demo` plays on: the local world, the real App on a SQLite file, a scripted
clock, and the transcript that prints who said what and what the bot did."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from adapters.local import LocalAdapter, LocalWorld
from adapters.local.world import LocalChat, LocalMessage, LocalUser
from bot.app import App
from bot.demo.clock import ScriptedClock
from bot.operator import Operator
from config.settings import CouncilSettings, Language, Settings

Print = Callable[[str], None]


class Transcript:
    """Prints people's actions as they happen and the bot's platform calls as they appear in the world."""

    def __init__(self, world: LocalWorld, clock: ScriptedClock, out: Print) -> None:
        self.world, self.clock, self.out = world, clock, out
        self.seen = 0

    def _chat_name(self, chat_id: str | None) -> str:
        chat = self.world.chats.get(chat_id or "")
        if chat is None:
            return chat_id or "?"
        return f"private chat with {chat.title}" if chat.kind == "private" else chat.title

    def stamp(self) -> str:
        return self.clock.now().strftime("%H:%M")

    def heading(self, text: str) -> None:
        self.out(f"\n── {text} " + "─" * max(0, 70 - len(text)))

    def person(self, who: str, where: str, what: str) -> None:
        self.out(f"[{self.stamp()}] {who} in {where}: {what}")

    def operator(self, what: str) -> None:
        self.out(f"[{self.stamp()}] operator$ {what}")

    def note(self, what: str) -> None:
        self.out(f"         {what}")

    def skip(self) -> int:
        """Pass over the bot's calls so far without printing them (a note says what they were); how many."""
        skipped = len(self.world.calls) - self.seen
        self.seen = len(self.world.calls)
        return skipped

    def flush(self) -> None:
        for call in self.world.calls[self.seen:]:
            if call.method == "get_member":
                continue
            where = self._chat_name(call.chat_id)
            if call.method == "send_message":
                text = call.args["text"].replace("\n", "\n           ")
                buttons = f"  [{' | '.join(call.args['buttons'])}]" if call.args.get("buttons") else ""
                self.out(f"[{self.stamp()}] 🤖 → {where}: {text}{buttons}")
            elif call.method == "send_file":
                self.out(f"[{self.stamp()}] 🤖 → {where}: 📎 {call.args['filename']} ({call.args['size']} bytes)")
            else:
                details = ", ".join(f"{k}={v}" for k, v in call.args.items() if k != "text")
                self.out(f"[{self.stamp()}] 🤖 {call.method} in {where}" + (f" ({details})" if details else ""))
        self.seen = len(self.world.calls)


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
        self.t.person(user.name, where, text)
        await self.adapter.user_sends(user, chat, text, reply_to=reply_to)
        self.t.flush()

    async def advance(self, delta: timedelta) -> None:
        self.clock.advance(delta)
        self.t.note(f"(time passes: {delta})")
        await self.app.timers.run_due()
        self.t.flush()
