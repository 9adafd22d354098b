"""The privacy part of `surgerybot demo` (SPEC §6): deaf by default, opt-in listening, a resident's /mydata and
/forgetme, and the retention run, on the same App and storage as production. Kept apart from the runner."""

from __future__ import annotations

import json
from datetime import timedelta

# The local world's types come through the stage (base.py); the parts import no adapter (STYLE.md).
from bot.demo.base import DemoStage, LocalChat, LocalUser
from bot.demo.clock import ScriptedClock
from bot.retention import DAILY_KEY, RetentionService
from bot.storage import listening
from bot.timers import pending


class PrivacyDemo:
    def __init__(self, script: DemoStage, riverside: LocalChat, *, mo: LocalUser, ada: LocalUser,
                 priya: LocalUser) -> None:
        self.s, self.riverside = script, riverside
        self.mo, self.ada, self.priya = mo, ada, priya

    async def press(self, user: LocalUser, chat: LocalChat, label: str) -> None:
        message = await self.s.press(user, chat, label)
        self.s.t.note(f"(the message now reads: “{message.text}”)")

    async def run(self) -> None:
        s, t, r = self.s, self.s.t, self.riverside
        mo, ada, priya = self.mo, self.ada, self.priya
        mo_chat = s.world.private_chat(mo.id)

        t.heading("Deaf by default: ordinary chat outside a session is neither answered nor stored")
        await s.say(priya, r, "Anyone know a plumber? Call me on 07700 900123")
        t.note("(no reply, and nothing of it reaches the database)")

        t.heading("Listening is opt-in: an admin reads what it counts, then confirms")
        await s.say(mo, r, "/surgery listening on")
        await s.say(ada, r, "/surgery listening on")
        await self.press(ada, r, self.s.label("listening_button_on"))
        await s.say(mo, r, "The bins on Elm Road were missed again, and the bus was late")
        async with s.app.db.unit_of_work() as tx:
            counts = await listening.counts(tx)
        t.operator("surgerybot listening report")
        for _, day, theme, count in counts:
            t.note(f"{day}  {theme}: {count}   (counts only: no text, no names)")
        await s.say(ada, r, "/surgery listening off")

        t.heading("A resident's own data: /mydata, then /forgetme")
        await s.say(mo, r, "/mydata")
        await s.say(mo, mo_chat, "/mydata")
        export = json.loads(next(m.content for m in reversed(mo_chat.messages) if m.filename and m.content))
        t.note("(the file holds: " + ", ".join(f"{k.replace('_', ' ')} ×{len(v)}" for k, v in export.items()
                                               if isinstance(v, list) and v and k != "activity_log") + ")")
        await s.say(mo, mo_chat, "/forgetme")
        await self.press(mo, mo_chat, self.s.label("forget_button_confirm"))
        for edited in s.world.calls[-4:]:
            if edited.method == "edit_message" and edited.chat_id == r.id:
                t.note(f"(in the group, Mo's question now reads: “{edited.args['text'].splitlines()[0]}”)")
        await s.say(mo, mo_chat, "/forgetme")

        t.heading("Retention: a durable daily purge, and the operator's run")
        await s.app.retention.ensure_scheduled()  # `surgerybot run` does this at start-up
        async with s.app.db.unit_of_work() as tx:
            timer = await pending(tx, DAILY_KEY)
        if timer is not None:
            t.note(f"(the daily purge is a durable timer, next due {timer.due_at:%Y-%m-%d %H:%M} UTC)")
        t.operator("surgerybot retention run")
        removed = await s.app.retention.run()
        t.note(", ".join(f"{c.value.replace('_', ' ')}: {n}" for c, n in removed.items() if n) or "nothing due")
        later = ScriptedClock(s.clock.now() + timedelta(days=s.settings.retention.session_days + 1))
        planned = await RetentionService(s.app.db, s.settings, later).run(dry_run=True)
        t.operator(f"surgerybot retention run --dry-run   (as if run on {later.now():%Y-%m-%d})")
        t.note(", ".join(f"{c.value.replace('_', ' ')}: {n}" for c, n in planned.items() if n) or "nothing due")
