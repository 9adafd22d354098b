"""`surgerybot sessions list|show` and `surgerybot report` over a database a real surgery wrote."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.scenario import Scenario, point_cli_at
from tests.surgery.helpers import surgery_ready, vote

runner = CliRunner()


@pytest.fixture
async def surgery_db(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A database holding one closed surgery (#1) and one still scheduled (#2)."""
    async with Scenario(tmp_path) as s:
        await surgery_ready(s, "today 18:30 1h Bins")
        await s.say(s.jane, s.riverside, "/surgery schedule tomorrow 18:00 1h Roads")
        await s.say(s.mo, s.riverside, "/ask When are the bins collected?")
        await s.dm(s.priya, "/ask My fence at 12 Mill Lane")
        await s.adapter.press_button(s.priya, s.world.private_chat(s.priya.id),
                                     s.world.private_chat(s.priya.id).messages[-1].id, "askv:1:p")
        await vote(s, s.olu, s.riverside, 1)
        await s.advance(timedelta(minutes=30))
        await s.say(s.jane, s.riverside, "/next")
        await s.say(s.jane, s.riverside, "/refer")
        await s.say(s.jane, s.riverside, "/surgery close")
    point_cli_at(monkeypatch, tmp_path, s.database_url)
    return tmp_path


def test_sessions_list_json(surgery_db) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["sessions", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["id"], r["state"], r["topic"]) for r in rows] == [(1, "closed", "Bins"), (2, "scheduled", "Roads")]
    assert rows[0]["host"] == "Cllr Jane Smith" and rows[0]["communities"] == "Riverside Residents"
    assert rows[1]["questions"] == 1  # the private question was carried over


def test_sessions_list_table(surgery_db) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["sessions", "list"])
    assert result.exit_code == 0 and "Sessions" in result.output and "Roads" in result.output


def test_sessions_show_never_names_askers_nor_private_text(surgery_db) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["sessions", "show", "1", "--json"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)
    assert [(q["number"], q["state"], q["votes"]) for q in row["questions"]] == [(1, "referred", 1), (2, "queued", 0)]
    assert row["questions"][1]["text"] is None
    assert row["referrals"][0]["reference"] == "SRG-2026-000001" and row["referrals"][0]["question"] == 1
    assert "Mill Lane" not in result.output and "Mo" not in result.output.replace("Mode", "")
    table = runner.invoke(app, ["sessions", "show", "1"])
    assert table.exit_code == 0 and "SRG-2026-000001" in table.output


def test_show_unknown_session_is_one_sentence(surgery_db) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["sessions", "show", "99"])
    assert result.exit_code == 1 and "no session 99" in result.output and "Traceback" not in result.output


def test_report_markdown_to_a_file(surgery_db) -> None:  # type: ignore[no-untyped-def]
    target = surgery_db / "report.md"
    result = runner.invoke(app, ["report", "1", "--format", "md", "--output", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert text.startswith("# Surgery report — session 1")
    assert "| 2 | 0 | 0 | 1 | 0 | 0 | 1 | 3 |" in text  # asked 2, referred 1, unanswered 1, 3 people
    assert "carried to session 2" in text and "Mill Lane" not in text


def test_report_json_to_stdout(surgery_db) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["report", "1", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["counts"]["referred"] == 1 and report["carried_to_session"] == 2


def test_report_of_an_unfinished_session_is_built_now(surgery_db) -> None:  # type: ignore[no-untyped-def]
    report = json.loads(runner.invoke(app, ["report", "2", "--format", "json"]).output)
    assert report["state"] == "scheduled" and report["counts"]["asked"] == 1


def test_report_refuses_an_unknown_format(surgery_db) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["report", "1", "--format", "pdf"])
    assert result.exit_code == 1 and "use md, json or html" in result.output
