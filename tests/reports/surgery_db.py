"""One real database for the report tests, written by the bot itself on the local adapter: a joint surgery
(Riverside and Hilltop) with public, anonymous and private questions, votes, every outcome, moderation cases (one
undone), a follow-up accepted after close; a second surgery a week later; opt-in listening; Hilltop leaving."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from adapters.local.world import LocalUser
from bot.storage.models import session_communities
from tests.moderation.helpers import last_message_of
from tests.scenario import Scenario
from tests.surgery.helpers import press, surgery_ready, vote

PRIVATE_TEXT = "My fence at 12 Mill Lane was kicked in by my neighbour"


@dataclass(frozen=True)
class SurgeryDb:
    directory: Path
    database_url: str
    database_file: Path
    residents: tuple[LocalUser, ...]  # everyone who asked or voted: their names and ids must never show

    @property
    def names(self) -> list[str]:
        return [u.name for u in self.residents]

    @property
    def user_ids(self) -> list[str]:
        return [u.id for u in self.residents]


async def write_surgery(directory: Path, database_url: str | None = None) -> SurgeryDb:
    async with Scenario(directory, database_url=database_url) as s:
        bo = s.world.add_user("Bodhan")
        s.riverside.members.add(bo.id)
        hilltop = s.world.add_group("Hilltop Chat", owner=s.olu, members=(s.mo, s.jane, bo))
        await surgery_ready(s, "today 18:30 1h Bins")  # session 1, Riverside; Priya facilitates
        await s.invite_and_join(hilltop, by=s.olu)
        # A joint surgery: Hilltop joins session 1 (`/surgery join` is another branch's work; this is its row).
        async with s.db.unit_of_work() as tx:
            await tx.execute(session_communities.insert().values(session_id=1, community_id=2))

        await s.say(s.mo, s.riverside, "/ask When are the bins collected?")  # 1, 18:00 UTC
        await s.advance(timedelta(minutes=5))
        await s.say(bo, s.riverside, "/ask Why are bins missed on Fridays?")  # 2, 18:05
        await s.advance(timedelta(minutes=10))
        await s.dm(s.priya, f"/ask {PRIVATE_TEXT}")  # 3, private, 18:15
        await press(s, s.priya, s.world.private_chat(s.priya.id), "Private")
        await vote(s, s.priya, s.riverside, 1)
        await vote(s, s.olu, s.riverside, 1)
        await vote(s, s.mo, s.riverside, 2)
        await s.advance(timedelta(minutes=15))  # 18:30: the surgery opens

        await s.say(s.jane, s.riverside, "/next")  # #1 (2 votes)
        await s.advance(timedelta(minutes=4))
        await s.say(s.jane, s.riverside, "/answered collection is on Tuesdays")
        await s.say(bo, s.riverside, "This is a total disgrace, you lot are useless")
        await s.say(s.priya, s.riverside, "/warn keep it civil", reply_to=last_message_of(s.riverside, bo))
        await s.say(s.priya, s.riverside, "/mute @Bodhan 10m")
        await s.say(s.priya, s.riverside, "/undo 2")
        await s.advance(timedelta(minutes=2))
        await s.dm(s.mo, "/ask Is the hilltop bus stop moving?")  # 4, anonymous, from Hilltop, 18:36
        await press(s, s.mo, s.world.private_chat(s.mo.id), "Hilltop Chat")
        await press(s, s.mo, s.world.private_chat(s.mo.id), "Anonymous")
        await s.advance(timedelta(minutes=3))
        await s.say(bo, hilltop, "/ask What about the library hours?")  # 5, Hilltop, 18:39
        await s.advance(timedelta(minutes=3))
        await s.say(s.jane, s.riverside, "/next")  # #2 (1 vote)
        await s.advance(timedelta(minutes=3))
        await s.say(s.jane, s.riverside, "/refer needs a site visit")
        await s.advance(timedelta(minutes=12))
        await s.say(s.jane, s.riverside, "/next")  # #3, the private one
        await s.say(s.jane, s.riverside, "/answered replied privately")
        await s.say(s.jane, s.riverside, "/dismiss #5 not a council matter")
        await s.advance(timedelta(minutes=10))
        await s.say(s.jane, s.riverside, "/surgery close")  # #4 was not reached: Mo is offered a follow-up
        await s.advance(timedelta(minutes=20))
        await press(s, s.mo, s.world.private_chat(s.mo.id), "Yes, please follow up")

        # A week later: a second, short surgery; listening on in Riverside; Hilltop asks the bot to leave.
        await s.advance(timedelta(days=7))
        await s.say(s.jane, s.riverside, "/surgery schedule today 20:00 1h Roads")
        await s.say(s.mo, s.riverside, "/ask When will Mill Road be resurfaced?")
        await s.advance(timedelta(minutes=35))
        await s.say(s.jane, s.riverside, "/next")
        await s.advance(timedelta(minutes=6))
        await s.say(s.jane, s.riverside, "/answered in the spring")
        await s.say(s.jane, s.riverside, "/surgery close")
        await s.say(s.ada, s.riverside, "/surgery listening on")
        await press(s, s.ada, s.riverside, "Turn listening on")
        await s.say(s.mo, s.riverside, "The bins and the 42 bus are both late again")
        await s.say(s.priya, s.riverside, "bins everywhere")
        await s.say(s.olu, hilltop, "/surgery leave")
        residents = (s.mo, bo, s.priya, s.olu)
    return SurgeryDb(directory, s.database_url, s.database_file, residents)


def write_surgery_db(directory: Path) -> SurgeryDb:
    return asyncio.run(write_surgery(directory))
