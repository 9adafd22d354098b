"""`surgerybot councillor add|list|remove`: the councillors who host surgeries."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.cli.base import JsonOption, app, operator_job, out, print_rows

councillor_app = typer.Typer(help="Councillors who host surgeries.", no_args_is_help=True)
app.add_typer(councillor_app, name="councillor")


@councillor_app.command("add")
def councillor_add(
    name: Annotated[str, typer.Option(help="The councillor's name as residents know it.")],
    ward: Annotated[str, typer.Option(help="Their ward.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Register a councillor and print the one-time code they send to the bot with /link."""
    created = operator_job(lambda op: op.add_councillor(name, ward))
    if as_json:
        out.print_json(json.dumps(created))
        return
    out.print(f"Councillor {created['id']}: {created['name']}", highlight=False)
    out.print(f"  {created['instructions']}", highlight=False)


@councillor_app.command("list")
def councillor_list(as_json: JsonOption = False) -> None:
    """List councillors and whether they have linked a platform account."""
    rows = operator_job(lambda op: op.list_councillors())
    print_rows(rows, ["id", "name", "ward", "linked"], as_json, "Councillors")


@councillor_app.command("remove")
def councillor_remove(councillor_id: Annotated[int, typer.Argument(help="The id from `councillor list`.")]) -> None:
    """Remove a councillor (their sessions and history stay)."""
    operator_job(lambda op: op.remove_councillor(councillor_id))
    out.print(f"Councillor {councillor_id} removed.")
