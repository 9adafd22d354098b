"""`surgerybot election add|list|remove`: pre-election periods, during which councillor surgeries pause."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer

from bot import election_admin
from bot.cli.base import JsonOption, app, fail, operator_job, out, print_rows

election_app = typer.Typer(help="Pre-election periods: councillor surgeries pause during them.",
                           no_args_is_help=True)
app.add_typer(election_app, name="election")


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{option} must be a date like 2027-04-01.")
        raise


@election_app.command("add")
def election_add(
    name: Annotated[str, typer.Option(help="What the period is, e.g. \"County council elections 2027\".")],
    start: Annotated[str, typer.Option(help="First day (YYYY-MM-DD, council time).")],
    end: Annotated[str, typer.Option(help="Last day (YYYY-MM-DD, council time), included.")],
    community: Annotated[list[str] | None, typer.Option(help="A community it covers (repeat); none = every one.")]
    = None,
    yes: Annotated[bool, typer.Option("--yes", help="Add it even though it cancels scheduled surgeries.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Add a pre-election period. Scheduled councillor surgeries inside it are cancelled when it starts."""
    first, last = _day(start, "--start"), _day(end, "--end")
    row = operator_job(lambda op: election_admin.add_period(op, name=name, start=first, end=last,
                                                            community_names=list(community or []), yes=yes))
    if as_json:
        out.print_json(json.dumps(row))
        return
    out.print(f"Election period {row['id']}: {row['name']}, {row['start']} to {row['end']} "
              f"({', '.join(row['communities'])}).", highlight=False)
    if row["cancels"]:
        out.print(f"  Surgeries cancelled when it starts: {', '.join(f'#{i}' for i in row['cancels'])}.")


@election_app.command("list")
def election_list(as_json: JsonOption = False) -> None:
    """List pre-election periods."""
    rows = operator_job(election_admin.list_periods)
    for row in rows:
        row["communities"] = ", ".join(row["communities"]) if not as_json else row["communities"]
    print_rows(rows, ["id", "name", "start", "end", "communities"], as_json, "Election periods")


@election_app.command("remove")
def election_remove(period_id: Annotated[int, typer.Argument(help="The id from `election list`.")]) -> None:
    """Remove a pre-election period (surgeries it already cancelled stay cancelled)."""
    operator_job(lambda op: election_admin.remove_period(op, period_id))
    out.print(f"Election period {period_id} removed.")


