"""`surgerybot demo`: a scripted walk through the product on the local adapter and a real SQLite file, using
the same App, handlers, executor and timers as production. Prints a transcript of who said what and what
the bot did. Each capability extends the script, so the demo always walks the whole product: its parts
(surgery, moderation, privacy, casework, the election period) live beside this runner and act on the shared
stage in bot/demo/base.py."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from adapters.local import LocalWorld
from bot.demo.base import DemoStage, Print, Transcript
from bot.demo.casework import CaseworkDemo
from bot.demo.deaf_and_rights import PrivacyDemo
from bot.demo.election_period import ElectionPeriodDemo
from bot.demo.surgery import SurgeryDemo
from bot.rights import MemberRights


class DemoScript(DemoStage):
    async def run(self) -> None:
        t, world = self.t, self.world
        await self.app.start(run_timers=False)  # the demo drives the timer service by hand as time jumps
        try:
            await self.script(t, world)
        finally:
            await self.app.stop()

    async def script(self, t: Transcript, world: LocalWorld) -> None:
        ada = world.add_user("Ada")  # admin of Riverside Residents
        olu = world.add_user("Olu")  # owner of Riverside Residents
        mo = world.add_user("Mo")  # resident
        priya = world.add_user("Priya")  # resident
        jane = world.add_user("Cllr Jane")  # councillor
        riverside = world.add_group("Riverside Residents", owner=olu, admins=(ada,), members=(mo, priya, jane))
        hilltop = world.add_group("Hilltop Chat", owner=priya, members=(mo,))
        parkside = world.add_group("Parkside Parents", owner=olu, members=(mo,))

        t.heading("The council prepares an invitation and registers a councillor")
        invitation = await self.operator.create_invitation("Riverside Residents", "local", None)
        t.operator('surgerybot invite create --community "Riverside Residents" --platform local')
        t.note(f"invitation {invitation.id}: code {invitation.code} (stored only as a hash)")
        t.note(invitation.instructions)
        councillor = await self.operator.add_councillor("Cllr Jane Smith", "Riverside")
        t.operator('surgerybot councillor add --name "Cllr Jane Smith" --ward Riverside')
        t.note(councillor["instructions"])
        await self.say(jane, world.private_chat(jane.id), f"/link {councillor['link_code']}")

        t.heading("A resident who is not an admin adds the bot: it declines politely and leaves")
        t.person(mo.name, hilltop.title, "(adds the bot)")
        await self.adapter.add_bot(hilltop, by=mo)
        t.flush()

        t.heading("An admin adds the bot: it stays dormant until the invitation is completed")
        t.person(ada.name, riverside.title, "(adds the bot, with rights to delete, restrict and pin)")
        await self.adapter.add_bot(riverside, by=ada, rights=MemberRights(delete_messages=True, restrict_members=True,
                                                                          pin_messages=True))
        t.flush()
        await self.say(mo, riverside, "/surgery accept not-the-code-at-all")
        await self.say(ada, riverside, f"/surgery accept {invitation.code}")

        t.heading("A command round trip, and a redelivered update handled once")
        await self.say(priya, riverside, "/about")
        event = await self.adapter.user_sends(priya, riverside, "/privacy")
        t.person(priya.name, riverside.title, "/privacy")
        t.flush()
        await self.adapter.deliver(event)
        t.note("(the platform redelivers the same /privacy update: the bot does nothing twice)")
        t.flush()

        t.heading("One person's burst of commands: answered up to an allowance, told once, then quiet")
        sam = world.add_user("Sam")
        sams_chat = world.private_chat(sam.id)
        burst = self.settings.limits.command_burst
        t.person(sam.name, "private chat", f"/ping, {burst} times in the same second")
        for _ in range(burst):
            await self.adapter.user_sends(sam, sams_chat, "/ping")
        t.note(f"({t.skip()} answers, one each: /ping is not a command here, try /help)")
        await self.say(sam, sams_chat, "/ping")
        await self.say(sam, sams_chat, "/ping")
        t.note("(no answer to the last: Sam was told once; one more command a second comes back, and nobody else "
               "waited meanwhile)")

        t.heading("Admins appoint a facilitator; residents can't")
        await self.say(mo, riverside, "/surgery facilitator add @Priya")
        await self.say(ada, riverside, "/surgery facilitator add @Priya")

        # the whole surgery, from schedule to report
        surgery = SurgeryDemo(self, riverside, jane=jane, priya=priya, mo=mo, ada=ada, olu=olu)
        await surgery.run()

        t.heading("Added but never completed: a durable timer makes the bot leave")
        t.person(olu.name, parkside.title, "(adds the bot, but nobody sends the code)")
        await self.adapter.add_bot(parkside, by=olu)
        t.flush()
        await self.advance(timedelta(minutes=self.settings.consent.acceptance_window_minutes, seconds=1))

        # deaf by default, listening, /mydata, /forgetme, retention
        await PrivacyDemo(self, riverside, mo=mo, ada=ada, priya=priya).run()

        # weeks later: /mycases, the casework desk, overdue, the resident asked whether a reply came
        await CaseworkDemo(self, jane=jane, chen=surgery.chen).run()

        # the new year: a pre-election period, an officer-hosted surgery, and another group joining it
        await ElectionPeriodDemo(self, riverside, parkside, jane=jane, priya=priya, olu=olu, mo=mo,
                                 bo=surgery.bo, ada=ada).run()

        t.heading("The operator's view")
        for community in await self.operator.list_communities():
            t.note(f"community {community['id']}: {community['name']} ({community['platform']}) — "
                   f"{community['state']}")

        t.heading("The group asks the bot to leave, and it goes")
        await self.say(ada, riverside, "/surgery leave")
        t.note(f"bot still in Riverside Residents? {world.bot_is_member(riverside.id)}")


async def run_demo(database: Path, out: Print = print, language: str = "en") -> None:
    await DemoScript(database, out, language).run()
