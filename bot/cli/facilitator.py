"""`surgerybot facilitator add|remove|list`: facilitators the operator appoints for a community."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.base import JsonOption, app, operator_job, out, print_rows

facilitator_app = typer.Typer(help="Facilitators appointed by the operator for a community.", no_args_is_help=True)
app.add_typer(facilitator_app, name="facilitator")


@facilitator_app.command("add")
def facilitator_add(
    community: Annotated[str, typer.Option(help="Community name or id.")],
    user_id: Annotated[str, typer.Option(help="The facilitator's platform user id (numeric id or snowflake).")],
    name: Annotated[str, typer.Option(help="A display name for listings.")] = "",
) -> None:
    """Appoint a facilitator in a community."""
    added = operator_job(lambda op: op.add_facilitator(community, user_id, name))
    out.print("Facilitator added." if added else "They were already a facilitator there.")


@facilitator_app.command("remove")
def facilitator_remove(
    community: Annotated[str, typer.Option(help="Community name or id.")],
    user_id: Annotated[str, typer.Option(help="The facilitator's platform user id.")],
) -> None:
    """Remove a facilitator from a community."""
    operator_job(lambda op: op.remove_facilitator(community, user_id))
    out.print("Facilitator removed.")


@facilitator_app.command("list")
def facilitator_list(
    community: Annotated[str | None, typer.Option(help="Only this community (name or id).")] = None,
    as_json: JsonOption = False,
) -> None:
    """List facilitators, for one community or all."""
    rows = operator_job(lambda op: op.list_facilitators(community))
    print_rows(rows, ["community_id", "platform", "user_id", "display_name", "appointed_by"], as_json,
               "Facilitators")
