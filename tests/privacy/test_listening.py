"""Opt-in listening (SPEC §6): off by default, on only by a community admin after the bot says what it collects,
counts per theme and day with no text and no authors, off at once, and the operator's report."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.storage.models import ListeningCount
from facilitation.listening import Themes
from tests.privacy.dbscan import containing
from tests.scenario import Scenario, point_cli_at
from tests.surgery.helpers import press

runner = CliRunner()
BINS_AND_BUSES = "the b1ns were missed AGAIN and the 42 bus never came"


async def counts(s: Scenario) -> list[tuple[str, str, int]]:
    async with s.db.unit_of_work() as session:
        rows = await session.execute(select(ListeningCount.day, ListeningCount.theme, ListeningCount.count)
                                     .order_by(ListeningCount.theme))
        return [tuple(r) for r in rows]


def test_themes_match_whole_words_after_normalisation() -> None:
    themes = Themes.from_settings({"Waste": ["bins", "fly tipping"], "Transport": ["bus"], "Empty": ["  "]})
    assert themes.names == ("transport", "waste")
    assert themes.found_in(BINS_AND_BUSES) == {"waste", "transport"}
    assert themes.found_in("FLY-TIPPING on the corner") == {"waste"}
    assert themes.found_in("a business park") == frozenset()  # "bus" is not in "business"
    assert themes.found_in("") == frozenset()


async def test_listening_is_off_until_an_admin_confirms_and_counts_only_themes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.say(s.mo, s.riverside, BINS_AND_BUSES)  # off by default
        assert await counts(s) == []

        await s.say(s.mo, s.riverside, "/surgery listening status")
        status = s.last_text(s.riverside)
        assert "Listening is off" in status and "no message text" in status and "housing" in status

        await s.say(s.mo, s.riverside, "/surgery listening on")  # a resident can't
        assert "Only a group admin" in s.last_text(s.riverside)

        await s.say(s.ada, s.riverside, "/surgery listening on")
        assert "turn listening on in this group?" in s.last_text(s.riverside) and "no names" in s.last_text(s.riverside)
        await press(s, s.mo, s.riverside, "Turn listening on")  # the button is visible to all: not theirs
        assert s.calls("answer_button")[-1].args["text"] == "That button isn't for you."
        await s.say(s.mo, s.riverside, BINS_AND_BUSES)
        assert await counts(s) == []

        await press(s, s.ada, s.riverside, "Turn listening on")
        assert "Listening is on" in s.texts(s.riverside)[-1]
        sent = len(s.calls("send_message"))
        await s.say(s.mo, s.riverside, BINS_AND_BUSES)
        await s.say(s.priya, s.riverside, "Bins, bins, bins!")
        await s.say(s.priya, s.riverside, "lovely weather today")
        await s.dm(s.mo, "the bins are a disgrace")  # private chats are never counted
        assert len(s.calls("send_message")) == sent  # it never answers chat
        assert await counts(s) == [("2026-11-25", "transport", 1), ("2026-11-25", "waste", 2)]
        assert containing(s.database_file, "b1ns", "42 bus", "lovely weather", "disgrace") == []

        await s.say(s.mo, s.riverside, "/surgery listening status")
        assert "Listening is on" in s.last_text(s.riverside)
        await s.say(s.mo, s.riverside, "/surgery listening off")
        assert "Only a group admin" in s.last_text(s.riverside)
        await s.say(s.olu, s.riverside, "/surgery listening off")
        assert "stopped counting" in s.last_text(s.riverside)
        await s.say(s.mo, s.riverside, BINS_AND_BUSES)  # off at once
        assert await counts(s) == [("2026-11-25", "transport", 1), ("2026-11-25", "waste", 2)]
        await s.say(s.olu, s.riverside, "/surgery listening off")
        assert "already off" in s.last_text(s.riverside)
        await s.say(s.olu, s.riverside, "/surgery listening loudly")
        assert "/surgery listening status" in s.last_text(s.riverside)


async def test_cancel_and_a_stale_button_change_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.say(s.ada, s.riverside, "/surgery listening on")
        await press(s, s.ada, s.riverside, "Cancel")
        assert "Listening is off" in s.texts(s.riverside)[-1]
        message = s.riverside.messages[-1]
        await s.adapter.press_button(s.ada, s.riverside, message.id, "listen-on:999")  # another community's
        assert s.calls("answer_button")[-1].args["text"] == "That button has expired."
        await s.say(s.mo, s.riverside, BINS_AND_BUSES)
        assert await counts(s) == []


async def test_a_dormant_group_is_never_counted(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.adapter.add_bot(s.riverside, by=s.ada)
        await s.say(s.ada, s.riverside, "/surgery listening on")
        assert "isn't a guest" in s.last_text(s.riverside)
        await s.say(s.mo, s.riverside, BINS_AND_BUSES)
        assert await counts(s) == []


async def test_themes_come_from_settings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path, listening={"themes": {"floods": ["flood", "flooding", "sandbags"]}}) as s:
        await s.invite_and_join()
        await s.say(s.ada, s.riverside, "/surgery listening on")
        assert "(floods)" in s.last_text(s.riverside)
        await press(s, s.ada, s.riverside, "Turn listening on")
        await s.say(s.mo, s.riverside, "Flooding on Mill Lane again, anyone got sandbags?")
        assert await counts(s) == [("2026-11-25", "floods", 1)]


@pytest.fixture
async def counted_db(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.say(s.ada, s.riverside, "/surgery listening on")
        await press(s, s.ada, s.riverside, "Turn listening on")
        await s.say(s.mo, s.riverside, BINS_AND_BUSES)
    point_cli_at(monkeypatch, tmp_path, s.database_url)
    return s


def test_the_operator_report(counted_db) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["listening", "report", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["communities"] == [{"id": 1, "name": "Riverside Residents", "platform": "local", "listening": True}]
    assert [(r["community"], r["theme"], r["count"]) for r in report["counts"]] == [
        ("Riverside Residents", "transport", 1), ("Riverside Residents", "waste", 1)]
    table = runner.invoke(cli, ["listening", "report"])
    assert table.exit_code == 0 and "Listening is on in: Riverside Residents" in table.output
    missing = runner.invoke(cli, ["listening", "report", "--community", "Nowhere"])
    assert missing.exit_code == 1 and "No community" in missing.output
