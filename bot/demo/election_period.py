"""The pre-election part of `surgerybot demo` (SPEC §4), in the new year: the operator records a by-election's
pre-election period over a surgery Cllr Jane had planned; when the period starts that surgery is called off in
neutral words; the councillor can't schedule inside it, but a facilitator can, hosting as a council officer; and
that officer's surgery becomes a joint one: a second group joins, its host accepts privately, both groups share
one queue with each question labelled by where it was asked, and the second group parts."""

from __future__ import annotations

from datetime import date, datetime, time

from bot import election_admin

# The local world's types come through the stage (base.py); the parts import no adapter (STYLE.md).
from bot.demo.base import DemoStage, LocalChat, LocalUser
from bot.errors import UserInputError
from bot.rights import MemberRights
from bot.storage import sessions

PERIOD = "Riverside ward by-election"
FIRST_DAY, LAST_DAY = date(2027, 1, 4), date(2027, 1, 21)


class ElectionPeriodDemo:
    def __init__(self, script: DemoStage, riverside: LocalChat, parkside: LocalChat, *, jane: LocalUser,
                 priya: LocalUser, olu: LocalUser, mo: LocalUser, bo: LocalUser, ada: LocalUser) -> None:
        self.s, self.riverside, self.parkside = script, riverside, parkside
        self.jane, self.priya, self.olu, self.mo, self.bo, self.ada = jane, priya, olu, mo, bo, ada

    async def add_period(self, *, yes: bool) -> None:
        """`surgerybot election add`, through the same operator API the CLI calls, printed as the CLI prints."""
        t = self.s.t
        t.operator(f'surgerybot election add --name "{PERIOD}" --start {FIRST_DAY} --end {LAST_DAY} '
                   f'--community "{self.riverside.title}"' + (" --yes" if yes else ""))
        try:
            row = await election_admin.add_period(self.s.operator, name=PERIOD, start=FIRST_DAY, end=LAST_DAY,
                                                  community_names=[self.riverside.title], yes=yes)
        except UserInputError as refused:
            t.note(str(refused))
            return
        t.note(f"Election period {row['id']}: {row['name']}, {row['start']} to {row['end']} "
               f"({', '.join(row['communities'])}).")
        if row["cancels"]:
            t.note(f"  Surgeries cancelled when it starts: {', '.join(f'#{i}' for i in row['cancels'])}.")

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.s.settings.council.zone)

    async def newest_surgery(self) -> int:
        async with self.s.app.db.read() as tx:
            return max(view.id for view in await sessions.list_sessions(tx))

    async def vote(self, user: LocalUser, chat: LocalChat, number: int) -> None:
        """👍 under the newest question #number in this chat (the first surgery's #number is older)."""
        label = self.s.label("question_label", number=number, text="").split("“")[0].split(" / ")[0]
        message = next(m for m in reversed(chat.messages) if m.buttons and m.text.startswith(f"❓ {label}"))
        self.s.t.person(user.name, chat.title, f"(presses 👍 under question #{number})")
        await self.s.adapter.press_button(user, chat, message.id, message.buttons[0].data)
        self.s.t.flush()

    async def run(self) -> None:
        s, t, r, p = self.s, self.s.t, self.riverside, self.parkside
        jane, priya, olu, mo, bo, ada = self.jane, self.priya, self.olu, self.mo, self.bo, self.ada

        t.heading("A pre-election period: the operator records it over a surgery already planned")
        await s.say(jane, r, f"/surgery schedule {FIRST_DAY.replace(day=13)} 18:00 1h Parking on Mill Lane")
        await self.add_period(yes=False)
        await self.add_period(yes=True)

        t.heading("The period starts: the surgery inside it is called off, in neutral words")
        await s.advance_to(self.at(FIRST_DAY, 0))

        t.heading("During the period: a councillor is refused; a facilitator hosts as a council officer")
        await s.advance_to(self.at(FIRST_DAY, 9))
        await s.say(jane, r, f"/surgery schedule {FIRST_DAY.replace(day=14)} 18:00 1h")
        await s.say(priya, r, "/surgery schedule today 12:00 1h Bin collections after the holidays")
        number = await self.newest_surgery()

        t.heading("Parkside Parents joins the officer's surgery; the host accepts privately")
        invitation = await s.operator.create_invitation(p.title, "local", None)
        t.operator(f'surgerybot invite create --community "{p.title}" --platform local')
        t.person(olu.name, p.title, "(adds the bot again, and this time completes the invitation)")
        await s.adapter.add_bot(p, by=olu, rights=MemberRights(delete_messages=True, restrict_members=True,
                                                               pin_messages=True))
        await s.adapter.user_sends(olu, p, f"/surgery accept {invitation.code}")
        t.skip()
        t.note(f"(the bot says hello, then posts and pins its transparency notice, as it did in {r.title})")
        await s.say(olu, p, f"/surgery join {number}")
        await s.press(priya, s.world.private_chat(priya.id), s.label("join_accept_button"))

        t.heading("Both groups ask into one queue: each question labelled with its group")
        await s.say(mo, p, "/ask Will real Christmas trees be collected from Park Road?")
        await s.say(bo, r, "/ask Can the recycling boxes on Mill Lane get lids? They blow away.")
        await self.vote(ada, r, 1)

        t.heading("The joint surgery opens in both groups and works through the shared queue")
        await s.advance_to(self.at(FIRST_DAY, 11))
        await s.advance_to(self.at(FIRST_DAY, 12))
        await s.say(bo, r, "/queue")
        await s.say(priya, r, "/next")
        await s.say(priya, r, "/answered Yes: put them out on your first collection day in January")

        t.heading("Parkside Parents leaves the joint surgery; the officer finishes it")
        await s.say(olu, p, "/surgery part")
        await s.say(priya, r, "/next")
        await s.say(priya, r, "/answered Lids are coming: ask for one at the library")
        await s.say(priya, r, "/surgery close")
