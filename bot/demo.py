"""`surgerybot demo`: a scripted walk through the product on the local adapter and a real SQLite file, using
the same App, handlers, executor and timers as production. Prints a transcript of who said what and what
the bot did. Each capability extends the script, so the demo always walks the whole product."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from adapters.local import LocalAdapter, LocalWorld
from adapters.local.world import LocalChat, LocalUser
from bot.app import App
from bot.clock import FakeClock
from bot.operator import Operator
from bot.rights import MemberRights
from config.settings import Settings

Print = Callable[[str], None]


class Transcript:
    """Prints people's actions as they happen and the bot's platform calls as they appear in the world."""

    def __init__(self, world: LocalWorld, clock: FakeClock, out: Print) -> None:
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


class DemoScript:
    def __init__(self, database: Path, out: Print) -> None:
        self.clock = FakeClock()
        self.world = LocalWorld()
        self.adapter = LocalAdapter(self.world, self.clock)
        self.settings = Settings(database_url=f"sqlite+aiosqlite:///{database}", _env_file=None)
        self.app = App(self.settings, adapters=[self.adapter], clock=self.clock)
        self.operator = Operator(self.app.db, self.settings, self.clock)
        self.t = Transcript(self.world, self.clock, out)

    async def say(self, user: LocalUser, chat: LocalChat, text: str, **kw) -> None:  # type: ignore[no-untyped-def]
        where = "private chat" if chat.kind == "private" else chat.title
        self.t.person(user.name, where, text)
        await self.adapter.user_sends(user, chat, text, **kw)
        self.t.flush()

    async def run(self) -> None:
        t, world = self.t, self.world
        await self.app.start(run_timers=False)  # the demo drives the timer service by hand as time jumps
        try:
            await self.script(t, world)
        finally:
            await self.app.stop()

    async def advance(self, delta: timedelta) -> None:
        self.clock.advance(delta)
        self.t.note(f"(time passes: {delta})")
        await self.app.timers.run_due()
        self.t.flush()

    async def script(self, t: Transcript, world: LocalWorld) -> None:
        ada = world.add_user("Ada")  # admin of Riverside Residents
        olu = world.add_user("Olu")  # owner of Riverside Residents
        mo = world.add_user("Mo")  # resident
        priya = world.add_user("Priya")  # resident
        jane = world.add_user("Cllr Jane")  # councillor
        riverside = world.add_group("Riverside Residents", owner=olu, admins=(ada,), members=(mo, priya, jane))
        hilltop = world.add_group("Hilltop Chat", owner=priya, members=(mo,))
        parkside = world.add_group("Parkside Parents", owner=olu, members=(mo,))

        t.heading("1. The council prepares an invitation and registers a councillor")
        invitation = await self.operator.create_invitation("Riverside Residents", "local", None)
        t.operator('surgerybot invite create --community "Riverside Residents" --platform local')
        t.note(f"invitation {invitation.id}: code {invitation.code} (stored only as a hash)")
        t.note(invitation.instructions)
        councillor = await self.operator.add_councillor("Cllr Jane Smith", "Riverside")
        t.operator('surgerybot councillor add --name "Cllr Jane Smith" --ward Riverside')
        t.note(councillor["instructions"])
        await self.say(jane, world.private_chat(jane.id), f"/link {councillor['link_code']}")

        t.heading("2. A resident who is not an admin adds the bot: it declines politely and leaves")
        t.person(mo.name, hilltop.title, "(adds the bot)")
        await self.adapter.add_bot(hilltop, by=mo)
        t.flush()

        t.heading("3. An admin adds the bot: it stays dormant until the invitation is completed")
        t.person(ada.name, riverside.title, "(adds the bot, with rights to delete, restrict and pin)")
        await self.adapter.add_bot(riverside, by=ada, rights=MemberRights(delete_messages=True, restrict_members=True,
                                                                          pin_messages=True))
        t.flush()
        await self.say(mo, riverside, "/surgery accept not-the-code-at-all")
        await self.say(ada, riverside, f"/surgery accept {invitation.code}")

        t.heading("4. A command round trip, and a redelivered update handled once")
        await self.say(priya, riverside, "/about")
        event = await self.adapter.user_sends(priya, riverside, "/privacy")
        t.person(priya.name, riverside.title, "/privacy")
        t.flush()
        await self.adapter.deliver(event)
        t.note("(the platform redelivers the same /privacy update: the bot does nothing twice)")
        t.flush()

        t.heading("5. Admins appoint a facilitator; residents can't")
        await self.say(mo, riverside, "/surgery facilitator add @Priya")
        await self.say(ada, riverside, "/surgery facilitator add @Priya")

        from bot.demo_surgery import SurgeryDemo  # the whole surgery, from schedule to report

        await SurgeryDemo(self, riverside, jane=jane, priya=priya, mo=mo, ada=ada, olu=olu).run()

        t.heading("6. Added but never completed: a durable timer makes the bot leave")
        t.person(olu.name, parkside.title, "(adds the bot, but nobody sends the code)")
        await self.adapter.add_bot(parkside, by=olu)
        t.flush()
        await self.advance(timedelta(minutes=self.settings.consent.acceptance_window_minutes, seconds=1))

        from bot.demo_privacy import PrivacyDemo  # deaf by default, listening, /mydata, /forgetme, retention

        await PrivacyDemo(self, riverside, mo=mo, ada=ada, priya=priya).run()

        t.heading("7. The operator's view")
        for community in await self.operator.list_communities():
            t.note(f"community {community['id']}: {community['name']} ({community['platform']}) — "
                   f"{community['state']}")

        t.heading("8. The group asks the bot to leave, and it goes")
        await self.say(ada, riverside, "/surgery leave")
        t.note(f"bot still in Riverside Residents? {world.bot_is_member(riverside.id)}")


async def run_demo(database: Path, out: Print = print) -> None:
    await DemoScript(database, out).run()
