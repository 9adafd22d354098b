"""`surgerybot invite create|list|revoke`: the one-time codes that bring the bot into a group."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.cli.base import JsonOption, app, fail, operator_job, out, print_rows
from config.messages import Messages
from facilitation.durations import parse_duration
from facilitation.problems import InputProblem

invite_app = typer.Typer(help="One-time invitations that let a community admin bring the bot into a group.",
                         no_args_is_help=True)
app.add_typer(invite_app, name="invite")


@invite_app.command("create")
def invite_create(
    community: Annotated[str, typer.Option(help="The community's name, e.g. \"Riverside Residents\".")],
    platform: Annotated[str, typer.Option(help="telegram or discord.")],
    expires: Annotated[str | None, typer.Option(help="How long the code stays valid, e.g. 14d or 48h.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Create a one-time invitation code (printed once; only its hash is stored)."""
    try:
        lifetime = parse_duration(expires, maximum=parse_duration("365d")) if expires else None
    except InputProblem as problem:
        fail(f"--expires: {Messages().problem(problem)}")
    created = operator_job(lambda op: op.create_invitation(community, platform.lower(), lifetime))
    if as_json:
        out.print_json(json.dumps(created.__dict__))
        return
    out.print(f"Invitation {created.id} for [bold]{created.community}[/] on {created.platform}")
    out.print(f"  code:    [bold]{created.code}[/]  (shown once; expires {created.expires_at})")
    if created.link:
        out.print(f"  link:    {created.link}", highlight=False)
    out.print(f"  how:     {created.instructions}", highlight=False)


@invite_app.command("list")
def invite_list(as_json: JsonOption = False) -> None:
    """List invitations and whether each is open, used, revoked or expired (codes are never shown again)."""
    rows = operator_job(lambda op: op.list_invitations())
    print_rows(rows, ["id", "community_name", "platform", "state", "created_at", "expires_at"], as_json,
               "Invitations")


@invite_app.command("revoke")
def invite_revoke(invitation_id: Annotated[int, typer.Argument(help="The invitation's id from `invite list`.")]) -> None:
    """Withdraw an invitation that has not been used yet."""
    operator_job(lambda op: op.revoke_invitation(invitation_id))
    out.print(f"Invitation {invitation_id} revoked.")
