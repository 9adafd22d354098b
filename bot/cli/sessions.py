"""`surgerybot sessions list|show` and `surgerybot report`: surgery sessions and their reports."""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from bot.cli.base import JsonOption, app, operator_job, out, print_rows, write_output

T = TypeVar("T")

sessions_app = typer.Typer(help="Surgery sessions: scheduled, running and past.", no_args_is_help=True)
app.add_typer(sessions_app, name="sessions")


def reports_job(job: Callable[[Any], Awaitable[T]]) -> T:
    from bot.session_reports import SessionReports

    return operator_job(lambda op: job(SessionReports(op.db, op.clock, op.settings.council.zone,
                                                      op.settings.council.name)))


@sessions_app.command("list")
def sessions_list(as_json: JsonOption = False) -> None:
    """List surgery sessions with their state, host and times (the council's zone; --json: ISO UTC)."""
    async def listed(reports: Any) -> list[dict[str, Any]]:
        rows = await reports.list_sessions()
        return rows if as_json else [reports.local_times(row) for row in rows]

    rows = reports_job(listed)
    print_rows(rows, ["id", "state", "host", "starts_at", "questions", "topic"], as_json,
               "Sessions")


@sessions_app.command("show")
def sessions_show(
    session_id: Annotated[int, typer.Argument(help="The session's id from `sessions list`.")],
    as_json: JsonOption = False,
) -> None:
    """Show one session with its questions (never who asked) and casework references; times in the council's
    zone (--json: ISO UTC)."""
    async def shown(reports: Any) -> dict[str, Any]:
        row = await reports.show_session(session_id)
        return row if as_json else reports.local_times(row)

    row = reports_job(shown)
    if as_json:
        out.print_json(json.dumps(row, default=str))
        return
    for key, value in row.items():
        if key not in ("questions", "referrals"):
            out.print(f"{key.replace('_', ' ')}: {value}", highlight=False)
    # A joint surgery's questions say which group they came from.
    columns = ["number", "state", "visibility", "votes", "text"] + (["community"] if "," in row["communities"] else [])
    print_rows(row["questions"], columns, False, "Questions")
    if row["referrals"]:
        print_rows(row["referrals"], ["reference", "question", "reply_due"], False, "Casework referrals")


@app.command()
def report(
    session_id: Annotated[int, typer.Argument(help="The session's id from `sessions list`.")],
    fmt: Annotated[str, typer.Option("--format", help="md, json or html (one self-contained page with charts).")] = "md",
    output: Annotated[Path | None, typer.Option(help="Write the report to this file instead of printing it.")] = None,
) -> None:
    """A session's report: counts, every question's outcome and votes; the stored one once it has closed, with the
    follow-ups accepted since. `--format html` is a one-page report with charts, in the council's time zone."""
    text = reports_job(lambda r: r.render_report(session_id, fmt.lower()))
    if output is None:
        sys.stdout.write(text)
        return
    write_output(output, text)
    out.print(f"Report for session {session_id} written to {output}", highlight=False)
