"""Casework followed through, on the local adapter with a real database and the injected clock: the referral's
durable timers (overdue at the reply date, the host told; the resident asked once, 5 working days later, whether
a reply came) survive a restart; Yes closes, No flags it to the host; /mycases; the operator's CLI.

The scenario clock starts on Wed 25 Nov 2026 at 18:00 UTC. A referral that evening is due 10 working days later,
Wed 9 Dec, 17:00; the resident is asked 5 working days after that, Wed 16 Dec, 10:00."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from bot.casework_desk import CaseworkDesk
from bot.cli import app
from bot.storage import casework as store
from tests.scenario import Scenario, point_cli_at
from tests.surgery.helpers import press, surgery_ready

REFERENCE = "SRG-2026-000001"
DUE = datetime(2026, 12, 9, 17, 0, tzinfo=UTC)
CHECK = datetime(2026, 12, 16, 10, 0, tzinfo=UTC)
runner = CliRunner()


async def _referred(s: Scenario) -> None:
    await surgery_ready(s)
    await s.say(s.mo, s.riverside, "/ask The drain outside 4 Elm Road is blocked")
    await s.advance(timedelta(minutes=30))
    await s.say(s.jane, s.riverside, "/next")
    await s.say(s.jane, s.riverside, "/refer needs a highways inspection")
    assert REFERENCE in s.last_text(s.mo)


async def _status(s: Scenario) -> store.CaseworkView:
    async with s.db.unit_of_work() as tx:
        found = await store.by_reference(tx, REFERENCE)
    assert found is not None
    return found


async def _until(s: Scenario, when: datetime) -> None:
    await s.advance(when - s.clock.now())


async def test_overdue_then_the_resident_says_no_across_a_restart(tmp_path, database_url) -> None:  # SQLite, and PostgreSQL when configured
    first = Scenario(tmp_path, database_url=database_url)
    async with first as s:
        await _referred(s)
        await s.dm(s.mo, "/mycases")
        assert f"{REFERENCE}: reply due by Wednesday 09 December 2026 · waiting for the council's reply" \
            in s.last_text(s.mo)
        await _until(s, DUE - timedelta(minutes=1))
        assert (await _status(s)).status == "open"
        await _until(s, DUE + timedelta(minutes=1))
        assert (await _status(s)).status == "overdue"
        assert f"Casework {REFERENCE} passed its reply date" in s.last_text(s.jane)
    # The process stops; a new one starts on the same database, world and clock.
    s = Scenario(tmp_path, database_url=database_url, clock=first.clock, world=first.world)
    for name in ("olu", "ada", "mo", "priya", "jane", "riverside"):
        setattr(s, name, getattr(first, name))
    async with s:
        await _until(s, CHECK - timedelta(minutes=1))
        assert not any("Did you get a reply" in t for t in s.texts(s.mo))
        await _until(s, CHECK + timedelta(minutes=1))
        assert f"about your casework {REFERENCE} by Wednesday 09 December 2026. Did you get a reply?" \
            in s.last_text(s.mo)
        await press(s, s.mo, s.world.private_chat(s.mo.id), "No")
        found = await _status(s)
        assert found.status == "overdue" and found.status_note == "resident says no reply"
        assert "haven't had a reply" in s.last_text(s.jane)
        assert "flagged to the council as overdue" in s.last_text(s.mo)
        # One check only: nothing more comes.
        before = len(s.texts(s.mo))
        await s.advance(timedelta(days=14))
        assert len(s.texts(s.mo)) == before


async def test_a_reply_in_time_then_yes_closes_it(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await _referred(s)
        desk = CaseworkDesk(s.db, s.clock)
        assert (await desk.reply(REFERENCE, "letter sent 1 Dec"))["status"] == "replied"
        jane_before = len(s.texts(s.jane))
        await _until(s, DUE + timedelta(minutes=1))
        assert (await _status(s)).status == "replied"  # not overdue: the council replied in time
        assert len(s.texts(s.jane)) == jane_before
        await _until(s, CHECK + timedelta(minutes=1))
        # Only Mo may answer Mo's check.
        check = s.world.private_chat(s.mo.id).messages[-1]
        yes = next(b.data for b in check.buttons if b.label == "Yes")
        await s.adapter.press_button(s.priya, s.world.private_chat(s.priya.id), check.id, yes)
        assert s.calls("answer_button")[-1].args["text"] == "That button isn't for you."
        await press(s, s.mo, s.world.private_chat(s.mo.id), "Yes")
        found = await _status(s)
        assert found.status == "closed" and found.closed_at is not None
        assert check.buttons == ()
        await s.dm(s.mo, "/mycases")
        assert s.last_text(s.mo) == "You have no open casework references."
        with pytest.raises(Exception, match="already closed"):
            await desk.close(REFERENCE)


async def test_forgetme_says_an_open_referral_is_kept(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await _referred(s)
        await s.dm(s.mo, "/forgetme")
        assert f"Your open casework ({REFERENCE}) stays with the council until it is closed" in s.last_text(s.mo)


@pytest.fixture
async def referred_db(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await _referred(s)
    point_cli_at(monkeypatch, tmp_path, s.database_url)
    return tmp_path


def test_casework_cli_lists_and_records_the_reply(referred_db) -> None:  # type: ignore[no-untyped-def]
    listed = runner.invoke(app, ["casework", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    [row] = json.loads(listed.output)
    assert (row["reference"], row["status"], row["replied_at"]) == (REFERENCE, "open", None)
    replied = runner.invoke(app, ["casework", "reply", REFERENCE, "--note", "letter sent"])
    assert replied.exit_code == 0 and f"{REFERENCE} is now replied." in replied.output
    [row] = json.loads(runner.invoke(app, ["casework", "list", "--status", "replied", "--json"]).output)
    assert row["status"] == "replied" and row["status_note"] == "letter sent" and row["replied_at"]
    assert json.loads(runner.invoke(app, ["casework", "list", "--status", "open", "--json"]).output) == []
    closed = runner.invoke(app, ["casework", "close", REFERENCE.lower()])
    assert closed.exit_code == 0 and "is now closed" in closed.output
    again = runner.invoke(app, ["casework", "close", REFERENCE])
    assert again.exit_code == 1 and "already closed" in again.output
    for bad, says in ((["casework", "reply", "SRG-2026-999999"], "No casework SRG-2026-999999"),
                      (["casework", "reply", "hello"], "isn't a casework reference"),
                      (["casework", "list", "--status", "lost"], "No status 'lost'")):
        result = runner.invoke(app, bad)
        assert result.exit_code == 1 and says in result.output, result.output
