"""`surgerybot insight`: the council-wide picture of surgeries, questions, moderation, communities and listening,
as an HTML page with charts, Markdown, or JSON for other tools."""

from __future__ import annotations

import sys
from collections.abc import Awaitable
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.base import app, operator_job, out, write_output
from bot.operator import Operator


@app.command()
def insight(
    first: Annotated[str | None, typer.Option("--from", help="First council day, e.g. 2026-01-01 (included).")] = None,
    last: Annotated[str | None, typer.Option("--to", help="Last council day, e.g. 2026-12-31 (included).")] = None,
    community: Annotated[str | None, typer.Option(help="Only this community (its name in `communities list`).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="html (one page with charts), md or json.")] = "html",
    output: Annotated[Path | None, typer.Option(help="Write to this file instead of printing it.")] = None,
) -> None:
    """Council-wide: surgeries per month and community, people taking part, questions asked/answered/referred, the
    median wait to be taken, moderation cases per rule with appeals upheld, communities joined and left, listening
    themes per week. Dates and times are the council's (SURGERYBOT_COUNCIL__TIMEZONE)."""
    from bot.reports.insight import InsightReports, parse_day

    def job(op: Operator) -> Awaitable[str]:
        reports = InsightReports(op.db, op.clock, op.settings.council.zone, op.settings.council.name)
        return reports.render(fmt.lower(), parse_day(first, "--from"), parse_day(last, "--to"), community)

    text = operator_job(job)
    if output is None:
        sys.stdout.write(text)
        return
    write_output(output, text)
    out.print(f"Insight written to {output}", highlight=False)
