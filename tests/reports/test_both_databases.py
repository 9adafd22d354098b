"""The same surgery on SQLite and on PostgreSQL gives the same report figures and insight: the SQL aggregates
(the median wait, CASE counts, the participants' UNION) and migration 0010 work on both."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from bot.session_reports import SessionReports
from bot.storage.database import Database
from facilitation.insight_figures import as_json
from bot.reports.insight import InsightReports
from tests.clock import FakeClock
from tests.reports.surgery_db import PRIVATE_TEXT, write_surgery


async def test_report_and_insight_on_both_databases(tmp_path: Path, database_url: str) -> None:
    await write_surgery(tmp_path, database_url)
    db = Database(database_url)
    zone = ZoneInfo("Europe/London")
    try:
        found = as_json(await InsightReports(db, FakeClock(), zone, "C").insight(None, None, None))
        hilltop = as_json(await InsightReports(db, FakeClock(), zone, "C").insight(None, None, "Hilltop Chat"))
        html = await SessionReports(db, FakeClock(), zone, "C").render_report(1, "html")
    finally:
        await db.dispose()
    assert found["surgeries_held"] == 2 and found["surgeries_per_month"] == {"2026-11": 1, "2026-12": 1}
    assert found["questions"] == {"asked": 6, "answered": 3, "referred": 2} and found["people_taking_part"] == 4
    assert found["median_minutes_from_asking_to_taken"] == 36.0
    assert found["moderation_cases_per_rule"] == {"manual": {"cases": 2, "dry_run": 0, "reversed": 1,
                                                             "appeals_upheld": 0}}
    assert found["listening_themes_per_week"] == {"2026-W49": {"transport": 1, "waste": 2}}
    assert [c["change"] for c in found["community_changes"]] == ["joined", "joined", "left"]
    assert hilltop["questions"] == {"asked": 2, "answered": 0, "referred": 1}
    assert PRIVATE_TEXT not in html and "SRG-2026-000002" in html and html.count("<svg") == 5
