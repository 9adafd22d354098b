"""A whole surgery on Discord: the real App and discord.py against the fake Discord. Invitation, councillor link
by direct message, schedule with the calendar attachment, votes by button interaction, a private /ask in a DM
with its buttons, the host's slash commands, a referral by DM, the fallback for a resident whose DMs are closed,
and the close summary."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.clock import FakeClock
from bot.operator import Operator
from tests.discord.fake_discord import MANAGE_GUILD, Channel, FakeDiscord, Interaction, Message, User
from tests.discord.harness import app_on_fake_discord
from tests.waiting import eventually


class Surgery:
    def __init__(self, fake: FakeDiscord, tmp_path: Path) -> None:
        self.fake = fake
        self.olu, self.ada, self.mo, self.priya, self.jane = (fake.add_user(n) for n in
                                                              ("Olu", "Ada", "Mo", "Priya", "Jane"))
        self.guild = fake.add_guild("Hilltop Residents", self.olu)
        fake.add_member(self.guild, self.ada, fake.add_role(self.guild, "Admins", 1, MANAGE_GUILD))
        for resident in (self.mo, self.priya, self.jane):
            fake.add_member(self.guild, resident)
        self.general = fake.channels[self.guild.channels[0]]
        self.clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
        self.app = app_on_fake_discord(fake, tmp_path / "surgery.db", self.clock)
        self.settings = self.app.settings
        self.operator = Operator(self.app.db, self.settings, self.clock)

    def texts(self, where: Channel | User) -> list[str]:
        channel = where if isinstance(where, Channel) else self.fake.dm_channel(where.id)
        return self.fake.bot_texts(channel.id) if channel else []

    async def says(self, user: User, text: str, expect: str, *, channel: Channel | None = None,
                   where: Channel | User | None = None) -> str:
        """`user` runs the slash command typed as `text` in `channel` (default: #general); waits for a bot message
        in `where` (default: that channel) containing `expect`, and returns it."""
        channel = channel or self.general
        where = where or channel
        before = len(self.texts(where))
        await self.fake.invoke(user, channel, text)
        await eventually(lambda: any(expect in t for t in self.texts(where)[before:]), repr(expect))
        return next(t for t in self.texts(where)[before:] if expect in t)

    def message_with(self, where: Channel | User, start: str) -> Message:
        channel = where if isinstance(where, Channel) else self.fake.dm_channel(where.id)
        assert channel is not None
        return next(m for m in self.fake.messages.values() if m.channel_id == channel.id
                    and m.author_id == self.fake.bot.id and m.content.startswith(start))

    @staticmethod
    def buttons(message: Message) -> dict[str, str]:
        """label → custom_id of the message's buttons as Discord shows them now."""
        return {c["label"]: c["custom_id"] for row in message.components for c in row.get("components", ())}

    async def press(self, user: User, message: Message, label: str) -> str:
        """Press a button; returns the bot's private (ephemeral) answer to the press."""
        custom_id = self.buttons(message).get(label)
        assert custom_id is not None, f"no button {label!r} in {self.buttons(message)}"
        pressed: Interaction = await self.fake.press(user, message, custom_id)
        await eventually(lambda: pressed.responses, "the press answered")
        if pressed.original_id is None:
            return ""
        return self.fake.messages[pressed.original_id].content

    async def set_up(self) -> None:
        created = await self.operator.create_invitation("Hilltop Residents", "discord", None)
        await self.fake.bot_joins(self.guild, added_by=self.ada)
        await eventually(lambda: any("/surgery accept" in t for t in self.texts(self.general)), "hello")
        await self.says(self.ada, f"/surgery accept {created.code}", "is now a guest")
        councillor = await self.operator.add_councillor("Cllr Jane Smith", "Hilltop")
        await self.says(self.jane, f"/link {councillor['link_code']}", "now linked", channel=self.fake.dm_with(self.jane))
        starts = (self.clock.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M+00:00")
        await self.says(self.jane, f"/surgery schedule {starts} 1h Potholes", "Council surgery #1")


@pytest.fixture
async def surgery(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[Surgery]:
    s = Surgery(fake, tmp_path)
    await s.app.start(run_timers=False)
    yield s
    await s.app.stop()


async def test_a_whole_surgery_on_discord(surgery: Surgery) -> None:
    s, fake = surgery, surgery.fake
    await s.set_up()
    announcement = next(t for t in s.texts(s.general) if "Council surgery #1" in t)
    assert "Cllr Jane Smith" in announcement and "Potholes" in announcement
    await eventually(lambda: any("surgery-1.ics" in m.filenames for m in fake.messages.values()), "the .ics file")
    [ics] = [m for m in fake.messages.values() if "surgery-1.ics" in m.filenames]
    assert ics.channel_id == s.general.id and ics.content == "Add it to your calendar."

    await s.says(s.jane, "/surgery open", "The surgery is open")
    await s.says(s.mo, "/ask When will Elm Road be resurfaced?", "❓ #1 from Mo")
    await s.says(s.priya, "/ask Can we have a zebra crossing?", "❓ #2 from Priya")
    first = s.message_with(s.general, "❓ #1")
    assert await s.press(s.priya, first, "👍 0") == "Thanks for your vote 👍"
    await eventually(lambda: "👍 1" in s.buttons(first), "the vote count edited to 1")
    assert await s.press(s.mo, first, "👍 1") == "That's your own question — you can't vote for it."

    # A private question, asked by slash command in a DM and sent only to the host.
    dm = fake.dm_with(s.mo)
    await s.says(s.mo, "/ask My neighbour's tree is damaging my fence at 4 Elm Road", "How should it be asked?",
                 channel=dm)
    choice = s.message_with(dm, "Your question is for Hilltop Residents")
    assert await s.press(s.mo, choice, "Private") == "Done."
    await eventually(lambda: any("4 Elm Road" in t for t in s.texts(s.jane)), "the host told privately")
    assert not any("4 Elm Road" in t for t in s.texts(s.general))
    await eventually(lambda: any("host and facilitators only" in t for t in s.texts(s.mo)), "Mo's receipt")

    await s.says(s.jane, "/next", "🎤 Next, #1 from Mo")
    await s.says(s.jane, "/refer 1 needs a highways inspection", "passed to council casework")
    await eventually(lambda: any("SRG-" in t for t in s.texts(s.mo)), "Mo's casework reference by DM")
    await eventually(lambda: any("SRG-" in t for t in s.texts(s.jane)), "the host's copy of the reference")
    assert not any("SRG-" in t for t in s.texts(s.general))

    # Priya's privacy settings refuse DMs: the group hears one line, never the reason.
    fake.dms_closed.add(s.priya.id)
    await s.says(s.jane, "/next", "🎤 Next, #2 from Priya")
    line = await s.says(s.jane, "/dismiss 2 not a council matter", "@Priya — I have a private note for you")
    assert "allow direct messages" in line
    assert not any("not a council matter" in t for t in s.texts(s.general))
    assert s.texts(s.priya) == []

    await s.says(s.jane, "/next", "🔒 Private question #3:", where=s.jane)
    assert any("Next, #3: a private question" in t for t in s.texts(s.general))
    await s.says(s.jane, "/answered", "answered")
    summary = await s.says(s.jane, "/surgery close", "The surgery is closed")
    assert "Questions asked: 3 · answered: 1 · parked: 0 · referred to casework: 1" in summary
    assert not s.buttons(first)  # voting is over on the question's message


async def test_a_facilitator_schedules_a_strict_surgery_for_the_councillor(surgery: Surgery) -> None:
    s = surgery
    await s.set_up()
    await s.says(s.ada, f"/surgery facilitator add <@{s.priya.id}>", "now a facilitator")
    starts = (s.clock.now() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M+00:00")
    text = await s.says(s.priya, f"/surgery schedule {starts} 45m Parking true <@{s.jane.id}>",
                        "Council surgery #2")
    assert "Cllr Jane Smith" in text and "Parking" in text and str(s.jane.id) not in text
    assert "A facilitator will approve each question" in text  # the strict option came through
    await s.says(s.priya, "/surgery status", "Surgery #1")
    await s.says(s.jane, "/surgery mode strict", "approve")
    await s.says(s.jane, "/surgery open", "The surgery is open")
    await s.says(s.mo, "/ask More bins on the green?", "once a facilitator approves it")
    await s.says(s.priya, "/approve 1", "❓ #1 from Mo")
    await eventually(lambda: any("now in the queue" in t for t in s.texts(s.mo)), "Mo told by DM")
