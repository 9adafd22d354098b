"""`surgerybot communities list|show`: the communities the council is (or was) a guest in."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.cli.base import JsonOption, app, operator_job, out, print_rows

communities_app = typer.Typer(help="Communities the council is (or was) a guest in.", no_args_is_help=True)
app.add_typer(communities_app, name="communities")


@communities_app.command("list")
def communities_list(as_json: JsonOption = False) -> None:
    """List communities with their platform and state."""
    rows = operator_job(lambda op: op.list_communities())
    print_rows(rows, ["id", "name", "platform", "space_id", "state", "missing_rights"], as_json, "Communities")


@communities_app.command("show")
def communities_show(
    community: Annotated[str, typer.Argument(help="Community name or id.")],
    as_json: JsonOption = False,
) -> None:
    """Show one community in full, with its facilitators."""
    row = operator_job(lambda op: op.show_community(community))
    if as_json:
        out.print_json(json.dumps(row, default=str))
        return
    for key, value in row.items():
        out.print(f"{key.replace('_', ' ')}: {value}", highlight=False)
