"""`surgerybot casework list|reply|close`: casework referrals followed through."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from bot.cli.base import JsonOption, app, operator_job, out, print_rows

casework_app = typer.Typer(help="Casework referrals: their status, and recording the council's reply.",
                           no_args_is_help=True)
app.add_typer(casework_app, name="casework")

COLUMNS = ["reference", "status", "reply_due", "session", "status_note"]


def _desk_job(job: Any) -> Any:
    from bot.casework_desk import CaseworkDesk

    return operator_job(lambda op: job(CaseworkDesk(op.db, op.clock)))


@casework_app.command("list")
def casework_list(
    status: Annotated[str | None, typer.Option(help="Only these: open, replied, closed or overdue.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List casework referrals with their status and reply date (UTC)."""
    rows = _desk_job(lambda desk: desk.list(status))
    print_rows(rows, COLUMNS, as_json, "Casework referrals")


@casework_app.command("reply")
def casework_reply(
    reference: Annotated[str, typer.Argument(help="The reference, e.g. SRG-2026-000123.")],
    note: Annotated[str | None, typer.Option(help="What the council replied, for the record.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Record that the council has replied to a referral."""
    row = _desk_job(lambda desk: desk.reply(reference, note))
    _done(row, as_json)


@casework_app.command("close")
def casework_close(
    reference: Annotated[str, typer.Argument(help="The reference, e.g. SRG-2026-000123.")],
    note: Annotated[str | None, typer.Option(help="Why it is closed, for the record.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Close a referral."""
    row = _desk_job(lambda desk: desk.close(reference, note))
    _done(row, as_json)


def _done(row: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_rows([row], COLUMNS, True, "Casework referrals")
        return
    out.print(f"{row['reference']} is now {row['status']}.", highlight=False)
