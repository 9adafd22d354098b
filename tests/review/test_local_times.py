"""The operator reads times in the council's zone (settings.council.timezone): `sessions list|show` and the Markdown
`report`. --json and the stored report keep ISO UTC for machines."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from bot.cli import app
from tests.surgery.test_sessions_cli import surgery_db  # noqa: F401  (a fixture: one closed surgery, one scheduled)

runner = CliRunner()


def test_sessions_show_and_list_print_local_times(surgery_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SURGERYBOT_COUNCIL__TIMEZONE", "Europe/Paris")  # an hour ahead of UTC in November
    shown = runner.invoke(app, ["sessions", "show", "1"])
    assert shown.exit_code == 0, shown.output
    assert "starts at: Wed 25 Nov 2026, 19:30 CET" in shown.output
    assert "ends at: Wed 25 Nov 2026, 20:30 CET" in shown.output
    assert "+00:00" not in shown.output and "T18:30" not in shown.output
    listed = runner.invoke(app, ["sessions", "list"])
    assert listed.exit_code == 0 and "19:30 CET" in listed.output and "+00:00" not in listed.output
    machine = json.loads(runner.invoke(app, ["sessions", "show", "1", "--json"]).output)
    assert machine["starts_at"] == "2026-11-25T18:30:00+00:00"


def test_the_markdown_report_prints_local_times(surgery_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SURGERYBOT_COUNCIL__TIMEZONE", "Europe/Paris")
    report = runner.invoke(app, ["report", "1"])
    assert report.exit_code == 0, report.output
    assert "- Scheduled: Wed 25 Nov 2026, 19:30 CET to 20:30 CET" in report.output
    assert "- Opened: Wed 25 Nov 2026, 19:30 CET; closed: Wed 25 Nov 2026, 19:30 CET" in report.output
    assert "+00:00" not in report.output
    stored = json.loads(runner.invoke(app, ["report", "1", "--format", "json"]).output)
    assert stored["starts_at"] == "2026-11-25T18:30:00+00:00"
