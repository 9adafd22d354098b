"""The moderation part of `surgerybot demo`, played while the surgery is open: the admins approve a policy
with rules on, a facilitator mutes someone, the personal-data guard removes a phone number and tells its
author privately, a flood climbs the escalation ladder, and the muted resident appeals."""

from __future__ import annotations

# The local world's types come through the stage (base.py); the parts import no adapter (STYLE.md).
from bot.demo.base import DemoStage, LocalChat, LocalUser
from bot.storage import cases, communities
from facilitation.cases import CaseView


class ModerationDemo:
    def __init__(self, script: DemoStage, riverside: LocalChat, *, priya: LocalUser, mo: LocalUser,
                 ada: LocalUser, olu: LocalUser, bo: LocalUser) -> None:
        self.s, self.riverside = script, riverside
        self.priya, self.mo, self.ada, self.olu, self.bo = priya, mo, ada, olu, bo
        self.last_case = 0

    async def new_cases(self) -> list[CaseView]:
        """The cases opened since the last call, oldest first."""
        async with self.s.app.db.unit_of_work() as tx:
            community = await communities.community_by_space(tx, "local", self.riverside.id)
            assert community is not None
            found = await cases.cases_for(tx, community.id)
        fresh = sorted((c for c in found if c.number > self.last_case), key=lambda c: c.number)
        self.last_case = max((c.number for c in fresh), default=self.last_case)
        return fresh

    async def narrate_quiet_cases(self, cause: str) -> None:
        """Say which case records what just happened when no message in the chat named it, so every case /cases
        lists has been seen happening: a removal told only privately, or a rule in dry run."""
        m = self.s.app.ctx.messages
        for case in await self.new_cases():
            what = ", ".join(m(f"mod_action_{action.value}") for action in case.actions)
            rule = case.clause.split(":")[0].replace("_", " ")
            if case.dry_run:
                self.s.t.note(f"({cause} also tripped the {rule} rule, still a dry run: case #{case.number} records "
                              f"the {what} it would have applied; nothing changed in the chat)")
            elif not any(f"Case #{case.number}" in line or f"case #{case.number}" in line
                         for line in self.s.t.recent):
                self.s.t.note(f"(case #{case.number} records this — {what}, under the {rule} rule; facilitators "
                              f"see it in /cases)")

    async def run(self) -> None:
        s, t, r = self.s, self.s.t, self.riverside
        priya, mo, ada, bo = self.priya, self.mo, self.ada, self.bo

        t.heading("Moderation: the group's admins approve the rules; a second facilitator for appeals")
        await s.say(ada, r, "/surgery policy set personal_data.mode on")
        await s.say(ada, r, "/surgery policy set flood.mode on")
        await s.say(ada, r, "/surgery policy set flood.max_messages 3")
        await s.say(ada, r, "/surgery policy approve")
        await s.say(ada, r, "/surgery facilitator add @Olu")

        t.heading("A facilitator mutes someone (reply), and a resident can't")
        await s.say(bo, r, "/mute @Mo 10m")
        await s.say(mo, r, "THIS COUNCIL IS USELESS!!!")
        shouted = [m for m in r.messages if m.sender_id == mo.id][-1]
        await s.say(priya, r, "/mute 10m shouting at people", reply_to=shouted)
        await s.say(priya, r, "/unmute @Mo")

        await self.new_cases()  # the mute and unmute above were announced in the group
        t.heading("Personal data in public: removed, and its author invited to send it privately")
        await s.say(bo, r, "The leak is at my flat, call me on 07911 123456")
        await self.narrate_quiet_cases("the message")

        t.heading("A flood climbs the escalation ladder: a warning, then a 10-minute mute")
        for number in range(1, 9):
            await s.say(bo, r, f"bump {number}")
        await self.narrate_quiet_cases("the same burst")

        t.heading("The resident appeals privately; it goes to a facilitator who didn't act")
        await s.say(mo, s.world.private_chat(mo.id), "/appeal 1 I was upset about the bins, sorry for shouting")
        await s.say(priya, r, "/cases")
