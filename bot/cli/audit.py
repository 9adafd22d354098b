"""`surgerybot audit list`: the audit trail without SQL — refused adds, leaves, every platform call with its
outcome — newest first, a page at a time, in the council's time."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from rich.table import Table

from bot.cli.base import JsonOption, app, operator_job, out

audit_app = typer.Typer(help="The audit trail: what the bot did, was asked to do, and how it went.",
                        no_args_is_help=True)
app.add_typer(audit_app, name="audit")

COLUMNS = ["when", "platform", "chat", "actor", "action", "target", "reason", "outcome"]


@audit_app.command("list")
def audit_list(
    community: Annotated[str | None, typer.Option(help="Only rows about this community's group and surgeries.")] = None,
    since: Annotated[str | None, typer.Option(help="From this council day or time: 2026-11-25 or '2026-11-25 18:30'.")] = None,
    action: Annotated[str | None, typer.Option(help="Only this action, e.g. community_left or SendMessage.")] = None,
    limit: Annotated[int, typer.Option(help="Rows per page.")] = 50,
    page: Annotated[int, typer.Option(help="Which page (1 is the newest).")] = 1,
    as_json: JsonOption = False,
) -> None:
    """The audit trail, newest first, paged (`--limit`, `--page`); times in the council's zone."""
    from bot.reports.audit_trail import AuditTrail

    found = operator_job(lambda op: AuditTrail(op.db, op.settings.council.zone).page(
        community=community, since=since, action=action, limit=limit, page=page))
    if as_json:
        out.print_json(json.dumps(found.as_json()))
        return
    if not found.rows:
        out.print("No audit rows match." if found.total == 0 else f"Page {found.page} is past the last ({found.pages}).")
        return
    table = Table(title=f"Audit trail, newest first — page {found.page} of {found.pages} ({found.total} rows)")
    # The time and the action are what an operator scans down: never wrapped or cut.
    for column in COLUMNS:
        table.add_column(column, no_wrap=column in ("when", "action"), overflow="fold")
    for row in found.rows:
        table.add_row(*(str(row[column]) for column in COLUMNS))
    out.print(table)
    if found.page < found.pages:
        out.print(f"More: --page {found.page + 1}", highlight=False)
