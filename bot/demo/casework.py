"""The casework part of `surgerybot demo` (SPEC §4, casework follow-through), weeks after the surgery: a resident's
/mycases, the operator recording the council's reply at its casework desk, a reference passing its reply date (the
host told), and the resident asked privately whether a reply came. Every step is a durable timer or the desk."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.casework_desk import CaseworkDesk

# The local world's types come through the stage (base.py); the parts import no adapter (STYLE.md).
from bot.demo.base import DemoStage, LocalUser
from bot.handlers.casework_timers import check_time

REPLIED = "Letter sent: the Elm Road round is back on Tuesdays"


class CaseworkDemo:
    def __init__(self, script: DemoStage, *, jane: LocalUser, chen: LocalUser) -> None:
        self.s, self.jane, self.chen = script, jane, chen
        self.desk = CaseworkDesk(script.app.db, script.clock)

    async def run(self) -> None:
        s, t, chen = self.s, self.s.t, self.chen
        chens_chat = s.world.private_chat(chen.id)
        referrals = await self.desk.list()  # the surgery's /refer (Mo's) and Chen's follow-up, oldest first
        replied, waiting = referrals[0], referrals[-1]

        t.heading("Casework: a resident's /mycases, and the council records a reply")
        await s.say(chen, chens_chat, "/mycases")
        t.operator(f'surgerybot casework reply {replied["reference"]} --note "{REPLIED}"')
        row = await self.desk.reply(replied["reference"], REPLIED)
        t.note(f"{row['reference']} is now {row['status']}.")

        t.heading("A reference passes its reply date: the host is told; days later the resident is asked")
        due = datetime.fromisoformat(waiting["reply_due"])
        await s.advance_to(due + timedelta(minutes=1))
        await s.advance_to(check_time(s.settings, due) + timedelta(minutes=1))
        check = await s.press(chen, chens_chat, s.label("casework_check_no"))
        t.note(f"(the message in Chen's chat now reads: “{check.text}”)")
        t.operator("surgerybot casework list")
        for row in await self.desk.list():
            note = f" ({row['status_note']})" if row["status_note"] else ""
            t.note(f"{row['reference']}: {row['status']}{note}, reply due {row['reply_due'][:10]}")
