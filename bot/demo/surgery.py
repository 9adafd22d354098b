"""The surgery part of `surgerybot demo`: a whole session from schedule to report, on the same App, handlers,
timers and storage as production. Kept apart from the runner so its script stays short."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

# The local world's types come through the stage (base.py); the parts import no adapter (STYLE.md).
from bot.demo.base import DemoStage, LocalChat, LocalUser
from bot.demo.moderation import ModerationDemo
from bot.session_reports import SessionReports


class SurgeryDemo:
    def __init__(self, script: DemoStage, riverside: LocalChat, *, jane: LocalUser, priya: LocalUser,
                 mo: LocalUser, ada: LocalUser, olu: LocalUser) -> None:
        self.s, self.riverside = script, riverside
        self.jane, self.priya, self.mo, self.ada, self.olu = jane, priya, mo, ada, olu
        world = script.world
        self.bo, self.chen = world.add_user("Bo"), world.add_user("Chen")
        riverside.members |= {self.bo.id, self.chen.id}
        self._vote_data: dict[int, str] = {}
        self.bot_id = next(u.id for u in world.users.values() if u.is_bot)

    async def vote(self, user: LocalUser, number: int) -> None:
        # The question's vote message starts like its label, "#4" (English) or "Rhif 4" (Welsh), after the mark.
        label = self.s.label("question_label", number=number, text="").split("“")[0].split(" / ")[0]
        message = next(m for m in self.riverside.messages
                       if m.sender_id == self.bot_id and m.text.startswith(f"❓ {label}"))
        # A button stays on screen in old clients after its message loses it: keep the first one seen.
        data = self._vote_data.setdefault(number, message.buttons[0].data if message.buttons else "")
        self.s.t.person(user.name, self.riverside.title, f"(presses 👍 under question #{number})")
        await self.s.adapter.press_button(user, self.riverside, message.id, data)
        self.s.t.flush()
        if not message.buttons:
            self.s.t.note(f"(question #{number} has no 👍 button any more: voting is over)")

    async def press(self, user: LocalUser, label: str) -> None:
        message = await self.s.press(user, self.s.world.private_chat(user.id), label)
        self.s.t.note(f"(the message in {user.name}'s chat now reads: “{message.text}”)")

    async def run(self) -> None:
        s, t, r = self.s, self.s.t, self.riverside
        jane, priya, mo, ada, olu, bo, chen = self.jane, self.priya, self.mo, self.ada, self.olu, self.bo, self.chen

        t.heading("Cllr Jane schedules a surgery: an announcement with a calendar file")
        await s.say(mo, r, "/surgery schedule today 18:30 1h Bins")
        await s.say(jane, r, "/surgery schedule today 18:30 1h Bins, parking and the Mill Lane crossing")

        t.heading("Residents ask and vote before it opens")
        await s.say(mo, r, "/ask When will the missed bin collections on Elm Road be sorted?")
        await s.say(bo, r, "/ask Can we have a safe crossing on Mill Lane by the school?")
        await s.say(chen, r, "/ask Is the Station Road car park going to close?")
        await s.say(ada, r, "/ask Why were Elm Road's bins missed again this week?")
        await s.say(chen, r, "/ask " + "x" * 1001)
        for user, number in ((priya, 2), (chen, 2), (ada, 2), (mo, 2), (bo, 1), (priya, 3), (chen, 1)):
            await self.vote(user, number)
        await self.vote(bo, 2)  # Bo's own question: no self-votes
        await self.vote(chen, 1)  # pressing again withdraws the vote

        t.heading("An anonymous and a private question, asked in a private chat")
        await s.say(chen, s.world.private_chat(chen.id), "/ask Are council tenants consulted on the new bin rules?")
        await self.press(chen, self.s.label("anonymous_button"))
        await s.say(olu, s.world.private_chat(olu.id),
                    "/ask My neighbour's extension at 14 Elm Road blocks my light — what can I do?")
        await self.press(olu, self.s.label("private_button"))

        t.heading("The surgery opens on time (a durable timer) and works through the queue")
        await s.advance(timedelta(minutes=30))
        await s.say(mo, r, "/queue")
        await s.say(mo, r, "/next")
        await s.say(jane, r, "/next")
        await s.advance(timedelta(minutes=3))
        await s.say(jane, r, "/answered A crossing survey is booked for January")
        await s.say(jane, r, "/merge 1 4")
        await s.say(jane, r, "/next")
        await s.say(jane, r, "/refer Needs a look at the Elm Road round")
        await s.say(jane, r, "/next")
        await s.advance(timedelta(minutes=5))
        await s.say(jane, r, "/park Needs the transport team")

        t.heading("Private answers: /reply reaches the asker; the group sees only that it was answered")
        await s.say(priya, r, "/next")
        await s.say(jane, s.world.private_chat(jane.id), "/reply 6 Light is a civil matter, but planning will check "
                                                          "the extension was approved. An officer will write to you.")
        await s.say(jane, r, "/next")
        await s.say(jane, r, "/answered Tenants get a letter and a drop-in at the library before anything changes")
        await s.say(jane, r, "/reopen 3")
        await s.say(jane, r, "/next")

        # facilitator mute, PD removal, flood ladder, appeal
        await ModerationDemo(s, r, priya=priya, mo=mo, ada=ada, olu=olu, bo=bo).run()

        t.heading("Closing: the summary, follow-up offers, and the report")
        await s.say(jane, r, "/surgery close")
        if self._has_offer(chen):
            await self.press(chen, self.s.label("followup_button"))
        await self.vote(priya, 2)
        reports = SessionReports(s.app.db, s.clock, s.settings.council.zone)
        database = make_url(s.app.db.url).database or "surgerybot.db"
        for row in await reports.list_sessions():
            t.note(f"session {row['id']}: {row['state']}, host {row['host']}, {row['questions']} questions")
        path = Path(database).with_name("surgery-report-1.md")
        path.write_text(await reports.render_report(1, "md"), encoding="utf-8")
        t.operator(f"surgerybot report 1 --format md --output {path}")
        for line in path.read_text(encoding="utf-8").splitlines()[:30]:
            t.note(line)

    def _has_offer(self, user: LocalUser) -> bool:
        chat = self.s.world.private_chat(user.id)
        return any(b.label == self.s.label("followup_button") for m in chat.messages for b in m.buttons)
