"""The demo walks a whole surgery and leaves its report next to the demo database."""

from __future__ import annotations

from bot.demo import run_demo


async def test_demo_runs_a_whole_surgery_and_writes_the_report(tmp_path) -> None:
    lines: list[str] = []
    await run_demo(tmp_path / "demo.db", out=lines.append)
    transcript = "\n".join(lines)
    for expected in ("📎 surgery-1.ics", "The surgery is open", "(asked anonymously)", "a private question",
                     "is merged into", "SRG-2026-000001", "parked for later", "The surgery is closed"):
        assert expected in transcript, expected
    report = (tmp_path / "surgery-report-1.md").read_text()
    assert report.startswith("# Surgery report — session 1")
    assert "14 Elm Road" not in report  # the private question stays out of the report
    # The private question never reached the group.
    group_lines = [line for line in lines if "🤖 → Riverside Residents" in line]
    assert not any("14 Elm Road" in line for line in group_lines)
