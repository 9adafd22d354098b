"""`surgerybot report ID --format html|json|md` over a database a real joint surgery wrote: the figures are those
stored, the page names no asker and keeps a private question private, and a follow-up accepted after close shows."""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import json
import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.clock import SystemClock
from bot.session_reports import SessionReports
from bot.storage import report_facts
from bot.storage import sessions as store
from bot.storage.database import Database
from facilitation.session_figures import OUTCOMES, figures
from tests.reports.surgery_db import PRIVATE_TEXT, SurgeryDb
from tests.scenario import point_cli_at

runner = CliRunner()
UNREACHED = ("pending", "queued", "live", "parked")


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _sql(db: SurgeryDb, query: str, *args: object) -> list[tuple]:
    with sqlite3.connect(db.database_file) as connection:
        return connection.execute(query, args).fetchall()


async def _figures(db: SurgeryDb, session_id: int):  # type: ignore[no-untyped-def]
    database = Database(db.database_url)
    try:
        async with database.unit_of_work() as tx:
            view = await store.get_session(tx, session_id)
            assert view is not None
            facts = await report_facts.session_facts(tx, view, carried_to=None, now=SystemClock().now())
    finally:
        await database.dispose()
    return facts, figures(facts)


def _expected_outcomes(db: SurgeryDb, session_id: int) -> dict[int, str]:
    """Straight from the tables: a question's state, made `referred` by a referral created after the close."""
    (closed_at,), = _sql(db, "SELECT closed_at FROM sessions WHERE id = ?", session_id)
    late = {n for (n,) in _sql(db, "SELECT q.number FROM casework_referrals r JOIN questions q ON q.id = r.question_id "
                                   "WHERE r.session_id = ? AND r.created_at > ?", session_id, closed_at)}
    outcomes = {}
    for number, state in _sql(db, "SELECT number, state FROM questions WHERE session_id = ?", session_id):
        if number in late and state in UNREACHED:
            outcomes[number] = "referred"
        else:
            outcomes[number] = "unanswered" if state in ("pending", "queued", "live") else state
    return outcomes


async def test_figures_match_the_stored_session(surgery_db: SurgeryDb) -> None:
    facts, fig = await _figures(surgery_db, 1)
    expected = _expected_outcomes(surgery_db, 1)
    assert {q.number: q.outcome for q in fig.questions} == expected
    assert dict(fig.outcomes) == {name: Counter(expected.values())[name] for name in OUTCOMES}
    assert sum(n for _, n in fig.outcomes) == fig.asked == len(expected) == 5
    # The scenario's own story, so a query that returns nothing can't pass by agreeing with itself.
    assert expected == {1: "answered", 2: "referred", 3: "answered", 4: "referred", 5: "dismissed"}

    votes = dict(_sql(surgery_db, "SELECT q.number, COUNT(v.id) FROM questions q LEFT JOIN votes v "
                                  "ON v.question_id = q.id WHERE q.session_id = 1 GROUP BY q.number"))
    assert {q.number: q.votes for q in fig.questions} == votes == {1: 2, 2: 1, 3: 0, 4: 0, 5: 0}

    (opened_at,), = _sql(surgery_db, "SELECT opened_at FROM sessions WHERE id = 1")
    asked = _sql(surgery_db, "SELECT asked_at, taken_at FROM questions WHERE session_id = 1")
    assert sum(b.asked for b in fig.timeline) == len(asked)
    assert sum(b.taken for b in fig.timeline) == sum(1 for _, taken in asked if taken) == 3
    early = fig.timeline[0]
    assert early.start is None and early.asked == sum(1 for a, _ in asked if a < opened_at) == 3
    assert fig.bin_minutes == 5 and all(b.start is not None for b in fig.timeline[1:])

    shares = _sql(surgery_db, "SELECT c.name, COUNT(*), COUNT(DISTINCT q.asker_person_id) FROM questions q "
                              "JOIN communities c ON c.id = q.community_id WHERE q.session_id = 1 GROUP BY c.name")
    assert sorted((c.community, c.questions, c.askers) for c in fig.communities) == sorted(shares)
    (people,), = _sql(surgery_db, "SELECT COUNT(*) FROM (SELECT asker_person_id FROM questions WHERE session_id = 1 "
                                  "UNION SELECT v.person_id FROM votes v JOIN questions q ON q.id = v.question_id "
                                  "WHERE q.session_id = 1)")
    assert fig.participants == people == 4

    cases = _sql(surgery_db, "SELECT clause, action, CASE WHEN dry_run THEN 'dry run' WHEN reversed_at IS NOT NULL "
                             "THEN 'reversed' ELSE 'taken' END, COUNT(*) FROM cases WHERE created_at >= "
                             "(SELECT opened_at FROM sessions WHERE id = 1) AND created_at <= "
                             "(SELECT closed_at FROM sessions WHERE id = 1) GROUP BY 1, 2, 3")
    assert sorted((c.rule, c.action, c.outcome, c.count) for c in fig.cases) == sorted(cases)
    assert len(cases) == 2

    late = _sql(surgery_db, "SELECT q.number, r.reference FROM casework_referrals r JOIN questions q "
                            "ON q.id = r.question_id WHERE r.created_at > (SELECT closed_at FROM sessions WHERE id = 1)")
    assert [(f.number, f.reference) for f in fig.follow_ups] == late == [(4, "SRG-2026-000002")]
    assert [(c.number, c.was, c.now) for c in fig.changes] == [(4, "unanswered", "referred")]


