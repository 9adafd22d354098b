"""The moderation part of `surgerybot demo`, played while the surgery is open: the admins approve a policy
with rules on, a facilitator mutes someone, the personal-data guard removes a phone number and tells its
author privately, a flood climbs the escalation ladder, and the muted resident appeals."""

from __future__ import annotations

# The local world's types come through the stage (base.py); the parts import no adapter (STYLE.md).
from bot.demo.base import DemoStage, LocalChat, LocalUser


class ModerationDemo:
    def __init__(self, script: DemoStage, riverside: LocalChat, *, priya: LocalUser, mo: LocalUser,
                 ada: LocalUser, olu: LocalUser, bo: LocalUser) -> None:
        self.s, self.riverside = script, riverside
        self.priya, self.mo, self.ada, self.olu, self.bo = priya, mo, ada, olu, bo

    async def run(self) -> None:
        s, t, r = self.s, self.s.t, self.riverside
        priya, mo, ada, bo = self.priya, self.mo, self.ada, self.bo

        t.heading("5m. Moderation: the group's admins approve the rules; a second facilitator for appeals")
        await s.say(ada, r, "/surgery policy set personal_data.mode on")
        await s.say(ada, r, "/surgery policy set flood.mode on")
        await s.say(ada, r, "/surgery policy set flood.max_messages 3")
        await s.say(ada, r, "/surgery policy approve")
        await s.say(ada, r, "/surgery facilitator add @Olu")

        t.heading("5n. A facilitator mutes someone (reply), and a resident can't")
        await s.say(bo, r, "/mute @Mo 10m")
        await s.say(mo, r, "THIS COUNCIL IS USELESS!!!")
        shouted = [m for m in r.messages if m.sender_id == mo.id][-1]
        await s.say(priya, r, "/mute 10m shouting at people", reply_to=shouted)
        await s.say(priya, r, "/unmute @Mo")

        t.heading("5o. Personal data in public: removed, and its author invited to send it privately")
        await s.say(bo, r, "The leak is at my flat, call me on 07911 123456")

        t.heading("5p. A flood climbs the escalation ladder: a warning, then a 10-minute mute")
        for number in range(1, 9):
            await s.say(bo, r, f"bump {number}")

        t.heading("5q. The resident appeals privately; it goes to a facilitator who didn't act")
        await s.say(mo, s.world.private_chat(mo.id), "/appeal 1 I was upset about the bins, sorry for shouting")
        await s.say(priya, r, "/cases")
