"""A pre-election period on Discord, end to end: the real App and discord.py against the fake Discord."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot import election_admin
from tests.discord.fake_discord import FakeDiscord
from tests.discord.test_surgery_e2e import Surgery


async def test_an_election_period_refuses_a_councillors_schedule(fake: FakeDiscord, tmp_path: Path) -> None:
    s = Surgery(fake, tmp_path)
    await s.app.start(run_timers=False)
    try:
        await s.set_up()  # Jane's surgery #1, an hour from now: before the period
        today = s.clock.now().astimezone(s.settings.council.zone).date()
        first, last = today + timedelta(days=2), today + timedelta(days=9)
        await election_admin.add_period(s.operator, name="County elections", start=first, end=last,
                                        community_names=["Hilltop Residents"], yes=False)
        inside = (s.clock.now() + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M+00:00")
        refusal = await s.says(s.jane, f"/surgery schedule {inside} 1h Parking", "pre-election period")
        end = f"{last:%A} {last:%d} {last:%B} {last:%Y}"
        assert refusal == ("Councillor surgeries pause during the pre-election period (County elections), which "
                           f"ends on {end}. Please pick a time after that.")
        assert not any("Council surgery #2" in t for t in s.texts(s.general))
        # The surgery scheduled before the period still runs.
        await s.says(s.jane, "/surgery open", "The surgery is open")
    finally:
        await s.app.stop()