@pytest.fixture
def cli(surgery_db: SurgeryDb, monkeypatch: pytest.MonkeyPatch) -> SurgeryDb:
    point_cli_at(monkeypatch, surgery_db.directory, surgery_db.database_url)
    monkeypatch.setenv("SURGERYBOT_COUNCIL__TIMEZONE", "Europe/Paris")
    monkeypatch.setenv("SURGERYBOT_COUNCIL__NAME", "Riverside Borough Council")
    return surgery_db


def html_report(db: SurgeryDb, session_id: int = 1) -> str:
    target = db.directory / f"report-{session_id}.html"
    result = runner.invoke(app, ["report", str(session_id), "--format", "html", "--output", str(target)])
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


def outside_charts(html: str) -> str:
    return re.sub(r"<svg.*?</svg>", "", html, flags=re.DOTALL)


def chart_texts(html: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", "".join(re.findall(r"<svg.*?</svg>", html, flags=re.DOTALL)))


def test_the_html_names_no_asker_and_keeps_private_text_private(cli: SurgeryDb) -> None:
    html = html_report(cli)
    assert PRIVATE_TEXT not in html and "Mill Lane" not in html and "neighbour" not in html
    assert "(private question)" in html
    assert "When are the bins collected?" in html and "Is the hilltop bus stop moving?" in html
    for name in cli.names:
        assert not re.search(rf"\b{re.escape(name)}\b", html), name
    text = outside_charts(html)
    for user_id in cli.user_ids:
        assert user_id not in text, user_id
    for label in chart_texts(html):
        assert not any(name in label for name in cli.names) and not any(u in label for u in cli.user_ids), label
    # Asker columns never reach a report: the stored names are there in the database, to be sure the check bites.
    stored_names = {n for (n,) in _sql(cli, "SELECT asker_name FROM questions WHERE asker_name != ''")}
    assert stored_names and not any(re.search(rf"\b{re.escape(n)}\b", html) for n in stored_names)


def test_the_html_is_one_self_contained_page_in_local_time(cli: SurgeryDb) -> None:
    html = html_report(cli)
    assert html.startswith("<!DOCTYPE html>") and '<meta name="viewport"' in html and "@media print" in html
    assert "<script" not in html and "<link" not in html and "src=" not in html and "@import" not in html
    assert html.count("<svg") == html.count('role="img"') == 5  # outcomes, votes, timeline, communities, cases
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # five charts on one page, no clashing ids
    # Opened 18:30 UTC, in Paris 19:30 CET; the timeline is labelled in Paris time too.
    assert "Wed 25 Nov 2026, 19:30 CET" in html and "Europe/Paris" in html
    assert "<td>19:30</td>" in html and "Riverside Borough Council" in html
    for figure in re.findall(r"<figure.*?</figure>", html, flags=re.DOTALL):
        assert re.search(r'aria-label="[^"]{20,}"', figure) and "<figcaption>" in figure
    assert html.count('<div class="pair">') == 5  # each chart has its table beside it


def test_a_follow_up_after_close_shows_in_every_format(cli: SurgeryDb) -> None:
    report = json.loads(runner.invoke(app, ["report", "1", "--format", "json"]).output)
    fourth = next(q for q in report["questions"] if q["number"] == 4)
    assert fourth["state"] == "referred" and fourth["reference"] == "SRG-2026-000002"
    assert report["counts"]["referred"] == 2 and report["counts_at_close"]["referred"] == 1
    assert report["counts"]["unanswered"] == report["counts_at_close"]["unanswered"] - 1
    assert report["follow_ups_after_close"][0]["reference"] == "SRG-2026-000002"
    markdown = runner.invoke(app, ["report", "1"]).output
    assert "## Follow-ups accepted after close" in markdown and "| 4 | SRG-2026-000002 |" in markdown
    html = html_report(cli)
    assert "Changed since the closing summary" in html
    assert "#4 was unanswered in the closing summary and is now referred (SRG-2026-000002" in html


def test_a_session_without_cases_or_follow_ups_says_so(cli: SurgeryDb) -> None:
    html = html_report(cli, 2)
    assert "No moderation cases while it ran." in html and "No follow-up was accepted after close." in html
    assert "Changed since the closing summary" not in html
    assert html.count("<svg") == 4


def test_only_matplotlib_users_import_it(surgery_db: SurgeryDb) -> None:
    import subprocess
    import sys

    # The bot, the CLI and the Markdown report start without matplotlib; only an HTML page loads it.
    code = ("import sys, bot.cli, bot.app, bot.session_reports, bot.reports.insight; "
            "print('matplotlib' in sys.modules)")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           cwd=Path(__file__).resolve().parents[2])
    assert found.stdout.strip() == "False"


async def test_the_service_draws_the_page_without_the_cli(surgery_db: SurgeryDb) -> None:
    reports = SessionReports(Database(surgery_db.database_url), SystemClock(), ZoneInfo("Europe/London"), "X")
    try:
        html = await reports.render_report(2, "html")
    finally:
        await reports.db.dispose()
    assert "When will Mill Road be resurfaced?" in html and not re.search(r"\bMo\b", html)
    assert "Wed 2 Dec 2026, 20:02 GMT" in html  # opened, in the council's (default) zone
