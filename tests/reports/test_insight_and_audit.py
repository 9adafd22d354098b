"""`surgerybot insight` and `surgerybot audit list` over the database a real surgery wrote: the JSON figures are
those SQL finds directly in the tables, the pages name nobody, the trail reads newest first a page at a time."""

from __future__ import annotations

import json
import re
import sqlite3
import statistics
from collections import Counter, defaultdict
from datetime import date, datetime

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.reports.surgery_db import SurgeryDb
from tests.scenario import point_cli_at

runner = CliRunner()


@pytest.fixture
def cli(surgery_db: SurgeryDb, monkeypatch: pytest.MonkeyPatch) -> SurgeryDb:
    point_cli_at(monkeypatch, surgery_db.directory, surgery_db.database_url)
    return surgery_db


def _sql(db: SurgeryDb, query: str, *args: object) -> list[tuple]:
    with sqlite3.connect(db.database_file) as connection:
        return connection.execute(query, args).fetchall()


def _insight(*args: str) -> dict:
    result = runner.invoke(app, ["insight", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _expected(db: SurgeryDb, start: str = "0001-01-01", end: str = "9999-12-31", community: str | None = None) -> dict:
    """The same figures, computed straight from the tables (times in this database are UTC; London is on GMT
    for the whole scenario, so council days and months are the UTC ones)."""
    where_community = "" if community is None else \
        " AND s.id IN (SELECT session_id FROM session_communities sc JOIN communities c ON c.id = sc.community_id " \
        f"WHERE c.name = '{community}')"
    held = _sql(db, "SELECT s.id, s.opened_at FROM sessions s WHERE s.state = 'closed' AND s.opened_at IS NOT NULL "
                    f"AND s.opened_at >= ? AND s.opened_at < ?{where_community}", start, end)
    ids = [i for i, _ in held] or [-1]
    marks = ",".join("?" * len(ids))
    question_filter = f"q.session_id IN ({marks})" + ("" if community is None else
                                                       f" AND q.community_id = (SELECT id FROM communities "
                                                       f"WHERE name = '{community}')")
    rows = _sql(db, f"SELECT q.id, q.state, q.carried_from_id, q.asked_at, q.taken_at, q.asker_person_id, "
                    f"EXISTS (SELECT 1 FROM casework_referrals r WHERE r.question_id = q.id) FROM questions q "
                    f"WHERE {question_filter}", *ids)
    voters = {p for (p,) in _sql(db, f"SELECT v.person_id FROM votes v JOIN questions q ON q.id = v.question_id "
                                     f"WHERE {question_filter}", *ids)}
    waits = [(datetime.fromisoformat(taken) - datetime.fromisoformat(asked)).total_seconds() / 60
             for _, _, _, asked, taken, _, _ in rows if taken]
    per_community = dict(_sql(db, f"SELECT c.name, COUNT(DISTINCT sc.session_id) FROM session_communities sc JOIN "
                                  f"communities c ON c.id = sc.community_id WHERE sc.session_id IN ({marks}) "
                                  + ("" if community is None else f"AND c.name = '{community}' ")
                                  + "GROUP BY c.name", *ids))
    weeks: dict[str, Counter] = defaultdict(Counter)
    for day, theme, count in _sql(db, "SELECT day, theme, count FROM listening_counts"):
        year, week, _ = date.fromisoformat(day).isocalendar()
        weeks[f"{year}-W{week:02d}"][theme] += count
    return {
        "surgeries_held": len(held),
        "surgeries_per_month": dict(Counter(opened[:7] for _, opened in held)),
        "surgeries_per_community": per_community,
        "people_taking_part": len({r[5] for r in rows if r[5] is not None} | voters),
        "questions": {"asked": sum(1 for r in rows if r[2] is None),
                      "answered": sum(1 for r in rows if r[1] == "answered"),
                      "referred": sum(1 for r in rows if r[1] == "referred"
                                      or (r[6] and r[1] in ("pending", "queued", "live", "parked")))},
        "median_minutes_from_asking_to_taken": round(statistics.median(waits), 1) if waits else None,
        "weeks": {w: dict(c) for w, c in weeks.items()},
    }


def test_insight_json_matches_the_tables(cli: SurgeryDb) -> None:
    found, expected = _insight(), _expected(cli)
    for key in ("surgeries_held", "surgeries_per_month", "surgeries_per_community", "people_taking_part",
                "questions", "median_minutes_from_asking_to_taken"):
        assert found[key] == expected[key], key
    assert found["listening_themes_per_week"] == expected["weeks"] == {"2026-W49": {"transport": 1, "waste": 2}}
    # The scenario's story, so agreeing queries that both find nothing can't pass.
    assert found["surgeries_held"] == 2 and found["questions"] == {"asked": 6, "answered": 3, "referred": 2}
    assert found["median_minutes_from_asking_to_taken"] == 36.0  # waits of 30, 35, 37 and 42 minutes

    cases = {clause: {"cases": n, "dry_run": dry, "reversed": rev, "appeals_upheld": upheld}
             for clause, n, dry, rev, upheld in _sql(
                 cli, "SELECT clause, COUNT(*), SUM(dry_run), SUM(reversed_at IS NOT NULL), "
                      "SUM(reversed_at IS NOT NULL AND reversed_by != actor) FROM cases GROUP BY clause")}
    assert found["moderation_cases_per_rule"] == cases == {
        "manual": {"cases": 2, "dry_run": 0, "reversed": 1, "appeals_upheld": 0}}
    changes = _sql(cli, "SELECT a.action, c.name FROM audit_log a JOIN communities c ON c.platform = a.platform "
                        "AND c.space_id = a.chat_id WHERE a.action IN ('community_activated', 'community_left') "
                        "ORDER BY a.at, a.id")
    assert [(c["change"], c["community"]) for c in found["community_changes"]] == [
        ("joined" if action == "community_activated" else "left", name) for action, name in changes]
    assert found["communities_joined_and_left_per_month"] == {"2026-11": {"joined": 2, "left": 0},
                                                              "2026-12": {"joined": 0, "left": 1}}
    due, on_time = _sql(cli, "SELECT COUNT(*), COALESCE(SUM(replied_at IS NOT NULL AND replied_at <= reply_due), 0) "
                             "FROM casework_referrals")[0]
    assert found["casework_replied_on_time"] == {"due": due, "replied_on_time": on_time}
    assert found["listening_communities"] == ["Riverside Residents"]


def test_insight_for_a_period_and_a_community(cli: SurgeryDb) -> None:
    december = _insight("--from", "2026-12-01", "--to", "2026-12-31")
    expected = _expected(cli, "2026-12-01", "2027-01-01")
    assert december["surgeries_held"] == expected["surgeries_held"] == 1
    assert december["questions"] == expected["questions"] and december["surgeries_per_month"] == {"2026-12": 1}
    assert december["communities_joined_and_left_per_month"] == {"2026-12": {"joined": 0, "left": 1}}

    hilltop = _insight("--community", "Hilltop Chat")
    expected = _expected(cli, community="Hilltop Chat")
    assert hilltop["surgeries_held"] == expected["surgeries_held"] == 1
    assert hilltop["questions"] == expected["questions"] == {"asked": 2, "answered": 0, "referred": 1}
    assert hilltop["people_taking_part"] == expected["people_taking_part"]
    assert hilltop["surgeries_per_community"] == {"Hilltop Chat": 1}
    assert hilltop["appeals_made"] is None and hilltop["listening_themes_per_week"] == {}
    assert [c["change"] for c in hilltop["community_changes"]] == ["joined", "left"]


def test_insight_days_are_the_councils(cli: SurgeryDb, monkeypatch: pytest.MonkeyPatch) -> None:
    # UTC+14: the second surgery opened at 20:02 UTC on 2 December, already 3 December there.
    monkeypatch.setenv("SURGERYBOT_COUNCIL__TIMEZONE", "Pacific/Kiritimati")
    found = _insight("--to", "2026-12-02")
    assert found["surgeries_held"] == 1 and found["surgeries_per_month"] == {"2026-11": 1, "2026-12": 0}
    assert _insight("--from", "2026-12-03")["surgeries_held"] == 1
    # And the trail: from 3 December there is only what happened from 10:00 UTC on the 2nd.
    (expected,), = _sql(cli, "SELECT COUNT(*) FROM audit_log WHERE at >= '2026-12-02 10:00:00'")
    assert _trail("--since", "2026-12-03", "--limit", "1000")["total"] == expected > 0


def test_insight_refuses_bad_input_in_one_sentence(cli: SurgeryDb) -> None:
    for args, words in ((["--from", "yesterday"], "--from takes a date like 2026-11-01"),
                        (["--from", "2026-12-02", "--to", "2026-12-01"], "is after --to"),
                        (["--community", "Nowhere"], "no community named 'Nowhere'"),
                        (["--format", "pdf"], "use html, md or json")):
        result = runner.invoke(app, ["insight", *args])
        assert result.exit_code == 1 and words in result.output and "Traceback" not in result.output, args


def test_insight_pages_in_html_and_markdown(cli: SurgeryDb, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SURGERYBOT_COUNCIL__TIMEZONE", "America/New_York")
    target = cli.directory / "insight.html"
    assert runner.invoke(app, ["insight", "--output", str(target)]).exit_code == 0
    html = target.read_text(encoding="utf-8")
    # Surgeries per month and per community, questions, cases, joined/left, listening: each with its table.
    assert html.count("<svg") == html.count('<div class="pair">') == 6
    assert "America/New_York" in html and "Wed 25 Nov 2026, 13:00 EST" in html  # Riverside joined 18:00 UTC
    assert "Casework replied on time" in html and " due" in html  # from the referrals' recorded replies
    markdown = runner.invoke(app, ["insight", "--format", "md"]).output
    assert "| Questions asked | 6 |" in markdown and "| 2026-W49 | 1 | 2 |" in markdown
    for text in (html, markdown):
        for name in cli.names:
            assert not re.search(rf"\b{re.escape(name)}\b", text), name


# -- the audit trail --------------------------------------------------------------------------------------------

def _trail(*args: str) -> dict:
    result = runner.invoke(app, ["audit", "list", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_trail_is_newest_first_and_paged(cli: SurgeryDb) -> None:
    (total,), = _sql(cli, "SELECT COUNT(*) FROM audit_log")
    first, second = _trail("--limit", "10"), _trail("--limit", "10", "--page", "2")
    assert first["total"] == second["total"] == total and first["pages"] == -(-total // 10)
    ids = [r["id"] for r in first["rows"]] + [r["id"] for r in second["rows"]]
    newest = [i for (i,) in _sql(cli, "SELECT id FROM audit_log ORDER BY at DESC, id DESC LIMIT 20")]
    assert ids == newest and len(set(ids)) == 20
    assert first["rows"][0]["action"] == "LeaveChat" and first["rows"][0]["outcome"] == "ok"
    assert first["rows"][0]["at"].endswith("+00:00") and first["rows"][0]["when"].endswith("GMT")
    last = _trail("--limit", "10", "--page", str(first["pages"]))
    assert len(last["rows"]) == total - 10 * (first["pages"] - 1)


def test_the_trail_filters_by_action_time_and_community(cli: SurgeryDb) -> None:
    left = _trail("--action", "community_left")
    assert [r["reason"] for r in left["rows"]] == ["/surgery leave"] and left["total"] == 1
    since = _trail("--since", "2026-12-02", "--limit", "1000")
    (expected,), = _sql(cli, "SELECT COUNT(*) FROM audit_log WHERE at >= '2026-12-02'")
    assert since["total"] == expected > 0
    assert all(r["at"] >= "2026-12-02" for r in since["rows"])
    (hilltop_space,), = _sql(cli, "SELECT space_id FROM communities WHERE name = 'Hilltop Chat'")
    hilltop = _trail("--community", "Hilltop Chat", "--limit", "1000")
    assert hilltop["total"] > 0
    assert all(r["chat"] == hilltop_space or r["target"].startswith("session:") for r in hilltop["rows"])
    assert {"bot_added", "community_activated", "community_left", "LeaveChat"} <= {r["action"] for r in hilltop["rows"]}


def test_the_trail_as_a_table_and_its_refusals(cli: SurgeryDb) -> None:
    table = runner.invoke(app, ["audit", "list", "--limit", "5"], env={"COLUMNS": "160"})
    assert table.exit_code == 0 and "newest first — page 1 of" in table.output and "--page 2" in table.output
    assert "community_left" in table.output
    unknown = runner.invoke(app, ["audit", "list", "--action", "nope"])
    assert unknown.exit_code == 1 and "Actions recorded:" in unknown.output and "community_left" in unknown.output
    assert runner.invoke(app, ["audit", "list", "--limit", "0"]).exit_code == 1
    assert "--since takes a date" in runner.invoke(app, ["audit", "list", "--since", "last week"]).output
